"""Clusterings compared over k, with quality figures (logic: evaluate_sample), fitted
on the seeded SQL sample int_cluster_sample only."""

from customer_personality.clustering import SampleConfig, evaluate_sample


def model(dbt, session):
    dbt.config(materialized="table")
    return evaluate_sample(
        dbt.ref("int_cluster_sample").df(),
        dbt.ref("int_clustering_standardizer").df(),
        SampleConfig.from_dbt(dbt.config.get("cluster_config")),
    )
