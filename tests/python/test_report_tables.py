"""customer_personality.report.tables on small hand-made frames: the rows and formats
of each table and the figures its reading gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_personality.report import stability_reading, tables
from customer_personality.report.tables import Table
from helpers.report import definitions_frame


@pytest.fixture
def definitions() -> pd.DataFrame:
    return definitions_frame()


def test_cluster_stability_table():
    data = pd.DataFrame(
        {
            "algorithm": ["hdbscan", "kmeans", "gmm"],
            "k": [np.nan, 4, 3],
            "stability_ari_median": [np.nan, 0.9, 0.5],
            "stability_ari_min": [np.nan, 0.8, 0.3],
            "stability_weakest_cluster_jaccard": [np.nan, 0.85, 0.4],
            "stability_reading": ["no clustering selected", "highly stable", "unstable"],
            "selection_reason": ["no density structure", "elbow", "lowest BIC"],
            "stability_resamples": [20, 20, 20],
            "stability_rows": [5000, 5000, 5000],
        }
    )
    table = tables.cluster_stability(data)
    assert list(table.frame["algorithm"]) == ["K-Means", "Gaussian mixture", "HDBSCAN"]
    assert list(table.frame.columns)[-1] == "stability_reading"
    assert table.formats["k"](4.0) == "4"
    assert table.reading == (
        "Each selected clustering refitted on 20 bootstrap resamples of 5,000 "
        "customers: the most stable is K-Means (k = 4, median adjusted Rand index "
        "0.90, highly stable); the least stable Gaussian mixture (k = 3, 0.50, "
        "unstable); HDBSCAN selected nothing: no density structure."
    )


def test_segment_stability_table():
    data = pd.DataFrame(
        {
            "segment": ["Stars", "Leaky bucket"],
            "share": [0.4, 0.6],
            "jaccard_mean": [0.95, 0.71],
            "jaccard_min": [0.9, 0.5],
            "segment_reading": ["highly stable", "a pattern"],
            "ari_median": [0.88, 0.88],
            "ari_min": [0.8, 0.8],
            "model_reading": ["stable", "stable"],
            "n_resamples": [20, 20],
            "n_customers": [5000, 5000],
            "method": ["value_seniority", "value_seniority"],
        }
    )
    table = tables.segment_stability(data)
    assert list(table.frame.columns) == [
        "segment",
        "share",
        "jaccard_mean",
        "jaccard_min",
        "segment_reading",
    ]
    assert table.reading == (
        "Refitted (value_seniority) on 20 bootstrap resamples of 5,000 customers, the "
        "segments agree with this build's at a median adjusted Rand index of 0.88 "
        "(lowest 0.80): stable. The least stable segment is Leaky bucket: 71% of its "
        "customers stay together on average (Jaccard), a pattern."
    )


def test_focus_rules_name_the_focus_product():
    data = pd.DataFrame(
        {
            "rule_rank": [1, 2],
            "rule": ["{income_group=High} => {meat_segment=Biggest consumer}", "b => m"],
            "support": [0.1, 0.09],
            "confidence": [0.72, 0.6],
            "lift": [2.5, 2.1],
        }
    )
    table = tables.focus_rules(data, "meat", "Biggest consumer")
    assert isinstance(table, Table)
    assert table.heading == "Top 2 rules for the biggest consumers of meat"
    assert table.formats["confidence"](0.72) == "72%"
    assert table.reading == (
        "Best rule: {income_group=High} => {meat_segment=Biggest consumer} "
        "(72% confidence, lift 2.50)."
    )


def test_statistics_table_reads_the_significant_count():
    data = pd.DataFrame(
        {
            "test": ["kruskal_wallis", "mann_whitney"],
            "feature": ["income", "income"],
            "feature_2": [None, None],
            "group_a": [None, "Stars"],
            "group_b": [None, "Leaky bucket"],
            "p_value": [1e-12, 0.2],
            "effect_size": [0.31, 0.04],
            "effect_size_name": ["epsilon_squared", "rank_biserial"],
        }
    )
    table = tables.statistics(data, total=640, significant=12, alpha=0.01)
    assert table.reading == (
        "640 tests; 12 significant at alpha = 0.01; the first 500 shown."
    )
    assert table.reading_first
    assert list(table.frame.columns) == [
        "test",
        "feature",
        "groups",
        "p_value",
        "effect_size",
    ]
    assert pd.isna(table.frame["groups"].iloc[0])
    assert table.frame["groups"].iloc[1] == "Stars vs Leaky bucket"
    assert list(table.frame["effect_size"]) == [
        "0.310 epsilon squared",
        "0.040 rank biserial",
    ]
    assert table.formats["p_value"](1e-12) == "1.0e-12"


def test_aha_moments_table():
    data = pd.DataFrame(
        {
            "behaviour": ["web_purchases", "deal_purchases", "recency_days"],
            "threshold": [6.0, 3.0, 50.0],
            "customers_above": [400, 600, 900],
            "customer_share_above": [0.2, 0.3, 0.45],
            "high_value_share_above": [0.7, 0.5, 0.4],
            "high_value_share_at_or_below": [0.3, 0.45, 0.5],
            "lift": [2.33, 1.11, 0.8],
            "is_aha_moment": [True, False, False],
        }
    )
    table = tables.aha_moments(data)
    assert table.formats["customer_share_above"](0.2) == "20%"
    assert table.formats["is_aha_moment"](True) == "yes"
    assert table.reading == (
        "3 behaviours tested, 1 aha moments; above 6 web_purchases, 70% of customers "
        "are high value against 30% at or below."
    )


def test_segment_strategies_table_reads_the_biggest_spender():
    data = pd.DataFrame(
        {
            "segment": ["Stars", "Leaky bucket"],
            "people": [100, 300],
            "people_share": [0.25, 0.75],
            "mean_spending": [1200.0, 100.0],
            "spending_share": [0.8, 0.2],
            "churn_alerts": [20, 60],
            "goal": ["Retain", "Win back"],
            "offer": ["Early access", "Coupon"],
            "channels": ["Catalog; Store", "Email"],
            "discount_range": ["0-5%", "15-25%"],
        }
    )
    table = tables.segment_strategies(data)
    assert table.reading.startswith(
        "Stars are 25% of the people and bring 80% of the spending"
    )
    assert table.formats["spending_share"](0.8) == "80%"


def test_segment_migrations_table_is_a_transition_matrix(definitions):
    data = pd.DataFrame(
        {
            "from_segment": ["Stars", "Leaky bucket", "Leaky bucket", None, "Stars"],
            "to_segment": ["Stars", "Stars", "Leaky bucket", "Stars", None],
            "movement": ["stayed", "moved", "stayed", "new", "lost"],
            "customers": [50, 4, 60, 3, 2],
            "from_snapshot_date": ["2014-06-29"] * 5,
            "to_snapshot_date": ["2014-07-29"] * 5,
        }
    )
    table = tables.segment_migrations(data, "2014-07-29", definitions)
    frame = table.frame.set_index("from / to")
    assert list(frame.index) == ["Stars", "Leaky bucket", "(new customers)"]
    assert list(frame.columns) == ["Stars", "Leaky bucket", "(lost)"]
    assert frame.loc["Leaky bucket", "Stars"] == 4
    assert frame.loc["(new customers)", "Stars"] == 3
    assert frame.loc["Stars", "(lost)"] == 2
    assert table.reading == (
        "From 2014-06-29 to 2014-07-29: 4 customers changed segment, 110 stayed, 3 "
        "are new and 2 were lost; the largest move is Leaky bucket to Stars (4)."
    )
    single = tables.segment_migrations(data.iloc[:0], "2014-06-29", definitions)
    assert single.reading.startswith("The history holds one snapshot (2014-06-29)")


def test_stability_reading_names_the_most_and_least_stable():
    data = pd.DataFrame(
        {
            "algorithm": ["K-Means", "Gaussian mixture", "Ward", "HDBSCAN", "Other"],
            "k": [5, 9, 2, np.nan, 3],
            "stability_ari_median": [0.71, 0.42, 0.88, np.nan, 0.6],
            "stability_reading": ["pattern", "unstable", "highly stable", "x", "y"],
            "selection_reason": [
                "r1",
                "r2",
                "r3",
                "no density structure: 87% noise",
                "r5",
            ],
            "stability_resamples": [20, 20, 20, np.nan, 20],
            "stability_rows": [5000, 5000, 5000, np.nan, 5000],
        }
    )
    assert stability_reading(data) == (
        "Each selected clustering refitted on 20 bootstrap resamples of 5,000 "
        "customers: the most stable is Ward (k = 2, median adjusted Rand index 0.88, "
        "highly stable); the least stable Gaussian mixture (k = 9, 0.42, unstable); "
        "HDBSCAN selected nothing: no density structure: 87% noise."
    )
    assert stability_reading(data.iloc[[3]]) == (
        "HDBSCAN selected nothing: no density structure: 87% noise."
    )
    assert stability_reading(data.iloc[:0]) == "No stability was measured."
