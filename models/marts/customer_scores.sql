{#- The published customer_scores: int_customer_scores under the contract in its
    YAML. -#}

select * from {{ ref('int_customer_scores') }}
