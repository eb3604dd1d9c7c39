{#- The integers start, start + 1, ..., stop - 1 as a list, empty when stop <= start
    (DuckDB range, Spark sequence, which counts down past an empty range). -#}
{% macro list_range(start, stop) %}
    {{- return(adapter.dispatch('list_range', 'customer_personality')(start, stop)) -}}
{% endmacro %}

{% macro default__list_range(start, stop) %}range({{ start }}, {{ stop }}){% endmacro %}

{% macro spark__list_range(start, stop) -%}
    case when {{ stop }} > {{ start }}
        then sequence(cast({{ start }} as bigint), cast({{ stop }} as bigint) - 1)
        else cast(array() as array<bigint>) end
{%- endmacro %}
