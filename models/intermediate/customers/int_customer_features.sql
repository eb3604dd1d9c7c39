{#-
    Derived fields of every kept customer (docs/architecture.md, "Definitions"), from
    what the input contract maps: each derived field is here when the fields it is
    made of are, and left out (never filled in) when they are not. Lists (products,
    channels, campaigns) give one column per entry, in the contract's order.
-#}
{%- set products = input_list('products') -%}
{%- set channels = input_list('channels') -%}
{%- set campaigns = input_list('campaigns') -%}
{%- set features = input_list('features') -%}
{%- set has_marital = input_has('marital_status') -%}
{%- set has_children = input_has('children') -%}
{%- set has_tenure = input_has('enrolled_on') -%}
{%- set has_response = input_has('accepted_last_campaign') -%}
{%- set has_deals = input_has('deal_purchases') -%}
{%- set has_visits = input_has('web_visits_month') -%}
{%- set has_web = 'web' in channels -%}
{%- set campaign_count = campaigns | length + (1 if has_response else 0) -%}
{%- set accepted_total = 'campaigns_accepted + accepted_last_campaign' if campaigns
    and has_response else ('campaigns_accepted' if campaigns
    else 'accepted_last_campaign') -%}

with

customers as (
    select * from {{ ref('stg_customers') }}
),
{%- if has_marital %}

marital_groups as (
    select * from {{ ref('marital_groups') }}
),
{%- endif %}

with_groups as (
    select
        {%- if has_marital %}
        coalesce(marital_groups.marital_group, 'Alone') as marital_group,
        {%- endif %}
        {%- if has_children %}
        customers.kids_at_home + customers.teens_at_home as children,
        {%- endif %}
        {%- if has_tenure %}
        {{ dbt.datediff('customers.enrolled_on', 'customers.reference_date', 'day') }}
        / 30e0
            as seniority_months,
        {%- endif %}
        {%- if products %}
        {% for product in products -%}
        customers.amount_{{ product }}{{ ' + ' if not loop.last }}
        {%- endfor %} as spending,
        {%- endif %}
        {%- if channels %}
        {% for channel in channels -%}
        customers.{{ channel }}_purchases{{ ' + ' if not loop.last }}
        {%- endfor %} as total_purchases,
        {%- endif %}
        {%- if campaigns %}
        {% for campaign in campaigns -%}
        customers.accepted_{{ campaign }}{{ ' + ' if not loop.last }}
        {%- endfor %} as campaigns_accepted,
        {%- endif %}
        customers.*
    from customers
    {%- if has_marital %}
    left join marital_groups
        on customers.marital_status = marital_groups.marital_status
    {%- endif %}
),

final as (
    select
        customer_id,
        {%- for field in ['birth_year', 'age'] if input_has(field) %}
        {{ field }},
        {%- endfor %}
        {%- if input_has('education') %}
        education,
        education_level,
        {%- endif %}
        {%- if has_marital %}
        marital_status,
        marital_group,
        {%- endif %}
        {%- if input_has('income') %}
        income,
        is_income_imputed,
        {%- endif %}
        {%- if has_children %}
        kids_at_home,
        teens_at_home,
        children,
        children > 0 as has_child,
        case
            when children = 0 then 'No child'
            when children = 1 then '1 child'
            else children || ' children'
        end as children_group,
        {%- if has_marital %}
        children + case when marital_group = 'In couple' then 2 else 1 end
            as family_size,
        {%- endif %}
        {%- endif %}
        {%- if has_tenure %}
        enrolled_on,
        {%- endif %}
        reference_date,
        {%- if has_tenure %}
        seniority_months,
        {%- endif %}
        {%- if input_has('recency_days') %}
        recency_days,
        {%- endif %}
        {%- for product in products %}
        amount_{{ product }},
        {%- endfor %}
        {%- if products %}
        spending,
        {%- endif %}
        {%- for product in products %}
        {{ safe_divide('amount_' ~ product, 'spending') }} as share_{{ product }},
        {%- endfor %}
        {%- if has_deals %}
        deal_purchases,
        {%- endif %}
        {%- for channel in channels %}
        {{ channel }}_purchases,
        {%- endfor %}
        {%- if channels %}
        total_purchases,
        {%- if products %}
        {{ safe_divide('spending', 'total_purchases') }} as spend_per_purchase,
        {%- endif %}
        {%- if has_deals %}
        {{ safe_divide('deal_purchases', 'total_purchases') }} as deal_share,
        {%- endif %}
        {%- for channel in channels %}
        {{ safe_divide(channel ~ '_purchases', 'total_purchases') }}
            as {{ channel }}_share,
        {%- endfor %}
        {%- endif %}
        {%- if 'store' in channels and has_web %}
        {{ safe_divide('store_purchases', 'web_purchases') }} as store_vs_web_ratio,
        {%- endif %}
        {%- if has_visits %}
        web_visits_month,
        {%- if has_web %}
        {{ safe_divide('web_purchases', 'web_visits_month') }}
            as web_purchases_per_visit,
        web_visits_month + web_purchases as digital_engagement,
        {%- endif %}
        {%- endif %}
        {%- for campaign in campaigns %}
        accepted_{{ campaign }},
        {%- endfor %}
        {%- if has_response %}
        accepted_last_campaign,
        {%- endif %}
        {%- if campaigns %}
        campaigns_accepted,
        {%- endif %}
        {%- if campaign_count > 0 %}
        {{ accepted_total }} as total_campaigns_accepted,
        ({{ accepted_total }}) / {{ campaign_count }}e0 as campaign_response_rate,
        {{ accepted_total }} > 0 as has_accepted_any_campaign,
        {%- endif %}
        {%- if input_has('has_complained') %}
        has_complained,
        {%- endif %}
        {%- for feature in features %}
        {{ feature }},
        {%- endfor %}
        {%- for field in ['cost_per_contact', 'revenue_per_response']
            if input_has(field) %}
        {{ field }},
        {%- endfor %}
        is_duplicate_profile
    from with_groups
)

select * from final
