{#- A list's elements in ascending order (DuckDB list_sort, Spark array_sort). -#}
{% macro list_sort(values) %}
    {{- return(adapter.dispatch('list_sort', 'customer_personality')(values)) -}}
{% endmacro %}

{% macro default__list_sort(values) %}list_sort({{ values }}){% endmacro %}

{% macro spark__list_sort(values) %}array_sort({{ values }}){% endmacro %}
