{#-
    The input's columns as staging reads them, in the input's order: each column the
    contract maps ({field, name, raw, kind, type, format, multiplier, group, list,
    key}), each column it ignores ({raw, kind: ignored, name: none}), then the
    columns the contract computes by expression. key names the column's text in
    staging (raw_<key>). Reading the input's header, it runs when dbt executes a
    model; while dbt parses it is empty (the SQL rendered then is never run).
-#}
{% macro input_schema() %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set contract = input_contract() -%}
    {%- set input = raw_input() -%}
    {%- set header = raw_input_shape(input).header -%}
    {%- do check_input_columns(input, header) -%}
    {%- set schema = [] -%}
    {%- for name in header -%}
        {%- set found = [] -%}
        {%- for column in contract.columns if column.raw == name -%}
            {%- do found.append(column) -%}
        {%- endfor -%}
        {%- if found -%}
            {%- set column = found[0].copy() -%}
            {%- do column.update({'key': column.name}) -%}
        {%- else -%}
            {%- set column = {'raw': name, 'name': none, 'field': none,
                'kind': 'ignored', 'key': 'ignored_' ~ loop.index,
                'expression': none, 'group': none, 'list': none} -%}
        {%- endif -%}
        {%- do schema.append(column) -%}
    {%- endfor -%}
    {%- for column in contract.columns if column.raw is none -%}
        {%- set column = column.copy() -%}
        {%- do column.update({'key': column.name}) -%}
        {%- do schema.append(column) -%}
    {%- endfor -%}
    {{ return(schema) }}
{% endmacro %}

{#- The staging column a schema entry is checked by in reasons: the input column,
    or the field when an expression computes it. -#}
{% macro input_column_label(column) %}
    {{ return(column.raw if column.raw is not none else column.field) }}
{% endmacro %}
