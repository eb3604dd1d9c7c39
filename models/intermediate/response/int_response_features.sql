{#-
    What the response model reads, for every kept customer: the target
    (accepted_last_campaign, the raw Response), the candidate features as doubles
    (indicators for the marital group and education level), and is_holdout, the
    seeded split the model is evaluated on: a customer is held out when a hash of its
    id and var random_seed (seeded_hash) falls in the first var response_holdout_share of the hash
    range. The same customers are held out whatever the file's order.
-#}
{%- set holdout_per_million = (var('response_holdout_share') * 1000000) | int %}

with

customers as (
    select * from {{ ref('int_customer_features') }}
),

final as (
    select
        customer_id,
        accepted_last_campaign,
        {{ seeded_hash(['customer_id', "'response_holdout'"]) }} % 1000000
            < {{ holdout_per_million }} as is_holdout,
        income::double as income,
        age::double as age,
        seniority_months::double as seniority_months,
        recency_days::double as recency_days,
        kids_at_home::double as kids_at_home,
        teens_at_home::double as teens_at_home,
        amount_wines::double as amount_wines,
        amount_fruits::double as amount_fruits,
        amount_meat::double as amount_meat,
        amount_fish::double as amount_fish,
        amount_sweets::double as amount_sweets,
        amount_gold::double as amount_gold,
        deal_purchases::double as deal_purchases,
        web_purchases::double as web_purchases,
        catalog_purchases::double as catalog_purchases,
        store_purchases::double as store_purchases,
        web_visits_month::double as web_visits_month,
        accepted_campaign_1::double as accepted_campaign_1,
        accepted_campaign_2::double as accepted_campaign_2,
        accepted_campaign_3::double as accepted_campaign_3,
        accepted_campaign_4::double as accepted_campaign_4,
        accepted_campaign_5::double as accepted_campaign_5,
        has_complained::integer::double as has_complained,
        (marital_group = 'In couple')::integer::double as is_in_couple,
        (education_level = 'Postgraduate')::integer::double as is_postgraduate,
        (education_level = 'Undergraduate')::integer::double as is_undergraduate
    from customers
)

select * from final
