{#-
    Every kept customer's bins: age, income and seniority groups and a segment per
    product of the input contract, each when its field is mapped. A value on an edge
    falls in the lower bin (macro bin_position). Product segments: Non consumer when
    the amount is 0, else Low (<= p25), Frequent (<= p75) or Biggest consumer.
-#}
{%- set products = input_list('products') -%}
{%- set bins = [] -%}
{%- if input_has('age') -%}
    {%- do bins.append(('age_group', 'age')) -%}
{%- endif -%}
{%- if input_has('income') -%}
    {%- do bins.append(('income_group', 'income')) -%}
{%- endif -%}
{%- if input_has('enrolled_on') -%}
    {%- do bins.append(('seniority_group', 'seniority_months')) -%}
{%- endif -%}
{%- set binnings = [] -%}
{%- for binning, column in bins -%}
    {%- do binnings.append(binning) -%}
{%- endfor -%}
{%- for product in products -%}
    {%- do binnings.append(product ~ '_segment') -%}
{%- endfor -%}

with

features as (
    select * from {{ ref('int_customer_features') }}
),
{%- if binnings %}

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
{%- endif %}

final as (
    select
        features.customer_id{{ ',' if binnings }}
        {%- for binning, column in bins %}
        {{ list_element('bin_parameters.' ~ binning ~ '_labels',
            bin_position('features.' ~ column, 'bin_parameters.' ~ binning ~ '_edges')) }}
            as {{ binning }}{{ ',' if not loop.last or products }}
        {%- endfor %}
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
    {%- if binnings %}
    cross join bin_parameters
    {%- endif %}
)

select * from final
