"""The build's clusterings compared: each algorithm of the registry fitted over its
grid on the seeded SQL sample, scored, and its candidate selected (evaluate_sample);
the selected ones refitted alone for the models after it (selected_estimators)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score

from customer_personality.clustering.base import ClusteringAlgorithm
from customer_personality.clustering.hdbscan import HDBSCANClustering
from customer_personality.clustering.kmeans import KMeansClustering
from customer_personality.clustering.metrics import silhouette_scores
from customer_personality.clustering.mixture import GaussianMixtureClustering
from customer_personality.clustering.samples import PreparedSamples, SampleConfig
from customer_personality.clustering.ward import WardClustering
from customer_personality.core import single_threaded, text_column

# The algorithms compared, by the name the tables carry, in the tables' order.
ESTIMATORS: dict[str, type[ClusteringAlgorithm]] = {
    estimator.name: estimator
    for estimator in (
        KMeansClustering,
        GaussianMixtureClustering,
        WardClustering,
        HDBSCANClustering,
    )
}
ALGORITHMS: tuple[str, ...] = tuple(ESTIMATORS)
EVALUATION_COLUMNS: tuple[str, ...] = (
    "algorithm",
    "k",
    "parameter_name",
    "parameter",
    "silhouette",
    "calinski_harabasz",
    "davies_bouldin",
    "inertia",
    "bic",
    "aic",
    "noise_share",
    "is_elbow",
    "is_selected",
    "selection_reason",
    "n_fit_rows",
    "n_eval_rows",
)
LABEL_COLUMNS: tuple[str, ...] = ("customer_id", "algorithm", "k", "cluster")
# The labels' types, for a table of none: bigint ids, text algorithm, bigint k, cluster.
LABEL_SCHEMA = pa.schema(
    [(name, pa.string() if name == "algorithm" else pa.int64()) for name in LABEL_COLUMNS]
)
# The columns of int_cluster_evaluation the models after it read.
SELECTION_COLUMNS: tuple[str, ...] = ("algorithm", "k", "parameter", "is_selected")


def _check_known(algorithms: Sequence[str]) -> None:
    unknown = [a for a in algorithms if a not in ESTIMATORS]
    if unknown:
        raise ValueError(f"unknown algorithms {unknown}; choose from {list(ALGORITHMS)}")


def metric_rows(
    X_eval: np.ndarray, estimators: Sequence[ClusteringAlgorithm]
) -> list[list[dict]]:
    """Per estimator, one evaluation row per fitted candidate: silhouette,
    Calinski-Harabasz and Davies-Bouldin on the evaluation sample (noise left out),
    with the candidate's own figures. One distance pass scores every candidate."""
    pairs = [(e, c) for e in estimators for c in e.candidates_]
    silhouettes = silhouette_scores(X_eval, [c.eval_labels for _, c in pairs])
    rows: dict[str, list[dict]] = {e.name: [] for e in estimators}
    for (estimator, candidate), silhouette in zip(pairs, silhouettes, strict=True):
        kept = candidate.eval_labels >= 0
        labels = candidate.eval_labels[kept]
        n_clusters = len(np.unique(labels))
        calinski = davies = np.nan
        if 2 <= n_clusters < len(labels):
            calinski = float(calinski_harabasz_score(X_eval[kept], labels))
            davies = float(davies_bouldin_score(X_eval[kept], labels))
        rows[estimator.name].append(
            {
                "algorithm": estimator.name,
                "k": candidate.k,
                "parameter_name": estimator.parameter_name,
                "parameter": candidate.parameter,
                "silhouette": float(silhouette),
                "calinski_harabasz": calinski,
                "davies_bouldin": davies,
                "inertia": candidate.inertia,
                "bic": candidate.bic,
                "aic": candidate.aic,
                "noise_share": candidate.noise_share,
                "is_elbow": False,
                "is_selected": False,
                "selection_reason": None,
                "n_fit_rows": candidate.n_fit_rows,
                "n_eval_rows": len(X_eval),
            }
        )
    return [rows[e.name] for e in estimators]


def fit_estimators(
    prepared: PreparedSamples,
    config: SampleConfig,
    algorithms: Sequence[str] = ALGORITHMS,
) -> tuple[list[ClusteringAlgorithm], list[dict]]:
    """Each algorithm fitted over its grid, every candidate scored (one distance
    pass on the evaluation sample), and selected: the estimators and the evaluation
    rows (EVALUATION_COLUMNS), algorithm by algorithm."""
    if not algorithms:
        raise ValueError("no algorithms given")
    _check_known(algorithms)
    estimators = [ESTIMATORS[name](config).fit(prepared) for name in algorithms]
    with single_threaded():
        per_estimator = metric_rows(prepared.X_eval, estimators)
    rows: list[dict] = []
    for estimator, estimator_rows in zip(estimators, per_estimator, strict=True):
        estimator.select(estimator_rows)
        rows += estimator_rows
    return estimators, rows


