"""PCA as a parameter table: the package's fit equals sklearn's PCA, and the build's
SQL projection (macro pca_projection) equals the package's on every customer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import PCA

from conftest import connect, run_dbt, scalar
from customer_personality.clustering import build_feature_matrix
from customer_personality.clustering.projection import (
    PARAMETER_COLUMNS,
    fit_pca,
    project,
)
from customer_personality.core.standardize import standardized_matrix, standardizer

NUMERIC = ["x1", "x2", "x3", "x4"]
CATEGORICAL = ["group"]
PC = ["pc1", "pc2", "pc3"]
RATIOS = [f"explained_variance_ratio_{k}" for k in (1, 2, 3)]


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    n = 3_000
    mixing = rng.normal(size=(4, 4))
    values = rng.normal(size=(n, 4)) @ mixing * [1.0, 30.0, 0.01, 5_000.0]
    frame = pd.DataFrame(values + [0.0, 100.0, 0.5, 60_000.0], columns=NUMERIC)
    frame["group"] = rng.choice(["b", "a", "c'd"], size=n, p=[0.5, 0.3, 0.2])
    frame.insert(0, "customer_id", rng.permutation(n) * 7 + 1)
    return frame


def reference(X: np.ndarray, sample: np.ndarray, n_components: int = 3) -> PCA:
    """sklearn's PCA of the sample rows, signs set as fit_pca sets them."""
    pca = PCA(n_components=n_components, svd_solver="full").fit(X[sample])
    largest = np.abs(pca.components_).argmax(axis=1)
    pca.components_ *= np.sign(pca.components_[np.arange(n_components), largest])[:, None]
    return pca


def test_standardizer_is_the_feature_matrix_one(data):
    table = standardizer(data, NUMERIC, CATEGORICAL)
    assert list(table["category"].iloc[4:]) == ["a", "b", "c'd"]
    X = standardized_matrix(data, table, NUMERIC, CATEGORICAL)
    expected = build_feature_matrix(data, NUMERIC, CATEGORICAL).values
    np.testing.assert_allclose(X, expected, rtol=0, atol=1e-12)


def test_constant_feature_scales_by_one():
    frame = pd.DataFrame({"customer_id": [1, 2, 3], "x": [2.0, 2.0, 2.0]})
    assert standardizer(frame, ["x"])["scale"].tolist() == [1.0]


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


def frame(db_path, sql: str) -> pd.DataFrame:
    with connect(db_path) as con:
        return con.execute(sql).df()


def assert_sql_is_the_package(db_path, numeric: list[str], categorical: list[str]):
    """customer_projection (SQL) = projection.project of int_pca_model on every
    customer = sklearn's PCA of the sample applied to everyone, to 1e-9."""
    sql = frame(db_path, "select * from customer_projection order by customer_id")
    features = frame(db_path, "select * from int_clustering_features")
    parameters = frame(db_path, "select * from int_pca_model")
    python = project(features, parameters, numeric, categorical)
    assert (
        len(sql) == len(features) and (sql["customer_id"] == python["customer_id"]).all()
    )
    np.testing.assert_allclose(sql[PC], python[PC], rtol=0, atol=1e-9)
    np.testing.assert_allclose(sql[RATIOS], python[RATIOS], rtol=0, atol=1e-15)
    ordered = features.sort_values("customer_id", kind="stable")
    X = build_feature_matrix(ordered, numeric, categorical).values
    sampled = frame(db_path, "select customer_id from int_pca_sample")["customer_id"]
    pca = reference(X, np.flatnonzero(ordered["customer_id"].isin(sampled)))
    np.testing.assert_allclose(sql[PC], pca.transform(X), rtol=0, atol=1e-9)
    return sql


def test_sql_projection_is_the_package_on_every_customer(sample_db):
    numeric = list(frame(sample_db, "select * from int_clustering_features").columns[1:])
    sql = assert_sql_is_the_package(sample_db, numeric, [])
    # The sample build's customers are all in the sample: components centred.
    np.testing.assert_allclose(sql[PC].mean(), 0, atol=1e-10)


def test_sql_projection_with_categories_and_a_small_sample(tmp_path):
    db_path = tmp_path / "categorical.duckdb"
    categorical = ["education_level", "marital_group"]
    variables = {"cluster_categorical_features": categorical, "pca_sample_size": 500}
    run_dbt(
        "build",
        db_path,
        variables,
        select="+customer_projection resource_type:seed",
        tests=False,
    )
    assert scalar(db_path, "select count(*) from int_pca_sample") == 500
    assert (
        scalar(db_path, "select count(*) from int_pca_model where category is not null")
        > 0
    )
    numeric = [
        c
        for c in frame(db_path, "select * from int_clustering_features").columns[1:]
        if c not in categorical
    ]
    assert_sql_is_the_package(db_path, numeric, categorical)
