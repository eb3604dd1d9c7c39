{#- The published customer_scores: int_customer_scores under the
    contract in its YAML. -#}

with

scores as (
    select * from {{ ref('int_customer_scores') }}
),

final as (
    select * from scores
)

select * from final
