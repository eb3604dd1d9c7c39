{#-
    The post-hook of int_segment_snapshot: stage the snapshot in the history store at
    int_history_store's staging_path (<store>/staging/<token>/<date>.parquet), rows in
    customer_id order. It is not in the history yet: `publish` commits it with the
    warehouse (customer_personality.warehouse.commit). DuckDB writes one file; Spark
    writes a folder of that name (its part files); both engines read either.
    Nothing at parse time.
-#}
{% macro write_segment_snapshot(snapshot, store) %}
    {%- if execute -%}
        {%- set target_path = run_query(
            'select staging_path from ' ~ store).columns[0].values()[0] -%}
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
