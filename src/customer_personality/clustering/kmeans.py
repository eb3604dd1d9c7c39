"""K-Means over k, selected at the elbow of inertia, scored in SQL by centroids."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans

from customer_personality.clustering.base import (
    Candidate,
    ClusteringAlgorithm,
    estimator_fit_predict,
    parameter_frame,
)
from customer_personality.clustering.samples import PreparedSamples
from customer_personality.core import FitPredict


class KMeansClustering(ClusteringAlgorithm):
    """K-Means per k on every sample row (n_init=3, the config's random_state);
    inertia measured on the evaluation sample. Selected at the elbow of inertia
    (the highest silhouette when fewer than three k are tried)."""

    name = "kmeans"
    elbow_curve = "inertia"

    def _fit_grid(self, prepared: PreparedSamples, grid: list[int]) -> list[Candidate]:
        X_fit, X_eval = prepared.X_fit, prepared.X_eval
        random_state = self.config.random_state
        out = []
        for k in grid:
            model = KMeans(n_clusters=k, n_init=3, random_state=random_state).fit(X_fit)
            labels = model.predict(X_eval)
            inertia = -float(model.score(X_eval))
            out.append(Candidate(k, labels, len(X_fit), inertia=inertia, model=model))
        return out

    def _choose(self, rows: list[dict], elbow: int) -> tuple[int, str]:
        if len(rows) < 3:
            return super()._choose(rows, elbow)
        return elbow, f"elbow of inertia at k={rows[elbow]['k']} (max distance to chord)"

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.selected_.model.predict(X)

    def parameters(self) -> pd.DataFrame:
        """The centroids (SQL: the nearest one, macro nearest_centroid)."""
        return parameter_frame(self._centroid_rows(self.selected_.model.cluster_centers_))

    def resample_fit_predict(self, X: np.ndarray) -> FitPredict:
        return estimator_fit_predict(self.selected_.model, np.arange(X.shape[1]), X)
