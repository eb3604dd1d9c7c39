{#- The position-th element of a list, counted from 1 on both engines (DuckDB's
    list[i] is 1-based, Spark's list[i] 0-based; element_at is 1-based). -#}
{% macro list_element(list, position) %}
    {{- return(adapter.dispatch('list_element', 'customer_personality')(
        list, position)) -}}
{% endmacro %}

{% macro default__list_element(list, position) %}{{ list }}[{{ position }}]{% endmacro %}

{% macro spark__list_element(list, position) %}element_at({{ list }}, cast({{ position }} as int)){% endmacro %}
