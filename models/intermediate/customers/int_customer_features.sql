{#- Derived fields of every kept customer (docs/architecture.md, "Definitions"). -#}
{%- set products = input_list('products') -%}

with

customers as (
    select * from {{ ref('stg_customers') }}
),

marital_groups as (
    select * from {{ ref('marital_groups') }}
),

with_groups as (
    select
        customers.*,
        coalesce(marital_groups.marital_group, 'Alone') as marital_group,
        customers.kids_at_home + customers.teens_at_home as children,
        {{ dbt.datediff('customers.enrolled_on', 'customers.reference_date', 'day') }}
        / 30e0
            as seniority_months,
        {% for product in products -%}
        customers.amount_{{ product }}{{ ' + ' if not loop.last }}
        {%- endfor %} as spending,
        customers.web_purchases + customers.catalog_purchases
            + customers.store_purchases as total_purchases,
        customers.accepted_campaign_1 + customers.accepted_campaign_2
            + customers.accepted_campaign_3 + customers.accepted_campaign_4
            + customers.accepted_campaign_5 as campaigns_accepted
    from customers
    left join marital_groups
        on customers.marital_status = marital_groups.marital_status
),

final as (
    select
        customer_id,
        birth_year,
        age,
        education,
        education_level,
        marital_status,
        marital_group,
        income,
        is_income_imputed,
        kids_at_home,
        teens_at_home,
        children,
        children > 0 as has_child,
        case
            when children = 0 then 'No child'
            when children = 1 then '1 child'
            else children || ' children'
        end as children_group,
        children + case when marital_group = 'In couple' then 2 else 1 end
            as family_size,
        enrolled_on,
        reference_date,
        seniority_months,
        recency_days,
        {%- for product in products %}
        amount_{{ product }},
        {%- endfor %}
        spending,
        {%- for product in products %}
        {{ safe_divide('amount_' ~ product, 'spending') }} as share_{{ product }},
        {%- endfor %}
        deal_purchases,
        web_purchases,
        catalog_purchases,
        store_purchases,
        total_purchases,
        {{ safe_divide('spending', 'total_purchases') }} as spend_per_purchase,
        {{ safe_divide('deal_purchases', 'total_purchases') }} as deal_share,
        {{ safe_divide('web_purchases', 'total_purchases') }} as web_share,
        {{ safe_divide('catalog_purchases', 'total_purchases') }} as catalog_share,
        {{ safe_divide('store_purchases', 'total_purchases') }} as store_share,
        {{ safe_divide('store_purchases', 'web_purchases') }} as store_vs_web_ratio,
        web_visits_month,
        {{ safe_divide('web_purchases', 'web_visits_month') }}
            as web_purchases_per_visit,
        web_visits_month + web_purchases as digital_engagement,
        accepted_campaign_1,
        accepted_campaign_2,
        accepted_campaign_3,
        accepted_campaign_4,
        accepted_campaign_5,
        accepted_last_campaign,
        campaigns_accepted,
        campaigns_accepted + accepted_last_campaign as total_campaigns_accepted,
        (campaigns_accepted + accepted_last_campaign) / 6e0 as campaign_response_rate,
        campaigns_accepted + accepted_last_campaign > 0 as has_accepted_any_campaign,
        has_complained,
        is_duplicate_profile
    from with_groups
)

select * from final
