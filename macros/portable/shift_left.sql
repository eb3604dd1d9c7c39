{#- `value` shifted left by `bits` (DuckDB <<, Spark shiftleft). -#}
{% macro shift_left(value, bits) %}
    {{- return(adapter.dispatch('shift_left', 'customer_personality')(value, bits)) -}}
{% endmacro %}

{% macro default__shift_left(value, bits) %}({{ value }} << {{ bits }}){% endmacro %}

{% macro spark__shift_left(value, bits) %}shiftleft({{ value }}, {{ bits }}){% endmacro %}
