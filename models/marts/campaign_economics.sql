{#-
    What a campaign earns, in money (README "Campaigns that pay"). Two analyses:
    - last_campaign: the last campaign in the data (accepted_last_campaign, raw
      Response), per segment and in total (group_name 'All'). The input does not say
      whom it reached, so, as in the Kaggle export (every customer was offered it),
      every kept customer counts as contacted: contacts, responders, cost (contacts x
      cost_per_contact), revenue (responders x revenue_per_response), profit and ROI
      (profit / cost).
    - holdout_policy: on the customers held out of the response model's fit
      (int_customer_response.is_holdout), the profit of four ways to choose whom to
      contact: everyone; model (expected profit above 0: the calibrated probability x
      revenue - cost, the rule of var contact_policy profitable); rfm_top_k (the same
      number of contacts, best RFM total first, ties by customer_id); perfect (exactly
      the responders: the ceiling). share_of_perfect is each policy's profit over the
      perfect ranking's.
    The economics are macro contact_economics' (the vars, else the input's). Sums are
    exact decimals: rebuilds are equal to the last bit.
-#}
{%- set economics = contact_economics() -%}

with

customers as (
    select
        customers.customer_id,
        customers.segment,
        customers.accepted_last_campaign,
        {%- for name, sql in economics.items() %}
        cast({{ 'customers.' ~ sql if sql == name else sql }} as decimal(38, 10))
            as {{ name }},
        {%- endfor %}
        responses.is_holdout,
        responses.response_probability,
        scores.rfm_total
    from {{ ref('int_customers_enriched') }} as customers
    inner join {{ ref('int_customer_response') }} as responses
        on customers.customer_id = responses.customer_id
    inner join {{ ref('int_customer_scores') }} as scores
        on customers.customer_id = scores.customer_id
),

last_campaign as (
    select
        'last_campaign' as analysis,
        segment as group_name,
        1 as group_order,
        count(*) as customers,
        count(*) as contacts,
        sum(accepted_last_campaign) as responders,
        sum(cost_per_contact) as cost,
        sum(revenue_per_response * accepted_last_campaign) as revenue
    from customers
    group by segment
    union all
    select
        'last_campaign' as analysis,
        'All' as group_name,
        0 as group_order,
        count(*) as customers,
        count(*) as contacts,
        sum(accepted_last_campaign) as responders,
        sum(cost_per_contact) as cost,
        sum(revenue_per_response * accepted_last_campaign) as revenue
    from customers
),

holdout as (
    select
        *,
        response_probability * cast(revenue_per_response as double)
            - cast(cost_per_contact as double) > 0 as is_model_contact
    from customers
    where is_holdout
),

model_contacts as (
    select count(*) filter (where is_model_contact) as contacts
    from holdout
),

rfm_ranked as (
    select
        holdout.*,
        row_number() over (
            order by holdout.rfm_total desc, holdout.customer_id asc
        ) as rfm_rank
    from holdout
),

policies as (
    select
        'holdout_policy' as analysis,
        'everyone' as group_name,
        1 as group_order,
        count(*) as customers,
        count(*) as contacts,
        sum(accepted_last_campaign) as responders,
        sum(cost_per_contact) as cost,
        sum(revenue_per_response * accepted_last_campaign) as revenue
    from holdout
    union all
    select
        'holdout_policy' as analysis,
        'rfm_top_k' as group_name,
        2 as group_order,
        count(*) as customers,
        count(*) filter (where rfm_ranked.rfm_rank <= model_contacts.contacts)
            as contacts,
        coalesce(sum(rfm_ranked.accepted_last_campaign)
            filter (where rfm_ranked.rfm_rank <= model_contacts.contacts), 0)
            as responders,
        coalesce(sum(rfm_ranked.cost_per_contact)
            filter (where rfm_ranked.rfm_rank <= model_contacts.contacts), 0)
            as cost,
        coalesce(sum(rfm_ranked.revenue_per_response * rfm_ranked.accepted_last_campaign)
            filter (where rfm_ranked.rfm_rank <= model_contacts.contacts), 0)
            as revenue
    from rfm_ranked
    cross join model_contacts
    union all
    select
        'holdout_policy' as analysis,
        'model' as group_name,
        3 as group_order,
        count(*) as customers,
        count(*) filter (where is_model_contact) as contacts,
        coalesce(sum(accepted_last_campaign) filter (where is_model_contact), 0)
            as responders,
        coalesce(sum(cost_per_contact) filter (where is_model_contact), 0) as cost,
        coalesce(sum(revenue_per_response * accepted_last_campaign)
            filter (where is_model_contact), 0) as revenue
    from holdout
    union all
    select
        'holdout_policy' as analysis,
        'perfect' as group_name,
        4 as group_order,
        count(*) as customers,
        count(*) filter (where accepted_last_campaign = 1) as contacts,
        coalesce(sum(accepted_last_campaign), 0) as responders,
        coalesce(sum(cost_per_contact) filter (where accepted_last_campaign = 1), 0)
            as cost,
        coalesce(sum(revenue_per_response * accepted_last_campaign), 0) as revenue
    from holdout
),

figures as (
    {%- for source in ['last_campaign', 'policies'] %}
    select
        analysis,
        group_name,
        group_order,
        cast(customers as bigint) as customers,
        cast(contacts as bigint) as contacts,
        cast(responders as bigint) as responders,
        cast(cost as double) as cost,
        cast(revenue as double) as revenue,
        cast(revenue - cost as double) as profit
    from {{ source }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        figures.analysis,
        figures.group_name,
        figures.customers,
        figures.contacts,
        figures.responders,
        figures.cost,
        figures.revenue,
        figures.profit,
        {{ safe_divide('figures.profit', 'figures.cost') }} as roi,
        case when figures.analysis = 'holdout_policy' then
            {{ safe_divide('figures.profit', 'perfect.profit') }}
        end as share_of_perfect
    from figures
    left join figures as perfect
        on perfect.analysis = 'holdout_policy'
        and perfect.group_name = 'perfect'
    order by
        case figures.analysis when 'last_campaign' then 1 else 2 end,
        figures.group_order,
        figures.group_name
)

select * from final
