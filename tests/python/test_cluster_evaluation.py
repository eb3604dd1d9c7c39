"""cluster_evaluation as built: HDBSCAN's verdict, each selected clustering's
stability, the contract of its columns, and the nested seeded sample it reads."""

from __future__ import annotations

import math

import pytest
import yaml

from conftest import ROOT, query, scalar, seeded_order
from customer_personality.core.bootstrap import reading

pytestmark = pytest.mark.build


def assert_no_density_structure(db_path) -> str:
    """HDBSCAN found no structure: nothing selected, one row says why, and no
    customer has an HDBSCAN cluster anywhere downstream."""
    rows = query(
        db_path,
        "select is_selected, noise_share, parameter, selection_reason "
        "from cluster_evaluation where algorithm = 'hdbscan' "
        "and selection_reason is not null",
    )
    assert len(rows) == 1
    selected, noise, size, reason = rows[0]
    assert not selected
    assert reason.startswith(
        f"no density structure: {noise:.0%} noise at min_cluster_size={size:.0f}, "
    )
    for table, column in (
        ("customer_clusters", "algorithm"),
        ("feature_importance", "clustering"),
        ("cluster_profiles", "clustering"),
    ):
        count = scalar(
            db_path, f"select count(*) from {table} where {column} = 'hdbscan'"
        )
        assert count == 0, table
    clustered = {
        row[0] for row in query(db_path, "select algorithm from customer_clusters")
    }
    selected = {
        row[0]
        for row in query(
            db_path, "select algorithm from cluster_evaluation where is_selected"
        )
    }
    assert clustered == selected == {"kmeans", "gmm", "agglomerative"}
    return reason


def test_sample_build_finds_no_density_structure(sample_db):
    assert_no_density_structure(sample_db)


def test_real_file_has_no_density_structure(real_db):
    assert_no_density_structure(real_db)
    # Not a borderline call: even the closest candidate leaves most customers noise.
    closest = scalar(
        real_db,
        "select noise_share from cluster_evaluation "
        "where algorithm = 'hdbscan' and selection_reason is not null",
    )
    assert closest > 0.5


def test_cluster_sample_nests_the_evaluation_sample(sample_db):
    """int_cluster_sample's first n positions are the seeded sample of n customers,
    and the evaluation counts the rows it was given."""
    seed = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]["random_seed"]
    customers = scalar(sample_db, "select count(*) from int_clustering_features")
    for size in (100, 1_000):
        nested = query(
            sample_db,
            "select customer_id from int_cluster_sample "
            f"where sample_position <= {size} order by 1",
        )
        drawn = query(
            sample_db,
            "select customer_id from (select customer_id from "
            f"int_clustering_features order by {seeded_order('customer_id', seed)} "
            f"limit {size}) order by 1",
        )
        assert nested == drawn and len(nested) == size
    assert scalar(sample_db, "select count(*) from int_cluster_sample") == customers
    counts = query(
        sample_db, "select distinct n_eval_rows, n_fit_rows from int_cluster_evaluation"
    )
    assert counts == [(customers, customers)]


def assert_stability_figures(db_path) -> None:
    """Every selected clustering carries real stability figures; no other row does."""
    customers = scalar(db_path, "select count(*) from customers")
    rows = query(
        db_path,
        "select algorithm, stability_ari_median, stability_ari_min, "
        "stability_weakest_cluster_jaccard, stability_reading, stability_resamples, "
        "stability_rows from cluster_evaluation where is_selected order by 1",
    )
    assert [row[0] for row in rows] == ["agglomerative", "gmm", "kmeans"]
    for algorithm, median, lowest, weakest, words, resamples, n_rows in rows:
        assert all(math.isfinite(value) for value in (median, lowest, weakest))
        assert -1 <= lowest <= median <= 1, algorithm
        assert 0 <= weakest <= 1, algorithm
        assert words == reading(median)
        assert resamples == 20 and n_rows == min(5_000, customers)
    others = scalar(
        db_path,
        "select count(*) from cluster_evaluation where not is_selected and ("
        "stability_ari_median is not null or stability_ari_min is not null or "
        "stability_weakest_cluster_jaccard is not null or stability_reading is not "
        "null or stability_resamples is not null or stability_rows is not null)",
    )
    assert others == 0


def test_sample_build_measures_each_selected_clusterings_stability(sample_db):
    assert_stability_figures(sample_db)


def test_real_file_stability(real_db):
    assert_stability_figures(real_db)


def test_stability_columns_are_in_the_contract(sample_db):
    types = dict(
        query(
            sample_db,
            "select column_name, data_type from information_schema.columns "
            "where table_name = 'cluster_evaluation' and column_name like 'stability_%'",
        )
    )
    assert types == {
        "stability_ari_median": "DOUBLE",
        "stability_ari_min": "DOUBLE",
        "stability_weakest_cluster_jaccard": "DOUBLE",
        "stability_reading": "VARCHAR",
        "stability_resamples": "INTEGER",
        "stability_rows": "BIGINT",
    }
