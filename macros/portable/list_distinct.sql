{#- A list's elements without repeats, in no particular order (DuckDB list_distinct,
    Spark array_distinct): sort it when the order matters. -#}
{% macro list_distinct(values) %}
    {{- return(adapter.dispatch('list_distinct', 'customer_personality')(values)) -}}
{% endmacro %}

{% macro default__list_distinct(values) %}list_distinct({{ values }}){% endmacro %}

{% macro spark__list_distinct(values) %}array_distinct({{ values }}){% endmacro %}
