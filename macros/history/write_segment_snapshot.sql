{#-
    The post-hook of int_segment_snapshot: write the snapshot to the history store
    (the snapshot_dir of int_history_store) as <snapshot_date>.parquet, rows in
    customer_id order, replacing what that date held. DuckDB writes one file; Spark
    writes a folder of that name (its part files), which both engines read back
    (segment_snapshots). Nothing at parse time.
-#}
{% macro write_segment_snapshot(snapshot, store) %}
    {%- if execute -%}
        {%- set found = run_query(
            'select (select snapshot_dir from ' ~ store ~ ') as folder, '
            ~ '(select cast(max(snapshot_date) as ' ~ dbt.type_string() ~ ') from '
            ~ snapshot ~ ') as day'
        ) -%}
        {%- set target_path = found.columns[0].values()[0] ~ '/'
            ~ found.columns[1].values()[0] ~ '.parquet' -%}
        {{- adapter.dispatch('write_segment_snapshot', 'customer_personality')(
            snapshot, target_path) -}}
    {%- endif -%}
{% endmacro %}

{% macro default__write_segment_snapshot(snapshot, target_path) -%}
    copy (select * from {{ snapshot }} order by customer_id)
    to '{{ target_path | replace("'", "''") }}' (format parquet)
{%- endmacro %}

{#- One part file: every row goes to one partition (distribute by a constant). -#}
{% macro spark__write_segment_snapshot(snapshot, target_path) -%}
    insert overwrite directory '{{ target_path | replace("\\", "\\\\")
        | replace("'", "\\'") }}' using parquet
    select * from {{ snapshot }} distribute by 1 sort by customer_id
{%- endmacro %}
