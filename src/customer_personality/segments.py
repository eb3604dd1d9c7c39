"""Named customer segments from a Gaussian mixture, with a model table SQL can re-apply.

A segment method (SEGMENT_METHODS, var segment_method) prepares income, seniority and
spending (winsorize, log, standardize, project, normalize) and fits a Gaussian mixture
on the prepared rows of the training customers (a seeded sample when they are many).
Segments are named by the rule in DESIGN.md, never by component index, and every
parameter, of the preparation and of the mixture, goes into one long table from which
a SQL macro scores every customer.
"""

from __future__ import annotations

# First: loads the scientific stack in one thread (dbt runs models in parallel).
from customer_personality import _preload  # noqa: F401

# isort: split

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy.special import logsumexp
from sklearn.mixture import GaussianMixture

from customer_personality.stability import bootstrap_stability
from customer_personality.stability import reading as stability_reading
from customer_personality.threads import single_threaded

SEGMENT_NAMES: tuple[str, ...] = (
    "Stars",
    "High potential",
    "Leaky bucket",
    "Need attention",
)
DEFAULT_FEATURES: tuple[str, ...] = ("income", "seniority_months", "spending")
VALUE_FEATURES: tuple[str, str] = ("income", "spending")
SENIORITY_FEATURE = "seniority_months"
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
# Rows scored per predict_proba call: bounds the temporaries at ten million rows.
SCORE_CHUNK_ROWS = 1_000_000
# Fitting and scoring run on one thread: k-means (the mixture's initialisation) adds
# per-thread partial sums in lock order, so more threads can change the last bits from
# run to run, and on these small matrices extra BLAS/OpenMP threads mostly wait for
# each other (one thread was 4x faster on 2 cores). See threads.single_threaded.


def text_column(codes: np.ndarray, names: Sequence[str]) -> pd.Series:
    """names[codes] as a pandas 'str' column, built in Arrow (fast, compact).

    A Categorical cast to str goes through Python objects: ten times slower and five
    times the memory at tens of millions of rows.
    """
    dictionary = pa.DictionaryArray.from_arrays(
        pa.array(np.asarray(codes, dtype=np.int32)), pa.array(list(names), pa.string())
    )
    return pd.Series(
        dictionary.cast(pa.large_string()), dtype=pd.StringDtype("pyarrow", np.nan)
    )


@dataclass(frozen=True)
class SegmentFit:
    """Result of `fit_segments`.

    assignments: one row per customer, sorted by customer_id.
    model: long parameter table (see `model_table`), enough to score in SQL.
    segment_names: segment names in component order 1..n (probability column order).
    fitted: the preparation and the sklearn mixture (its components are in sklearn's
        order; `component_order[j]` is the sklearn index of component j + 1).
    """

    assignments: pd.DataFrame
    model: pd.DataFrame
    segment_names: tuple[str, ...]
    features: tuple[str, ...]
    fitted: FittedSegments
    component_order: tuple[int, ...]
    n_rows: int
    n_train_rows: int
    converged: bool
    n_iter: int


def probability_column(name: str) -> str:
    """Snake-case probability column for a segment name ('High potential' -> ...)."""
    return "probability_" + re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def _value_and_seniority(
    means: np.ndarray, features: Sequence[str]
) -> tuple[np.ndarray, np.ndarray | None]:
    """Customer value (income + spending) and seniority of each component mean."""
    features = list(features)
    if all(feature in features for feature in VALUE_FEATURES):
        value = sum(means[:, features.index(feature)] for feature in VALUE_FEATURES)
    else:
        value = means.mean(axis=1)
    seniority = None
    if SENIORITY_FEATURE in features:
        seniority = means[:, features.index(SENIORITY_FEATURE)]
    return np.asarray(value, dtype=np.float64), seniority


def name_components(means: np.ndarray, features: Sequence[str]) -> list[str]:
    """Segment name of each component from its standardized mean (DESIGN.md rule).

    Four components with income, spending and seniority_months among the features:
    the two with the highest mean standardized income + spending are high value; of
    those the more senior is 'Stars', the other 'High potential'; of the low-value
    pair the more senior is 'Leaky bucket', the other 'Need attention'. Any other
    case (n != 4, or a feature missing): 'Segment 1'..'Segment n' by descending value
    (income + spending, or the mean of all standardized features without them).
    Ties break on seniority, then on the whole mean vector, never on the index, so
    the names do not depend on the order of the components.
    """
    means = np.asarray(means, dtype=np.float64)
    if means.ndim != 2 or means.shape[1] != len(features):
        raise ValueError(
            f"means must have shape (n_components, {len(features)}), got {means.shape}"
        )
    n_components = means.shape[0]
    value, seniority = _value_and_seniority(means, features)
    senior = np.zeros(n_components) if seniority is None else seniority
    # np.lexsort sorts by the last key first: value, then seniority, then the means.
    keys = [-means[:, j] for j in reversed(range(means.shape[1]))] + [-senior, -value]
    by_value = [int(i) for i in np.lexsort(keys)]
    names = [""] * n_components
    has_rule_features = seniority is not None and all(
        feature in features for feature in VALUE_FEATURES
    )
    if n_components != len(SEGMENT_NAMES) or not has_rule_features:
        for rank, component in enumerate(by_value, start=1):
            names[component] = f"Segment {rank}"
        return names
    high, low = by_value[:2], by_value[2:]
    for pair, (senior_name, other_name) in (
        (high, ("Stars", "High potential")),
        (low, ("Leaky bucket", "Need attention")),
    ):
        # Stable sort: equal seniority keeps the value order.
        first, second = sorted(pair, key=lambda component: -senior[component])
        names[first], names[second] = senior_name, other_name
    return names


