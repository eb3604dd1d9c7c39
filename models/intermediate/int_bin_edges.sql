{#-
    The edges and labels of every binning, one row per binning: fixed edges from the
    bin_labels seed (age), quartiles of the kept customers (income, seniority), and the
    25th and 75th percentiles of the positive amounts of each product. Quantiles are
    linear-interpolated (pandas' default).
-#}
{%- set products = product_columns() -%}

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
        list(label order by bin_index) as labels,
        list(upper_edge::double order by bin_index)
            filter (where upper_edge is not null) as seed_edges,
    from bin_labels
    group by binning
),

data_edges as (
    select
        quantile_cont(income, [0.25, 0.5, 0.75]) as income_group,
        quantile_cont(seniority_months, [0.25, 0.5, 0.75]) as seniority_group,
        {%- for product in products %}
        quantile_cont(amount_{{ product }}::double, [0.25, 0.75])
            filter (where amount_{{ product }} > 0) as {{ product }}_segment,
        {%- endfor %}
    from features
),

unpivoted as (
    unpivot data_edges
    on
        income_group,
        seniority_group,
        {%- for product in products %}
        {{ product }}_segment{{ ',' if not loop.last }}
        {%- endfor %}
    into name binning value edges
),

final as (
    select
        labels.binning,
        null as product,
        labels.seed_edges as edges,
        labels.labels,
    from labels
    where labels.binning = 'age_group'

    union all

    select
        unpivoted.binning,
        case when unpivoted.binning like '%\_segment' escape '\'
            then replace(unpivoted.binning, '_segment', '') end as product,
        coalesce(unpivoted.edges, []::double[]) as edges,
        labels.labels,
    from unpivoted
    inner join labels
        on labels.binning = case
            when unpivoted.binning like '%\_segment' escape '\' then 'product_segment'
            else unpivoted.binning
        end
)

select * from final
