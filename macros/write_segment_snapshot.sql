{#-
    The post-hook of int_segment_snapshot: write the snapshot to the history store
    (the snapshot_dir of int_history_store), one Parquet file named by its
    snapshot_date, rows in customer_id order. Nothing at parse time.
-#}
{% macro write_segment_snapshot(snapshot, store) %}
    {%- if execute -%}
        {%- set found = run_query(
            'select (select snapshot_dir from ' ~ store ~ '), '
            ~ '(select max(snapshot_date)::varchar from ' ~ snapshot ~ ')'
        ) -%}
        {%- set folder = found.columns[0].values()[0] -%}
        {%- set day = found.columns[1].values()[0] -%}
        copy (select * from {{ snapshot }} order by customer_id)
        to '{{ folder | replace("'", "''") }}/{{ day }}.parquet' (format parquet)
    {%- endif -%}
{% endmacro %}
