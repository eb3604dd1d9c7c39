"""customer_scores and customer_actions as built: one row per customer, RFM scores
in quintiles, and a churn alert exactly at var churn_alert_score."""

from __future__ import annotations

from conftest import query, scalar


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
