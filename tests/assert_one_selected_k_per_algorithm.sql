{#-
    cluster_evaluation selects exactly one candidate per algorithm, and every customer
    has exactly one cluster per algorithm, at that algorithm's selected k.
    Returns the violations.
-#}
with

selected as (
    select
        algorithm,
        count(*) filter (where is_selected) as selected_rows,
        any_value(k) filter (where is_selected) as selected_k,
    from {{ ref('cluster_evaluation') }}
    group by algorithm
),

memberships as (
    select
        algorithm,
        count(*) as rows_,
        count(distinct customer_id) as customers,
        min(k) as min_k,
        max(k) as max_k,
    from {{ ref('customer_clusters') }}
    group by algorithm
),

all_customers as (
    select count(*) as customers from {{ ref('customers') }}
)

select
    selected.algorithm,
    selected.selected_rows,
    memberships.rows_,
    memberships.customers,
from selected
cross join all_customers
left join memberships
    on selected.algorithm = memberships.algorithm
where selected.selected_rows != 1
    or memberships.rows_ is null
    or memberships.rows_ != all_customers.customers
    or memberships.customers != all_customers.customers
    or memberships.min_k != selected.selected_k
    or memberships.max_k != selected.selected_k
