"""The selected K-Means, GMM and Ward clusterings as a parameter table, fitted on the
seeded SQL sample only (logic: cluster_parameters); SQL labels every customer."""

from customer_personality.cluster_parameters import cluster_parameters
from customer_personality.clustering import SELECTION_COLUMNS, SampleConfig


def model(dbt, session):
    dbt.config(materialized="table")
    return cluster_parameters(
        dbt.ref("int_cluster_sample").df(),
        dbt.ref("int_clustering_standardizer").df(),
        dbt.ref("int_cluster_evaluation").project(SELECTION_COLUMNS).df(),
        SampleConfig.from_dbt(dbt.config.get("cluster_config")),
    )
