{#-
    The edges and labels of every binning, one row per binning: fixed edges from the
    bin_labels seed (age), quartiles of the kept customers (income, seniority), and the
    25th and 75th percentiles of the positive amounts of each product. Quantiles are
    linear-interpolated (pandas' default). A binning whose field the input contract
    does not map is left out.
-#}
{%- set products = input_list('products') -%}
{%- set quartile_binnings = [] -%}
{%- if input_has('income') -%}
    {%- do quartile_binnings.append(('income_group', 'income')) -%}
{%- endif -%}
{%- if input_has('enrolled_on') -%}
    {%- do quartile_binnings.append(('seniority_group', 'seniority_months')) -%}
{%- endif -%}
{%- set has_age = input_has('age') -%}

with

features as (
    select * from {{ ref('int_customer_features') }}
),

bin_labels as (
    select * from {{ ref('bin_labels') }}
),

labels as (
    select
        binning,
        {{ list_agg('label', 'bin_index') }} as labels,
        {{ list_agg('cast(upper_edge as double)', 'bin_index',
            filter='upper_edge is not null') }} as seed_edges
    from bin_labels
    group by binning
),

{%- if quartile_binnings or products %}

data_edges as (
    select
        {%- for binning, column in quartile_binnings %}
        {{ quantile_cont(column, list_of([0.25, 0.5, 0.75])) }}
            as {{ binning }}{{ ',' if not loop.last or products }}
        {%- endfor %}
        {%- for product in products %}
        {{ quantile_cont('cast(amount_' ~ product ~ ' as double)',
            list_of([0.25, 0.75])) }}
            filter (where amount_{{ product }} > 0)
            as {{ product }}_segment{{ ',' if not loop.last }}
        {%- endfor %}
    from features
),
{%- endif %}

final as (
    select
        binning,
        null as product,
        seed_edges as edges,
        labels
    from labels
    where binning = 'age_group'{{ ' and false' if not has_age }}
    {%- for binning, column in quartile_binnings %}

    union all

    select
        '{{ binning }}' as binning,
        null as product,
        data_edges.{{ binning }} as edges,
        labels.labels
    from data_edges
    inner join labels
        on labels.binning = '{{ binning }}'
    {%- endfor %}
    {%- for product in products %}

    union all

    select
        '{{ product }}_segment' as binning,
        '{{ product }}' as product,
        coalesce(data_edges.{{ product }}_segment, {{ empty_list('double') }}) as edges,
        labels.labels
    from data_edges
    inner join labels
        on labels.binning = 'product_segment'
    {%- endfor %}
)

select * from final
