{#- One row per kept customer: every cleaned, derived and binned column. -#}

with

features as (
    select * from {{ ref('int_customer_features') }}
),

bins as (
    select * from {{ ref('int_customer_bins') }}
),

final as (
    select
        features.*,
        bins.* exclude (customer_id),
    from features
    inner join bins
        on features.customer_id = bins.customer_id
)

select * from final
