"""Named customer segments from a Gaussian mixture, with a model table SQL can re-apply.

A GaussianMixture is fitted on standardized income, seniority and spending (on a seeded
sample when the table is large) and every customer is scored. Segments are named by
the rule in DESIGN.md, never by component index, and the fitted parameters are
returned as a long table from which a SQL macro can score new customers.
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
from sklearn.preprocessing import StandardScaler

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
    mixture: the fitted sklearn estimator (its components are in sklearn's order;
        `component_order[j]` is the sklearn index of component j + 1).
    """

    assignments: pd.DataFrame
    model: pd.DataFrame
    segment_names: tuple[str, ...]
    features: tuple[str, ...]
    mixture: GaussianMixture
    scaler: StandardScaler
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


def model_table(
    mixture: GaussianMixture,
    scaler: StandardScaler,
    features: Sequence[str],
    names: Sequence[str],
    n_train_rows: int,
) -> pd.DataFrame:
    """Long table of the fitted mixture, in component order 1..n by segment name.

    parameter values: 'feature_mean' and 'feature_scale' (the standardizer; segment
    and component NULL), 'weight' and 'log_det_precision' per component, 'mean' (in
    standardized units) and 'mean_unscaled' (original units, for reading) per
    component and feature, 'precision' and 'covariance' per component and pair
    (feature, feature_2) as full matrices whatever the covariance type. Scoring:
    z = (x - feature_mean) / feature_scale; d = z - mean_k;
    log p_k = ln(weight_k) + log_det_precision_k / 2 - D/2 ln(2 pi) - d' P_k d / 2;
    probability_k = softmax over k; segment = argmax (first component on a tie).
    """
    features = list(features)
    order = _canonical_order(names)
    precision, chol, covariance = _full_matrices(mixture)
    log_det = 2.0 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
    rows: list[tuple] = []
    for parameter, values in (
        ("feature_mean", scaler.mean_),
        ("feature_scale", scaler.scale_),
    ):
        rows += [
            (None, None, parameter, f, None, float(v)) for f, v in zip(features, values)
        ]
    for component, index in enumerate(order, start=1):
        name = names[index]
        head = (name, component)
        rows.append((*head, "weight", None, None, float(mixture.weights_[index])))
        rows.append((*head, "log_det_precision", None, None, float(log_det[index])))
        mean = mixture.means_[index]
        unscaled = scaler.mean_ + scaler.scale_ * mean
        rows += [(*head, "mean", f, None, float(v)) for f, v in zip(features, mean)]
        rows += [
            (*head, "mean_unscaled", f, None, float(v))
            for f, v in zip(features, unscaled)
        ]
        for parameter, matrix in (
            ("precision", precision[index]),
            ("covariance", covariance[index]),
        ):
            rows += [
                (*head, parameter, f, f2, float(matrix[i, j]))
                for i, f in enumerate(features)
                for j, f2 in enumerate(features)
            ]
    table = pd.DataFrame(rows, columns=list(MODEL_COLUMNS[:6]))
    table["segment"] = table["segment"].astype("str")
    table["component"] = table["component"].astype("Int64")
    table["feature"] = table["feature"].astype("str")
    table["feature_2"] = table["feature_2"].astype("str")
    table["value"] = table["value"].astype(np.float64)
    table["covariance_type"] = mixture.covariance_type
    table["n_train_rows"] = np.int64(n_train_rows)
    return table


class _MixtureArrays(NamedTuple):
    """Arrays read back from a model table, components in order 1..n."""

    features: list[str]
    center: np.ndarray
    scale: np.ndarray
    names: list[str]
    weights: np.ndarray
    log_dets: np.ndarray
    means: np.ndarray
    precisions: np.ndarray


