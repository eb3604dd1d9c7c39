{#- Which features drive each clustering (random forest, permutation importance). -#}

with

importance as (
    select * from {{ ref('int_feature_importance') }}
),

final as (
    select
        algorithm as clustering,
        k::integer as k,
        feature,
        importance_mean::double as importance_mean,
        importance_std::double as importance_std,
        rank::integer as importance_rank,
        test_accuracy::double as test_accuracy,
        n_train_rows::bigint as n_train_rows,
        n_test_rows::bigint as n_test_rows
    from importance
)

select * from final
