{#-
    Every kept customer's probability of responding to the next campaign, scored in SQL
    from the parameter table int_response_model (logistic regression on standardized
    features): propensity = 1 / (1 + exp(-logit)), logit = intercept + the sum over
    features of coefficient * (value - mean) / scale. propensity_rank 1 is the most
    likely responder (ties by customer_id).
-#}
{%- set features = feature_list('response_features') %}

with

customers as (
    select * from {{ ref('int_response_features') }}
),

parameters as (
    select * from {{ ref('int_response_model') }}
),

model as (
    select
        max(coefficient) filter (where term = 'intercept') as intercept,
        max(coefficient) filter (where term = 'calibration_intercept')
            as calibration_intercept,
        max(coefficient) filter (where term = 'calibration_slope') as calibration_slope,
        {%- for feature in features %}
        max(mean) filter (where term = '{{ feature }}') as mean_{{ feature }},
        max(scale) filter (where term = '{{ feature }}') as scale_{{ feature }},
        max(coefficient) filter (where term = '{{ feature }}')
            as coef_{{ feature }}{{ ',' if not loop.last }}
        {%- endfor %}
    from parameters
),

scored as (
    select
        customers.customer_id,
        customers.is_holdout,
        customers.accepted_last_campaign,
        model.calibration_intercept,
        model.calibration_slope,
        model.intercept
        {%- for feature in features %}
            + model.coef_{{ feature }}
            * (customers.{{ feature }} - model.mean_{{ feature }})
            / model.scale_{{ feature }}
        {%- endfor %} as response_logit
    from customers
    cross join model
),

final as (
    select
        customer_id,
        is_holdout,
        accepted_last_campaign,
        response_logit,
        1.0 / (1.0 + exp(-response_logit)) as response_propensity,
        1.0 / (
            1.0 + exp(-(calibration_intercept + calibration_slope * response_logit))
        ) as response_probability,
        row_number() over (
            order by response_logit desc, customer_id asc
        ) as response_propensity_rank
    from scored
)

select * from final
