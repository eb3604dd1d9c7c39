{#-
    The fitted segment model, one row per parameter (its preparation, then the
    mixture): enough to audit the segmentation and to re-apply it without Python.
    The mart segment_model publishes it; int_customer_segments scores from it.
-#}
with

fitted as (
    select * from {{ ref('int_segment_model') }}
),

final as (
    select
        nullif(segment, 'nan') as segment,
        component::integer as component,
        parameter,
        nullif(feature, 'nan') as feature,
        nullif(feature_2, 'nan') as feature_2,
        value::double as value,
        method,
        covariance_type,
        n_train_rows::bigint as n_train_rows
    from fitted
)

select * from final
