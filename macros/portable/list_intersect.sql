{#- The elements two lists share (DuckDB list_intersect, Spark array_intersect). -#}
{% macro list_intersect(first, second) %}
    {{- return(adapter.dispatch('list_intersect', 'customer_personality')(
        first, second)) -}}
{% endmacro %}

{% macro default__list_intersect(first, second) %}list_intersect({{ first }}, {{ second }}){% endmacro %}

{% macro spark__list_intersect(first, second) %}array_intersect({{ first }}, {{ second }}){% endmacro %}
