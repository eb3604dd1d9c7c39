"""The selected K-Means, GMM and Ward clusterings as a parameter table, fitted on the
seeded SQL sample only (logic: cluster_parameters); SQL labels every customer."""

from customer_personality.cluster_parameters import cluster_parameters


def model(dbt, session):
    dbt.config(materialized="table")
    return cluster_parameters(
        dbt.ref("int_cluster_sample").df(),
        dbt.ref("int_clustering_standardizer").df(),
        dbt.ref("int_cluster_evaluation")
        .project("algorithm, k, parameter, is_selected")
        .df(),
        numeric=list(dbt.config.get("cluster_numeric_features")),
        categorical=list(dbt.config.get("cluster_categorical_features")),
        sample_size=dbt.config.get("cluster_sample_size"),
        random_state=dbt.config.get("random_seed"),
    )
