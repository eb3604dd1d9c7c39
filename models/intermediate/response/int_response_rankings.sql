{#-
    The held-out customers ranked twice: by the response model's propensity
    (ranking = 'response_model') and by the RFM score alone (ranking = 'rfm_score',
    rfm_total of int_customer_scores, the baseline the model must beat). For each:
    the score, whether the customer responded, the decile (1 = highest scores, ties by
    customer_id) and the average rank of the score among the held-out customers
    (ties share the mean of their ranks), from which the AUC is exact.
-#}

with

responses as (
    select * from {{ ref('int_customer_response') }}
    where is_holdout
),

scores as (
    select * from {{ ref('int_customer_scores') }}
),

scored as (
    select
        'response_model' as ranking,
        customer_id,
        response_logit as score,
        response_propensity as propensity,
        accepted_last_campaign as responded
    from responses
    union all
    select
        'rfm_score' as ranking,
        responses.customer_id,
        cast(scores.rfm_total as double) as score,
        cast(null as double) as propensity,
        responses.accepted_last_campaign as responded
    from responses
    inner join scores
        on responses.customer_id = scores.customer_id
),

final as (
    select
        ranking,
        customer_id,
        score,
        propensity,
        responded,
        ntile(10) over (
            partition by ranking order by score desc, customer_id asc
        ) as decile,
        rank() over (partition by ranking order by score)
            + (count(*) over (partition by ranking, score) - 1) / 2.0
            as average_rank
    from scored
)

select * from final
