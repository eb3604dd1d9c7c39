{#-
    The campaign the previous snapshot of this build's history recorded
    (int_history_store: previous_snapshot_glob, previous_has_campaign), as a relation:
    customer_id, segment, snapshot_date and the campaign columns of
    int_segment_snapshot. Without a previous snapshot, or when it holds no campaign (a
    store written before campaigns, or an input without one), and at parse time: an
    empty relation of those columns.
-#}
{% macro previous_campaign(store) %}
    {%- set found = none -%}
    {%- if execute -%}
        {%- set found = run_query('select previous_snapshot_glob, '
            ~ 'previous_snapshot_path, previous_has_campaign from ' ~ store) -%}
    {%- endif -%}
    {%- if found is not none and found.columns[2].values()[0] -%}
        {{- adapter.dispatch('previous_campaign', 'customer_personality')(
            found.columns[0].values()[0], found.columns[1].values()[0]) -}}
    {%- else -%}
        (select
            cast(null as bigint) as customer_id,
            cast(null as {{ dbt.type_string() }}) as segment,
            cast(null as date) as snapshot_date,
            cast(null as {{ dbt.type_string() }}) as campaign_action,
            cast(null as boolean) as campaign_contact,
            cast(null as boolean) as campaign_is_control,
            cast(null as double) as campaign_cost_per_contact,
            cast(null as double) as campaign_revenue_per_response
        where 1 = 0)
    {%- endif -%}
{% endmacro %}

{% macro default__previous_campaign(glob, path) -%}
    read_parquet('{{ glob | replace("'", "''") }}')
{%- endmacro %}

{% macro spark__previous_campaign(glob, path) -%}
    parquet.`{{ path }}`
{%- endmacro %}
