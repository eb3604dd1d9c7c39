{#-
    The campaign export before its control group (customer_actions adds it, from
    int_control_assignment): one row per person (int_customer_persons: a repeated profile
    is exported once, under the ID var export_duplicate_keep picks; customer_duplicates
    lists the others), with segment, scores, the segment's strategy (seeds
    segment_strategies and strategy_channels), the response model's propensity and
    the action. The action rules, in order, the first that holds:
    1. Retention contact: a high-value customer (value_tier High) with a churn alert
       or in the RFM groups At risk or Can't lose them.
    2. Win back: any other customer with a churn alert.
    3. Segment offer: everyone else gets their segment's offer.
    - value_tier: High for the top two fifths of spending (monetary_score above 3/5
      of var rfm_quantiles), Medium for the next fifth, Low for the rest.
    - is_churn_alert: among the people of one segment, the var churn_alert_share with
      the highest churn_risk_score (ties by customer_id), so that it fires in every
      segment, not only in those whose scores are high across the board.
    - contact_channel: among the segment's strategy channels, the one whose purchase
      channel the customer buys through most (ties, and customers without purchases:
      the strategy's first). A strategy channel whose purchase channel the input
      contract lacks stops the build (macro strategy_channels_checked), unless var
      unmatched_strategy_channels is skip: then it is left out.
    - preferred_channel: the channel of the input contract the customer buys through
      most; ties go to store, then web, then catalog, then the contract's other
      channels in its order.
    The money (README "Campaigns that pay"):
    - expected_profit = response_probability (the calibrated probability) x
      revenue_per_response - cost_per_contact (macro contact_economics: the vars, else
      the input's columns; NULL, with the reason in build_info, when neither gives
      them).
    - is_selected: whom var contact_policy would contact. profitable: expected profit
      above 0; budget: the same, best expected profit first (ties by customer_id), at
      most var contact_budget_contacts contacts and var contact_budget_spend spent;
      everyone: every person. Without economics every person is selected.
    - The balance features of the control group (income, spending, recency_days,
      seniority_months; with response_probability, macro control_balance_features)
      ride along for int_control_assignment.
-#}
{%- set economics = contact_economics() -%}
{%- set has_economics = economics['cost_per_contact'] is not none
    and economics['revenue_per_response'] is not none -%}
{%- set policy = var('contact_policy') -%}
{%- if policy not in ['profitable', 'budget', 'everyone'] -%}
    {{ exceptions.raise_compiler_error(
        "var contact_policy must be profitable, budget or everyone; got " ~ policy) }}
{%- endif -%}
{%- for name in ['contact_budget_contacts', 'contact_budget_spend'] -%}
    {%- set limit = var(name) -%}
    {%- if limit is not none and (limit is boolean or limit is not number
        or limit < 0) -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be a non-negative number, or null for no limit; got "
            ~ limit) }}
    {%- endif -%}
{%- endfor -%}
{%- set quantiles = var('rfm_quantiles') -%}
{%- set channels = input_list('channels') -%}
{%- set skipped_channels = strategy_channels_checked(ref('strategy_channels')) -%}
{%- set preference = [] -%}
{%- for channel in ['store', 'web', 'catalog'] + channels
    if channel in channels and channel not in preference -%}
    {%- do preference.append(channel) -%}
{%- endfor -%}
{%- set retention_rfm_segments = ['At risk', "Can't lose them"] -%}

with

persons as (
    select * from {{ ref('int_customer_persons') }}
    where is_exported
),

customers as (
    select * from {{ ref('int_customers_enriched') }}
),

scores as (
    select * from {{ ref('int_customer_scores') }}
),

responses as (
    select * from {{ ref('int_customer_response') }}
),

strategies as (
    select * from {{ ref('segment_strategies') }}
),

strategy_channels as (
    select * from {{ ref('strategy_channels') }}
),

segment_channels as (
    select
        segment,
        {{ list_join(list_agg('contact_channel', 'channel_order'), "'; '") }} as channels
    from strategy_channels
    {%- if skipped_channels %}
    where lower(purchase_channel) in (
        {%- for channel in channels %}
        '{{ channel }}'{{ ',' if not loop.last }}
        {%- endfor %}
    )
    {%- endif %}
    group by segment
),

people as (
    select
        customers.customer_id,
        customers.segment,
        customers.segment_probability,
        customers.total_purchases,
        customers.income,
        customers.spending,
        customers.recency_days,
        customers.seniority_months,
        {%- for name, sql in economics.items() %}
        {{ 'customers.' ~ sql if sql == name else sql or 'cast(null as double)' }}
            as {{ name }},
        {%- endfor %}
        {%- for channel in channels %}
        customers.{{ channel }}_purchases,
        {%- endfor %}
        persons.duplicate_customer_ids,
        scores.rfm_segment,
        scores.rfm_cell,
        scores.monetary_score,
        scores.loyalty_score,
        scores.churn_risk_score,
        scores.discount_sensitivity_group,
        responses.response_logit,
        responses.response_propensity,
        responses.response_probability,
        row_number() over (
            partition by customers.segment
            order by scores.churn_risk_score desc, customers.customer_id asc
        ) as churn_rank_in_segment,
        count(*) over (partition by customers.segment) as segment_people
    from persons
    inner join customers
        on persons.customer_id = customers.customer_id
    inner join scores
        on persons.customer_id = scores.customer_id
    inner join responses
        on persons.customer_id = responses.customer_id
),

