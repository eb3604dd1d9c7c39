{#- One row per kept customer: every cleaned, derived and binned column, and, when
    the input makes segments (has_segments), the outlier flag of the segment fit and
    the named GMM segment. -#}
{%- set segments_built = has_segments() -%}

with

features as (
    select * from {{ ref('int_customer_features') }}
),

bins as (
    select * from {{ ref('int_customer_bins') }}
),
{%- if segments_built %}

outliers as (
    select * from {{ ref('int_customer_outliers') }}
),

segments as (
    select * from {{ ref('int_customer_segments') }}
),
{%- endif %}

final as (
    select
        features.*,
        {{ star_except('bins', ref('int_customer_bins'), ['customer_id']) }}
        {%- if segments_built %},
        outliers.is_outlier,
        outliers.outlier_reason,
        segments.segment,
        segments.segment_probability
        {%- endif %}
    from features
    inner join bins
        on features.customer_id = bins.customer_id
    {%- if segments_built %}
    inner join outliers
        on features.customer_id = outliers.customer_id
    inner join segments
        on features.customer_id = segments.customer_id
    {%- endif %}
)

select * from final
