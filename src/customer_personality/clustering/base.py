"""What the four clustering algorithms share, in scikit-learn's shape: `fit` fits a
grid of candidates on the prepared samples (`candidates_`), `select` marks the one
the algorithm's rule picks (`selected_`), `parameters` gives what SQL needs to label
every customer, and `label` labels rows in Python."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
from sklearn.base import clone

from customer_personality.clustering.metrics import best, find_elbow
from customer_personality.clustering.samples import PreparedSamples, SampleConfig
from customer_personality.core import FitPredict, single_threaded

# Rows assigned per call when labelling every customer.
CHUNK_ROWS = 500_000
# The long table SQL scores customers from (int_cluster_parameters).
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
PARAMETER_TYPES = {
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


@dataclass
class Candidate:
    """One fitted candidate (a k, or HDBSCAN's min_cluster_size): its labels of the
    evaluation sample, its own figures and the fitted model (None for Ward)."""

    k: int
    eval_labels: np.ndarray
    n_fit_rows: int
    parameter: float = np.nan
    inertia: float = np.nan
    bic: float = np.nan
    aic: float = np.nan
    noise_share: float = np.nan
    model: object = None


def parameter_frame(rows: Sequence[tuple]) -> pd.DataFrame:
    """Rows of PARAMETER_COLUMNS as a frame of the table's types."""
    return pd.DataFrame(list(rows), columns=list(PARAMETER_COLUMNS)).astype(
        PARAMETER_TYPES
    )


def predict_chunked(predict: Callable, X: np.ndarray) -> np.ndarray:
    """Apply `predict` to X in row chunks (bounds temporaries at ten million rows)."""
    out = np.empty(len(X), dtype=np.int64)
    for start in range(0, len(X), CHUNK_ROWS):
        out[start : start + CHUNK_ROWS] = predict(X[start : start + CHUNK_ROWS])
    return out


def renumber_by_size(labels: np.ndarray) -> np.ndarray:
    """Cluster 0 is the largest, then 1, ...; ties by old id; noise stays -1."""
    clusters, counts = np.unique(labels[labels >= 0], return_counts=True)
    order = np.lexsort((clusters, -counts))
    size = int(clusters.max()) + 1 if len(clusters) else 1
    mapping = np.full(size, -1, dtype=np.int64)
    mapping[clusters[order]] = np.arange(len(clusters))
    return np.where(labels >= 0, mapping[np.maximum(labels, 0)], -1)


class ClusteringAlgorithm:
    """One clustering algorithm over a grid of k (by default config.k_values that
    fit the evaluation sample), or of another parameter (`parameter_name`).

    Subclasses give `_fit_grid` and `predict`, and the selection rule: `elbow_curve`
    (marked is_elbow) and `_choose`, or their own `select`.
    """

    name: ClassVar[str]
    # The parameter swept instead of k (HDBSCAN's k is what it finds).
    parameter_name: ClassVar[str | None] = None
    # The curve whose elbow the evaluation marks (is_elbow).
    elbow_curve: ClassVar[str | None] = None
    # Fitted on the evaluation sample alone, whose rows keep the labels of the fit.
    fits_evaluation_sample: ClassVar[bool] = False
    # A fit whose cost grows with the square of the rows: stability refits it on at
    # most config.quadratic_stability_size rows.
    quadratic: ClassVar[bool] = False
    # A label that is not a cluster (noise), left out of stability's clusters.
    noise_label: ClassVar[int | None] = None

    def __init__(self, config: SampleConfig, grid: Sequence[int] | None = None):
        self.config = config
        self.grid = grid

    def default_grid(self, prepared: PreparedSamples) -> list[int]:
        """config.k_values that fit the evaluation sample (2 <= k < its rows)."""
        n_rows = len(prepared.X_eval)
        k_values = sorted({int(k) for k in self.config.k_values if 2 <= int(k) < n_rows})
        if not k_values:
            raise ValueError(f"no k in k_values fits {n_rows} evaluation rows")
        return k_values

    def fit(self, prepared: PreparedSamples) -> ClusteringAlgorithm:
        """Fit a candidate per grid value (one thread: see core.single_threaded;
        k-means adds per-thread partial sums in lock order, so more threads can
        change the last bits between runs)."""
        grid = self.default_grid(prepared) if self.grid is None else list(self.grid)
        self.prepared_ = prepared
        with single_threaded():
            self.candidates_ = self._fit_grid(prepared, grid)
        self.selected_: Candidate | None = None
        return self

    @classmethod
    def refit(
        cls, config: SampleConfig, prepared: PreparedSamples, row: object
    ) -> ClusteringAlgorithm:
        """The candidate of an evaluation `row` (k, parameter) fitted again alone, as
        the selected one: each fit depends only on its own grid value and the seeded
        samples, so it is the candidate the evaluation fitted."""
        value = row.k if cls.parameter_name is None else row.parameter
        estimator = cls(config, grid=[int(value)]).fit(prepared)
        (estimator.selected_,) = estimator.candidates_
        return estimator

    def select(self, rows: list[dict]) -> ClusteringAlgorithm:
        """Mark is_elbow, is_selected and selection_reason on the evaluation rows of
        candidates_ (same order); selected_ is the chosen candidate. Ties go to the
        smaller k; with no finite figure, the first candidate."""
        k = [row["k"] for row in rows]
        elbow = find_elbow(k, [row[self.elbow_curve] for row in rows])
        if len(rows) >= 3:
            rows[elbow]["is_elbow"] = True
        chosen, reason = self._choose(rows, elbow)
        if chosen < 0:
            chosen, reason = 0, f"first candidate k={k[0]} (no metric available)"
        rows[chosen]["is_selected"] = True
        rows[chosen]["selection_reason"] = reason
        self.selected_ = self.candidates_[chosen]
        return self

    def _choose(self, rows: list[dict], elbow: int) -> tuple[int, str]:
        """Position and reason of the selected row (-1 when none has the figure):
        by default the highest silhouette."""
        chosen = best([row["silhouette"] for row in rows], range(len(rows)))
        return chosen, f"highest silhouette at k={rows[chosen]['k']}"

    def _fit_grid(self, prepared: PreparedSamples, grid: list[int]) -> list[Candidate]:
        raise NotImplementedError

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The selected candidate's cluster of each row of X (its own cluster ids)."""
        raise NotImplementedError

    def parameters(self) -> pd.DataFrame:
        """What SQL needs to label a customer as `predict` does (PARAMETER_COLUMNS)."""
        raise NotImplementedError

    def resample_fit_predict(self, X: np.ndarray) -> FitPredict:
        """fit_predict(train, rows) for core.bootstrap_stability: the selected
        candidate refitted on the rows `train` of X (positions, one column), labelling
        the rows `rows`."""
        raise NotImplementedError

    def label(self, X: np.ndarray, eval_index: np.ndarray) -> np.ndarray:
        """Every row's cluster under the selected candidate, renumbered by size; the
        evaluation sample (rows eval_index of X) keeps its own labels when the
        algorithm was fitted on it."""
        with single_threaded():
            labels = predict_chunked(self.predict, X)
            if self.fits_evaluation_sample:
                labels[eval_index] = self.selected_.eval_labels
        return renumber_by_size(labels)

    def _centroid_rows(self, centroids: np.ndarray) -> list[tuple]:
        """A centroid row per (cluster, input column) of the parameter table."""
        head = (self.name, self.selected_.k)
        return [
            (*head, c, "centroid", None, *key, None, value)
            for c, centroid in enumerate(centroids)
            for key, value in zip(self.prepared_.inputs, centroid.tolist(), strict=True)
        ]


def estimator_fit_predict(
    model: object, columns: np.ndarray, X: np.ndarray
) -> FitPredict:
    """K-Means, GMM stability refits: `model` cloned (same parameters), fitted on the
    training rows' `columns` and predicting the rows asked for."""

    def fit_predict(train: np.ndarray, rows: np.ndarray) -> np.ndarray:
        refitted = clone(model).fit(X[train[:, 0]][:, columns])
        return refitted.predict(X[rows[:, 0]][:, columns])

    return fit_predict
