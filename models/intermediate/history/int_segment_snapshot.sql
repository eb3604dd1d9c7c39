{#-
    This build's snapshot of every customer's segment: segment, probabilities and
    model_version on snapshot_date (var snapshot_date, default the data's reference
    date). Its post-hook (macro write_segment_snapshot) writes it to the history store
    (int_history_store), where it outlives the warehouse; the same date written again
    replaces its file with the same rows.
-#}
{{ config(post_hook="{{ write_segment_snapshot(this, ref('int_history_store')) }}") }}

with

segments as (
    select * from {{ ref('int_customer_segments') }}
),

features as (
    select * from {{ ref('int_customer_features') }}
),

model as (
    select max(model_version) as model_version
    from {{ ref('int_segment_parameters') }}
),

store as (
    select * from {{ ref('int_history_store') }}
),

snapshot as (
    select
        coalesce(
            {{ "cast('" ~ var('snapshot_date') ~ "' as date)" if var('snapshot_date')
                else 'cast(null as date)' }},
            max(reference_date)
        ) as snapshot_date
    from features
),

final as (
    select
        segments.*,
        model.model_version,
        snapshot.snapshot_date
    from segments
    cross join model
    cross join snapshot
    cross join store
)

select * from final
