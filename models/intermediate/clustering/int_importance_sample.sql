{#-
    The customers feature_importance learns from: a seeded sample of at most
    importance_sample_size customers (all of them when there are fewer), with their
    clustering features and their cluster under every clustering, one row per
    (customer, clustering). Sampling here keeps the Python model from reading every
    customer's membership (five rows per customer) to keep a few thousand.
    The sample is the macro seeded_sample's (a hash of customer_id and random_seed):
    the same customers on every build of the same data, whatever the storage order.
-#}

with

features as (
    select * from {{ ref('int_clustering_features') }}
),

memberships as (
    select * from {{ ref('int_clustering_memberships') }}
),

sampled as (
    {{ seeded_sample(ref('int_clustering_features'), var('importance_sample_size')) }}
),

final as (
    select
        features.*,
        memberships.clustering,
        memberships.k,
        memberships.cluster
    from sampled
    inner join features
        on sampled.customer_id = features.customer_id
    inner join memberships
        on sampled.customer_id = memberships.customer_id
)

select * from final
