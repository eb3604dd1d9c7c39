{#-
    Every snapshot of the history store as one relation (read_parquet over its
    files, columns matched by name): the store's snapshot_dir is read from
    int_history_store when the model runs, after this build's snapshot was written.
    At parse time, an empty stand-in.
-#}
{% macro segment_snapshots(store) %}
    {%- if execute -%}
        {%- set folder = run_query(
            'select snapshot_dir from ' ~ store).columns[0].values()[0] -%}
        read_parquet('{{ folder | replace("'", "''") }}/*.parquet', union_by_name = true)
    {%- else -%}
        (select null::bigint as customer_id, null::date as snapshot_date)
    {%- endif -%}
{% endmacro %}

{#- The probability columns of a relation (probability_<segment>), in its order. -#}
{% macro probability_columns(relation) %}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation)
            if column.name.startswith('probability_') -%}
            {%- do names.append(column.name) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names) }}
{% endmacro %}
