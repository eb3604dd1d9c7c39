{#- Every customer's cluster under each compared algorithm at its selected k (long). -#}

with

clusters as (
    select * from {{ ref('int_customer_clusters') }}
),

final as (
    select
        customer_id::bigint as customer_id,
        algorithm,
        k::integer as k,
        cluster::integer as cluster
    from clusters
)

select * from final
