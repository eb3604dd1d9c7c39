{#- The type of a list of `element_type` (DuckDB T[], Spark array<T>). -#}
{% macro list_type(element_type) %}
    {{- return(adapter.dispatch('list_type', 'customer_personality')(element_type)) -}}
{% endmacro %}

{% macro default__list_type(element_type) %}{{ element_type }}[]{% endmacro %}

{% macro spark__list_type(element_type) %}array<{{ element_type }}>{% endmacro %}
