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

{% macro spark__parse_customer_date(text_value) %}
    cast(coalesce(
        try_to_timestamp({{ text_value }}, 'd-M-yyyy'),
        try_to_timestamp({{ text_value }}, 'd/M/yyyy'),
        try_to_timestamp({{ text_value }}, 'yyyy-M-d'),
        try_cast({{ text_value }} as timestamp)
    ) as date)
{% endmacro %}
