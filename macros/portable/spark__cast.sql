{#-
    dbt's cast on Spark, with the contract types of this project's YAML (DuckDB's
    spelling) translated to Spark's: varchar → string, varchar[] → array<string>,
    hugeint → decimal(38,0). Contracts are checked through casts like this one.
-#}
{% macro spark__cast(field, type) %}
    {%- set spark_types = {
        'varchar': 'string', 'varchar[]': 'array<string>', 'hugeint': 'decimal(38,0)'} -%}
    cast({{ field }} as {{ spark_types.get(type | trim | lower, type) }})
{%- endmacro %}
