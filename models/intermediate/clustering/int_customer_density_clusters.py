"""Every customer's HDBSCAN cluster when int_cluster_evaluation selected one (logic:
label_sample_customers); no rows, and no customer read, when it selected none."""

from customer_personality.clustering import (
    LABEL_SCHEMA,
    SELECTION_COLUMNS,
    SampleConfig,
    label_sample_customers,
)
from customer_personality.core.frames import feature_lists, returned, to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    evaluation = to_pandas(
        dbt.ref("int_cluster_evaluation"),
        SELECTION_COLUMNS,
        where="algorithm = 'hdbscan'",
    )
    if not evaluation["is_selected"].any():
        return returned(session, LABEL_SCHEMA.empty_table())
    labels = label_sample_customers(
        to_pandas(dbt.ref("int_clustering_features")),
        to_pandas(dbt.ref("int_cluster_sample"), order=["sample_position"]),
        to_pandas(dbt.ref("int_clustering_standardizer")),
        evaluation,
        SampleConfig.from_dbt(
            {
                **dbt.config.get("cluster_config"),
                **feature_lists(dbt.ref("int_feature_lists")),
            }
        ),
    )
    return returned(session, labels)
