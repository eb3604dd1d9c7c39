{#-
    Every customer's segment over time, with dbt's snapshot semantics (a check
    strategy on segment and model_version, deleted rows invalidated): a row per
    stretch of consecutive snapshots of the history store in which the customer kept
    one segment under one model, valid_from its first snapshot date and valid_to the
    first snapshot date it no longer held (another segment or model, or the customer
    absent), NULL while it holds. Probabilities are those of valid_from. The store
    outlives the warehouse: a rebuild into a new file still sees every earlier month.
-#}
{%- set probabilities = probability_columns(ref('int_segment_snapshot')) -%}
-- depends_on: {{ ref('int_segment_snapshot') }}

with

snapshots as (
    select * from {{ segment_snapshots(ref('int_history_store')) }}
),

dates as (
    select
        snapshot_date,
        lag(snapshot_date) over (order by snapshot_date) as previous_date,
        lead(snapshot_date) over (order by snapshot_date) as next_date
    from (select distinct snapshot_date from snapshots) as snapshot_dates
),

present as (
    select
        snapshots.*,
        dates.previous_date,
        dates.next_date
    from snapshots
    inner join dates
        on snapshots.snapshot_date = dates.snapshot_date
),

{# A version starts where the customer was absent from the previous snapshot or held
    another segment or model there. #}
starts as (
    select
        present.*,
        previous.customer_id is null
        or previous.segment != present.segment
        or previous.model_version != present.model_version as is_start
    from present
    left join snapshots as previous
        on present.customer_id = previous.customer_id
        and present.previous_date = previous.snapshot_date
),

versions as (
    select
        *,
        sum(case when is_start then 1 else 0 end) over (
            partition by customer_id order by snapshot_date
            rows between unbounded preceding and current row
        ) as version_number
    from starts
),

stretches as (
    select
        customer_id,
        version_number,
        min(snapshot_date) as valid_from,
        max(snapshot_date) as last_seen
    from versions
    group by customer_id, version_number
),

final as (
    select
        versions.customer_id,
        versions.segment,
        versions.segment_probability,
        {%- for column in probabilities %}
        versions.{{ column }},
        {%- endfor %}
        versions.model_version,
        stretches.valid_from,
        last_dates.next_date as valid_to,
        last_dates.next_date is null as is_current
    from versions
    inner join stretches
        on versions.customer_id = stretches.customer_id
        and versions.version_number = stretches.version_number
        and versions.snapshot_date = stretches.valid_from
    inner join dates as last_dates
        on stretches.last_seen = last_dates.snapshot_date
)

select * from final
