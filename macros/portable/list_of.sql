{#- A list (array) of SQL expressions: DuckDB [a, b], Spark array(a, b). -#}
{% macro list_of(items) %}
    {{- return(adapter.dispatch('list_of', 'customer_personality')(items)) -}}
{% endmacro %}

{% macro default__list_of(items) %}[{{ items | join(', ') }}]{% endmacro %}

{% macro spark__list_of(items) %}array({{ items | join(', ') }}){% endmacro %}
