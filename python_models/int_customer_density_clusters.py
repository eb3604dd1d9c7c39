"""Every customer's HDBSCAN cluster when int_cluster_evaluation selected one (logic:
label_sample_customers); no rows, and no customer read, when it selected none."""

from customer_personality.clustering import (
    LABEL_COLUMNS,
    SELECTION_COLUMNS,
    SampleConfig,
    label_sample_customers,
)


def model(dbt, session):
    dbt.config(materialized="table")
    evaluation = (
        dbt.ref("int_cluster_evaluation")
        .project(SELECTION_COLUMNS)
        .filter("algorithm = 'hdbscan'")
        .df()
    )
    if not evaluation["is_selected"].any():
        return session.sql(
            "select 0::bigint as customer_id, ''::varchar as algorithm, "
            "0::bigint as k, 0::bigint as cluster limit 0"
        ).df()[list(LABEL_COLUMNS)]
    return label_sample_customers(
        dbt.ref("int_clustering_features").df(),
        dbt.ref("int_cluster_sample").df(),
        dbt.ref("int_clustering_standardizer").df(),
        evaluation,
        SampleConfig.from_dbt(dbt.config.get("cluster_config")),
    )