def _model_arrays(model: pd.DataFrame) -> _MixtureArrays:
    """Scaler, weights, means and precision matrices of a `model_table`."""
    scaler_rows = model[model["parameter"] == "feature_mean"]
    features = [str(f) for f in scaler_rows["feature"]]
    by_feature = {
        parameter: model[model["parameter"] == parameter].set_index("feature")["value"]
        for parameter in ("feature_mean", "feature_scale")
    }
    components = sorted(int(c) for c in model["component"].dropna().unique())
    names, weights, log_dets, means, precisions = [], [], [], [], []
    for component in components:
        rows = model[model["component"] == component]
        names.append(str(rows["segment"].iloc[0]))
        scalar = rows[rows["feature"].isna()].set_index("parameter")["value"]
        weights.append(scalar["weight"])
        log_dets.append(scalar["log_det_precision"])
        mean_rows = rows[rows["parameter"] == "mean"].set_index("feature")["value"]
        means.append(mean_rows.reindex(features).to_numpy(np.float64))
        matrix = rows[rows["parameter"] == "precision"].pivot(
            index="feature", columns="feature_2", values="value"
        )
        precisions.append(matrix.reindex(index=features, columns=features).to_numpy())
    return _MixtureArrays(
        features=features,
        center=by_feature["feature_mean"].reindex(features).to_numpy(np.float64),
        scale=by_feature["feature_scale"].reindex(features).to_numpy(np.float64),
        names=names,
        weights=np.asarray(weights, dtype=np.float64),
        log_dets=np.asarray(log_dets, dtype=np.float64),
        means=np.asarray(means, dtype=np.float64),
        precisions=np.asarray(precisions, dtype=np.float64),
    )


def score_from_model(
    model: pd.DataFrame, X: np.ndarray | pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Re-apply a `model_table` with numpy only, as the SQL macro would.

    X is raw (unstandardized) data: a DataFrame holding the model's feature columns,
    or an array whose columns follow the order of the 'feature_mean' rows. Returns
    (segment name per row, probabilities with one column per component 1..n).
    """
    arrays = _model_arrays(model)
    features, names = arrays.features, arrays.names
    if isinstance(X, pd.DataFrame):
        values = X[features].to_numpy(np.float64)
    else:
        values = np.asarray(X, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] != len(features):
        raise ValueError(f"X must have {len(features)} columns: {features}")
    z = (values - arrays.center) / arrays.scale
    constant = 0.5 * len(features) * np.log(2 * np.pi)
    log_prob = np.empty((len(z), len(names)))
    for k in range(len(names)):
        diff = z - arrays.means[k]
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


def fit_segments(
    data: pd.DataFrame,
    features: Sequence[str] = DEFAULT_FEATURES,
    n_components: int = 4,
    covariance_type: str = "full",
    random_state: int = 42,
    sample_size: int = 200_000,
    n_init: int = 3,
    max_iter: int = 200,
    id_column: str = "customer_id",
    assign: bool = True,
) -> SegmentFit:
    """Fit a Gaussian mixture on standardized features and name every customer.

    The scaler (mean, population std) uses every row; the mixture is fitted on a
    seeded sample of at most `sample_size` rows and scores all rows. Rows are sorted
    by `id_column` first, so the result does not depend on the order SQL returns.
    assign=False skips scoring the rows (assignments is then empty): the build scores
    every customer in SQL from the model table instead.
    """
    features = tuple(features)
    if id_column not in data.columns:
        raise ValueError(f"missing column: {id_column}")
    values = _feature_array(data, features)
    ids = data[id_column].to_numpy(np.int64)
    by_id = np.argsort(ids, kind="stable")
    values, ids = values[by_id], ids[by_id]
    n_rows = len(values)
    if n_rows < n_components:
        raise ValueError(f"{n_rows} rows cannot fit {n_components} components")
    scaler = StandardScaler().fit(values)
    z = scaler.transform(values)
    train = _sample_indices(n_rows, sample_size, random_state)
    mixture = GaussianMixture(
        n_components=n_components,
        covariance_type=covariance_type,
        n_init=n_init,
        max_iter=max_iter,
        random_state=random_state,
    )
    with single_threaded():
        mixture.fit(z[train])
        names = name_components(mixture.means_, features)
        order = _canonical_order(names)
        scored = n_rows if assign else 0
        probabilities = np.empty((scored, n_components))
        for start in range(0, scored, SCORE_CHUNK_ROWS):
            chunk = slice(start, start + SCORE_CHUNK_ROWS)
            probabilities[chunk] = mixture.predict_proba(z[chunk])[:, order]
    ordered_names = tuple(names[i] for i in order)
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
    model = model_table(mixture, scaler, features, names, len(train))
    return SegmentFit(
        assignments=assignments,
        model=model,
        segment_names=ordered_names,
        features=features,
        mixture=mixture,
        scaler=scaler,
        component_order=tuple(order),
        n_rows=n_rows,
        n_train_rows=len(train),
        converged=bool(mixture.converged_),
        n_iter=int(mixture.n_iter_),
    )
