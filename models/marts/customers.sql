{#- One row per kept customer: every cleaned, derived and binned column, and the
    named GMM segment. -#}

with

features as (
    select * from {{ ref('int_customer_features') }}
),

bins as (
    select * from {{ ref('int_customer_bins') }}
),

segments as (
    select * from {{ ref('customer_segments') }}
),

final as (
    select
        features.*,
        bins.* exclude (customer_id),
        segments.segment,
        segments.segment_probability,
    from features
    inner join bins
        on features.customer_id = bins.customer_id
    inner join segments
        on features.customer_id = segments.customer_id
)

select * from final
