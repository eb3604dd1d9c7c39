{#-
    What the segment model was fitted on, summarized so that later data can be compared
    with it (segment_drift): for each segment feature (var segment_features) the decile
    bins of the training sample (int_segment_sample: the customers the model saw) with
    the share of training customers in each, and the share of each segment among them
    (as the model labels them). A value equal to an edge falls in the lower bin (macro
    bin_position); repeated edges (a feature with many equal values) are merged, so a
    bin is never empty by construction.
-#}
{%- set features = var('segment_features') -%}
{%- set deciles = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] -%}

with

sample as (
    select * from {{ ref('int_segment_sample') }}
),

segments as (
    select * from {{ ref('int_customer_segments') }}
),

definitions as (
    select * from {{ ref('segment_definitions') }}
),

edges as (
    select
        {%- for feature in features %}
        {{ list_distinct(quantile_cont(feature, list_of(deciles))) }}
            as edges_{{ feature }}{{ ',' if not loop.last }}
        {%- endfor %}
    from sample
),

feature_edges as (
    {%- for feature in features %}
    select
        '{{ feature }}' as measure,
        {{ list_sort('edges_' ~ feature) }} as edges
    from edges
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

{# Every bin the edges cut, 1 .. len(edges) + 1, empty ones included. #}
feature_bins as (
    select
        feature_edges.measure,
        feature_edges.edges,
        {{ list_unnest(list_range(1, list_length('feature_edges.edges') ~ ' + 2')) }}
            as bin
    from feature_edges
),

feature_bin_edges as (
    select
        feature_bins.measure,
        cast(feature_bins.bin as integer) as bin,
        {#- Positions count from 1: bin b lies in (edges[b - 1], edges[b]]. -#}
        case
            when feature_bins.bin > 1
                then {{ list_element('feature_bins.edges', 'feature_bins.bin - 1') }}
        end as lower_edge,
        case
            when feature_bins.bin <= {{ list_length('feature_bins.edges') }}
                then {{ list_element('feature_bins.edges', 'feature_bins.bin') }}
        end as upper_edge
    from feature_bins
),

feature_counts as (
    {%- for feature in features %}
    select
        feature_edges.measure,
        {{ bin_position('sample.' ~ feature, 'feature_edges.edges') }} as bin,
        count(*) as training_customers
    from sample
    inner join feature_edges
        on feature_edges.measure = '{{ feature }}'
    group by feature_edges.measure, bin
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

feature_profile as (
    select
        feature_bin_edges.measure,
        feature_bin_edges.bin,
        cast(null as {{ dbt.type_string() }}) as bin_label,
        feature_bin_edges.lower_edge,
        feature_bin_edges.upper_edge,
        coalesce(feature_counts.training_customers, 0) as training_customers
    from feature_bin_edges
    left join feature_counts
        on feature_bin_edges.measure = feature_counts.measure
        and feature_bin_edges.bin = feature_counts.bin
),

segment_counts as (
    select
        segments.segment,
        count(*) as training_customers
    from sample
    inner join segments
        on sample.customer_id = segments.customer_id
    group by segments.segment
),

segment_profile as (
    select
        'segment' as measure,
        cast(definitions.segment_order as integer) as bin,
        definitions.segment as bin_label,
        cast(null as double) as lower_edge,
        cast(null as double) as upper_edge,
        coalesce(segment_counts.training_customers, 0) as training_customers
    from definitions
    left join segment_counts
        on definitions.segment = segment_counts.segment
),

profile as (
    select * from feature_profile
    union all
    select * from segment_profile
),

final as (
    select
        measure,
        bin,
        bin_label,
        lower_edge,
        upper_edge,
        training_customers,
        training_customers / sum(training_customers) over (partition by measure)
            as training_share
    from profile
)

select * from final
