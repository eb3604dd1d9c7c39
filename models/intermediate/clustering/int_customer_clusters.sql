{#-
    Every customer's cluster under each algorithm at the k (min_cluster_size)
    int_cluster_evaluation selected, in SQL from the parameter table
    int_cluster_parameters (fitted on the seeded sample only): each customer
    standardized by int_clustering_standardizer (macro cluster_inputs); K-Means the
    nearest centroid, the GMM the component of highest posterior (macro
    gaussian_mixture_component), Ward the customer's own cluster when in the
    evaluation sample and the nearest of its clusters' centroids otherwise (macro
    nearest_centroid; only Ward has sample labels). Cluster ids are then renumbered by size over every customer
    (0 the largest, ties by the estimator's id), as the Python estimator numbers
    them. HDBSCAN's labels, when it selected a candidate, come from
    int_customer_density_clusters.
-#}
{%- set standardizer = ref('int_clustering_standardizer') -%}
{%- set parameter_table = ref('int_cluster_parameters') -%}
{%- set scorers = {} -%}
{%- set inputs = [] -%}
{%- if execute -%}
    {%- set inputs = cluster_inputs(standardizer) -%}
    {%- for algorithm in ['kmeans', 'agglomerative'] -%}
        {%- set scores = nearest_centroid(parameter_table, algorithm, inputs) -%}
        {%- if scores -%}
            {%- do scorers.update({algorithm: {'scores': scores, 'largest': false}}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set scores = gaussian_mixture_component(parameter_table, inputs) -%}
    {%- if scores -%}
        {%- do scorers.update({'gmm': {'scores': scores, 'largest': true}}) -%}
    {%- endif -%}
{%- endif %}

with

{# Read by `standardized` only, which renders when there are scorers: none when
    sqlfluff renders this file (execute is False), so ST03 would call it unused. #}
features as (  -- noqa: ST03
    select * from {{ ref('int_clustering_features') }}
),

parameters as (
    select * from {{ parameter_table }}
),

density_clusters as (
    select * from {{ ref('int_customer_density_clusters') }}
),

selected as (
    select distinct
        algorithm,
        k
    from parameters
),

sample_labels as (
    select
        customer_id,
        algorithm,
        cluster
    from parameters
    where parameter = 'sample_label'
),
{%- if scorers %}

standardized as (
    select
        {%- for input in inputs %}
        {{ input['expression'] }} as {{ input['column'] }},
        {%- endfor %}
        customer_id
    from features
),

scores as (
    select
        {%- for algorithm, scorer in scorers.items() %}
        {{ scorer['scores'] }} as {{ algorithm }},
        {%- endfor %}
        customer_id
    from standardized
),

raw_labels as (
    {%- for algorithm, scorer in scorers.items() %}
    {%- set nearest = list_argmin('scores.' ~ algorithm, scorer['largest']) %}
    select
        scores.customer_id,
        '{{ algorithm }}' as algorithm,
        {%- if algorithm == 'agglomerative' %}
        coalesce(sample_labels.cluster, {{ nearest }}) as raw_cluster
    from scores
    left join sample_labels
        on scores.customer_id = sample_labels.customer_id
        and sample_labels.algorithm = '{{ algorithm }}'
        {%- else %}
        {{ nearest }} as raw_cluster
    from scores
        {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),
{%- else %}

raw_labels as (
    select
        customer_id,
        algorithm,
        cluster as raw_cluster
    from sample_labels
    where false
),
{%- endif %}

sizes as (
    select
        algorithm,
        raw_cluster,
        count(*) as customers
    from raw_labels
    group by algorithm, raw_cluster
),

numbering as (
    select
        algorithm,
        raw_cluster,
        row_number() over (
            partition by algorithm order by customers desc, raw_cluster asc
        ) - 1 as cluster
    from sizes
),

final as (
    select
        cast(raw_labels.customer_id as bigint) as customer_id,
        raw_labels.algorithm,
        cast(selected.k as bigint) as k,
        cast(numbering.cluster as bigint) as cluster
    from raw_labels
    inner join selected
        on raw_labels.algorithm = selected.algorithm
    inner join numbering
        on raw_labels.algorithm = numbering.algorithm
        and raw_labels.raw_cluster = numbering.raw_cluster

    union all

    select
        cast(customer_id as bigint) as customer_id,
        algorithm,
        cast(k as bigint) as k,
        cast(cluster as bigint) as cluster
    from density_clusters
)

select * from final
