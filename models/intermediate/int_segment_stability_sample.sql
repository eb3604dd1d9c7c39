{#-
    The customers the segment model's stability is measured on (int_segment_stability):
    a seeded sample of at most stability_sample_size training customers, all of them
    when there are fewer. The order is a hash of customer_id and random_seed: the
    same customers on every build of the same data, whatever the storage order.
-#}
{{ config(materialized='view') }}

with

training as (
    select * from {{ ref('int_segment_training') }}
),

final as (
    select *
    from training
    order by hash(customer_id, {{ var('random_seed') }}), customer_id
    limit {{ var('stability_sample_size') }}
)

select * from final
