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
    {%- set table = run_query(adapter.dispatch(
        'raw_customer_schema_query', 'customer_personality')(path)) -%}
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

{#- The query of the schema file's rows (raw, name, type, kind), in file order. -#}
{% macro default__raw_customer_schema_query(path) %}
    select raw, name, type, kind from read_csv('{{ path | replace("'", "''") }}',
        header = true, auto_detect = false, delim = ',',
        columns = {'raw': 'VARCHAR', 'name': 'VARCHAR', 'type': 'VARCHAR', 'kind': 'VARCHAR'})
{% endmacro %}

{#- Spark's CSV reader, without header so that the file's order is its row order. -#}
{% macro spark__raw_customer_schema_query(path) %}
    select _c0, _c1, _c2, _c3 from (
        select *, monotonically_increasing_id() as position from csv.`{{ path }}`
    ) where position > 0 or _c0 != 'raw' order by position
{% endmacro %}
