"""Clusterings as the build makes them: HDBSCAN's verdict, determinism."""

from __future__ import annotations

from conftest import query, run_dbt, scalar


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
        ("segment_profiles", "segmentation"),
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


def test_two_builds_give_identical_clusterings(sample_db, tmp_path):
    second = tmp_path / "again.duckdb"
    run_dbt("build", second, select="+cluster_evaluation +customer_clusters", tests=False)
    for sql in (
        "select * from cluster_evaluation order by algorithm, k, parameter",
        "select * from customer_clusters order by algorithm, customer_id",
    ):
        assert query(sample_db, sql) == query(second, sql), sql