{# Each customer's purchases through each of their segment's strategy channels; the
    contact channel is the first by purchases, then by the strategy's order. #}
channel_choices as (
    select
        people.customer_id,
        strategy_channels.contact_channel,
        row_number() over (
            partition by people.customer_id
            order by
                case lower(strategy_channels.purchase_channel)
                    {%- for channel in channels %}
                    when '{{ channel }}' then people.{{ channel }}_purchases
                    {%- endfor %}
                end desc,
                strategy_channels.channel_order asc
        ) as channel_choice
    from people
    inner join strategy_channels
        on people.segment = strategy_channels.segment
    {%- if skipped_channels %}
    where lower(strategy_channels.purchase_channel) in (
        {%- for channel in channels %}
        '{{ channel }}'{{ ',' if not loop.last }}
        {%- endfor %}
    )
    {%- endif %}
),

flagged as (
    select
        people.*,
        case
            when people.monetary_score * 5 > 3 * {{ quantiles }} then 'High'
            when people.monetary_score * 5 > 2 * {{ quantiles }} then 'Medium'
            else 'Low'
        end as value_tier,
        people.churn_rank_in_segment
        <= ceil({{ var('churn_alert_share') }} * people.segment_people)
            as is_churn_alert,
        people.rfm_segment in (
            {%- for name in retention_rfm_segments -%}
            '{{ name | replace("'", "''") }}'{{ ', ' if not loop.last }}
            {%- endfor -%}
        ) as is_rfm_at_risk
    from people
),

decided as (
    select
        *,
        case
            when value_tier = 'High' and is_churn_alert then 'Retention contact'
            when value_tier = 'High' and is_rfm_at_risk then 'Retention contact'
            when is_churn_alert then 'Win back'
            else 'Segment offer'
        end as action,
        case
            when value_tier = 'High' and is_churn_alert
                then 'High value, churn alert'
            when value_tier = 'High' and is_rfm_at_risk
                then 'High value, RFM ' || rfm_segment
            when is_churn_alert then value_tier || ' value, churn alert'
            else segment || ' strategy'
        end as action_reason
    from flagged
),

final as (
    select
        decided.customer_id,
        decided.segment,
        decided.segment_probability,
        decided.value_tier,
        decided.action,
        decided.action_reason,
        case decided.action
            when 'Retention contact' then 'Retention contact, then: ' || strategies.offer
            when 'Win back' then 'Win-back reminder, then: ' || strategies.offer
            else strategies.offer
        end as recommended_action,
        channel_choices.contact_channel,
        case
            when decided.total_purchases = 0 then 'None yet'
            {%- for channel in preference[:-1] %}
            {%- set others = preference[loop.index:] %}
            when decided.{{ channel }}_purchases >=
                {%- if others | length > 1 %} greatest(
                {%- for other in others -%}
                decided.{{ other }}_purchases{{ ', ' if not loop.last }}
                {%- endfor %})
                {%- else %} decided.{{ others[0] }}_purchases
                {%- endif %} then '{{ channel | title }}'
            {%- endfor %}
            else '{{ preference[-1] | title }}'
        end as preferred_channel,
        decided.is_churn_alert,
        decided.churn_risk_score,
        decided.response_propensity,
        decided.response_probability,
        cast(row_number() over (
            order by decided.response_logit desc, decided.customer_id asc
        ) as bigint) as response_rank,
        decided.rfm_segment,
        decided.rfm_cell,
        decided.loyalty_score,
        decided.discount_sensitivity_group,
        strategies.goal,
        segment_channels.channels,
        strategies.offer,
        strategies.discount_range,
        strategies.message,
        decided.duplicate_customer_ids,
        decided.cost_per_contact,
        decided.revenue_per_response,
        decided.response_probability * decided.revenue_per_response
            - decided.cost_per_contact as expected_profit,
        decided.income,
        decided.spending,
        decided.recency_days,
        decided.seniority_months
    from decided
    left join strategies
        on decided.segment = strategies.segment
    left join segment_channels
        on decided.segment = segment_channels.segment
    left join channel_choices
        on decided.customer_id = channel_choices.customer_id
        and channel_choices.channel_choice = 1
),

{%- if has_economics and policy == 'budget' %}

ranked as (
    select
        *,
        row_number() over (
            order by expected_profit desc, customer_id asc
        ) as profit_rank,
        sum(cost_per_contact) over (
            order by expected_profit desc, customer_id asc
            rows between unbounded preceding and current row
        ) as cumulative_cost
    from final
),
{%- endif %}

selected as (
    select
        *,
        {%- if not has_economics or policy == 'everyone' %}
        true as is_selected
        {%- elif policy == 'profitable' %}
        coalesce(expected_profit > 0, false) as is_selected
        {%- else %}
        coalesce(expected_profit > 0
            {%- if var('contact_budget_contacts') is not none %}
            and profit_rank <= {{ var('contact_budget_contacts') }}
            {%- endif %}
            {%- if var('contact_budget_spend') is not none %}
            and cumulative_cost <= {{ var('contact_budget_spend') }}
            {%- endif %}, false) as is_selected
        {%- endif %}
    from {{ 'ranked' if has_economics and policy == 'budget' else 'final' }}
)

select * from selected
