{#-
    Fails the build, before any model reads a row, when the input's columns do not
    match the input contract: a column the contract maps that the input lacks, a
    column of the input the contract neither maps nor lists under ignore:, or a column
    the input repeats. The message names the input, the contract, each column with
    the field that maps it, and the input's columns.
-#}
{% macro check_input_columns(input, header) %}
    {%- set contract = input_contract() -%}
    {%- set mapped = {} -%}
    {%- for column in contract.columns if column.raw is not none -%}
        {%- do mapped.update({column.raw: column.field}) -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for raw, field in mapped.items() if raw not in header -%}
        {%- do missing.append(raw ~ ' (' ~ field ~ ')') -%}
    {%- endfor -%}
    {%- set unexpected = [] -%}
    {%- for name in header if name not in mapped and name not in contract.ignore -%}
        {%- do unexpected.append(name if name else '(empty name)') -%}
    {%- endfor -%}
    {%- set repeated = [] -%}
    {%- for name in header if header.count(name) > 1 and name not in repeated -%}
        {%- do repeated.append(name) -%}
    {%- endfor -%}
    {%- if missing or unexpected or repeated -%}
        {{ exceptions.raise_compiler_error(
            input.label ~ " does not match the input contract ("
            ~ contract.label ~ "). Missing columns: " ~ (missing | join(', ') or 'none')
            ~ ". Unexpected columns: " ~ (unexpected | join(', ') or 'none')
            ~ (" (map each to a field, or list it under ignore:)" if unexpected else "")
            ~ (". Repeated columns in the header: " ~ repeated | join(', ')
                if repeated else "")
            ~ ". The input's columns: " ~ header | join(', ')) }}
    {%- endif -%}
{% endmacro %}

{#-
    The same check as a hook at the start of a run or build (dbt_project.yml
    on-run-start), so that an input that does not match its contract stops the run
    before any seed or model runs. Renders no SQL.
-#}
{% macro check_input_columns_hook() %}
    {%- if execute and flags.WHICH in ['build', 'run'] -%}
        {%- set input = raw_input() -%}
        {%- do check_input_columns(input, raw_input_shape(input).header) -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
