"""The segment model as one long table, and the numpy scorer that reads it back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.special import logsumexp
from sklearn.mixture import GaussianMixture

from customer_personality.segments.methods import Preparation

MODEL_COLUMNS: tuple[str, ...] = (
    "segment",
    "component",
    "parameter",
    "feature",
    "feature_2",
    "value",
    "method",
    "covariance_type",
    "n_train_rows",
)


def _full_matrices(mixture: GaussianMixture) -> tuple[np.ndarray, ...]:
    """Precision, precision Cholesky and covariance as (k, d, d) for any cov type."""
    k, d = mixture.means_.shape
    kind = mixture.covariance_type
    if kind == "full":
        chol = mixture.precisions_cholesky_
        cov = mixture.covariances_
    elif kind == "tied":
        chol = np.broadcast_to(mixture.precisions_cholesky_, (k, d, d))
        cov = np.broadcast_to(mixture.covariances_, (k, d, d))
    elif kind == "diag":
        chol = np.stack([np.diag(row) for row in mixture.precisions_cholesky_])
        cov = np.stack([np.diag(row) for row in mixture.covariances_])
    else:  # spherical
        eye = np.eye(d)
        chol = mixture.precisions_cholesky_[:, None, None] * eye
        cov = mixture.covariances_[:, None, None] * eye
    precision = np.einsum("kij,klj->kil", chol, chol)
    return precision, np.asarray(chol), np.asarray(cov)


def _preparation_rows(preparation: Preparation) -> list[tuple]:
    """The model table's rows of the preparation (segment and component NULL)."""
    rows: list[tuple] = []
    features = preparation.features
    for position, feature in enumerate(features):
        if preparation.log[position]:
            rows.append((None, None, "log1p", feature, None, 1.0))
        if np.isfinite(preparation.lower[position]):
            rows.append(
                (None, None, "clip_lower", feature, None, preparation.lower[position])
            )
            rows.append(
                (None, None, "clip_upper", feature, None, preparation.upper[position])
            )
    for parameter, values in (
        ("feature_mean", preparation.center),
        ("feature_scale", preparation.scale),
    ):
        rows += [(None, None, parameter, f, None, v) for f, v in zip(features, values)]
    for axis, weights in zip(preparation.axes, preparation.projection):
        rows += [
            (None, None, "projection", axis, feature, weight)
            for feature, weight in zip(features, weights)
            if weight != 0.0
        ]
    if preparation.normalize:
        rows.append((None, None, "normalize", None, None, 1.0))
    return rows


def model_table(
    mixture: GaussianMixture,
    preparation: Preparation,
    names: Sequence[str],
    order: Sequence[int],
    unscaled_means: np.ndarray,
    method_name: str,
    n_train_rows: int,
) -> pd.DataFrame:
    """Long table of the fitted preparation and mixture, components 1..n by name:
    names[i] is the name of mixture component i, order[j] the component numbered j + 1.

    Preparation rows (segment and component NULL), applied in this order: 'log1p'
    (ln(1 + x) of that feature), 'clip_lower' / 'clip_upper', 'feature_mean' and
    'feature_scale' (z = (x - feature_mean) / feature_scale; the centre is the median
    under robust scaling), 'projection' (axis = feature, feature_2 = source feature,
    value = weight: u_axis = sum of weight * z), 'normalize' (u / |u|). Per component:
    'weight', 'log_det_precision', 'mean' per axis, 'precision' and 'covariance' per
    pair of axes (full matrices whatever the covariance type), and 'mean_unscaled'
    per feature (the component's posterior-weighted mean of the training customers,
    in the feature's own units). Scoring: d = u - mean_k; log p_k = ln(weight_k) +
    log_det_precision_k / 2 - D/2 ln(2 pi) - d' P_k d / 2 (D = number of axes);
    probability_k = softmax over k; segment = argmax (first component on a tie).
    """
    axes = preparation.axes
    precision, chol, covariance = _full_matrices(mixture)
    log_det = 2.0 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
    rows = _preparation_rows(preparation)
    for component, index in enumerate(order, start=1):
        head = (names[index], component)
        rows.append((*head, "weight", None, None, mixture.weights_[index]))
        rows.append((*head, "log_det_precision", None, None, log_det[index]))
        rows += [(*head, "mean", a, None, v) for a, v in zip(axes, mixture.means_[index])]
        rows += [
            (*head, "mean_unscaled", f, None, v)
            for f, v in zip(preparation.features, unscaled_means[index])
        ]
        for parameter, matrix in (
            ("precision", precision[index]),
            ("covariance", covariance[index]),
        ):
            rows += [
                (*head, parameter, a, a2, matrix[i, j])
                for i, a in enumerate(axes)
                for j, a2 in enumerate(axes)
            ]
    table = pd.DataFrame(rows, columns=list(MODEL_COLUMNS[:6]))
    table["segment"] = table["segment"].astype("str")
    table["component"] = table["component"].astype("Int64")
    table["feature"] = table["feature"].astype("str")
    table["feature_2"] = table["feature_2"].astype("str")
    table["value"] = table["value"].astype(np.float64)
    table["method"] = method_name
    table["covariance_type"] = mixture.covariance_type
    table["n_train_rows"] = np.int64(n_train_rows)
    return table


