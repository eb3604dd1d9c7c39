"""How stable each algorithm's selected clustering is under resampling.

For each algorithm's selected candidate of `cluster_evaluation`, the algorithm is
refitted at its selected k (HDBSCAN: min_cluster_size) on bootstrap resamples of the
evaluation sample (at most `stability_sample_size` of its rows), and every refit
labels those rows as the build labels customers: K-Means and the GMM predict; Ward
and HDBSCAN keep the labels of the rows they were fitted on and assign the others
(nearest centroid; a clustered row whose core distance reaches it). Each refit is
compared with the selected clustering by the clusterwise bootstrap of
`customer_personality.stability` (ARI of the partitions, best-match Jaccard per
cluster, Hennig's readings). Only samples are refitted, never every customer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import ward
from sklearn.base import clone
from sklearn.metrics import pairwise_distances_argmin

from customer_personality import density
from customer_personality.clustering import (
    Candidate,
    PreparedSamples,
    SampleConfig,
    cut_linkage,
    prepare_samples,
    selected_candidates,
)
from customer_personality.stability import FitPredict, bootstrap_stability, reading
from customer_personality.threads import single_threaded

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


# A refit per algorithm: refit(candidate, X, random_state) returns fit_predict(train,
# rows) for bootstrap_stability, where train and rows hold positions in X (one
# column), so that a refit knows which rows it was fitted on.


def _refit_estimator(candidate: Candidate, X: np.ndarray, random_state: int):
    """K-Means, GMM: the selected estimator (same parameters) refitted, predicting
    every row."""
    columns = candidate.extra.get("columns", np.arange(X.shape[1]))

    def fit_predict(train: np.ndarray, rows: np.ndarray) -> np.ndarray:
        model = clone(candidate.model).fit(X[train[:, 0]][:, columns])
        return model.predict(X[rows[:, 0]][:, columns])

    return fit_predict


def _refit_ward(candidate: Candidate, X: np.ndarray, random_state: int):
    """Ward cut at the selected k: resampled rows keep their Ward cluster, the other
    rows take the nearest cluster centroid."""

    def fit_predict(train: np.ndarray, rows: np.ndarray) -> np.ndarray:
        fitted = train[:, 0]
        labels = cut_linkage(ward(X[fitted]), [candidate.k])[:, 0]
        centroids = np.stack(
            [X[fitted][labels == c].mean(axis=0) for c in range(candidate.k)]
        )
        out = pairwise_distances_argmin(X, centroids)
        out[fitted] = labels
        return out[rows[:, 0]]

    return fit_predict


def _refit_hdbscan(candidate: Candidate, X: np.ndarray, random_state: int):
    """HDBSCAN at the selected min_cluster_size: resampled rows keep their label, the
    other rows are assigned as customers outside the evaluation sample are."""
    size, min_samples = int(candidate.parameter), candidate.extra["min_samples"]

    def fit_predict(train: np.ndarray, rows: np.ndarray) -> np.ndarray:
        fitted = train[:, 0]
        fit = density.fit_hdbscan(X[fitted], size, min_samples)
        out = density.assign_to_clusters(X, X[fitted], fit, random_state)
        out[fitted] = fit.labels
        return out[rows[:, 0]]

    return fit_predict


REFITS = {
    "kmeans": _refit_estimator,
    "gmm": _refit_estimator,
    "agglomerative": _refit_ward,
    "hdbscan": _refit_hdbscan,
}


def candidate_stability(
    candidate: Candidate,
    X_eval: np.ndarray,
    n_resamples: int,
    sample_size: int,
    random_state: int,
) -> dict:
    """Bootstrap stability of one selected candidate (a row of STABILITY_COLUMNS).

    The rows are at most `sample_size` of the evaluation sample X_eval; the
    reference is the candidate's own labels of them. The weakest cluster is the one
    of lowest mean best-match Jaccard (HDBSCAN's noise is not a cluster).
    """
    rows = stability_rows(len(X_eval), sample_size, random_state)
    refit = REFITS[candidate.algorithm]
    fit_predict: FitPredict = refit(candidate, X_eval[rows], random_state)
    with single_threaded():
        result = bootstrap_stability(
            np.arange(len(rows))[:, None],
            fit_predict,
            n_resamples,
            random_state,
            reference=candidate.eval_labels[rows],
            ignore_label=-1 if candidate.algorithm == "hdbscan" else None,
        )
    jaccard = result.clusters_frame()["jaccard_mean"]
    return {
        "algorithm": candidate.algorithm,
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


def clustering_stability(
    data: pd.DataFrame,
    evaluation: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str] = (),
    sample_size: int = 10_000,
    fit_sample_size: int = 50_000,
    random_state: int = 42,
    n_resamples: int = 20,
    stability_sample_size: int = 5_000,
    hdbscan_min_samples: int | None = None,
    gmm_covariance_type: str = "full",
    gmm_reg_covar: float = 1e-6,
    gmm_categorical: bool = False,
    id_column: str = "customer_id",
) -> pd.DataFrame:
    """Bootstrap stability of each algorithm's selected candidate in `evaluation`
    (evaluate_clusterings(...).evaluation, made with the same keyword arguments):
    one row per algorithm that selected one (STABILITY_COLUMNS); none when
    n_resamples < 1."""
    prepared = prepare_samples(
        data,
        numeric,
        categorical,
        sample_size,
        fit_sample_size,
        random_state,
        gmm_categorical,
        hdbscan_min_samples,
        id_column,
    )
    return _stability(
        prepared,
        evaluation,
        random_state,
        n_resamples,
        stability_sample_size,
        gmm_covariance_type,
        gmm_reg_covar,
    )


def sample_stability(
    sample: pd.DataFrame,
    standardizer_table: pd.DataFrame,
    evaluation: pd.DataFrame,
    config: SampleConfig,
) -> pd.DataFrame:
    """clustering_stability of an evaluation made by clustering.evaluate_sample,
    from the same SQL sample, standardizer and config: what the build runs."""
    return _stability(
        config.prepare(sample, standardizer_table),
        evaluation,
        config.random_state,
        config.n_resamples,
        config.stability_sample_size,
    )


def _stability(
    prepared: PreparedSamples,
    evaluation: pd.DataFrame,
    random_state: int,
    n_resamples: int,
    stability_sample_size: int,
    gmm_covariance_type: str = "full",
    gmm_reg_covar: float = 1e-6,
) -> pd.DataFrame:
    """One STABILITY_COLUMNS row per selected candidate of `evaluation`."""
    rows = []
    if n_resamples >= 1:
        candidates = selected_candidates(
            evaluation, prepared, random_state, gmm_covariance_type, gmm_reg_covar
        )
        rows = [
            candidate_stability(
                candidate,
                prepared.X_eval,
                n_resamples,
                stability_sample_size,
                random_state,
            )
            for candidate in candidates
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
