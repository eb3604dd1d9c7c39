{#- The published customer_segments: int_customer_segments under the contract in its
    YAML. -#}

select * from {{ ref('int_customer_segments') }}
