"""The selected clusterings as a parameter table, scored on every customer in SQL.

For each algorithm's selected candidate of the evaluation, fitted on the seeded SQL
sample as clustering.evaluate_sample fits it, a long table of what labelling a
customer needs: K-Means centroids; Ward's centroids of its clusters on the
evaluation sample and that sample's own labels (a sample customer keeps its Ward
cluster, any other takes the nearest centroid, as clustering's _assign_all does);
the GMM's per-component constant (log weight + log determinant of the precision's
Cholesky factor), Cholesky factor and shift (mean times factor), so that a component's
log density is constant - |z L - shift|^2 / 2 up to a term common to all. Cluster
ids are the estimator's own: the build renumbers them by size over every customer
(macros nearest_centroid and gaussian_mixture_component, model
int_customer_clusters). HDBSCAN is not in the table (int_customer_density_clusters).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from customer_personality.clustering import (
    Candidate,
    PreparedSamples,
    SampleConfig,
    selected_candidates,
)
from customer_personality.projection import _input_columns

PARAMETER_COLUMNS: tuple[str, ...] = (
    "algorithm",
    "k",
    "cluster",
    "parameter",
    "customer_id",
    "feature",
    "category",
    "axis",
    "value",
)
# The algorithms SQL labels; HDBSCAN's assignment stays in Python.
SQL_SCORED: tuple[str, ...] = ("kmeans", "gmm", "agglomerative")


def _centroid_rows(
    candidate: Candidate, centroids: np.ndarray, inputs: list[tuple]
) -> list[tuple]:
    return [
        (candidate.algorithm, candidate.k, c, "centroid", None, *key, None, value)
        for c, centroid in enumerate(centroids)
        for key, value in zip(inputs, centroid.tolist(), strict=True)
    ]


def _ward_rows(
    candidate: Candidate, prepared: PreparedSamples, inputs: list[tuple]
) -> list[tuple]:
    """Centroids of Ward's clusters on the evaluation sample, and its labels."""
    labels = candidate.eval_labels
    clusters = np.unique(labels)
    if not np.array_equal(clusters, np.arange(len(clusters))):
        raise ValueError("Ward clusters are expected to be numbered 0..k-1")
    X_eval = prepared.X_eval
    centroids = np.stack([X_eval[labels == c].mean(axis=0) for c in clusters])
    ids = prepared.ids[prepared.eval_index]
    sample = [
        (candidate.algorithm, candidate.k, int(c), "sample_label", int(i))
        + (None, None, None, None)
        for i, c in zip(ids.tolist(), labels.tolist(), strict=True)
    ]
    return _centroid_rows(candidate, centroids, inputs) + sample


def _gmm_rows(candidate: Candidate, inputs: list[tuple]) -> list[tuple]:
    """Constant, Cholesky factor of the precision and shift of each component."""
    model = candidate.model
    if model.covariance_type != "full":
        raise ValueError("SQL scores full-covariance mixtures only")
    columns = candidate.extra["columns"]
    used = [inputs[j] for j in columns]
    factors = model.precisions_cholesky_
    shift = np.einsum("kd,kde->ke", model.means_, factors)
    constant = np.log(np.diagonal(factors, axis1=1, axis2=2)).sum(axis=1)
    constant += np.log(model.weights_)
    head = ("gmm", candidate.k)
    rows = []
    for c in range(len(factors)):
        rows.append((*head, c, "constant", None, None, None, None, constant[c]))
        for e in range(factors.shape[2]):
            rows.append((*head, c, "shift", None, None, None, e, shift[c, e]))
            for d, key in enumerate(used):
                value = factors[c, d, e]
                rows.append((*head, c, "precision_cholesky", None, *key, e, value))
    return rows


def cluster_parameters(
    sample: pd.DataFrame,
    standardizer_table: pd.DataFrame,
    evaluation: pd.DataFrame,
    config: SampleConfig,
) -> pd.DataFrame:
    """The parameter table (PARAMETER_COLUMNS) of the candidates `evaluation` (from
    clustering.evaluate_sample with the same config) selected, HDBSCAN aside."""
    prepared = config.prepare(sample, standardizer_table)
    numeric, categorical = config.numeric, config.categorical
    random_state = config.random_state
    table = _input_columns(standardizer_table, numeric, categorical)
    inputs = list(zip(table["feature"], table["category"], strict=True))
    selected = evaluation[evaluation["algorithm"].isin(SQL_SCORED)]
    rows: list[tuple] = []
    for candidate in selected_candidates(selected, prepared, random_state):
        if candidate.algorithm == "kmeans":
            rows += _centroid_rows(candidate, candidate.model.cluster_centers_, inputs)
        elif candidate.algorithm == "agglomerative":
            rows += _ward_rows(candidate, prepared, inputs)
        else:
            rows += _gmm_rows(candidate, inputs)
    out = pd.DataFrame(rows, columns=list(PARAMETER_COLUMNS))
    return out.astype(
        {
            "algorithm": "str",
            "k": np.int64,
            "cluster": np.int64,
            "parameter": "str",
            "customer_id": "Int64",
            "feature": "string",
            "category": "string",
            "axis": "Int64",
            "value": np.float64,
        }
    )
