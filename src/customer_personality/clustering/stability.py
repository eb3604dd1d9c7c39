"""How stable each algorithm's selected clustering is under resampling.

For each algorithm's selected candidate of `cluster_evaluation`, the algorithm is
refitted at its selected k (HDBSCAN: min_cluster_size) on bootstrap resamples of the
evaluation sample (at most `stability_sample_size` of its rows; at most
`quadratic_stability_size` for Ward and HDBSCAN, whose fits grow with the square of
the rows), and every refit labels those rows as the build labels customers: K-Means
and the GMM predict; Ward and HDBSCAN keep the labels of the rows they were fitted
on and assign the others (nearest centroid; a clustered row whose core distance
reaches it). Each refit is compared with the selected clustering by the clusterwise
bootstrap of `customer_personality.core.bootstrap` (ARI of the partitions, best-match
Jaccard per cluster, Hennig's readings). Only samples are refitted, never every
customer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from customer_personality.clustering.base import ClusteringAlgorithm
from customer_personality.clustering.evaluation import selected_estimators
from customer_personality.clustering.samples import SampleConfig
from customer_personality.core import bootstrap_stability, reading, single_threaded

STABILITY_COLUMNS: tuple[str, ...] = (
    "algorithm",
    "k",
    "stability_ari_median",
    "stability_ari_min",
    "stability_weakest_cluster_jaccard",
    "stability_reading",
    "stability_resamples",
    "stability_rows",
)


def stability_rows(n_rows: int, sample_size: int, random_state: int) -> np.ndarray:
    """Positions in the evaluation sample of the rows stability is measured on: all
    of them, or a seeded subset of `sample_size` (sorted)."""
    if n_rows <= sample_size:
        return np.arange(n_rows)
    rng = np.random.default_rng(random_state)
    return np.sort(rng.choice(n_rows, size=sample_size, replace=False))


def stability_size(estimator: ClusteringAlgorithm, config: SampleConfig) -> int:
    """The most rows an estimator's bootstrap refits: config.stability_sample_size,
    capped at config.quadratic_stability_size for a fit that grows with the square
    of the rows (Ward, HDBSCAN: 20 Ward refits of 5,000 rows took 14 s, of 2,500
    rows 3.6 s)."""
    if estimator.quadratic:
        return min(config.stability_sample_size, config.quadratic_stability_size)
    return config.stability_sample_size


def candidate_stability(
    estimator: ClusteringAlgorithm,
    n_resamples: int,
    sample_size: int,
) -> dict:
    """Bootstrap stability of an estimator's selected candidate (a row of
    STABILITY_COLUMNS), refitted by its resample_fit_predict.

    The rows are at most `sample_size` of the evaluation sample; the reference is
    the candidate's own labels of them. The weakest cluster is the one of lowest
    mean best-match Jaccard (HDBSCAN's noise is not a cluster).
    """
    candidate, random_state = estimator.selected_, estimator.config.random_state
    X_eval = estimator.prepared_.X_eval
    rows = stability_rows(len(X_eval), sample_size, random_state)
    fit_predict = estimator.resample_fit_predict(X_eval[rows])
    with single_threaded():
        result = bootstrap_stability(
            np.arange(len(rows))[:, None],
            fit_predict,
            n_resamples,
            random_state,
            reference=candidate.eval_labels[rows],
            ignore_label=estimator.noise_label,
        )
    jaccard = result.clusters_frame()["jaccard_mean"]
    return {
        "algorithm": estimator.name,
        "k": candidate.k,
        "stability_ari_median": result.ari_median,
        "stability_ari_min": result.ari_min,
        "stability_weakest_cluster_jaccard": (
            float(jaccard.min()) if len(jaccard) else np.nan
        ),
        "stability_reading": reading(result.ari_median),
        "stability_resamples": n_resamples,
        "stability_rows": len(rows),
    }


def sample_stability(
    sample: pd.DataFrame,
    standardizer_table: pd.DataFrame,
    evaluation: pd.DataFrame,
    config: SampleConfig,
) -> pd.DataFrame:
    """Bootstrap stability of each algorithm's selected candidate of an evaluation
    made by clustering.evaluate_sample, from the same SQL sample, standardizer and
    config (what the build runs): one row per algorithm that selected one
    (STABILITY_COLUMNS); none when config.n_resamples < 1."""
    rows = []
    if config.n_resamples >= 1:
        prepared = config.prepare(sample, standardizer_table)
        rows = [
            candidate_stability(
                estimator, config.n_resamples, stability_size(estimator, config)
            )
            for estimator in selected_estimators(evaluation, prepared, config)
        ]
    out = pd.DataFrame(rows, columns=list(STABILITY_COLUMNS))
    return out.astype(
        {
            "algorithm": "str",
            "k": np.int64,
            "stability_reading": "str",
            "stability_resamples": np.int64,
            "stability_rows": np.int64,
        }
    ).astype({column: np.float64 for column in STABILITY_COLUMNS[2:5]})
