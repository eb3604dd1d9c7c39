{#-
    The segment names follow the rule: Stars and High potential have a higher mean of
    income + spending (standardized) than Leaky bucket and Need attention; Stars are
    more senior than High potential; Leaky bucket more senior than Need attention.
    Returns the violated comparisons.
-#}
with

customers as (
    select * from {{ ref('customers') }}
),

standardized as (
    select
        segment,
        (income - avg(income) over ()) / stddev_pop(income) over ()
            + (spending - avg(spending) over ()) / stddev_pop(spending) over () as value,
        seniority_months,
    from customers
),

by_segment as (
    select
        segment,
        avg(value) as mean_value,
        avg(seniority_months) as mean_seniority,
    from standardized
    group by segment
),

pivoted as (
    select
        max(mean_value) filter (where segment = 'Stars') as stars_value,
        max(mean_value) filter (where segment = 'High potential') as potential_value,
        max(mean_value) filter (where segment = 'Leaky bucket') as leaky_value,
        max(mean_value) filter (where segment = 'Need attention') as attention_value,
        max(mean_seniority) filter (where segment = 'Stars') as stars_seniority,
        max(mean_seniority) filter (where segment = 'High potential') as potential_seniority,
        max(mean_seniority) filter (where segment = 'Leaky bucket') as leaky_seniority,
        max(mean_seniority) filter (where segment = 'Need attention') as attention_seniority,
    from by_segment
),

checks as (
    select 'high value above low value' as rule_broken
    from pivoted
    where not (least(stars_value, potential_value) > greatest(leaky_value, attention_value))
    union all
    select 'Stars more senior than High potential'
    from pivoted
    where not (stars_seniority > potential_seniority)
    union all
    select 'Leaky bucket more senior than Need attention'
    from pivoted
    where not (leaky_seniority > attention_seniority)
)

select * from checks
