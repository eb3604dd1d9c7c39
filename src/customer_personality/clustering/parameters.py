"""The selected clusterings as a parameter table, scored on every customer in SQL.

For each SQL-scored algorithm's selected candidate of the evaluation, refitted on the
seeded SQL sample as clustering.evaluate_sample fits it, the rows its class's
`parameters()` gives (PARAMETER_COLUMNS): K-Means centroids; Ward's centroids of its
clusters on the evaluation sample and that sample's own labels; the GMM's
per-component constant, Cholesky factor and shift. Cluster ids are the estimator's
own: the build renumbers them by size over every customer (macros nearest_centroid
and gaussian_mixture_component, model int_customer_clusters). HDBSCAN is not in the
table (int_customer_density_clusters labels in Python).
"""

from __future__ import annotations

import pandas as pd

from customer_personality.clustering.base import (
    PARAMETER_COLUMNS,
    PARAMETER_TYPES,
    parameter_frame,
)
from customer_personality.clustering.evaluation import selected_estimators
from customer_personality.clustering.samples import SampleConfig

__all__ = ["PARAMETER_COLUMNS", "SQL_SCORED", "cluster_parameters"]

# The algorithms SQL labels; HDBSCAN's assignment stays in Python.
SQL_SCORED: tuple[str, ...] = ("kmeans", "gmm", "agglomerative")


def cluster_parameters(
    sample: pd.DataFrame,
    standardizer_table: pd.DataFrame,
    evaluation: pd.DataFrame,
    config: SampleConfig,
) -> pd.DataFrame:
    """The parameter table (PARAMETER_COLUMNS) of the candidates `evaluation` (from
    clustering.evaluate_sample with the same config) selected, HDBSCAN aside."""
    prepared = config.prepare(sample, standardizer_table)
    selected = evaluation[evaluation["algorithm"].isin(SQL_SCORED)]
    tables = [e.parameters() for e in selected_estimators(selected, prepared, config)]
    if not tables:
        return parameter_frame([])
    return pd.concat(tables, ignore_index=True).astype(PARAMETER_TYPES)
