"""How much a clustering holds when the data are resampled.

The clusterwise bootstrap (Hennig 2007, "Cluster-wise assessment of cluster
stability"): refit the clustering on bootstrap resamples of the customers, label every
customer with each refit, and compare with the reference labels. The adjusted Rand
index (ARI) compares the whole partitions; the Jaccard similarity of each reference
cluster with its best match in a refit says which clusters hold and which dissolve.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

# fit_predict(train, data): fit on the rows of `train`, return a label for every row
# of `data` (the same rows as the reference labels).
FitPredict = Callable[[np.ndarray, np.ndarray], np.ndarray]

# Hennig's reading of mean Jaccard: below 0.5 a cluster "dissolves", 0.6-0.75 shows a
# pattern, above 0.75 it is valid and stable, above 0.85 highly stable. The same cut
# points read the ARI of whole partitions.
READINGS: tuple[tuple[float, str], ...] = (
    (0.85, "highly stable"),
    (0.75, "stable"),
    (0.6, "a pattern, not a firm partition"),
    (0.5, "weak"),
    (-1.0, "unstable"),
)


def reading(value: float) -> str:
    """Plain words for a stability figure (ARI or mean Jaccard), on Hennig's scale."""
    if not np.isfinite(value):
        return "not measured"
    return next(words for cut, words in READINGS if value >= cut)


def best_match_jaccard(
    reference: np.ndarray, other: np.ndarray, clusters: np.ndarray
) -> np.ndarray:
    """For each cluster in `clusters` (labels of `reference`), the Jaccard similarity
    of its members with the most similar cluster of `other` (0 when it is empty)."""
    reference, other = np.asarray(reference), np.asarray(other)
    other_labels, other_codes = np.unique(other, return_inverse=True)
    other_sizes = np.bincount(other_codes, minlength=len(other_labels))
    best = np.zeros(len(clusters))
    for position, cluster in enumerate(clusters):
        members = reference == cluster
        size = int(members.sum())
        if size == 0:
            continue
        overlap = np.bincount(other_codes[members], minlength=len(other_labels))
        union = size + other_sizes - overlap
        best[position] = float((overlap / union).max())
    return best


@dataclass(frozen=True)
class Stability:
    """Bootstrap stability of one clustering.

    ari: per resample, the ARI of the refit's labels against the reference labels.
    clusters: the reference clusters, in the column order of `jaccard`.
    jaccard: (resamples, clusters) best-match Jaccard of each reference cluster.
    shares: each reference cluster's share of the rows.
    """

    ari: np.ndarray
    clusters: np.ndarray
    jaccard: np.ndarray
    shares: np.ndarray

    @property
    def ari_median(self) -> float:
        return float(np.median(self.ari)) if len(self.ari) else float("nan")

    @property
    def ari_min(self) -> float:
        return float(np.min(self.ari)) if len(self.ari) else float("nan")

    def clusters_frame(self) -> pd.DataFrame:
        """One row per reference cluster: share, mean and minimum Jaccard, reading."""
        mean = self.jaccard.mean(axis=0) if len(self.jaccard) else np.nan
        low = self.jaccard.min(axis=0) if len(self.jaccard) else np.nan
        frame = pd.DataFrame(
            {
                "cluster": self.clusters,
                "share": self.shares,
                "jaccard_mean": mean,
                "jaccard_min": low,
            }
        )
        frame["reading"] = [reading(value) for value in frame["jaccard_mean"]]
        return frame


def bootstrap_resamples(
    n_rows: int, n_resamples: int, random_state: int
) -> list[np.ndarray]:
    """Row indices of `n_resamples` bootstrap resamples of n_rows (with replacement)."""
    rng = np.random.default_rng(random_state)
    return [rng.integers(0, n_rows, n_rows) for _ in range(n_resamples)]


def bootstrap_stability(
    X: np.ndarray,
    fit_predict: FitPredict,
    n_resamples: int = 20,
    random_state: int = 0,
    reference: np.ndarray | None = None,
    ignore_label: object | None = None,
) -> Stability:
    """Refit on `n_resamples` bootstrap resamples of X's rows and compare each refit's
    labels of every row with `reference` (default: fit_predict(X, X)).

    ignore_label (for example DBSCAN's noise label -1) counts in the ARI but gets no
    Jaccard column: noise is not a cluster that could hold or dissolve.
    """
    X = np.asarray(X)
    if len(X) == 0:
        raise ValueError("bootstrap_stability needs at least one row")
    if reference is None:
        reference = fit_predict(X, X)
    reference = np.asarray(reference)
    clusters = np.unique(reference)
    if ignore_label is not None:
        clusters = clusters[clusters != ignore_label]
    shares = np.array([(reference == cluster).mean() for cluster in clusters])
    aris, jaccards = [], []
    for rows in bootstrap_resamples(len(X), n_resamples, random_state):
        labels = np.asarray(fit_predict(X[rows], X))
        aris.append(adjusted_rand_score(reference, labels))
        jaccards.append(best_match_jaccard(reference, labels, clusters))
    return Stability(
        ari=np.asarray(aris, dtype=np.float64),
        clusters=clusters,
        jaccard=np.asarray(jaccards, dtype=np.float64).reshape(len(aris), len(clusters)),
        shares=shares,
    )
