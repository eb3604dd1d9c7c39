{#- A list with its NULL elements left out, in order. -#}
{% macro list_without_nulls(list) %}
    {{- return(adapter.dispatch('list_without_nulls', 'customer_personality')(list)) -}}
{% endmacro %}

{% macro default__list_without_nulls(list) %}list_filter({{ list }}, lambda element: element is not null){% endmacro %}

{% macro spark__list_without_nulls(list) %}filter({{ list }}, element -> element is not null){% endmacro %}
