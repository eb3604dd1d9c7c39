"""A Gaussian mixture over k, selected by lowest BIC, scored in SQL by per-component
constants, precision Cholesky factors and shifts."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.mixture import GaussianMixture

from customer_personality.clustering.base import (
    Candidate,
    ClusteringAlgorithm,
    estimator_fit_predict,
    parameter_frame,
)
from customer_personality.clustering.metrics import best
from customer_personality.clustering.samples import PreparedSamples
from customer_personality.core import FitPredict


def _whitening(model: GaussianMixture) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per component: the precision's Cholesky factor, the shift (mean times factor)
    and the constant (log weight + log determinant of the factor), so that a
    component's log density is constant - |x L - shift|^2 / 2 up to a common term."""
    factors = model.precisions_cholesky_  # (k, d, d)
    shift = np.einsum("kd,kde->ke", model.means_, factors)
    constant = np.log(np.diagonal(factors, axis1=1, axis2=2)).sum(axis=1)
    constant += np.log(model.weights_)
    return factors, shift, constant


def _gmm_predict(model: GaussianMixture, X: np.ndarray) -> np.ndarray:
    """model.predict(X): the component of highest weighted log density.

    For full covariances every component's whitening is one matrix product of X with
    the side-by-side Cholesky factors of the precisions (about twice as fast as
    sklearn's product per component); other covariance types use sklearn.
    """
    if model.covariance_type != "full":
        return model.predict(X)
    factors, shift, constant = _whitening(model)
    k, d = model.means_.shape
    stacked = np.concatenate(list(factors), axis=1)  # (d, k * d)
    shift = shift.ravel()
    labels = np.empty(len(X), dtype=np.int64)
    for start in range(0, len(X), 1 << 16):  # (rows, k * d) temporaries stay small
        white = X[start : start + (1 << 16)] @ stacked
        white -= shift
        np.square(white, out=white)
        score = constant - 0.5 * white.reshape(len(white), k, d).sum(axis=2)
        labels[start : start + len(white)] = score.argmax(axis=1)
    return labels


class GaussianMixtureClustering(ClusteringAlgorithm):
    """A full-covariance Gaussian mixture per k on every sample row's numeric columns
    (prepared.gmm_columns); BIC and AIC on the evaluation sample. Selected by the
    lowest BIC."""

    name = "gmm"
    elbow_curve = "bic"
    covariance_type = "full"
    reg_covar = 1e-6

    def _fit_grid(self, prepared: PreparedSamples, grid: list[int]) -> list[Candidate]:
        columns = prepared.gmm_columns
        fit_part, eval_part = prepared.X_fit[:, columns], prepared.X_eval[:, columns]
        out = []
        for k in grid:
            model = GaussianMixture(
                n_components=k,
                covariance_type=self.covariance_type,
                reg_covar=self.reg_covar,
                random_state=self.config.random_state,
            ).fit(fit_part)
            out.append(
                Candidate(
                    k,
                    model.predict(eval_part),
                    len(prepared.X_fit),
                    bic=float(model.bic(eval_part)),
                    aic=float(model.aic(eval_part)),
                    model=model,
                )
            )
        return out

    def _choose(self, rows: list[dict], elbow: int) -> tuple[int, str]:
        chosen = best([row["bic"] for row in rows], range(len(rows)), lowest=True)
        return chosen, f"lowest BIC at k={rows[chosen]['k']}"

    def predict(self, X: np.ndarray) -> np.ndarray:
        return _gmm_predict(self.selected_.model, X[:, self.prepared_.gmm_columns])

    def parameters(self) -> pd.DataFrame:
        """Constant, Cholesky factor of the precision and shift of each component
        (SQL: macro gaussian_mixture_component)."""
        model = self.selected_.model
        if model.covariance_type != "full":
            raise ValueError("SQL scores full-covariance mixtures only")
        used = [self.prepared_.inputs[j] for j in self.prepared_.gmm_columns]
        factors, shift, constant = _whitening(model)
        head = (self.name, self.selected_.k)
        rows = []
        for c in range(len(factors)):
            rows.append((*head, c, "constant", None, None, None, None, constant[c]))
            for e in range(factors.shape[2]):
                rows.append((*head, c, "shift", None, None, None, e, shift[c, e]))
                for d, key in enumerate(used):
                    value = factors[c, d, e]
                    rows.append((*head, c, "precision_cholesky", None, *key, e, value))
        return parameter_frame(rows)

    def resample_fit_predict(self, X: np.ndarray) -> FitPredict:
        return estimator_fit_predict(self.selected_.model, self.prepared_.gmm_columns, X)
