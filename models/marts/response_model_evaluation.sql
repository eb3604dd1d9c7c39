{#-
    How well each ranking finds the responders among the held-out customers (the
    customers the response model was not fitted on): the response model against the
    RFM score alone. AUC is the probability that a random responder ranks above a
    random non-responder (ties count half: the Mann-Whitney statistic from average
    ranks); top_decile_lift is the response rate of the best-scored tenth over the
    held-out response rate.
-#}

with

rankings as (
    select * from {{ ref('int_response_rankings') }}
),

counts as (
    select
        ranking,
        count(*) as holdout_customers,
        sum(responded) as holdout_responders,
        sum(average_rank) filter (where responded = 1) as responder_rank_sum,
        count(*) filter (where decile = 1) as top_decile_customers,
        sum(responded) filter (where decile = 1) as top_decile_responders
    from rankings
    group by ranking
),

final as (
    select
        ranking,
        holdout_customers::bigint as holdout_customers,
        holdout_responders::bigint as holdout_responders,
        holdout_responders / holdout_customers as holdout_response_rate,
        (
            responder_rank_sum - holdout_responders * (holdout_responders + 1) / 2e0
        ) / (holdout_responders * (holdout_customers - holdout_responders)) as auc,
        top_decile_customers::bigint as top_decile_customers,
        coalesce(top_decile_responders, 0)::bigint as top_decile_responders,
        coalesce(top_decile_responders, 0) / top_decile_customers
            as top_decile_response_rate,
        (coalesce(top_decile_responders, 0) / top_decile_customers)
            / (holdout_responders / holdout_customers) as top_decile_lift
    from counts
)

select * from final
