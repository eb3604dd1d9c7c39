{#- The elements of a text list joined by separator (a SQL string literal). -#}
{% macro list_join(list, separator) %}
    {{- return(adapter.dispatch('list_join', 'customer_personality')(list, separator)) -}}
{% endmacro %}

{% macro default__list_join(list, separator) %}array_to_string({{ list }}, {{ separator }}){% endmacro %}

{% macro spark__list_join(list, separator) %}array_join({{ list }}, {{ separator }}){% endmacro %}
