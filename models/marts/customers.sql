{#- The published customers: int_customers_enriched under the
    contract in its YAML. -#}

with

customers as (
    select * from {{ ref('int_customers_enriched') }}
),

final as (
    select * from customers
)

select * from final