def evaluation_frame(rows: list[dict]) -> pd.DataFrame:
    """The evaluation rows as a frame of plain dtypes (NaN where a figure is absent)."""
    evaluation = pd.DataFrame(rows, columns=list(EVALUATION_COLUMNS))
    text = ("algorithm", "parameter_name", "selection_reason")
    counts = ("k", "n_fit_rows", "n_eval_rows")
    flags = ("is_elbow", "is_selected")
    evaluation = evaluation.astype(
        {
            **dict.fromkeys(text, "str"),
            **dict.fromkeys(counts, np.int64),
            **dict.fromkeys(flags, bool),
        }
    )
    for column in EVALUATION_COLUMNS:
        if column not in (*text, *counts, *flags):
            evaluation[column] = evaluation[column].astype(np.float64)
    return evaluation


def evaluate_sample(
    sample: pd.DataFrame, standardizer_table: pd.DataFrame, config: SampleConfig
) -> pd.DataFrame:
    """The evaluation table (EVALUATION_COLUMNS) from a seeded SQL sample and the
    standardizer of every customer (SampleConfig.prepare): what the build runs.

    Metrics (silhouette, Calinski-Harabasz, Davies-Bouldin on non-noise rows; inertia
    and BIC/AIC) use the evaluation sample; K-Means and the GMM fit on every sample
    row, Ward and HDBSCAN on the evaluation sample. One selected row per algorithm
    at most, by its class's rule. Figures only: the models that need a selected
    candidate refit it (selected_estimators; deterministic, the same fit)."""
    _, rows = fit_estimators(config.prepare(sample, standardizer_table), config)
    return evaluation_frame(rows)


def selected_estimators(
    evaluation: pd.DataFrame,
    prepared: PreparedSamples,
    config: SampleConfig,
) -> list[ClusteringAlgorithm]:
    """Each algorithm's selected candidate of `evaluation` (evaluate_sample's, or
    its SELECTION_COLUMNS) refitted alone on the same `prepared` samples, in the
    evaluation's order. An algorithm with no selected candidate (HDBSCAN finding
    no density structure) has none."""
    selected = evaluation[evaluation["is_selected"].astype(bool)]
    if selected["algorithm"].duplicated().any():
        raise ValueError("evaluation selects more than one candidate per algorithm")
    _check_known(selected["algorithm"].tolist())
    return [
        ESTIMATORS[row.algorithm].refit(config, prepared, row)
        for row in selected.itertuples(index=False)
    ]


def _labels_frame(
    ids: np.ndarray, blocks: Sequence[tuple[str, int, np.ndarray]]
) -> pd.DataFrame:
    """Long labels (LABEL_COLUMNS) from (algorithm, k, cluster per sorted id) blocks."""
    n_rows = len(ids)
    return pd.DataFrame(
        {
            "customer_id": np.tile(ids, len(blocks)),
            "algorithm": text_column(
                np.repeat(np.arange(len(blocks)), n_rows),
                [algorithm for algorithm, _, _ in blocks],
            ),
            "k": np.repeat([k for _, k, _ in blocks], n_rows).astype(np.int64),
            "cluster": (
                np.concatenate([labels for _, _, labels in blocks])
                if blocks
                else np.zeros(0, dtype=np.int64)
            ),
        },
        copy=False,
    )


def label_sample_customers(
    data: pd.DataFrame,
    sample: pd.DataFrame,
    standardizer_table: pd.DataFrame,
    evaluation: pd.DataFrame,
    config: SampleConfig,
) -> pd.DataFrame:
    """Every customer of `data` (LABEL_COLUMNS), standardized by
    `standardizer_table`, under each candidate `evaluation` selected, refitted on
    the SQL `sample` (selected_estimators; the evaluation sample keeps its own
    labels where the algorithm was fitted on it). Cluster 0 is the largest."""
    prepared = config.prepare(sample, standardizer_table)
    frame, X = config.standardized(data, standardizer_table)
    ids = frame["customer_id"].to_numpy(np.int64)
    sample_ids = prepared.ids[prepared.eval_index]
    eval_index = np.searchsorted(ids, sample_ids)
    if not np.array_equal(ids[eval_index], sample_ids):
        raise ValueError("the evaluation sample holds customers that data does not")
    blocks = [
        (estimator.name, estimator.selected_.k, estimator.label(X, eval_index))
        for estimator in selected_estimators(evaluation, prepared, config)
    ]
    return _labels_frame(ids, blocks)
