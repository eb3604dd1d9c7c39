{#-
    The campaign export: int_customer_actions (one row per person: segment, scores,
    strategy, response propensity, action, channel and the money) with the control
    group of int_control_assignment and the contact decision.
    - is_control: held out of the campaign, never contacted, so that next month's
      export measures the uplift (campaign_readout).
    - contact: the person is contacted: var contact_policy selects them
      (int_customer_actions.is_selected) and they are not in the control group.
    - contact_reason: why contact is true or false, in words.
    The columns of the export before the money keep their order and values.
-#}
{#- The campaign export stops here too, naming the seed, when a strategy channel's
    purchase channel is not in the input contract (int_customer_actions). -#}
{%- do strategy_channels_checked(ref('strategy_channels')) -%}
{%- set has_economics = has_contact_economics() -%}
{%- set policy = var('contact_policy') -%}

with

actions as (
    select * from {{ ref('int_customer_actions') }}
),

controls as (
    select * from {{ ref('int_control_assignment') }}
),

final as (
    select
        actions.customer_id,
        actions.segment,
        actions.segment_probability,
        actions.value_tier,
        actions.action,
        actions.action_reason,
        actions.recommended_action,
        actions.contact_channel,
        actions.preferred_channel,
        actions.is_churn_alert,
        actions.churn_risk_score,
        actions.response_propensity,
        actions.response_rank,
        actions.rfm_segment,
        actions.rfm_cell,
        actions.loyalty_score,
        actions.discount_sensitivity_group,
        actions.goal,
        actions.channels,
        actions.offer,
        actions.discount_range,
        actions.message,
        actions.duplicate_customer_ids,
        actions.response_probability,
        actions.cost_per_contact,
        actions.revenue_per_response,
        actions.expected_profit,
        coalesce(controls.is_control, false) as is_control,
        actions.is_selected and not coalesce(controls.is_control, false) as contact,
        case
            when controls.is_control
                then 'Control group: held out to measure the uplift'
            {%- if not has_economics %}
            when actions.is_selected
                then 'Contacted: no contact economics to weigh (policy everyone)'
            {%- elif policy == 'everyone' %}
            when actions.is_selected then 'Contacted: policy everyone'
            {%- else %}
            when actions.is_selected then 'Contacted: expected profit above 0'
            {%- endif %}
            {%- if has_economics and policy == 'budget' %}
            when actions.expected_profit > 0 then 'Not contacted: over the budget'
            {%- endif %}
            else 'Not contacted: not worth its cost (expected profit at most 0)'
        end as contact_reason
    from actions
    left join controls
        on actions.customer_id = controls.customer_id
)

select * from final
