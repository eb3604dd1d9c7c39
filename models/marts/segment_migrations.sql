{#-
    Who moved between this build's snapshot and the committed one before it (the
    snapshot dates of int_history_store; README "History"): one row per
    (from_segment, to_segment) pair with its customers and their share of the
    from_segment; customers new in the later snapshot (from_segment NULL, movement
    new) and lost from it (to_segment NULL, movement lost) are rows of their own.
    movement: stayed, moved, new or lost. Empty for a base's first snapshot.
-#}
-- depends_on: {{ ref('int_segment_snapshot') }}

with

snapshots as (
    select * from {{ segment_snapshots(ref('int_history_store')) }}
),

last_two as (
    select
        previous_snapshot_date as from_snapshot_date,
        snapshot_date as to_snapshot_date
    from {{ ref('int_history_store') }}
),

ends as (
    select
        snapshots.customer_id,
        snapshots.segment,
        snapshots.snapshot_date = last_two.to_snapshot_date as is_later
    from snapshots
    inner join last_two
        on snapshots.snapshot_date in (
            last_two.from_snapshot_date, last_two.to_snapshot_date
        )
    where last_two.from_snapshot_date < last_two.to_snapshot_date
),

earlier as (
    select * from ends
    where not is_later
),

later as (
    select * from ends
    where is_later
),

paired as (
    select
        earlier.segment as from_segment,
        later.segment as to_segment,
        case
            when earlier.customer_id is null then 'new'
            when later.customer_id is null then 'lost'
            when earlier.segment = later.segment then 'stayed'
            else 'moved'
        end as movement
    from earlier
    full outer join later
        on earlier.customer_id = later.customer_id
),

counted as (
    select
        from_segment,
        to_segment,
        movement,
        count(*) as customers
    from paired
    group by from_segment, to_segment, movement
),

final as (
    select
        counted.from_segment,
        counted.to_segment,
        counted.movement,
        counted.customers,
        case when counted.from_segment is not null then
            counted.customers
            / sum(counted.customers) over (partition by counted.from_segment)
        end as share_of_from_segment,
        last_two.from_snapshot_date,
        last_two.to_snapshot_date
    from counted
    cross join last_two
)

select * from final
