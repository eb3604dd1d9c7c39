"""Clusterings compared over k, with quality figures (logic: evaluate_clusterings)."""

from customer_personality.clustering import evaluate_clusterings


def model(dbt, session):
    dbt.config(materialized="table")
    numeric = list(dbt.config.get("cluster_numeric_features"))
    categorical = list(dbt.config.get("cluster_categorical_features"))
    k_min = dbt.config.get("cluster_k_min")
    k_max = dbt.config.get("cluster_k_max")
    result = evaluate_clusterings(
        dbt.ref("int_clustering_features").df(),
        numeric=numeric,
        categorical=categorical,
        k_values=range(k_min, k_max + 1),
        sample_size=dbt.config.get("cluster_sample_size"),
        fit_sample_size=dbt.config.get("cluster_fit_sample_size"),
        max_noise_share=dbt.config.get("cluster_max_noise_share"),
        max_cluster_share=dbt.config.get("cluster_max_cluster_share"),
        random_state=dbt.config.get("random_seed"),
        assign=False,  # int_customer_clusters labels every customer
    )
    return result.evaluation
