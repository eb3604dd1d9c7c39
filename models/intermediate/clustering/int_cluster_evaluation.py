"""Clusterings compared over k, with quality figures (logic: evaluate_sample), fitted
on the seeded SQL sample int_cluster_sample only."""

from customer_personality.clustering import SampleConfig, evaluate_sample
from customer_personality.core.frames import feature_lists, returned, to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    evaluation = evaluate_sample(
        to_pandas(dbt.ref("int_cluster_sample"), order=["sample_position"]),
        to_pandas(dbt.ref("int_clustering_standardizer")),
        SampleConfig.from_dbt(
            {
                **dbt.config.get("cluster_config"),
                **feature_lists(dbt.ref("int_feature_lists")),
            }
        ),
    )
    return returned(session, evaluation)
