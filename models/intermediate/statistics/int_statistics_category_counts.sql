{#-
    What chi-square needs of every customer, as counts in SQL
    (statistics.CATEGORY_COUNT_COLUMNS; statistics.category_counts computes the same
    in pandas): the customers of each var statistics_categorical_features category
    and segment, rows missing either left out, and the category's place in the
    feature's sorted values (category_order, from 1). Categories are text
    (booleans as 'true' / 'false').
-#}
{{ config(materialized='table') }}

with

customers as (
    select * from {{ ref('int_customers_enriched') }}
),

counts as (
    {%- for feature in feature_list('statistics_categorical_features') %}
    select
        '{{ feature }}' as feature,
        cast(category as {{ dbt.type_string() }}) as category,
        dense_rank() over (order by category) as category_order,
        group_label,
        n
    from (
        select
            {{ feature }} as category,
            segment as group_label,
            count(*) as n
        from customers
        where segment is not null and {{ feature }} is not null
        group by {{ feature }}, segment
    ) as feature_counts
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        feature,
        category,
        cast(category_order as bigint) as category_order,
        group_label,
        cast(n as bigint) as n
    from counts
)

select * from final
