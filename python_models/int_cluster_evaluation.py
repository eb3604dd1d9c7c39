"""Clusterings compared over k, with quality figures (logic: evaluate_sample), fitted
on the seeded SQL sample int_cluster_sample only."""

from customer_personality.clustering import evaluate_sample


def model(dbt, session):
    dbt.config(materialized="table")
    k_min = dbt.config.get("cluster_k_min")
    k_max = dbt.config.get("cluster_k_max")
    return evaluate_sample(
        dbt.ref("int_cluster_sample").df(),
        dbt.ref("int_clustering_standardizer").df(),
        numeric=list(dbt.config.get("cluster_numeric_features")),
        categorical=list(dbt.config.get("cluster_categorical_features")),
        k_values=range(k_min, k_max + 1),
        sample_size=dbt.config.get("cluster_sample_size"),
        max_noise_share=dbt.config.get("cluster_max_noise_share"),
        max_cluster_share=dbt.config.get("cluster_max_cluster_share"),
        random_state=dbt.config.get("random_seed"),
    )
