{#-
    The segment model, one row per parameter (its preparation, then the mixture):
    enough to audit the segmentation and to re-apply it without Python, with its
    identity on every row: model_version (the digest of the parameters), fitted_on
    (the reference date of the data it was fitted on), n_train_rows and
    training_fingerprint (the digest of the training sample). Fitted in this build
    (var segment_model_mode fit) or read from a model file (frozen). The mart
    segment_model publishes it; int_customer_segments scores from it.
-#}
{%- set mode = var('segment_model_mode') -%}
{%- if mode not in ['fit', 'frozen'] -%}
    {{ exceptions.raise_compiler_error(
        "var segment_model_mode is '" ~ mode ~ "': use fit (fit the segment model in "
        ~ "this build) or frozen (score with the model file var segment_model_path)") }}
{%- elif mode == 'frozen' and not var('segment_model_path') -%}
    {{ exceptions.raise_compiler_error(
        "var segment_model_mode is frozen but var segment_model_path is empty: name "
        ~ "a model file (python -m customer_personality model export --db WAREHOUSE "
        ~ "--out FILE)") }}
{%- endif %}

with

fitted as (
    select * from {{ ref('int_segment_model') }}
),

customers as (
    select * from {{ ref('int_customer_features') }}
),

reference as (
    select max(reference_date) as reference_date
    from customers
),

final as (
    select
        nullif(fitted.segment, 'nan') as segment,
        fitted.component::integer as component,
        fitted.parameter,
        nullif(fitted.feature, 'nan') as feature,
        nullif(fitted.feature_2, 'nan') as feature_2,
        fitted.value::double as value,
        fitted.method,
        fitted.covariance_type,
        fitted.n_train_rows::bigint as n_train_rows,
        fitted.model_version,
        coalesce(
            nullif(fitted.fitted_on, '')::date, reference.reference_date
        ) as fitted_on,
        fitted.training_fingerprint
    from fitted
    cross join reference
)

select * from final
