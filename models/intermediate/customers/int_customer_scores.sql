{#-
    Behavioural scores of every kept customer.
    - RFM: recency, frequency (total_purchases) and monetary (spending) quantile scores
      1..var rfm_quantiles (5 = most recent, most frequent, highest spend; ties broken
      by customer_id so the scores are deterministic), rfm_cell ('555') and the classic
      RFM segment of (recency, frequency) from seed rfm_segments.
    - loyalty_score (0..100) = 50 * percent rank of seniority_months
      + 50 * percent rank of total_purchases.
    - churn_risk_score (0..100) = 50 * percent rank of recency_days
      + 20 * has_complained
      + 30 * (1 - percent rank of purchases per month of seniority): long since the
      last purchase, a complaint, and buying less often than others for one's tenure.
    - discount_sensitivity = deal_share (share of purchases made with a discount),
      grouped low / medium / high by var discount_sensitivity_edges.
-#}
{%- set quantiles = var('rfm_quantiles') -%}
{%- set edges = var('discount_sensitivity_edges') -%}

with

customers as (
    select * from {{ ref('int_customers_enriched') }}
),

rfm_segments as (
    select * from {{ ref('rfm_segments') }}
),

ranked as (
    select
        customer_id,
        segment,
        recency_days,
        total_purchases,
        spending,
        deal_share,
        has_complained,
        ntile({{ quantiles }}) over (order by recency_days desc, customer_id asc)
            as recency_score,
        ntile({{ quantiles }}) over (order by total_purchases, customer_id)
            as frequency_score,
        ntile({{ quantiles }}) over (order by spending, customer_id) as monetary_score,
        percent_rank() over (order by seniority_months) as seniority_rank,
        percent_rank() over (order by total_purchases) as purchases_rank,
        percent_rank() over (order by recency_days) as recency_rank,
        percent_rank() over (
            order by total_purchases / greatest(seniority_months, 1.0)
        ) as purchase_rate_rank
    from customers
),

final as (
    select
        ranked.customer_id,
        ranked.segment,
        ranked.recency_score::integer as recency_score,
        ranked.frequency_score::integer as frequency_score,
        ranked.monetary_score::integer as monetary_score,
        cast(ranked.recency_score as {{ dbt.type_string() }})
            || cast(ranked.frequency_score as {{ dbt.type_string() }})
            || cast(ranked.monetary_score as {{ dbt.type_string() }}) as rfm_cell,
        (ranked.recency_score + ranked.frequency_score + ranked.monetary_score)::integer
            as rfm_total,
        rfm_segments.rfm_segment,
        round(50 * ranked.seniority_rank + 50 * ranked.purchases_rank, 2)
            as loyalty_score,
        round(
            50 * ranked.recency_rank
            + 20 * ranked.has_complained::integer
            + 30 * (1 - ranked.purchase_rate_rank),
            2
        ) as churn_risk_score,
        coalesce(ranked.deal_share, 0.0) as discount_sensitivity,
        case
            when coalesce(ranked.deal_share, 0.0) <= {{ edges[0] }} then 'Low'
            when ranked.deal_share <= {{ edges[1] }} then 'Medium'
            else 'High'
        end as discount_sensitivity_group
    from ranked
    left join rfm_segments
        on ranked.recency_score = rfm_segments.recency_score
        and ranked.frequency_score = rfm_segments.frequency_score
)

select * from final
