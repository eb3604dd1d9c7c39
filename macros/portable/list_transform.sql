{#- Each element of a list mapped by `expression`, in which `variable` names the
    element (DuckDB list_transform with a lambda, Spark transform). -#}
{% macro list_transform(values, variable, expression) %}
    {{- return(adapter.dispatch('list_transform', 'customer_personality')(
        values, variable, expression)) -}}
{% endmacro %}

{% macro default__list_transform(values, variable, expression) -%}
    list_transform({{ values }}, lambda {{ variable }}: {{ expression }})
{%- endmacro %}

{% macro spark__list_transform(values, variable, expression) -%}
    transform({{ values }}, {{ variable }} -> {{ expression }})
{%- endmacro %}
