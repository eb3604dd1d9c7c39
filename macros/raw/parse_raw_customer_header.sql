{#-
    The delimiter and the column names of a raw CSV file from the rows of a query of
    its first line (none: the file is empty, an error naming the file): the delimiter
    is the most frequent of tab, ';' and ',' (the sniffer is not trusted), the names
    trimmed and unquoted, a UTF-8 BOM and CR left out.
-#}
{% macro parse_raw_customer_header(path, first_rows) %}
    {%- set expected = [] -%}
    {%- for column in input_contract().columns if column.raw is not none -%}
        {%- do expected.append(column.raw) -%}
    {%- endfor -%}
    {%- set first = {'rows': first_rows} -%}
    {%- if first.rows | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Raw customer file " ~ path ~ " is empty: expected a header row with "
            ~ "the columns " ~ expected | join(', ')) }}
    {%- endif -%}
    {%- set line = (first.rows[0][0] or '') | replace('\ufeff', '')
        | replace('\r', '') -%}
    {%- set counts = {
        '\t': line.count('\t'), ';': line.count(';'), ',': line.count(',')} -%}
    {%- set delimiter = {'value': '\t'} -%}
    {%- for candidate in [';', ','] -%}
        {%- if counts[candidate] > counts[delimiter.value] -%}
            {%- do delimiter.update({'value': candidate}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set delimiter = delimiter.value -%}
    {%- set header = [] -%}
    {%- for name in line.split(delimiter) -%}
        {%- do header.append(name | trim | replace('"', '') | trim) -%}
    {%- endfor -%}
    {{- return({'delimiter': delimiter, 'header': header}) -}}
{% endmacro %}
