{#- The 1-based position of the first element equal to `value` (0 or NULL when none:
    Spark 0, DuckDB NULL). -#}
{% macro list_position(values, value) %}
    {{- return(adapter.dispatch('list_position', 'customer_personality')(
        values, value)) -}}
{% endmacro %}

{% macro default__list_position(values, value) %}list_position({{ values }}, {{ value }}){% endmacro %}

{% macro spark__list_position(values, value) %}array_position({{ values }}, {{ value }}){% endmacro %}
