{#-
    The raw customer file as a relation of text columns, one row per data row of the
    file, whatever its dialect: tab, comma or semicolon; quoted or not; UTF-8 BOM; CRLF;
    or Parquet. Every column is read as VARCHAR under its expected name, so a bad value
    becomes a rejected row later instead of a crash or a silent NULL.

    The sniffer is not trusted (it has picked '|' and returned one column): the header
    line is read on its own, the delimiter is the most frequent of tab, ';' and ',', and
    the header is checked against raw_customer_schema(). A file whose columns do not
    match fails the build with a message naming the file and the columns.

    Columns: raw_row_number (1-based data row), the 29 raw columns, _extra_fields (text
    past the 29th field on a row, NULL normally).
-#}
{% macro read_raw_customers(path=none) %}
    {%- set path = path if path is not none else var('raw_customers_path') -%}
    {%- if not execute -%}
        {#- Parsing, on either engine: no file access; a relation of the right shape,
            built whole: the schema is empty here (dbt parse, sqlfluff). -#}
        {%- set text = 'cast(null as ' ~ dbt.type_string() ~ ') as ' -%}
        {%- set columns = ['cast(0 as bigint) as raw_row_number'] -%}
        {%- for name in raw_customer_schema() | map(attribute='raw') -%}
            {%- do columns.append(text ~ adapter.quote(name)) -%}
        {%- endfor -%}
        {%- do columns.append(text ~ '_extra_fields') -%}
        {{ return("(select " ~ columns | join(', ') ~ ")") }}
    {%- endif -%}
    {{- return(adapter.dispatch('read_raw_customers', 'customer_personality')(path)) -}}
{% endmacro %}

{% macro default__read_raw_customers(path) %}
    {%- set expected = raw_customer_schema() | map(attribute='raw') | list -%}
    {%- set quoted_path = "'" ~ (path | replace("'", "''")) ~ "'" -%}

    {%- set found = run_query("select count(*) from glob(" ~ quoted_path ~ ")") -%}
    {%- if found.columns[0].values()[0] == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Raw customer file not found: " ~ path ~ " (var raw_customers_path; a "
            ~ "relative path is read from the directory dbt runs in)") }}
    {%- endif -%}

    {%- set is_parquet = (path | lower).endswith('.parquet')
        or (path | lower).endswith('.pq') -%}

    {%- if is_parquet -%}
        {%- set described = run_query(
            "select column_name from (describe select * from read_parquet("
            ~ quoted_path ~ "))") -%}
        {%- set header = described.columns[0].values() | list -%}
        {%- set delimiter = none -%}
    {%- else -%}
        {%- set first = run_query(
            "select line from read_csv(" ~ quoted_path ~ ", header = false, "
            ~ "columns = {'line': 'VARCHAR'}, delim = '\\x01', quote = '', escape = '', "
            ~ "auto_detect = false) limit 1") -%}
        {%- set parsed = parse_raw_customer_header(path, first.rows) -%}
        {%- set delimiter = parsed.delimiter -%}
        {%- set header = parsed.header -%}
    {%- endif -%}

    {%- do check_raw_customer_header(path, header) -%}

    {%- if is_parquet -%}
        {%- set casts = [] -%}
        {%- for name in expected -%}
            {%- do casts.append(
                adapter.quote(name) ~ "::varchar as " ~ adapter.quote(name)) -%}
        {%- endfor -%}
        {{ return("(select file_row_number + 1 as raw_row_number, " ~ casts | join(', ')
            ~ ", null::varchar as _extra_fields from read_parquet(" ~ quoted_path
            ~ ", file_row_number = true))") }}
    {%- else -%}
        {%- set specs = [] -%}
        {%- for name in header -%}
            {%- do specs.append("'" ~ name ~ "': 'VARCHAR'") -%}
        {%- endfor -%}
        {%- do specs.append("'_extra_fields': 'VARCHAR'") -%}
        {%- set delimiter_sql = "'\\t'" if delimiter == '\t'
            else "'" ~ delimiter ~ "'" -%}
        {{ return("(select row_number() over () as raw_row_number, * from read_csv("
            ~ quoted_path ~ ", header = true, delim = " ~ delimiter_sql
            ~ ", quote = '\"', escape = '\"', columns = {" ~ specs | join(', ') ~ "}"
            ~ ", auto_detect = false, null_padding = true, strict_mode = false))") }}
    {%- endif -%}
{% endmacro %}

{#-
    read_raw_customers on Spark: the same relation (raw_row_number, the 29 raw columns
    as text under their expected names, _extra_fields), read by Spark's CSV reader
    through a temporary view (or Parquet). The header line is read on its own and
    checked as on DuckDB (parse_raw_customer_header, check_raw_customer_header);
    rows are numbered in file order. A row with more fields than the header is a
    corrupt record to Spark: _extra_fields is the text past the last column.
-#}
{% macro spark__read_raw_customers(path) %}
    {%- set expected = raw_customer_schema() | map(attribute='raw') | list -%}
    {%- set literal_path = "'" ~ (path | replace("\\", "\\\\")
        | replace("'", "\\'")) ~ "'" -%}
    {%- set view = 'customer_personality_raw_file' -%}
    {%- set numbered = 'cast(row_number() over (order by monotonically_increasing_id())'
        ~ ' as bigint)' -%}
    {%- if (path | lower).endswith('.parquet') or (path | lower).endswith('.pq') -%}
        {%- do run_query("create or replace temporary view " ~ view
            ~ " using parquet options (path " ~ literal_path ~ ")") -%}
        {%- set header = run_query("select * from " ~ view ~ " limit 0").column_names
            | list -%}
        {%- do check_raw_customer_header(path, header) -%}
        {%- set casts = [] -%}
        {%- for name in expected -%}
            {%- do casts.append("cast(" ~ adapter.quote(name) ~ " as string) as "
                ~ adapter.quote(name)) -%}
        {%- endfor -%}
        {{ return("(select " ~ numbered ~ " as raw_row_number, " ~ casts | join(', ')
            ~ ", cast(null as string) as _extra_fields from " ~ view ~ ")") }}
    {%- endif -%}
    {%- set first = run_query("select value from text.`" ~ path ~ "` limit 1") -%}
    {%- set parsed = parse_raw_customer_header(path, first.rows) -%}
    {%- do check_raw_customer_header(path, parsed.header) -%}
    {%- set delimiter = parsed.delimiter -%}
    {%- set delimiter_sql = "'\\t'" if delimiter == '\t' else "'" ~ delimiter ~ "'" -%}
    {%- set specs = [] -%}
    {%- for name in parsed.header -%}
        {%- do specs.append(adapter.quote(name) ~ " string") -%}
    {%- endfor -%}
    {%- do run_query("create or replace temporary view " ~ view ~ " ("
        ~ specs | join(', ') ~ ", _corrupt_record string) using csv options (path "
        ~ literal_path ~ ", header 'true', sep " ~ delimiter_sql ~ ", quote '\"', "
        ~ "escape '\"', mode 'PERMISSIVE', columnNameOfCorruptRecord '_corrupt_record')")
    -%}
    {%- set fields = "split(_corrupt_record, " ~ delimiter_sql ~ ")" -%}
    {%- set columns = [] -%}
    {%- for name in expected -%}
        {%- do columns.append(adapter.quote(name)) -%}
    {%- endfor -%}
    {{ return("(select " ~ numbered ~ " as raw_row_number, " ~ columns | join(', ')
        ~ ", case when size(" ~ fields ~ ") > " ~ expected | length
        ~ " then array_join(slice(" ~ fields ~ ", " ~ (expected | length + 1) ~ ", size("
        ~ fields ~ ")), " ~ delimiter_sql ~ ") end as _extra_fields from " ~ view ~ ")") }}
{% endmacro %}
