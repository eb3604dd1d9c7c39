"""customer_projection as built: the build's SQL projection (macro pca_projection)
equals the package's (clustering.projection.project) and sklearn's PCA of the sample
on every customer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import connect, run_dbt, scalar
from customer_personality.clustering import build_feature_matrix
from customer_personality.clustering.projection import project
from helpers.projection import PC, RATIOS, reference

pytestmark = pytest.mark.build


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
