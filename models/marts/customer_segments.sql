{#- The published customer_segments: int_customer_segments under the
    contract in its YAML. -#}

with

segments as (
    select * from {{ ref('int_customer_segments') }}
),

final as (
    select * from segments
)

select * from final
