{#- A number read back as text from a table (run_query) written as a double literal:
    DuckDB reads the text as it is; Spark reads 0.5 as a decimal, so it is cast. -#}
{% macro double_literal(text) %}
    {{- return(adapter.dispatch('double_literal', 'customer_personality')(text)) -}}
{% endmacro %}

{% macro default__double_literal(text) %}{{ text }}{% endmacro %}

{% macro spark__double_literal(text) %}cast({{ text }} as double){% endmacro %}
