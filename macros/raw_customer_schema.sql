{#-
    The raw input contract: the 29 columns of the Customer Personality export, in file
    order, with the name and type each gets in staging. kind drives validation:
    id, year, text, money, count (non-negative integer), flag (0 or 1), date, constant.
    The one definition is the package's file
    src/customer_personality/raw_customer_columns.csv (raw, name, type, kind), which
    the sample generator reads too; it is read here, under the project directory, as
    the models compile. While dbt parses, no file is read and the list is empty: the
    SQL rendered then is never run.
-#}
{% macro raw_customer_schema() %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set path = (invocation_args_dict.get('project_dir') or '.')
        ~ '/src/customer_personality/raw_customer_columns.csv' -%}
    {%- set table = run_query(
        "select raw, name, type, kind from read_csv('" ~ (path | replace("'", "''"))
        ~ "', header = true, auto_detect = false, delim = ',', columns = {"
        ~ "'raw': 'VARCHAR', 'name': 'VARCHAR', 'type': 'VARCHAR', 'kind': 'VARCHAR'})"
    ) -%}
    {%- set schema = [] -%}
    {%- for row in table.rows -%}
        {%- do schema.append(
            {'raw': row[0], 'name': row[1], 'type': row[2], 'kind': row[3]}) -%}
    {%- endfor -%}
    {%- if schema | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "The raw customer schema " ~ path ~ " lists no column") }}
    {%- endif -%}
    {{ return(schema) }}
{% endmacro %}
