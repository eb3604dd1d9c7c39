{#-
    Schemas by layer: a model's custom schema (+schema in dbt_project.yml: staging,
    intermediate, seeds) is the schema's whole name, not dbt's default
    <target schema>_<custom>; without one, the target's schema (main), where the
    public tables (the marts) sit, the schema a BI tool opens first.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
