{#- Statistical evidence that the segments differ (int_segment_statistics). -#}

with

tests as (
    select * from {{ ref('int_segment_statistics') }}
),

final as (
    select
        test,
        grouping,
        feature,
        feature_2,
        group_a,
        group_b,
        statistic::double as statistic,
        p_value::double as p_value,
        p_value_adjusted::double as p_value_adjusted,
        effect_size::double as effect_size,
        effect_size_name,
        degrees_of_freedom::double as degrees_of_freedom,
        n::bigint as n,
        sampled::boolean as sampled,
        is_significant::boolean as is_significant,
        interpretation
    from tests
)

select * from final
