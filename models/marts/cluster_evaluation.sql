{#- Clusterings compared, one row per (algorithm, k or min_cluster_size) candidate. -#}

with

evaluation as (
    select * from {{ ref('int_cluster_evaluation') }}
),

final as (
    select
        algorithm,
        k::integer as k,
        parameter_name,
        parameter::double as parameter,
        silhouette::double as silhouette,
        calinski_harabasz::double as calinski_harabasz,
        davies_bouldin::double as davies_bouldin,
        inertia::double as inertia,
        bic::double as bic,
        aic::double as aic,
        noise_share::double as noise_share,
        is_elbow::boolean as is_elbow,
        is_selected::boolean as is_selected,
        selection_reason,
        n_fit_rows::bigint as n_fit_rows,
        n_eval_rows::bigint as n_eval_rows,
    from evaluation
)

select * from final
