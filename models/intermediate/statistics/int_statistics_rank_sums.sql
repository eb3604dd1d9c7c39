{#-
    What Kruskal-Wallis needs of every customer, from ranks and counts in SQL
    (statistics.RANK_SUM_COLUMNS; statistics.rank_sums computes the same in numpy):
    for each grouping and feature, each group's count and sum of average ranks of the
    feature's known values (ties share their mean rank), the feature's tie term
    sum(t^3 - t) over its distinct values and how many distinct values it has. The
    segments are tested on var statistics_numeric_features, education on the
    published study's features (statistics.EDUCATION_FEATURES). Ranks are computed
    on the distinct values, not on the rows; sums are of whole numbers (twice the
    ranks, exact), so every build gives the same figures.
-#}
{{ config(materialized='table') }}
{%- set studies = [] -%}
{%- for feature in feature_list('statistics_numeric_features') -%}
    {%- do studies.append(('segment', feature)) -%}
{%- endfor -%}
{%- for feature in ['spending', 'total_campaigns_accepted'] -%}
    {%- do studies.append(('education', feature)) -%}
{%- endfor %}

with

customers as (
    select * from {{ ref('int_customers_enriched') }}
),

value_counts as (
    {%- for grouping, feature in studies %}
    select
        '{{ grouping }}' as grouping,
        '{{ feature }}' as feature,
        {{ grouping }} as group_label,
        cast({{ feature }} as double) as value,
        count(*) as n
    from customers
    where {{ grouping }} is not null and {{ feature }} is not null
    group by {{ grouping }}, cast({{ feature }} as double)
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

value_ties as (
    select
        grouping,
        feature,
        value,
        sum(n) as ties
    from value_counts
    group by grouping, feature, value
),

{# A value's mean rank is (rows below it) + (ties + 1) / 2: twice that is whole. #}
value_ranks as (
    select
        grouping,
        feature,
        value,
        2 * (
            sum(ties) over (
                partition by grouping, feature
                order by value
                rows between unbounded preceding and current row
            ) - ties
        ) + ties + 1 as twice_rank
    from value_ties
),

feature_ties as (
    select
        grouping,
        feature,
        cast(
            sum(cast(ties as decimal(38, 0)) * ties * ties - ties) as double
        ) as tie_sum,
        count(*) as n_values
    from value_ties
    group by grouping, feature
),

group_rank_sums as (
    select
        value_counts.grouping,
        value_counts.feature,
        value_counts.group_label,
        sum(value_counts.n) as n,
        cast(sum(value_counts.n * value_ranks.twice_rank) as double) / 2 as rank_sum
    from value_counts
    inner join value_ranks
        on value_counts.grouping = value_ranks.grouping
        and value_counts.feature = value_ranks.feature
        and value_counts.value = value_ranks.value
    group by value_counts.grouping, value_counts.feature, value_counts.group_label
),

final as (
    select
        group_rank_sums.grouping,
        group_rank_sums.feature,
        group_rank_sums.group_label,
        cast(group_rank_sums.n as bigint) as n,
        group_rank_sums.rank_sum,
        feature_ties.tie_sum,
        cast(feature_ties.n_values as bigint) as n_values
    from group_rank_sums
    inner join feature_ties
        on group_rank_sums.grouping = feature_ties.grouping
        and group_rank_sums.feature = feature_ties.feature
)

select * from final
