"""Fitting the segment model on the training customers and naming every customer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.mixture import GaussianMixture

from customer_personality.core import single_threaded, text_column
from customer_personality.segments.methods import (
    DEFAULT_METHOD,
    Preparation,
    check_rule_features,
    fit_gaussian_mixture,
    fit_preparation,
    sample_indices,
    segment_method,
)
from customer_personality.segments.model_table import model_table
from customer_personality.segments.naming import (
    DEFAULT_FEATURES,
    SegmentDefinitions,
    canonical_order,
    name_components,
    probability_column,
)

# Rows scored per predict_proba call: bounds the temporaries at ten million rows.
SCORE_CHUNK_ROWS = 1_000_000
# Fitting and scoring run on one thread: k-means (the mixture's initialisation) adds
# per-thread partial sums in lock order, so more threads can change the last bits from
# run to run, and on these small matrices extra BLAS/OpenMP threads mostly wait for
# each other (one thread was 4x faster on 2 cores). See core.single_threaded.


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


def feature_array(data: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
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
    definitions: SegmentDefinitions,
    n_components: int = 4,
    method: str = DEFAULT_METHOD,
    random_state: int = 42,
    max_iter: int = 200,
) -> tuple[FittedSegments, np.ndarray]:
    """Fit the method's preparation and mixture on the training rows X (raw units)
    and name the components by `definitions`; returns them and each component's
    posterior-weighted mean of X (raw units, sklearn order)."""
    recipe = segment_method(method)
    if recipe.value_seniority:
        check_rule_features(features, method)
    if len(X) < n_components:
        raise ValueError(f"{len(X)} rows cannot fit {n_components} components")
    preparation = fit_preparation(X, features, recipe)
    z = preparation.standardize(X)
    prepared = preparation.transform(X)
    with single_threaded():
        mixture = fit_gaussian_mixture(
            prepared, z, features, n_components, recipe, random_state, max_iter
        )
        responsibilities = mixture.predict_proba(prepared)
    totals = responsibilities.sum(axis=0)[:, None]
    # Names are read on each component's customers, in standardized units.
    names = name_components(responsibilities.T @ z / totals, features, definitions)
    order = canonical_order(names, definitions)
    fitted = FittedSegments(preparation, mixture, tuple(names), tuple(order))
    return fitted, responsibilities.T @ X / totals


def _assignments(
    fitted: FittedSegments, ids: np.ndarray, values: np.ndarray
) -> pd.DataFrame:
    """Each row's segment, its probability and every segment's probability."""
    with single_threaded():
        probabilities = fitted.probabilities(values)
    ordered_names = [fitted.names[i] for i in fitted.order]
    winner = np.argmax(probabilities, axis=1)
    assignments = pd.DataFrame(
        {
            "customer_id": ids,
            "segment": text_column(winner, ordered_names),
            "segment_probability": probabilities[np.arange(len(ids)), winner],
        },
        copy=False,
    )
    for j, name in enumerate(ordered_names):
        assignments[probability_column(name)] = probabilities[:, j]
    return assignments


def fit_segments(
    data: pd.DataFrame,
    definitions: SegmentDefinitions,
    features: Sequence[str] = DEFAULT_FEATURES,
    n_components: int = 4,
    method: str = DEFAULT_METHOD,
    random_state: int = 42,
    sample_size: int = 200_000,
    max_iter: int = 200,
    id_column: str = "customer_id",
    assign: bool = True,
) -> SegmentFit:
    """Fit the segment method on the customers of `data` and name every customer
    (segment names, their order and value tiers from `definitions`).

    The preparation and the mixture are fitted on a seeded sample of at most
    `sample_size` rows (the training customers: the build leaves flagged outliers
    out of `data`). Rows are sorted by `id_column` first, so the result does not
    depend on the order SQL returns. assign=False skips scoring the rows
    (assignments is then empty): the build scores every customer in SQL.
    """
    features = tuple(features)
    if id_column not in data.columns:
        raise ValueError(f"missing column: {id_column}")
    values = feature_array(data, features)
    ids = data[id_column].to_numpy(np.int64)
    by_id = np.argsort(ids, kind="stable")
    values, ids = values[by_id], ids[by_id]
    n_rows = len(values)
    train = sample_indices(n_rows, sample_size, random_state)
    fitted, unscaled = fit_mixture_on(
        values[train],
        features,
        definitions,
        n_components,
        method,
        random_state,
        max_iter,
    )
    ordered_names = tuple(fitted.names[i] for i in fitted.order)
    scored = n_rows if assign else 0
    assignments = _assignments(fitted, ids[:scored], values[:scored])
    model = model_table(
        fitted.mixture,
        fitted.preparation,
        fitted.names,
        fitted.order,
        unscaled,
        method,
        len(train),
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
