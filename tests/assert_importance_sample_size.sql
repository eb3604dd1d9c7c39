{#-
    int_importance_sample holds min(importance_sample_size, customers) distinct
    customers, each with one row per clustering of int_clustering_memberships.
    Returns the violations.
-#}
with

sample as (
    select
        count(distinct customer_id) as customers,
        count(*) as rows_
    from {{ ref('int_importance_sample') }}
),

clusterings as (
    select count(distinct clustering) as clusterings
    from {{ ref('int_clustering_memberships') }}
),

all_customers as (
    select count(*) as customers from {{ ref('int_clustering_features') }}
)

select
    sample.customers,
    sample.rows_,
    clusterings.clusterings,
    all_customers.customers as all_customers
from sample
cross join clusterings
cross join all_customers
where
    sample.customers
    != least({{ var('importance_sample_size') }}, all_customers.customers)
    or sample.rows_ != sample.customers * clusterings.clusterings
