{#- The sum of a DOUBLE[] expression's elements, first to last. -#}
{% macro list_sum(values) %}
    {{- return(adapter.dispatch('list_sum', 'customer_personality')(values)) -}}
{% endmacro %}

{% macro default__list_sum(values) %}list_sum({{ values }}){% endmacro %}

{% macro spark__list_sum(values) -%}
    aggregate({{ values }}, cast(0 as double), (total, element) -> total + element)
{%- endmacro %}
