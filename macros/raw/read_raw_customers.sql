{#-
    The raw customer input as a relation of text columns, one row per data row: a file
    in any dialect read today (tab, comma or semicolon; quoted or not; UTF-8 BOM;
    CRLF), a Parquet file, or a relation (var raw_customers_relation: a table or view
    of the warehouse, of a DuckDB file attached read-only from var
    raw_customers_database, or of Spark's catalog). Every column is read as text under
    the input's own name, so a bad value becomes a rejected row later instead of a
    crash or a silent NULL; a relation's typed columns are cast to text and checked by
    their values the same way.

    The sniffer is not trusted (it has picked '|' and returned one column): a file's
    header line is read on its own, the delimiter is the most frequent of tab, ';' and
    ',', and the input's columns are checked against the input contract
    (check_input_columns): a mapped column the input lacks, a column the contract
    neither maps nor ignores, or a repeated column fails the build with a message
    naming the input, the contract and the columns.

    Columns: raw_row_number (1-based data row; a relation's rows in the order the
    engine scans them), the input's columns in its order, _extra_fields (text past
    the last column on a row of a file, NULL normally).
-#}
{% macro read_raw_customers(path=none) %}
    {%- if not execute -%}
        {#- Parsing, on either engine: no input access; a relation of the shape's
            fixed part (dbt parse, sqlfluff). -#}
        {{ return("(select cast(0 as bigint) as raw_row_number, cast(null as "
            ~ dbt.type_string() ~ ") as _extra_fields)") }}
    {%- endif -%}
    {%- set input = raw_input(path) -%}
    {%- set shape = raw_input_shape(input) -%}
    {%- do check_input_columns(input, shape.header) -%}
    {{- return(adapter.dispatch('read_raw_input', 'customer_personality')(
        input, shape)) -}}
{% endmacro %}

{#-
    The raw input: {kind: file or relation, path, relation, database, label}, from
    the argument (a file), var raw_customers_relation (a relation, when set) or var
    raw_customers_path. label names it in messages ("Raw customer file <path>").
-#}
{% macro raw_input(path=none) %}
    {%- set relation = var('raw_customers_relation', none) -%}
    {%- if path is none and relation -%}
        {%- set database = var('raw_customers_database', none) -%}
        {{ return({'kind': 'relation', 'relation': relation, 'database': database,
            'path': none, 'label': 'Raw customer table ' ~ relation
                ~ (' of ' ~ database if database else '')}) }}
    {%- endif -%}
    {%- set path = path if path is not none else var('raw_customers_path') -%}
    {{ return({'kind': 'file', 'path': path, 'relation': none, 'database': none,
        'label': 'Raw customer file ' ~ path}) }}
{% endmacro %}

{#- The input's columns in order (header), with what reading needs: a file's
    delimiter, whether it is Parquet, the relation's qualified name. -#}
{% macro raw_input_shape(input) %}
    {{- return(adapter.dispatch('raw_input_shape', 'customer_personality')(input)) -}}
{% endmacro %}

{% macro default__raw_input_shape(input) %}
    {%- if input.kind == 'relation' -%}
        {%- set name = input.relation -%}
        {%- if input.database -%}
            {%- set alias = 'raw_customers_input' -%}
            {%- do run_query("attach if not exists '" ~ (input.database
                | replace("'", "''")) ~ "' as " ~ alias ~ " (read_only)") -%}
            {%- set name = alias ~ '.' ~ input.relation -%}
        {%- endif -%}
        {%- set described = run_query("select column_name from (describe select * from "
            ~ name ~ ")") -%}
        {{ return({'header': described.columns[0].values() | list, 'from': name,
            'delimiter': none, 'is_parquet': false}) }}
    {%- endif -%}
    {%- set quoted_path = "'" ~ (input.path | replace("'", "''")) ~ "'" -%}
    {%- set found = run_query("select count(*) from glob(" ~ quoted_path ~ ")") -%}
    {%- if found.columns[0].values()[0] == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Raw customer file not found: " ~ input.path ~ " (var raw_customers_path; a "
            ~ "relative path is read from the directory dbt runs in)") }}
    {%- endif -%}
    {%- if (input.path | lower).endswith('.parquet')
        or (input.path | lower).endswith('.pq') -%}
        {%- set described = run_query(
            "select column_name from (describe select * from read_parquet("
            ~ quoted_path ~ "))") -%}
        {{ return({'header': described.columns[0].values() | list,
            'from': quoted_path, 'delimiter': none, 'is_parquet': true}) }}
    {%- endif -%}
    {%- set first = run_query(
        "select line from read_csv(" ~ quoted_path ~ ", header = false, "
        ~ "columns = {'line': 'VARCHAR'}, delim = '\\x01', quote = '', escape = '', "
        ~ "auto_detect = false) limit 1") -%}
    {%- set parsed = parse_raw_customer_header(input.path, first.rows) -%}
    {{ return({'header': parsed.header, 'from': quoted_path,
        'delimiter': parsed.delimiter, 'is_parquet': false}) }}
{% endmacro %}

{% macro default__read_raw_input(input, shape) %}
    {%- set casts = [] -%}
    {%- for name in shape.header -%}
        {%- do casts.append(
            "cast(" ~ adapter.quote(name) ~ " as varchar) as " ~ adapter.quote(name)) -%}
    {%- endfor -%}
    {%- if input.kind == 'relation' -%}
        {{ return("(select row_number() over () as raw_row_number, " ~ casts | join(', ')
            ~ ", null::varchar as _extra_fields from " ~ shape.from ~ ")") }}
    {%- elif shape.is_parquet -%}
        {{ return("(select file_row_number + 1 as raw_row_number, " ~ casts | join(', ')
            ~ ", null::varchar as _extra_fields from read_parquet(" ~ shape.from
            ~ ", file_row_number = true))") }}
    {%- endif -%}
    {%- set specs = [] -%}
    {%- for name in shape.header -%}
        {%- do specs.append("'" ~ name ~ "': 'VARCHAR'") -%}
    {%- endfor -%}
    {%- do specs.append("'_extra_fields': 'VARCHAR'") -%}
    {%- set delimiter_sql = "'\\t'" if shape.delimiter == '\t'
        else "'" ~ shape.delimiter ~ "'" -%}
    {{ return("(select row_number() over () as raw_row_number, * from read_csv("
        ~ shape.from ~ ", header = true, delim = " ~ delimiter_sql
        ~ ", quote = '\"', escape = '\"', columns = {" ~ specs | join(', ') ~ "}"
        ~ ", auto_detect = false, null_padding = true, strict_mode = false))") }}
{% endmacro %}

{#-
    The same relation on Spark: a file through a temporary view of Spark's CSV (or
    Parquet) reader, rows numbered in file order; a row with more fields than the
    header is a corrupt record to Spark, and _extra_fields is the text past the last
    column. A relation is a table or view of Spark's catalog.
-#}
{% macro spark__raw_input_shape(input) %}
    {%- set view = 'customer_personality_raw_file' -%}
    {%- if input.kind == 'relation' -%}
        {%- set header = run_query("select * from " ~ input.relation ~ " limit 0")
            .column_names | list -%}
        {{ return({'header': header, 'from': input.relation, 'delimiter': none,
            'is_parquet': false}) }}
    {%- endif -%}
    {%- set literal_path = "'" ~ (input.path | replace("\\", "\\\\")
        | replace("'", "\\'")) ~ "'" -%}
    {%- if (input.path | lower).endswith('.parquet')
        or (input.path | lower).endswith('.pq') -%}
        {%- do run_query("create or replace temporary view " ~ view
            ~ " using parquet options (path " ~ literal_path ~ ")") -%}
        {%- set header = run_query("select * from " ~ view ~ " limit 0").column_names
            | list -%}
        {{ return({'header': header, 'from': view, 'delimiter': none,
            'is_parquet': true}) }}
    {%- endif -%}
    {%- set first = run_query("select value from text.`" ~ input.path ~ "` limit 1") -%}
    {%- set parsed = parse_raw_customer_header(input.path, first.rows) -%}
    {%- set delimiter_sql = "'\\t'" if parsed.delimiter == '\t'
        else "'" ~ parsed.delimiter ~ "'" -%}
    {%- set specs = [] -%}
    {%- for name in parsed.header -%}
        {%- do specs.append(adapter.quote(name) ~ " string") -%}
    {%- endfor -%}
    {%- do run_query("create or replace temporary view " ~ view ~ " ("
        ~ specs | join(', ') ~ ", _corrupt_record string) using csv options (path "
        ~ literal_path ~ ", header 'true', sep " ~ delimiter_sql ~ ", quote '\"', "
        ~ "escape '\"', mode 'PERMISSIVE', columnNameOfCorruptRecord '_corrupt_record')")
    -%}
    {{ return({'header': parsed.header, 'from': view, 'delimiter': parsed.delimiter,
        'is_parquet': false}) }}
{% endmacro %}

{% macro spark__read_raw_input(input, shape) %}
    {%- set numbered = 'cast(row_number() over (order by monotonically_increasing_id())'
        ~ ' as bigint)' -%}
    {%- set casts = [] -%}
    {%- for name in shape.header -%}
        {%- do casts.append("cast(" ~ adapter.quote(name) ~ " as string) as "
            ~ adapter.quote(name)) -%}
    {%- endfor -%}
    {%- if input.kind == 'relation' or shape.is_parquet -%}
        {{ return("(select " ~ numbered ~ " as raw_row_number, " ~ casts | join(', ')
            ~ ", cast(null as string) as _extra_fields from " ~ shape.from ~ ")") }}
    {%- endif -%}
    {%- set delimiter_sql = "'\\t'" if shape.delimiter == '\t'
        else "'" ~ shape.delimiter ~ "'" -%}
    {%- set fields = "split(_corrupt_record, " ~ delimiter_sql ~ ")" -%}
    {%- set columns = [] -%}
    {%- for name in shape.header -%}
        {%- do columns.append(adapter.quote(name)) -%}
    {%- endfor -%}
    {{ return("(select " ~ numbered ~ " as raw_row_number, " ~ columns | join(', ')
        ~ ", case when size(" ~ fields ~ ") > " ~ shape.header | length
        ~ " then array_join(slice(" ~ fields ~ ", " ~ (shape.header | length + 1)
        ~ ", size(" ~ fields ~ ")), " ~ delimiter_sql ~ ") end as _extra_fields from "
        ~ shape.from ~ ")") }}
{% endmacro %}

{#- What the input is called in the tables (source_file, build_info): the file's path
    as given, or the relation's name (with the DuckDB file it is read from). -#}
{% macro raw_input_name() %}
    {%- set input = raw_input() -%}
    {%- if input.kind == 'file' -%}
        {{ return(input.path) }}
    {%- endif -%}
    {{ return((input.database ~ ':' if input.database else '') ~ input.relation) }}
{% endmacro %}
