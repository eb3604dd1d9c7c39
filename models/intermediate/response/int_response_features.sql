{#-
    What the response model reads, for every kept customer: the target
    (accepted_last_campaign, the raw Response), the candidate features as doubles
    (indicators for the marital group and education level), and is_holdout, the
    seeded split the model is evaluated on: a customer is held out when a hash of its
    id and var random_seed (seeded_hash) falls in the first var response_holdout_share of the hash
    range. The same customers are held out whatever the file's order. The features
    are those of feature_list('response_features'): var response_features, or what
    the input contract gives.
-#}
{%- set features = feature_list('response_features') %}
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
            < {{ holdout_per_million }} as is_holdout{{ ',' if features }}
        {%- for feature in features %}
        {{ {
            'has_complained': 'has_complained::integer::double',
            'is_in_couple': "(marital_group = 'In couple')::integer::double",
            'is_postgraduate': "(education_level = 'Postgraduate')::integer::double",
            'is_undergraduate': "(education_level = 'Undergraduate')::integer::double",
        }.get(feature, feature ~ '::double') }} as {{ feature }}{{ ',' if not loop.last }}
        {%- endfor %}
    from customers
)

select * from final
