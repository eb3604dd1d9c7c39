"""Ward agglomerative clustering over k on the evaluation sample, selected by the
highest silhouette, scored in SQL by centroids and the sample's own labels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import ward
from sklearn.metrics import pairwise_distances_argmin

from customer_personality.clustering.base import (
    Candidate,
    ClusteringAlgorithm,
    parameter_frame,
)
from customer_personality.clustering.metrics import within_sum_of_squares
from customer_personality.clustering.samples import PreparedSamples
from customer_personality.core import FitPredict


def cut_linkage(tree: np.ndarray, k_values: Sequence[int]) -> np.ndarray:
    """scipy's cut_tree(tree, n_clusters=k_values), in linear time per k.

    Column j labels every row with its cluster after the first n - k merges of the
    linkage `tree`. As in cut_tree, clusters are numbered in the order of their first
    row (tested equal, ties and repeated rows included).
    """
    n_rows = len(tree) + 1
    parent = np.full(2 * n_rows - 1, -1, dtype=np.int64)
    merged = tree[:, :2].astype(np.int64)
    parent[merged[:, 0]] = parent[merged[:, 1]] = np.arange(n_rows, 2 * n_rows - 1)
    out = np.empty((n_rows, len(k_values)), dtype=np.int64)
    for j, k in enumerate(k_values):
        if not 1 <= k <= n_rows:
            raise ValueError(f"cannot cut {n_rows} rows into {k} clusters")
        limit = 2 * n_rows - k  # the nodes made by the first n - k merges are below
        node = np.arange(n_rows)
        while True:
            up = parent[node]
            move = (up >= 0) & (up < limit)
            if not move.any():
                break
            node = np.where(move, up, node)
        _, first = np.unique(node, return_index=True)
        rank = np.empty(2 * n_rows - 1, dtype=np.int64)
        rank[node[np.sort(first)]] = np.arange(len(first))
        out[:, j] = rank[node]
    return out


def _centroids(X: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The mean row of each cluster 0..k-1 of `labels`."""
    clusters = np.unique(labels)
    if not np.array_equal(clusters, np.arange(len(clusters))):
        raise ValueError("Ward clusters are expected to be numbered 0..k-1")
    return np.stack([X[labels == c].mean(axis=0) for c in clusters])


class WardClustering(ClusteringAlgorithm):
    """Ward linkage once on the evaluation sample, cut at every k. The sample keeps
    its Ward labels; any other row takes the nearest cluster centroid. Selected by
    the highest silhouette."""

    name = "agglomerative"
    elbow_curve = "inertia"
    fits_evaluation_sample = True
    quadratic = True

    def _fit_grid(self, prepared: PreparedSamples, grid: list[int]) -> list[Candidate]:
        X_eval = prepared.X_eval
        cuts = cut_linkage(ward(X_eval), grid)
        out = []
        for j, k in enumerate(grid):
            labels = cuts[:, j].astype(np.int64)
            inertia = within_sum_of_squares(X_eval, labels)
            out.append(Candidate(k, labels, len(X_eval), inertia=inertia))
        return out

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The nearest centroid of the sample's Ward clusters."""
        centroids = _centroids(self.prepared_.X_eval, self.selected_.eval_labels)
        return pairwise_distances_argmin(X, centroids)

    def parameters(self) -> pd.DataFrame:
        """The centroids of Ward's clusters on the evaluation sample, and its labels
        (SQL: a sample customer keeps its cluster, any other the nearest centroid)."""
        labels = self.selected_.eval_labels
        centroids = _centroids(self.prepared_.X_eval, labels)
        ids = self.prepared_.ids[self.prepared_.eval_index]
        sample = [
            (self.name, self.selected_.k, int(c), "sample_label", int(i))
            + (None, None, None, None)
            for i, c in zip(ids.tolist(), labels.tolist(), strict=True)
        ]
        return parameter_frame(self._centroid_rows(centroids) + sample)

    def resample_fit_predict(self, X: np.ndarray) -> FitPredict:
        """Ward cut at the selected k: resampled rows keep their Ward cluster, the
        other rows take the nearest cluster centroid."""
        k = self.selected_.k

        def fit_predict(train: np.ndarray, rows: np.ndarray) -> np.ndarray:
            fitted = train[:, 0]
            labels = cut_linkage(ward(X[fitted]), [k])[:, 0]
            centroids = np.stack([X[fitted][labels == c].mean(axis=0) for c in range(k)])
            out = pairwise_distances_argmin(X, centroids)
            out[fitted] = labels
            return out[rows[:, 0]]

        return fit_predict
