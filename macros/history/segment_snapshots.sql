{#-
    The history this build reads, as one relation, columns matched by name: the
    committed snapshots of its store (int_history_store's snapshot_globs, the date
    this build replaces left out) and this build's staged snapshot (staging_path).
    A snapshot is <date>.parquet, a file (DuckDB) or a folder of part files (Spark);
    each engine reads both. At parse time, an empty stand-in.
-#}
{% macro segment_snapshots(store) %}
    {%- if execute -%}
        {%- set found = run_query('select snapshot_globs, staging_path, '
            ~ 'spark_snapshots_path from ' ~ store) -%}
        {{- adapter.dispatch('segment_snapshots', 'customer_personality')(
            fromjson(found.columns[0].values()[0]),
            found.columns[1].values()[0],
            found.columns[2].values()[0]) -}}
    {%- else -%}
        (select cast(null as bigint) as customer_id, cast(null as date) as snapshot_date)
    {%- endif -%}
{% endmacro %}

{#- DuckDB: the committed files (a Spark folder as its part files) and this build's. -#}
{% macro default__segment_snapshots(globs, staged, spark_path) -%}
    read_parquet([
        {%- for path in globs + [staged] -%}
            '{{ path | replace("'", "''") }}'{{ ', ' if not loop.last }}
        {%- endfor -%}
    ], union_by_name = true)
{%- endmacro %}

{#- Spark: one path under the store, every snapshot an alternative ({a,b}). -#}
{% macro spark__segment_snapshots(globs, staged, spark_path) -%}
    parquet.`{{ spark_path }}`
{%- endmacro %}
