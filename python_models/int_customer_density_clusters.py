"""Every customer's HDBSCAN cluster when int_cluster_evaluation selected one (logic:
label_sample_customers); no rows, and no customer read, when it selected none."""

import pandas as pd
import pyarrow as pa

from customer_personality.clustering import (
    LABEL_COLUMNS,
    SELECTION_COLUMNS,
    SampleConfig,
    label_sample_customers,
)
from customer_personality.frames import returned, to_pandas

# The labels' types when there are none: bigint ids, text algorithm, bigint k, cluster.
NO_LABELS = pa.schema(
    [(name, pa.string() if name == "algorithm" else pa.int64()) for name in LABEL_COLUMNS]
)


def model(dbt, session):
    dbt.config(materialized="table")
    evaluation = to_pandas(
        dbt.ref("int_cluster_evaluation"),
        SELECTION_COLUMNS,
        where="algorithm = 'hdbscan'",
    )
    if not evaluation["is_selected"].any():
        return returned(session, NO_LABELS.empty_table())
    labels = label_sample_customers(
        to_pandas(dbt.ref("int_clustering_features")),
        to_pandas(dbt.ref("int_cluster_sample"), order=["sample_position"]),
        to_pandas(dbt.ref("int_clustering_standardizer")),
        evaluation,
        SampleConfig.from_dbt(dbt.config.get("cluster_config")),
    )
    return returned(session, pd.DataFrame(labels))
