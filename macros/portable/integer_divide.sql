{#- Integer division of non-negative integers (DuckDB //, Spark div). -#}
{% macro integer_divide(numerator, denominator) %}
    {{- return(adapter.dispatch('integer_divide', 'customer_personality')(
        numerator, denominator)) -}}
{% endmacro %}

{% macro default__integer_divide(numerator, denominator) -%}
    ({{ numerator }} // {{ denominator }})
{%- endmacro %}

{% macro spark__integer_divide(numerator, denominator) -%}
    ({{ numerator }} div {{ denominator }})
{%- endmacro %}
