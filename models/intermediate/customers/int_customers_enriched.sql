{#- One row per kept customer: every cleaned, derived and binned column, the outlier
    flag of the segment fit, and the named GMM segment. -#}

with

features as (
    select * from {{ ref('int_customer_features') }}
),

bins as (
    select * from {{ ref('int_customer_bins') }}
),

outliers as (
    select * from {{ ref('int_customer_outliers') }}
),

segments as (
    select * from {{ ref('int_customer_segments') }}
),

final as (
    select
        features.*,
        {{ star_except('bins', ref('int_customer_bins'), ['customer_id']) }},
        outliers.is_outlier,
        outliers.outlier_reason,
        segments.segment,
        segments.segment_probability
    from features
    inner join bins
        on features.customer_id = bins.customer_id
    inner join outliers
        on features.customer_id = outliers.customer_id
    inner join segments
        on features.customer_id = segments.customer_id
)

select * from final
