{#-
    One row per kept customer, ready for a campaign export: segment, scores, the
    segment's strategy (seed segment_strategies: goal, channels, offer, discount
    range, message), the customer's own preferred purchase channel, and the
    recommended action. Churn alert when churn_risk_score >= var churn_alert_score:
    the action becomes a retention contact before the segment offer.
-#}

with

customers as (
    select * from {{ ref('int_customers_enriched') }}
),

scores as (
    select * from {{ ref('int_customer_scores') }}
),

strategies as (
    select * from {{ ref('segment_strategies') }}
),

final as (
    select
        customers.customer_id,
        customers.segment,
        customers.segment_probability,
        scores.rfm_segment,
        scores.rfm_cell,
        scores.loyalty_score,
        scores.churn_risk_score,
        scores.discount_sensitivity_group,
        case
            when customers.total_purchases = 0 then 'None yet'
            when customers.store_purchases >= greatest(
                customers.web_purchases, customers.catalog_purchases) then 'Store'
            when customers.web_purchases >= customers.catalog_purchases then 'Web'
            else 'Catalog'
        end as preferred_channel,
        strategies.goal,
        strategies.channels,
        strategies.offer,
        strategies.discount_range,
        strategies.message,
        scores.churn_risk_score >= {{ var('churn_alert_score') }} as is_churn_alert,
        case
            when scores.churn_risk_score >= {{ var('churn_alert_score') }}
                then 'Retention contact, then: ' || strategies.offer
            else strategies.offer
        end as recommended_action
    from customers
    inner join scores
        on customers.customer_id = scores.customer_id
    left join strategies
        on customers.segment = strategies.segment
)

select * from final
