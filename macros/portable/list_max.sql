{#- The greatest element of a DOUBLE[] expression (DuckDB list_max, Spark
    array_max); list_min gives the least. -#}
{% macro list_max(values) %}
    {{- return(adapter.dispatch('list_max', 'customer_personality')(values)) -}}
{% endmacro %}

{% macro default__list_max(values) %}list_max({{ values }}){% endmacro %}

{% macro spark__list_max(values) %}array_max({{ values }}){% endmacro %}
