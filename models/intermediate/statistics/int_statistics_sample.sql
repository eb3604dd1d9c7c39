{#-
    The rows the pairwise and correlation tests of int_segment_statistics read: a
    seeded sample (macro seeded_sample) of at most statistics_sample_size customers,
    with only the columns those tests use (the segment, the numeric features and the
    discount-effect columns, statistics.DISCOUNT_FEATURE and DISCOUNT_TARGETS), and
    `population`, the number of customers it is drawn from (so the model knows
    whether it is every customer).
-#}
{{ config(materialized='view') }}
{%- set columns = ['customer_id', 'segment'] + feature_list('statistics_numeric_features')
    + ['deal_share', 'total_purchases', 'spending'] -%}

with

customers as (
    select
        {%- for column in columns | unique %}
        {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('int_customers_enriched') }}
),

population as (
    select count(*) as population from customers
),

sampled as (
    {{ seeded_sample('customers', var('statistics_sample_size')) }}
),

final as (
    select
        sampled.*,
        population.population
    from sampled
    cross join population
)

select * from final
