"""The selected K-Means, GMM and Ward clusterings as a parameter table, fitted on the
seeded SQL sample only (logic: cluster_parameters); SQL labels every customer."""

from customer_personality.clustering import (
    SELECTION_COLUMNS,
    SampleConfig,
    cluster_parameters,
)
from customer_personality.core.frames import feature_lists, returned, to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    table = cluster_parameters(
        to_pandas(dbt.ref("int_cluster_sample"), order=["sample_position"]),
        to_pandas(dbt.ref("int_clustering_standardizer")),
        to_pandas(dbt.ref("int_cluster_evaluation"), SELECTION_COLUMNS),
        SampleConfig.from_dbt(
            {
                **dbt.config.get("cluster_config"),
                **feature_lists(dbt.ref("int_feature_lists")),
            }
        ),
    )
    return returned(session, table)
