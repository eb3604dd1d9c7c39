"""Bootstrap stability of each algorithm's selected clustering (logic:
clustering.sample_stability refits only the selected candidates, on the
seeded SQL sample int_cluster_sample)."""

from customer_personality.clustering import (
    SELECTION_COLUMNS,
    SampleConfig,
    sample_stability,
)
from customer_personality.core.frames import feature_lists, returned, to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    table = sample_stability(
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
