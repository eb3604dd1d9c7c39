"""HDBSCAN over min_cluster_size on the evaluation sample, selected only where the
customers show density structure; labelled in Python (density.assign_to_clusters),
not scored in SQL."""

from __future__ import annotations

import numpy as np
import pandas as pd

from customer_personality.clustering import density
from customer_personality.clustering.base import Candidate, ClusteringAlgorithm
from customer_personality.clustering.metrics import best
from customer_personality.clustering.samples import PreparedSamples
from customer_personality.core import FitPredict


class HDBSCANClustering(ClusteringAlgorithm):
    """HDBSCAN on the evaluation sample at each min_cluster_size of the grid (by
    default density.CLUSTER_SHARES of the sample; min_samples is prepared's). The
    core distances, the same for every min_cluster_size, are computed once. The
    sample keeps its labels; any other row joins the cluster of a clustered sample
    row whose core distance reaches it, else it is noise (-1)."""

    name = "hdbscan"
    parameter_name = "min_cluster_size"
    fits_evaluation_sample = True
    quadratic = True
    noise_label = -1

    def default_grid(self, prepared: PreparedSamples) -> list[int]:
        return density.cluster_sizes(len(prepared.X_eval), density.CLUSTER_SHARES)

    @property
    def min_samples_(self) -> int:
        """min_samples as HDBSCAN applies it (at most the evaluation sample's rows)."""
        return min(self.prepared_.min_samples, len(self.prepared_.X_eval))

    def _fit_grid(self, prepared: PreparedSamples, grid: list[int]) -> list[Candidate]:
        X_eval, min_samples = prepared.X_eval, prepared.min_samples
        radius = density.core_distances(X_eval, min_samples)
        out = []
        for size in grid:
            fit = density.fit_hdbscan(X_eval, int(size), min_samples, radius)
            out.append(
                Candidate(
                    fit.n_clusters,
                    fit.labels,
                    len(X_eval),
                    parameter=float(size),
                    noise_share=float((fit.labels < 0).mean()),
                    model=fit,
                )
            )
        return out

    def select(self, rows: list[dict]) -> HDBSCANClustering:
        """Select the candidate of highest silhouette among those that show density
        structure (density.verdict: two or more clusters, at most max_noise_share
        noise, no cluster above max_cluster_share of the rows); when none does,
        select nothing and say why on the closest candidate ("no density
        structure: ..."). No elbow."""
        self.selected_ = None
        max_noise = self.config.max_noise_share
        max_cluster = self.config.max_cluster_share
        failures, closest = density.verdict(
            [c.eval_labels for c in self.candidates_], max_noise, max_cluster
        )
        if closest < 0:
            return self
        structured = [p for p, failure in enumerate(failures) if not failure]
        chosen = best([row["silhouette"] for row in rows], structured)
        limits = (
            f"two or more clusters, at most {max_noise:.0%} noise and no cluster "
            f"above {max_cluster:.0%} of customers"
        )
        if chosen < 0:
            row = rows[closest]
            row["selection_reason"] = (
                f"no density structure: {failures[closest]} at min_cluster_size="
                f"{row['parameter']:.0f}, the closest of {len(rows)} values tried "
                f"(min_samples={self.min_samples_}; a density clustering needs {limits})"
            )
            return self
        row = rows[chosen]
        row["is_selected"] = True
        row["selection_reason"] = (
            f"highest silhouette with {limits}, at min_cluster_size="
            f"{row['parameter']:.0f} ({row['k']} clusters, {row['noise_share']:.0%} "
            f"noise, min_samples={self.min_samples_})"
        )
        self.selected_ = self.candidates_[chosen]
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        """A clustered sample row's cluster whose core distance reaches the row."""
        return density.assign_to_clusters(
            X, self.prepared_.X_eval, self.selected_.model, self.config.random_state
        )

    def parameters(self) -> pd.DataFrame:
        """Not scored in SQL: labelling a customer scans the clustered sample rows
        (see predict); the build labels in Python (int_customer_density_clusters)."""
        raise NotImplementedError("HDBSCAN is labelled in Python, not in SQL")

    def resample_fit_predict(self, X: np.ndarray) -> FitPredict:
        """HDBSCAN at the selected min_cluster_size: resampled rows keep their label,
        the other rows are assigned as customers outside the evaluation sample are."""
        size, min_samples = int(self.selected_.parameter), self.min_samples_
        random_state = self.config.random_state

        def fit_predict(train: np.ndarray, rows: np.ndarray) -> np.ndarray:
            fitted = train[:, 0]
            fit = density.fit_hdbscan(X[fitted], size, min_samples)
            out = density.assign_to_clusters(X, X[fitted], fit, random_state)
            out[fitted] = fit.labels
            return out[rows[:, 0]]

        return fit_predict
