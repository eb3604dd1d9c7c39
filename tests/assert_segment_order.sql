{#-
    The segment names follow the rule of seed segment_definitions: every segment of
    value_tier high has a higher mean of income + spending (standardized) than every
    segment of value_tier low; within a tier, a lower seniority_rank is more senior
    (higher mean seniority_months). Returns the violated comparisons. Only when the
    input makes segments.
-#}
{{ config(enabled=has_segments()) }}
with

customers as (
    select * from {{ ref('customers') }}
),

segment_definitions as (
    select * from {{ ref('segment_definitions') }}
),

standardized as (
    select
        segment,
        (income - avg(income) over ()) / stddev_pop(income) over ()
            + (spending - avg(spending) over ()) / stddev_pop(spending) over () as value,
        seniority_months
    from customers
),

by_segment as (
    select
        standardized.segment,
        segment_definitions.value_tier,
        segment_definitions.seniority_rank,
        avg(standardized.value) as mean_value,
        avg(standardized.seniority_months) as mean_seniority
    from standardized
    inner join segment_definitions
        on standardized.segment = segment_definitions.segment
    group by all
),

tiers as (
    select
        min(mean_value) filter (where value_tier = 'high') as lowest_high_value,
        max(mean_value) filter (where value_tier = 'low') as highest_low_value
    from by_segment
),

checks as (
    select 'high value above low value' as rule_broken
    from tiers
    where not (lowest_high_value > highest_low_value)
    union all
    select more_senior.segment || ' more senior than ' || less_senior.segment
    from by_segment as more_senior
    inner join by_segment as less_senior
        on more_senior.value_tier = less_senior.value_tier
        and more_senior.seniority_rank < less_senior.seniority_rank
    where not (more_senior.mean_seniority > less_senior.mean_seniority)
)

select * from checks
