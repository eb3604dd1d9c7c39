"""segment_statistics as built: the published education study, the segment features
that differ, and tests read from SQL rank sums and counts of every customer."""

from __future__ import annotations

import pytest

from conftest import (
    REAL_FILE,
    connect,
    query,
    real_file_or_skip,
    run_dbt,
    scalar,
    seed_segment_definitions,
)

pytestmark = pytest.mark.build

KEEP_EVERY_ROW = {
    "missing_income": "impute",
    "income_outlier_rule": "none",
    "max_age": None,
}


def test_real_file_reproduces_the_published_education_study(tmp_path):
    """All 2,240 rows kept: Kruskal-Wallis across Education gives the published
    H = 71.02 (spending) and H = 16.41, p = 0.0025 (campaigns accepted)."""
    real_file_or_skip()
    db_path = tmp_path / "keep_all.duckdb"
    run_dbt(
        "build",
        db_path,
        {"raw_customers_path": str(REAL_FILE), **KEEP_EVERY_ROW},
        select="+segment_statistics customers",
        tests=False,
    )
    assert scalar(db_path, "select count(*) from customers") == 2240
    rows = dict(
        (feature, (statistic, p_value, n))
        for feature, statistic, p_value, n in query(
            db_path,
            "select feature, statistic, p_value, n from segment_statistics "
            "where test = 'education_kruskal_wallis'",
        )
    )
    assert round(rows["spending"][0], 2) == 71.02
    assert rows["spending"][1] < 0.001
    assert round(rows["total_campaigns_accepted"][0], 2) == 16.41
    assert round(rows["total_campaigns_accepted"][1], 4) == 0.0025
    assert rows["spending"][2] == 2240


def test_segment_statistics_find_the_segment_features_differ(sample_db):
    kruskal = dict(
        query(
            sample_db,
            "select feature, is_significant from segment_statistics "
            "where test = 'kruskal_wallis'",
        )
    )
    # The segments are built from income, seniority and spending.
    assert kruskal["income"] and kruskal["spending"] and kruskal["seniority_months"]
    pairs = scalar(
        sample_db,
        "select count(*) from segment_statistics "
        "where test = 'mann_whitney' and feature = 'spending'",
    )
    assert pairs == 6


def test_statistics_read_sql_ranks_and_counts_of_every_customer(tmp_path):
    """The build's Kruskal-Wallis and chi-square come from rank sums and counts made
    in SQL: those tables equal statistics.rank_sums / category_counts of every
    customer, and the tests equal segment_statistics on every customer to the last
    bit. The pairwise tests read the seeded SQL sample only (here 500 of the rows)."""
    import pandas as pd
    from pandas.testing import assert_frame_equal

    from customer_personality import statistics

    db_path = tmp_path / "statistics.duckdb"
    run_dbt(
        "build",
        db_path,
        {"statistics_sample_size": 500},
        select="+segment_statistics customers",
        tests=False,
    )
    with connect(db_path) as con:
        customers = con.sql("select * from customers order by customer_id").df()
        built = con.sql("select * from int_segment_statistics").df()
        ranks = con.sql("select * from int_statistics_rank_sums").df()
        counts = con.sql("select * from int_statistics_category_counts").df()
        sample = con.sql("select * from int_statistics_sample").df()
    numeric = list(statistics.DEFAULT_NUMERIC)
    categorical = list(statistics.DEFAULT_CATEGORICAL)
    expected_ranks = pd.concat(
        [
            statistics.rank_sums(customers, "segment", numeric),
            statistics.rank_sums(customers, "education", statistics.EDUCATION_FEATURES),
        ]
    )
    key = ["grouping", "feature", "group_label"]
    assert_frame_equal(
        ranks.sort_values(key).reset_index(drop=True),
        expected_ranks.sort_values(key).reset_index(drop=True),
        check_dtype=False,
        check_exact=True,
    )
    key = ["feature", "category_order", "group_label"]
    assert_frame_equal(
        counts.sort_values(key).reset_index(drop=True),
        statistics.category_counts(customers, "segment", categorical)
        .sort_values(key)
        .reset_index(drop=True),
        check_dtype=False,
        check_exact=True,
    )
    everyone = statistics.segment_statistics(
        customers,
        numeric=numeric,
        categorical=categorical,
        group_order=seed_segment_definitions().names,
    )
    for test in ("kruskal_wallis", "chi_square", "education_kruskal_wallis"):
        assert_frame_equal(
            built[built["test"] == test].reset_index(drop=True),
            everyone[everyone["test"] == test].reset_index(drop=True),
            check_dtype=False,
            check_exact=True,
        )
    assert len(sample) == 500 and (sample["population"] == len(customers)).all()
    pairwise = built[built["test"] == "mann_whitney"]
    assert pairwise["sampled"].all() and (pairwise["n"] <= 500).all()
    assert not built[built["test"] == "kruskal_wallis"]["sampled"].any()
