"""Segment methods: how the features are prepared and the mixture fitted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.mixture import GaussianMixture

from customer_personality.segments.naming import SENIORITY_FEATURE, VALUE_FEATURES


@dataclass(frozen=True)
class SegmentMethod:
    """How the segment features are prepared and the mixture fitted (var segment_method).

    winsorize: clip each feature at its `winsorize` and 1 - `winsorize` quantiles of
        the training rows, so that no single customer stretches a component.
    log_features: features replaced by ln(1 + x) first (the monetary amounts).
    scaling: 'standard' (mean, population std) or 'robust' (median, IQR / 1.349).
    value_seniority: project the standardized features on the two axes the names are
        read on, value = (income + spending) / sqrt(2) and seniority.
    normalize: divide each prepared row by its length (the seeds' L2 step), so that
        the mixture sees the balance of the axes rather than the distance from the mean.
    covariance_type, n_init: those of sklearn's GaussianMixture.
    init: 'kmeans' (sklearn's k-means starts) or 'quadrant' (one deterministic start:
        the customers of each value x seniority quadrant, split at the medians).
    """

    description: str
    winsorize: float | None = None
    log_features: tuple[str, ...] = ()
    scaling: str = "standard"
    value_seniority: bool = False
    normalize: bool = False
    covariance_type: str = "full"
    init: str = "kmeans"
    n_init: int = 3


SEGMENT_METHODS: dict[str, SegmentMethod] = {
    "value_seniority": SegmentMethod(
        "winsorize at 1% and 99%, standardize, project on value and seniority, "
        "L2-normalize, spherical mixture started from the quadrant means",
        winsorize=0.01,
        value_seniority=True,
        normalize=True,
        covariance_type="spherical",
        init="quadrant",
        n_init=1,
    ),
    "seeds": SegmentMethod(
        "standardize, L2-normalize, spherical mixture (the seeds' GMM notebook)",
        normalize=True,
        covariance_type="spherical",
        n_init=1,
    ),
    "seeds_quadrant": SegmentMethod(
        "the seeds' recipe started from the quadrant means",
        normalize=True,
        covariance_type="spherical",
        init="quadrant",
        n_init=1,
    ),
    "full": SegmentMethod("standardize, full-covariance mixture, 3 k-means starts"),
    "winsorized_full": SegmentMethod(
        "winsorize at 1% and 99%, standardize, full-covariance mixture", winsorize=0.01
    ),
    "robust_full": SegmentMethod(
        "median/IQR scaling, full-covariance mixture", scaling="robust"
    ),
    "log_full": SegmentMethod(
        "ln(1 + x) of income and spending, standardize, full-covariance mixture",
        log_features=VALUE_FEATURES,
    ),
}
DEFAULT_METHOD = "value_seniority"
# A prepared row shorter than this is left unnormalized (it is the centre itself).
MIN_NORM = 1e-12


def segment_method(name: str) -> SegmentMethod:
    """The method called `name`; a ValueError lists the known ones."""
    if name not in SEGMENT_METHODS:
        raise ValueError(
            f"unknown segment_method {name!r}; one of: {', '.join(SEGMENT_METHODS)}"
        )
    return SEGMENT_METHODS[name]


@dataclass(frozen=True)
class Preparation:
    """A fitted preparation, the steps a scorer applies in order: ln(1 + x) of the
    `log` features, clip to [lower, upper], (x - center) / scale, project on `axes`
    (rows of `projection`), divide by the length when `normalize`."""

    features: tuple[str, ...]
    log: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    center: np.ndarray
    scale: np.ndarray
    axes: tuple[str, ...]
    projection: np.ndarray
    normalize: bool

    def standardize(self, X: np.ndarray) -> np.ndarray:
        """Logged, clipped and standardized features (the units names are read in)."""
        values = np.where(self.log, np.log1p(np.maximum(X, 0.0)), X)
        return (np.clip(values, self.lower, self.upper) - self.center) / self.scale

    def transform(self, X: np.ndarray) -> np.ndarray:
        """The rows the mixture sees."""
        prepared = self.standardize(X) @ self.projection.T
        if self.normalize:
            norms = np.linalg.norm(prepared, axis=1, keepdims=True)
            prepared = prepared / np.maximum(norms, MIN_NORM)
        return prepared


def check_rule_features(features: Sequence[str], name: str) -> None:
    missing = [f for f in (*VALUE_FEATURES, SENIORITY_FEATURE) if f not in features]
    if missing:
        raise ValueError(
            f"segment_method {name} projects on value and seniority: segment_features "
            f"must include {', '.join(missing)}"
        )


def fit_preparation(
    X: np.ndarray, features: Sequence[str], method: SegmentMethod
) -> Preparation:
    """Clip bounds, centre and scale from the training rows X, and the projection."""
    features = tuple(features)
    log = np.array([feature in method.log_features for feature in features])
    values = np.where(log, np.log1p(np.maximum(X, 0.0)), X)
    lower = np.full(len(features), -np.inf)
    upper = np.full(len(features), np.inf)
    if method.winsorize:
        lower, upper = np.quantile(values, [method.winsorize, 1 - method.winsorize], 0)
        values = np.clip(values, lower, upper)
    if method.scaling == "robust":
        quartiles = np.quantile(values, [0.25, 0.75], axis=0)
        center, scale = np.median(values, axis=0), (quartiles[1] - quartiles[0]) / 1.349
    else:
        center, scale = values.mean(axis=0), values.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)  # a constant feature stays at 0
    if method.value_seniority:
        axes = ("value", "seniority")
        projection = np.zeros((2, len(features)))
        for feature in VALUE_FEATURES:
            projection[0, features.index(feature)] = 1.0 / np.sqrt(2.0)
        projection[1, features.index(SENIORITY_FEATURE)] = 1.0
    else:
        axes, projection = features, np.eye(len(features))
    return Preparation(
        features, log, lower, upper, center, scale, axes, projection, method.normalize
    )


def _quadrants(z: np.ndarray, features: Sequence[str]) -> np.ndarray | None:
    """Quadrant 0..3 of each standardized row on value (income + spending) and
    seniority, split at the medians; None when a feature is missing or a quadrant
    is empty."""
    features = list(features)
    if any(f not in features for f in (*VALUE_FEATURES, SENIORITY_FEATURE)):
        return None
    value = sum(z[:, features.index(feature)] for feature in VALUE_FEATURES)
    seniority = z[:, features.index(SENIORITY_FEATURE)]
    quadrant = 2 * (value > np.median(value)) + (seniority > np.median(seniority))
    if len(np.unique(quadrant)) < 4:
        return None
    return quadrant.astype(np.int64)


def _quadrant_means(prepared: np.ndarray, quadrant: np.ndarray) -> np.ndarray:
    """The mean prepared row of each quadrant: the mixture's means_init.

    Only the means: the start's weights and covariances come from sklearn's seeded
    k-means responsibilities, which measured more stable under resampling than
    weights and covariances taken from the quadrants too (README, segment methods).
    """
    return np.array([prepared[quadrant == q].mean(axis=0) for q in range(4)])


def fit_gaussian_mixture(
    prepared: np.ndarray,
    z: np.ndarray,
    features: Sequence[str],
    n_components: int,
    method: SegmentMethod,
    random_state: int,
    max_iter: int,
) -> GaussianMixture:
    """The mixture on the prepared training rows, from the method's start."""
    start: dict[str, np.ndarray] = {}
    n_init = method.n_init
    if method.init == "quadrant" and n_components == 4:
        quadrant = _quadrants(z, features)
        if quadrant is not None:
            start, n_init = {"means_init": _quadrant_means(prepared, quadrant)}, 1
    mixture = GaussianMixture(
        n_components=n_components,
        covariance_type=method.covariance_type,
        n_init=n_init,
        max_iter=max_iter,
        random_state=random_state,
        **start,
    )
    return mixture.fit(prepared)


def sample_indices(n_rows: int, size: int, random_state: int) -> np.ndarray:
    """Sorted indices of a seeded random sample of at most `size` rows."""
    if n_rows <= size:
        return np.arange(n_rows)
    rng = np.random.default_rng(random_state)
    return np.sort(rng.choice(n_rows, size=size, replace=False))
