{#-
    This build's snapshot of every customer's segment: segment, probabilities and
    model_version on snapshot_date (int_history_store: var snapshot_date, default the
    data's reference date). Its post-hook (macro write_segment_snapshot) stages it in
    the history store (int_history_store's staging_path); `publish` commits it to the
    history with the warehouse, so only a published build's snapshot outlives it.
    Where the build has a campaign (the response model), the snapshot also keeps the
    campaign's assignment per exported person (NULL for the others): campaign_action,
    campaign_contact, campaign_is_control and the contact economics, so that next
    month's campaign_readout measures the campaign against its control group, whatever
    became of this warehouse.
-#}
{%- set has_campaign = has_response() -%}
{{ config(post_hook="{{ write_segment_snapshot(this, ref('int_history_store')) }}") }}

with

segments as (
    select * from {{ ref('int_customer_segments') }}
),

model as (
    select max(model_version) as model_version
    from {{ ref('int_segment_parameters') }}
),

store as (
    select * from {{ ref('int_history_store') }}
),
{%- if has_campaign %}

campaign as (
    select
        actions.customer_id,
        actions.action as campaign_action,
        actions.is_selected and not coalesce(controls.is_control, false)
            as campaign_contact,
        coalesce(controls.is_control, false) as campaign_is_control,
        actions.cost_per_contact as campaign_cost_per_contact,
        actions.revenue_per_response as campaign_revenue_per_response
    from {{ ref('int_customer_actions') }} as actions
    left join {{ ref('int_control_assignment') }} as controls
        on actions.customer_id = controls.customer_id
),
{%- endif %}

final as (
    select
        segments.*,
        model.model_version,
        store.snapshot_date
        {%- if has_campaign %},
        campaign.campaign_action,
        campaign.campaign_contact,
        campaign.campaign_is_control,
        campaign.campaign_cost_per_contact,
        campaign.campaign_revenue_per_response
        {%- endif %}
    from segments
    cross join model
    cross join store
    {%- if has_campaign %}
    left join campaign
        on segments.customer_id = campaign.customer_id
    {%- endif %}
)

select * from final
