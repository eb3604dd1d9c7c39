"""customer_personality.clustering.projection: PCA as a parameter table, the package's
fit equal to sklearn's PCA (the build's SQL projection: test_customer_projection)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_personality.clustering import build_feature_matrix
from customer_personality.clustering.projection import (
    PARAMETER_COLUMNS,
    fit_pca,
    project,
)
from customer_personality.core.standardize import standardizer
from helpers.projection import (
    CATEGORICAL,
    NUMERIC,
    PC,
    RATIOS,
    feature_frame,
    reference,
)


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return feature_frame()


def test_parameters_reproduce_sklearn_pca_and_transform(data):
    table = standardizer(data, NUMERIC, CATEGORICAL)
    sample = np.sort(np.random.default_rng(1).choice(len(data), 1_000, replace=False))
    parameters = fit_pca(data.iloc[sample], table, NUMERIC, CATEGORICAL)
    assert list(parameters.columns) == list(PARAMETER_COLUMNS)
    ordered = data.sort_values("customer_id", kind="stable")
    X = build_feature_matrix(ordered, NUMERIC, CATEGORICAL).values
    positions = np.flatnonzero(ordered.index.isin(data.index[sample]))
    pca = reference(X, positions)
    loadings = np.stack(
        [
            parameters[
                (parameters["parameter"] == "loading") & (parameters["component"] == k)
            ]["value"].to_numpy()
            for k in (1, 2, 3)
        ]
    )
    np.testing.assert_allclose(loadings, pca.components_, rtol=0, atol=1e-12)
    assert (loadings[np.arange(3), np.abs(loadings).argmax(axis=1)] > 0).all()
    mean = parameters[parameters["parameter"] == "pca_mean"]["value"].to_numpy()
    np.testing.assert_allclose(mean, pca.mean_, rtol=0, atol=1e-12)
    ratio = parameters[parameters["parameter"] == "explained_variance_ratio"]
    np.testing.assert_allclose(
        ratio["value"], pca.explained_variance_ratio_, rtol=1e-12, atol=0
    )
    scores = project(data, parameters, NUMERIC, CATEGORICAL)
    assert scores["customer_id"].tolist() == ordered["customer_id"].tolist()
    np.testing.assert_allclose(scores[PC], pca.transform(X), rtol=0, atol=1e-9)
    np.testing.assert_allclose(
        scores[RATIOS].iloc[0], pca.explained_variance_ratio_, rtol=1e-12
    )


def test_fit_ignores_row_order_and_checks_components(data):
    table = standardizer(data, NUMERIC)
    first = fit_pca(data, table, NUMERIC)
    shuffled = fit_pca(data.sample(frac=1, random_state=3), table, NUMERIC)
    pd.testing.assert_frame_equal(first, shuffled)
    with pytest.raises(ValueError, match="n_components"):
        fit_pca(data, table, NUMERIC, n_components=5)
