{#-
    cluster_evaluation selects at most one candidate per algorithm and explains exactly
    one row per algorithm: the selected one, or, for HDBSCAN finding no density
    structure, an unselected row whose reason starts 'no density structure:'. Every
    customer has exactly one cluster per algorithm with a selected candidate, at that
    candidate's k, and no cluster under an algorithm without one.
    Returns the violations.
-#}
with

selected as (
    select
        algorithm,
        count(*) filter (where is_selected) as selected_rows,
        count(selection_reason) as explained_rows,
        count(*) filter (
            where not is_selected
                and selection_reason like 'no density structure: %'
        ) as unstructured_rows,
        any_value(k) filter (where is_selected) as selected_k
    from {{ ref('cluster_evaluation') }}
    group by algorithm
),

memberships as (
    select
        algorithm,
        count(*) as rows_,
        count(distinct customer_id) as customers,
        min(k) as min_k,
        max(k) as max_k
    from {{ ref('customer_clusters') }}
    group by algorithm
),

all_customers as (
    select count(*) as customers from {{ ref('customers') }}
)

select
    coalesce(selected.algorithm, memberships.algorithm) as algorithm,
    selected.selected_rows,
    selected.unstructured_rows,
    memberships.rows_,
    memberships.customers
from selected
cross join all_customers
full outer join memberships
    on selected.algorithm = memberships.algorithm
where selected.algorithm is null
    or selected.explained_rows != 1
    or (
        selected.selected_rows = 1
        and (
            selected.unstructured_rows != 0
            or memberships.rows_ is null
            or memberships.rows_ != all_customers.customers
            or memberships.customers != all_customers.customers
            or memberships.min_k != selected.selected_k
            or memberships.max_k != selected.selected_k
        )
    )
    or (
        selected.selected_rows = 0
        and (
            selected.algorithm != 'hdbscan'
            or selected.unstructured_rows != 1
            or memberships.algorithm is not null
        )
    )
    or selected.selected_rows > 1
