{#-
    Clusterings compared, one row per (algorithm, k or min_cluster_size) candidate,
    with the bootstrap stability of each algorithm's selected candidate on its row.
-#}

with

evaluation as (
    select * from {{ ref('int_cluster_evaluation') }}
),

stability as (
    select * from {{ ref('int_cluster_stability') }}
),

final as (
    select
        evaluation.algorithm,
        evaluation.k::integer as k,
        evaluation.parameter_name,
        evaluation.parameter::double as parameter,
        evaluation.silhouette::double as silhouette,
        evaluation.calinski_harabasz::double as calinski_harabasz,
        evaluation.davies_bouldin::double as davies_bouldin,
        evaluation.inertia::double as inertia,
        evaluation.bic::double as bic,
        evaluation.aic::double as aic,
        evaluation.noise_share::double as noise_share,
        evaluation.is_elbow::boolean as is_elbow,
        evaluation.is_selected::boolean as is_selected,
        evaluation.selection_reason,
        evaluation.n_fit_rows::bigint as n_fit_rows,
        evaluation.n_eval_rows::bigint as n_eval_rows,
        stability.stability_ari_median::double as stability_ari_median,
        stability.stability_ari_min::double as stability_ari_min,
        stability.stability_weakest_cluster_jaccard::double
            as stability_weakest_cluster_jaccard,
        stability.stability_reading,
        stability.stability_resamples::integer as stability_resamples,
        stability.stability_rows::bigint as stability_rows
    from evaluation
    left join stability
        on evaluation.algorithm = stability.algorithm
        and evaluation.is_selected
)

select * from final