def _canonical_order(names: Sequence[str]) -> list[int]:
    """Component indices in output order: the four names' order, else Segment 1..n."""
    if set(names) == set(SEGMENT_NAMES):
        return [list(names).index(name) for name in SEGMENT_NAMES]
    return sorted(range(len(names)), key=lambda i: int(names[i].split()[-1]))


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


def _check_rule_features(features: Sequence[str], name: str) -> None:
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


def _fit_mixture(
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


def _sample_indices(n_rows: int, size: int, random_state: int) -> np.ndarray:
    """Sorted indices of a seeded random sample of at most `size` rows."""
    if n_rows <= size:
        return np.arange(n_rows)
    rng = np.random.default_rng(random_state)
    return np.sort(rng.choice(n_rows, size=size, replace=False))


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
    unscaled_means: np.ndarray,
    method_name: str,
    n_train_rows: int,
) -> pd.DataFrame:
    """Long table of the fitted preparation and mixture, components 1..n by name.

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
    order = _canonical_order(names)
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


def _model_arrays(model: pd.DataFrame) -> _MixtureArrays:
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
    arrays = _model_arrays(model)
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


def _feature_array(data: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    """Float64 matrix of `columns`; fails with the column names if any are missing."""
    missing = [column for column in columns if column not in data.columns]
    if missing:
        raise ValueError(f"missing columns: {missing}")
    values = data[list(columns)].to_numpy(np.float64)
    bad = [c for c, ok in zip(columns, np.isfinite(values).all(axis=0)) if not ok]
    if bad:
        raise ValueError(f"columns with missing or infinite values: {bad}")
    return values


@dataclass(frozen=True)
class FittedSegments:
    """A fitted preparation and mixture, with names: what scores a customer."""

    preparation: Preparation
    mixture: GaussianMixture
    names: tuple[str, ...]  # per sklearn component
    order: tuple[int, ...]  # order[j] is the sklearn index of component j + 1

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        """Posterior of each component 1..n (segment order) for raw rows X."""
        probabilities = np.empty((len(X), len(self.order)))
        for start in range(0, len(X), SCORE_CHUNK_ROWS):
            chunk = slice(start, start + SCORE_CHUNK_ROWS)
            prepared = self.preparation.transform(X[chunk])
            probabilities[chunk] = self.mixture.predict_proba(prepared)[:, self.order]
        return probabilities

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Segment name of each raw row of X."""
        ordered = np.asarray([self.names[i] for i in self.order], dtype=object)
        return ordered[np.argmax(self.probabilities(X), axis=1)]


def fit_mixture_on(
    X: np.ndarray,
    features: Sequence[str],
    n_components: int = 4,
    method: str = DEFAULT_METHOD,
    random_state: int = 42,
    max_iter: int = 200,
) -> tuple[FittedSegments, np.ndarray]:
    """Fit the method's preparation and mixture on the training rows X (raw units)
    and name the components; returns them and each component's posterior-weighted
    mean of X (raw units, sklearn order)."""
    recipe = segment_method(method)
    if recipe.value_seniority:
        _check_rule_features(features, method)
    if len(X) < n_components:
        raise ValueError(f"{len(X)} rows cannot fit {n_components} components")
    preparation = fit_preparation(X, features, recipe)
    z = preparation.standardize(X)
    prepared = preparation.transform(X)
    with single_threaded():
        mixture = _fit_mixture(
            prepared, z, features, n_components, recipe, random_state, max_iter
        )
        responsibilities = mixture.predict_proba(prepared)
    totals = responsibilities.sum(axis=0)[:, None]
    # Names are read on each component's customers, in standardized units.
    names = name_components(responsibilities.T @ z / totals, features)
    fitted = FittedSegments(
        preparation, mixture, tuple(names), tuple(_canonical_order(names))
    )
    return fitted, responsibilities.T @ X / totals


