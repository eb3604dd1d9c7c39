{#- `materialized` before a CTE's body where the engine has it (DuckDB: the CTE is
    computed once, not inlined); nothing on Spark, which has no such hint. -#}
{% macro materialized_cte() %}
    {{- return(adapter.dispatch('materialized_cte', 'customer_personality')()) -}}
{% endmacro %}

{% macro default__materialized_cte() %}materialized{% endmacro %}

{% macro spark__materialized_cte() %}{% endmacro %}
