"""customer_clusters as built: SQL labels every customer as the Python estimator does,
from the build's own sample, standardizer and evaluation; two builds agree."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from conftest import ROOT, connect, query, run_dbt, scalar
from customer_personality.clustering import SampleConfig, label_sample_customers
from customer_personality.core.frames import feature_lists

pytestmark = pytest.mark.build


def test_two_builds_give_identical_clusterings(sample_db, sample_db_again):
    for sql in (
        "select * from cluster_evaluation order by algorithm, k, parameter",
        "select * from customer_clusters order by algorithm, customer_id",
    ):
        assert query(sample_db, sql) == query(sample_db_again, sql), sql


def python_labels(db_path) -> pd.DataFrame:
    """Every customer's cluster by the Python estimator (label_sample_customers) from
    the build's own sample, standardizer and evaluation: what SQL must reproduce."""
    config = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
    with connect(db_path) as con:
        sample_size = con.execute(
            "select max(n_eval_rows) from int_cluster_evaluation"
        ).fetchall()[0][0]
        # The feature lists the build used (int_feature_lists, as its Python models
        # read them).
        config.update(feature_lists(con.sql("select * from int_feature_lists")))
        tables = {
            name: con.sql(f"select * from {name}").df()
            for name in (
                "int_clustering_features",
                "int_cluster_sample",
                "int_clustering_standardizer",
                "int_cluster_evaluation",
            )
        }
    return label_sample_customers(
        *tables.values(),
        SampleConfig.from_dbt({**config, "cluster_sample_size": sample_size}),
    )


def assert_sql_labels_are_the_estimators(db_path) -> None:
    """customer_clusters (SQL from int_cluster_parameters) equals the Python
    estimator on every customer, cluster numbers included."""
    expected = python_labels(db_path).sort_values(["algorithm", "customer_id"])
    got = query(
        db_path,
        "select customer_id, algorithm, k, cluster from customer_clusters "
        "order by algorithm, customer_id",
    )
    customers = scalar(db_path, "select count(*) from int_clustering_features")
    assert len(got) == len(expected) == 3 * customers
    assert got == list(expected.itertuples(index=False, name=None))


def test_sql_labels_equal_the_estimator_on_the_sample_build(sample_db):
    assert_sql_labels_are_the_estimators(sample_db)


def test_sql_labels_equal_the_estimator_on_the_real_file(real_db):
    assert_sql_labels_are_the_estimators(real_db)


def test_sql_labels_customers_outside_small_samples(tmp_path):
    """Samples smaller than the customers: K-Means and the GMM fit on 900 customers,
    Ward on 400; SQL labels the others as the estimator does, and the evaluation
    was given the sample alone."""
    db_path = tmp_path / "small_samples.duckdb"
    variables = {"cluster_sample_size": 400, "cluster_fit_sample_size": 900}
    run_dbt("build", db_path, variables, select="+customer_clusters", tests=False)
    counts = query(
        db_path, "select distinct n_eval_rows, n_fit_rows from int_cluster_evaluation"
    )
    assert sorted(counts) == [(400, 400), (400, 900)]  # Ward, HDBSCAN: 400
    assert scalar(db_path, "select count(*) from int_cluster_sample") == 900
    assert_sql_labels_are_the_estimators(db_path)
