{#- The least element of a DOUBLE[] expression (DuckDB list_min, Spark
    array_min); list_max gives the greatest. -#}
{% macro list_min(values) %}
    {{- return(adapter.dispatch('list_min', 'customer_personality')(values)) -}}
{% endmacro %}

{% macro default__list_min(values) %}list_min({{ values }}){% endmacro %}

{% macro spark__list_min(values) %}array_min({{ values }}){% endmacro %}
