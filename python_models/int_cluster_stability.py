"""Bootstrap stability of each algorithm's selected clustering (logic:
cluster_stability.sample_stability refits only the selected candidates, on the
seeded SQL sample int_cluster_sample)."""

from customer_personality.cluster_stability import sample_stability
from customer_personality.clustering import SELECTION_COLUMNS, SampleConfig


def model(dbt, session):
    dbt.config(materialized="table")
    return sample_stability(
        dbt.ref("int_cluster_sample").df(),
        dbt.ref("int_clustering_standardizer").df(),
        dbt.ref("int_cluster_evaluation").project(SELECTION_COLUMNS).df(),
        SampleConfig.from_dbt(dbt.config.get("cluster_config")),
    )
