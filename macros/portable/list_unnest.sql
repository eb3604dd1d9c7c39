{#- One row per element of a list, in a select list: DuckDB unnest, Spark explode. -#}
{% macro list_unnest(list) %}
    {{- return(adapter.dispatch('list_unnest', 'customer_personality')(list)) -}}
{% endmacro %}

{% macro default__list_unnest(list) %}unnest({{ list }}){% endmacro %}

{% macro spark__list_unnest(list) %}explode({{ list }}){% endmacro %}
