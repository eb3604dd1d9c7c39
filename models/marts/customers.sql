{#- The published customers: int_customers_enriched under the contract in its YAML. -#}

select * from {{ ref('int_customers_enriched') }}
