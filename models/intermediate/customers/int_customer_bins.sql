{#-
    Every kept customer's bins: age, income and seniority groups and the six product
    segments. A value on an edge falls in the lower bin (macro bin_position). Product
    segments: Non consumer when the amount is 0, else Low (<= p25), Frequent (<= p75)
    or Biggest consumer.
-#}
{%- set products = input_list('products') -%}
{%- set binnings = ['age_group', 'income_group', 'seniority_group'] -%}
{%- for product in products -%}
    {%- do binnings.append(product ~ '_segment') -%}
{%- endfor -%}

with

features as (
    select * from {{ ref('int_customer_features') }}
),

bin_edges as (
    select * from {{ ref('int_bin_edges') }}
),

bin_parameters as (
    select
        {%- for binning in binnings %}
        first(edges) filter (where binning = '{{ binning }}') as {{ binning }}_edges,
        first(labels) filter (where binning = '{{ binning }}')
            as {{ binning }}_labels{{ ',' if not loop.last }}
        {%- endfor %}
    from bin_edges
),

final as (
    select
        features.customer_id,
        {{ list_element('bin_parameters.age_group_labels',
            bin_position('features.age', 'bin_parameters.age_group_edges')) }}
            as age_group,
        {{ list_element('bin_parameters.income_group_labels',
            bin_position('features.income', 'bin_parameters.income_group_edges')) }}
            as income_group,
        {{ list_element('bin_parameters.seniority_group_labels',
            bin_position('features.seniority_months',
                'bin_parameters.seniority_group_edges')) }} as seniority_group,
        {%- for product in products %}
        case
            when features.amount_{{ product }} = 0
                then {{ list_element(
                    'bin_parameters.' ~ product ~ '_segment_labels', 1) }}
            else {{ list_element('bin_parameters.' ~ product ~ '_segment_labels',
                '1 + ' ~ bin_position('features.amount_' ~ product,
                    'bin_parameters.' ~ product ~ '_segment_edges')) }}
        end as {{ product }}_segment{{ ',' if not loop.last }}
        {%- endfor %}
    from features
    cross join bin_parameters
)

select * from final