class _MixtureArrays(NamedTuple):
    """A model table read back: its preparation and components in order 1..n."""

    preparation: Preparation
    names: list[str]
    weights: np.ndarray
    log_dets: np.ndarray
    means: np.ndarray
    precisions: np.ndarray


def _read_preparation(model: pd.DataFrame) -> Preparation:
    """The Preparation of a model table's preparation rows."""

    def by_feature(parameter: str, default: float) -> np.ndarray:
        rows = model[model["parameter"] == parameter].set_index("feature")["value"]
        return rows.reindex(features).fillna(default).to_numpy(np.float64)

    features = tuple(
        str(f) for f in model.loc[model["parameter"] == "feature_mean", "feature"]
    )
    projection_rows = model[model["parameter"] == "projection"]
    if len(projection_rows):
        axes = tuple(dict.fromkeys(str(a) for a in projection_rows["feature"]))
        projection = (
            projection_rows.pivot(index="feature", columns="feature_2", values="value")
            .reindex(index=list(axes), columns=list(features))
            .fillna(0.0)
            .to_numpy(np.float64)
        )
    else:
        axes, projection = features, np.eye(len(features))
    return Preparation(
        features=features,
        log=by_feature("log1p", 0.0) > 0,
        lower=by_feature("clip_lower", -np.inf),
        upper=by_feature("clip_upper", np.inf),
        center=by_feature("feature_mean", 0.0),
        scale=by_feature("feature_scale", 1.0),
        axes=axes,
        projection=projection,
        normalize=bool((model["parameter"] == "normalize").any()),
    )


def model_arrays(model: pd.DataFrame) -> _MixtureArrays:
    """Preparation, weights, means and precision matrices of a `model_table`."""
    preparation = _read_preparation(model)
    axes = list(preparation.axes)
    components = sorted(int(c) for c in model["component"].dropna().unique())
    names, weights, log_dets, means, precisions = [], [], [], [], []
    for component in components:
        rows = model[model["component"] == component]
        names.append(str(rows["segment"].iloc[0]))
        scalar = rows.set_index("parameter")["value"]
        weights.append(scalar["weight"])
        log_dets.append(scalar["log_det_precision"])
        mean_rows = rows[rows["parameter"] == "mean"].set_index("feature")["value"]
        means.append(mean_rows.reindex(axes).to_numpy(np.float64))
        matrix = rows[rows["parameter"] == "precision"].pivot(
            index="feature", columns="feature_2", values="value"
        )
        precisions.append(matrix.reindex(index=axes, columns=axes).to_numpy())
    return _MixtureArrays(
        preparation=preparation,
        names=names,
        weights=np.asarray(weights, dtype=np.float64),
        log_dets=np.asarray(log_dets, dtype=np.float64),
        means=np.asarray(means, dtype=np.float64),
        precisions=np.asarray(precisions, dtype=np.float64),
    )


def score_from_model(
    model: pd.DataFrame, X: np.ndarray | pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Re-apply a `model_table` with numpy only, as the SQL macro does.

    X is raw data: a DataFrame holding the model's feature columns, or an array whose
    columns follow the order of the 'feature_mean' rows. Returns (segment name per
    row, probabilities with one column per component 1..n).
    """
    arrays = model_arrays(model)
    features, names = list(arrays.preparation.features), arrays.names
    if isinstance(X, pd.DataFrame):
        values = X[features].to_numpy(np.float64)
    else:
        values = np.asarray(X, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] != len(features):
        raise ValueError(f"X must have {len(features)} columns: {features}")
    u = arrays.preparation.transform(values)
    constant = 0.5 * u.shape[1] * np.log(2 * np.pi)
    log_prob = np.empty((len(u), len(names)))
    for k in range(len(names)):
        diff = u - arrays.means[k]
        quad = np.einsum("ni,ij,nj->n", diff, arrays.precisions[k], diff)
        log_prob[:, k] = (
            np.log(arrays.weights[k]) + 0.5 * arrays.log_dets[k] - constant - 0.5 * quad
        )
    probabilities = np.exp(log_prob - logsumexp(log_prob, axis=1, keepdims=True))
    labels = np.asarray(names, dtype=object)[np.argmax(probabilities, axis=1)]
    return labels, probabilities
