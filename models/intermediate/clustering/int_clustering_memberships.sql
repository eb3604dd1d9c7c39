{#-
    Every customer's cluster under every clustering, long: the compared algorithms at
    their selected k (customer_clusters) and the named GMM segments (clustering
    'segments', cluster = the segment's component in segment_model order).
    It reads int_customer_clusters, not the customer_clusters mart, so that feature
    importance does not wait for the mart and its tests. Without segments (the input
    contract does not make them: has_segments), the compared algorithms only.
-#}
{%- set segments_built = has_segments() %}

with

clusters as (
    select * from {{ ref('int_customer_clusters') }}
),

{%- if segments_built %}

segments as (
    select * from {{ ref('int_customer_segments') }}
),

segment_components as (
    select distinct
        segment,
        component
    from {{ ref('int_segment_parameters') }}
    where segment is not null
),

segment_count as (
    select count(*) as k from segment_components
),
{%- endif %}

final as (
    select
        customer_id::bigint as customer_id,
        algorithm as clustering,
        k::integer as k,
        cluster::integer as cluster,
        cast(cluster as {{ dbt.type_string() }}) as cluster_label
    from clusters
    {%- if segments_built %}

    union all

    select
        segments.customer_id,
        'segments' as clustering,
        segment_count.k,
        segment_components.component as cluster,
        segments.segment as cluster_label
    from segments
    inner join segment_components
        on segments.segment = segment_components.segment
    cross join segment_count
    {%- endif %}
)

select * from final
