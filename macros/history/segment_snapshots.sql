{#-
    Every snapshot of the history store as one relation, columns matched by name: the
    store's snapshot_dir is read from int_history_store when the model runs, after
    this build's snapshot was written. A snapshot is <date>.parquet, a file (DuckDB)
    or a folder of part files (Spark); each engine reads both. At parse time, an empty
    stand-in.
-#}
{% macro segment_snapshots(store) %}
    {%- if execute -%}
        {%- set folder = run_query(
            'select snapshot_dir from ' ~ store).columns[0].values()[0] -%}
        {{- adapter.dispatch('segment_snapshots', 'customer_personality')(folder) -}}
    {%- else -%}
        (select cast(null as bigint) as customer_id, cast(null as date) as snapshot_date)
    {%- endif -%}
{% endmacro %}

{#- A file <date>.parquet, or the part files of a folder of that name. -#}
{% macro default__segment_snapshots(folder) -%}
    {%- set folder = folder | replace("'", "''") -%}
    read_parquet('{{ folder }}/**/*.parquet', union_by_name = true)
{%- endmacro %}

{% macro spark__segment_snapshots(folder) -%}
    parquet.`{{ folder }}/*.parquet`
{%- endmacro %}
