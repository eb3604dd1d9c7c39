{#-
    The customers the segment model is fitted on: every kept customer but the flagged
    outliers (int_customer_outliers), with the segment features only (var
    segment_features). Every customer, outliers included, is scored from the model.
-#}
{{ config(materialized='view') }}

with

features as (
    select * from {{ ref('int_customer_features') }}
),

outliers as (
    select * from {{ ref('int_customer_outliers') }}
),

final as (
    select
        features.customer_id,
        {%- for feature in var('segment_features') %}
        features.{{ feature }}{{ ',' if not loop.last }}
        {%- endfor %}
    from features
    inner join outliers
        on features.customer_id = outliers.customer_id
    where not outliers.is_outlier
)

select * from final
