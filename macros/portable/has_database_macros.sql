{#-
    Whether the engine keeps SQL macros in the database (DuckDB's CREATE MACRO). On
    Spark there are none: the hooks that create score_segment, rules_for and the
    experiment macros do nothing there (README "On Apache Spark" says what to use).
-#}
{% macro has_database_macros() %}
    {{- return(target.type == 'duckdb') -}}
{% endmacro %}
