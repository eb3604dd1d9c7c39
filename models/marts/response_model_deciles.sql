{#-
    The gains and calibration table of the response model and of the RFM baseline on
    the held-out customers: for each ranking and decile (1 = highest scores) the
    customers, the responders, the response rate, the lift over the held-out rate, the
    share of all held-out responders found down to this decile (the gains curve) and,
    for the response model, the mean predicted propensity (calibration: it should be
    close to the response rate). Means are exact decimal sums, so rebuilds are equal
    to the last bit.
-#}

with

rankings as (
    select * from {{ ref('int_response_rankings') }}
),

deciles as (
    select
        ranking,
        decile,
        count(*) as customers,
        sum(responded) as responders,
        avg(propensity::decimal(38, 18))::double as mean_propensity
    from rankings
    group by ranking, decile
),

totals as (
    select
        ranking,
        sum(customers) as holdout_customers,
        sum(responders) as holdout_responders
    from deciles
    group by ranking
),

final as (
    select
        deciles.ranking,
        deciles.decile::integer as decile,
        deciles.customers::bigint as customers,
        deciles.responders::bigint as responders,
        deciles.responders / deciles.customers as response_rate,
        (deciles.responders / deciles.customers)
            / (totals.holdout_responders / totals.holdout_customers) as lift,
        (
            sum(deciles.responders) over (
                partition by deciles.ranking order by deciles.decile
            ) / totals.holdout_responders
        )::double as cumulative_responder_share,
        deciles.mean_propensity
    from deciles
    inner join totals
        on deciles.ranking = totals.ranking
)

select * from final
