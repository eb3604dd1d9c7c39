"""Marketing analytics as built: statistics, profiles, scores and actions."""

from __future__ import annotations

from conftest import REAL_FILE, query, real_file_or_skip, run_dbt, scalar

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
        select="+segment_statistics",
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


def test_segment_profiles_add_up(sample_db):
    total = scalar(sample_db, "select count(*) from customers")
    for segmentation, customers, share in query(
        sample_db,
        "select segmentation, sum(customers), sum(customer_share) "
        "from segment_profiles group by 1",
    ):
        assert customers == total, segmentation
        assert abs(share - 1) < 1e-9
    mismatch = scalar(
        sample_db,
        "with direct as (select segment, avg(spending) as spending, "
        "avg(accepted_campaign_3) as campaign_3 from customers group by 1) "
        "select count(*) from segment_profiles join direct using (segment) "
        "where segmentation = 'segments' and (abs(mean_spending - direct.spending) "
        "> 1e-9 or abs(acceptance_rate_campaign_3 - direct.campaign_3) > 1e-9)",
    )
    assert mismatch == 0


def test_scores_and_actions_cover_every_customer(sample_db):
    customers = scalar(sample_db, "select count(*) from customers")
    assert scalar(sample_db, "select count(*) from customer_scores") == customers
    assert scalar(sample_db, "select count(*) from customer_actions") == customers
    # Quintiles: each RFM score value holds a fifth of the customers (+-1).
    for column in ("recency_score", "frequency_score", "monetary_score"):
        sizes = [
            row[0]
            for row in query(
                sample_db, f"select count(*) from customer_scores group by {column}"
            )
        ]
        assert len(sizes) == 5 and max(sizes) - min(sizes) <= 1, column
    alerts = scalar(
        sample_db,
        "select count(*) from customer_actions "
        "where is_churn_alert != (churn_risk_score >= 70)",
    )
    assert alerts == 0
    aha = query(sample_db, "select behaviour, lift from aha_moments where is_aha_moment")
    assert aha and all(lift > 1 for _, lift in aha)
