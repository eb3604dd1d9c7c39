{#-
    This build's snapshot of every customer's segment: segment, probabilities and
    model_version on snapshot_date (int_history_store: var snapshot_date, default the
    data's reference date). Its post-hook (macro write_segment_snapshot) stages it in
    the history store (int_history_store's staging_path); `publish` commits it to the
    history with the warehouse, so only a published build's snapshot outlives it.
-#}
{{ config(post_hook="{{ write_segment_snapshot(this, ref('int_history_store')) }}") }}

with

segments as (
    select * from {{ ref('int_customer_segments') }}
),

model as (
    select max(model_version) as model_version
    from {{ ref('int_segment_parameters') }}
),

store as (
    select * from {{ ref('int_history_store') }}
),

final as (
    select
        segments.*,
        model.model_version,
        store.snapshot_date
    from segments
    cross join model
    cross join store
)

select * from final
