{#- An empty list of element_type (a SQL type: double, varchar). -#}
{% macro empty_list(element_type) %}
    {{- return(adapter.dispatch('empty_list', 'customer_personality')(element_type)) -}}
{% endmacro %}

{% macro default__empty_list(element_type) %}cast([] as {{ element_type }}[]){% endmacro %}

{% macro spark__empty_list(element_type) %}cast(array() as array<{{ element_type }}>){% endmacro %}
