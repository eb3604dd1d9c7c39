{#- Three principal components per customer, for 3-D plots of any clustering. -#}

with

projection as (
    select * from {{ ref('int_customer_projection') }}
),

final as (
    select
        customer_id::bigint as customer_id,
        pc1::double as pc1,
        pc2::double as pc2,
        pc3::double as pc3,
        explained_variance_ratio_1::double as explained_variance_ratio_1,
        explained_variance_ratio_2::double as explained_variance_ratio_2,
        explained_variance_ratio_3::double as explained_variance_ratio_3,
    from projection
)

select * from final