def fit_segments(
    data: pd.DataFrame,
    features: Sequence[str] = DEFAULT_FEATURES,
    n_components: int = 4,
    method: str = DEFAULT_METHOD,
    random_state: int = 42,
    sample_size: int = 200_000,
    max_iter: int = 200,
    id_column: str = "customer_id",
    assign: bool = True,
) -> SegmentFit:
    """Fit the segment method on the customers of `data` and name every customer.

    The preparation and the mixture are fitted on a seeded sample of at most
    `sample_size` rows (the training customers: the build leaves flagged outliers
    out of `data`). Rows are sorted by `id_column` first, so the result does not
    depend on the order SQL returns. assign=False skips scoring the rows
    (assignments is then empty): the build scores every customer in SQL.
    """
    features = tuple(features)
    if id_column not in data.columns:
        raise ValueError(f"missing column: {id_column}")
    values = _feature_array(data, features)
    ids = data[id_column].to_numpy(np.int64)
    by_id = np.argsort(ids, kind="stable")
    values, ids = values[by_id], ids[by_id]
    n_rows = len(values)
    train = _sample_indices(n_rows, sample_size, random_state)
    fitted, unscaled = fit_mixture_on(
        values[train], features, n_components, method, random_state, max_iter
    )
    scored = n_rows if assign else 0
    with single_threaded():
        probabilities = fitted.probabilities(values[:scored])
    ordered_names = tuple(fitted.names[i] for i in fitted.order)
    winner = np.argmax(probabilities, axis=1)
    assignments = pd.DataFrame(
        {
            "customer_id": ids[:scored],
            "segment": text_column(winner, ordered_names),
            "segment_probability": probabilities[np.arange(scored), winner],
        },
        copy=False,
    )
    for j, name in enumerate(ordered_names):
        assignments[probability_column(name)] = probabilities[:, j]
    model = model_table(
        fitted.mixture, fitted.preparation, fitted.names, unscaled, method, len(train)
    )
    return SegmentFit(
        assignments=assignments,
        model=model,
        segment_names=ordered_names,
        features=features,
        fitted=fitted,
        component_order=fitted.order,
        n_rows=n_rows,
        n_train_rows=len(train),
        converged=bool(fitted.mixture.converged_),
        n_iter=int(fitted.mixture.n_iter_),
    )


STABILITY_COLUMNS: tuple[str, ...] = (
    "segment",
    "component",
    "share",
    "jaccard_mean",
    "jaccard_min",
    "segment_reading",
    "ari_median",
    "ari_min",
    "ari_mean",
    "model_reading",
    "n_resamples",
    "n_customers",
    "method",
)


def segment_stability(
    data: pd.DataFrame,
    model: pd.DataFrame,
    features: Sequence[str] = DEFAULT_FEATURES,
    method: str = DEFAULT_METHOD,
    n_resamples: int = 20,
    sample_size: int = 5_000,
    random_state: int = 42,
    id_column: str = "customer_id",
) -> pd.DataFrame:
    """The clusterwise bootstrap of the segment model (see customer_personality.
    stability), one row per segment in component order.

    On a seeded sample of at most `sample_size` training customers, the reference is
    the segments `model` gives them; each of `n_resamples` bootstrap resamples of the
    sample is fitted with the same method and seed and labels the whole sample.
    """
    features = tuple(features)
    values = _feature_array(data, features)
    ids = data[id_column].to_numpy(np.int64)
    values = values[np.argsort(ids, kind="stable")]
    if len(values) == 0:
        raise ValueError("segment_stability: no training customers")
    sample = values[_sample_indices(len(values), sample_size, random_state)]
    reference, _ = score_from_model(model, sample)
    names = [str(name) for name in _model_arrays(model).names]

    def refit(train: np.ndarray, rows: np.ndarray) -> np.ndarray:
        fitted, _ = fit_mixture_on(train, features, len(names), method, random_state)
        return fitted.predict(rows)

    result = bootstrap_stability(sample, refit, n_resamples, random_state, reference)
    clusters = result.clusters_frame().set_index("cluster")
    table = pd.DataFrame({"segment": names, "component": range(1, len(names) + 1)})
    table = table.join(clusters, on="segment")
    table["share"] = table["share"].fillna(0.0)
    table["jaccard_mean"] = table["jaccard_mean"].fillna(0.0)
    table["jaccard_min"] = table["jaccard_min"].fillna(0.0)
    table["segment_reading"] = table.pop("reading").fillna("empty in this sample")
    table["ari_median"] = result.ari_median
    table["ari_min"] = result.ari_min
    table["ari_mean"] = float(np.mean(result.ari))
    table["model_reading"] = stability_reading(result.ari_median)
    table["n_resamples"] = np.int64(n_resamples)
    table["n_customers"] = np.int64(len(sample))
    table["method"] = method
    return table[list(STABILITY_COLUMNS)]
