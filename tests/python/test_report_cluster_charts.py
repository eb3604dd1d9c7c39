"""customer_personality.report.cluster_charts and tables.cluster_profiles on
hand-made frames: the chosen clustering's figures read cluster_profiles' columns as
the input gives them; profile charts iterate over the columns there are."""

from __future__ import annotations

import pandas as pd
import pytest

from customer_personality.report import cluster_charts, profile_charts, tables
from customer_personality.report.warehouse import MissingData
from helpers.report import definitions_frame, profiles_frame


@pytest.fixture
def chosen() -> pd.Series:
    return pd.Series(
        {
            "algorithm": "hdbscan",
            "k": 2,
            "silhouette": 0.52,
            "selection_reason": "highest silhouette at k=2",
            "stability_ari_median": 0.9,
            "stability_ari_min": 0.8,
            "stability_weakest_cluster_jaccard": 0.85,
            "stability_reading": "stable",
            "stability_resamples": 20,
            "stability_rows": 100,
            "selected": 2,
            "rule": "K-Means when it selected a k",
            "no_segments": None,
        }
    )


@pytest.fixture
def profiles() -> pd.DataFrame:
    """cluster_profiles of a density clustering: noise first, two products."""
    return pd.DataFrame(
        {
            "cluster": [-1, 1, 0],
            "customers": [10, 30, 60],
            "customer_share": [0.1, 0.3, 0.6],
            "mean_income": [40.0, 90.0, 20.0],
            "median_income": [41.0, 88.0, 21.0],
            "mean_spending_score": [50.0, 20.0, 80.0],
            "spend_share_wines": [0.5, 0.7, 0.2],
            "spend_share_food": [0.5, 0.3, 0.8],
        }
    )


def test_cluster_sizes_in_cluster_order_noise_last(profiles, chosen):
    fig, reading = cluster_charts.cluster_sizes(profiles, chosen)
    assert list(fig.data[0].x) == ["cluster 0", "cluster 1", "noise"]
    assert list(fig.data[0].y) == [60, 30, 10]
    assert fig.layout.title.text == "Customers per cluster: HDBSCAN, k = 2"
    assert reading == (
        "2 clusters of 100 customers; the largest, cluster 0, holds 60%, the "
        "smallest, cluster 1, 30%; noise 10.0%."
    )


def test_cluster_means_draw_every_mean_column(profiles, chosen):
    fig, reading = cluster_charts.cluster_means(profiles, chosen)
    heat = fig.data[0]
    assert list(heat.y) == ["Income", "Spending score"]
    assert list(heat.x) == ["cluster 0", "cluster 1", "noise"]
    assert [list(row) for row in heat.z] == [
        [0.0, 1.0, pytest.approx(2 / 7)],
        [1.0, 0.0, 0.5],
    ]
    assert (
        reading == "Highest mean: income cluster 1 (90), spending score cluster 0 (80)."
    )
    with pytest.raises(MissingData):
        cluster_charts.cluster_means(profiles[["cluster", "customers"]], chosen)


def test_cluster_product_mix_reads_the_products_there_are(profiles, chosen):
    fig, reading = cluster_charts.cluster_product_mix(profiles, chosen)
    assert [trace.name for trace in fig.data] == ["wines", "food"]
    assert list(fig.data[0].x) == ["cluster 0", "cluster 1", "noise"]
    assert fig.layout.xaxis.title.text == "Cluster"
    assert (
        reading
        == "Largest: cluster 0 food (80%), cluster 1 wines (70%), noise wines (50%)."
    )
    with pytest.raises(MissingData, match="cluster profiles have no purchase_share_"):
        cluster_charts.cluster_channel_mix(profiles, chosen)


def test_chosen_readings_say_why_and_how_stable(chosen):
    lines = cluster_charts.chosen_readings(chosen)
    assert lines[0] == (
        "This build has no named segments, so the report starts from the chosen "
        "clustering: HDBSCAN, k = 2."
    )
    assert lines[1].startswith("Chosen by the rule: K-Means when it selected a k; 2 ")
    assert lines[2] == (
        "HDBSCAN selected k = 2 by highest silhouette at k=2; its silhouette is 0.52."
    )
    assert "median adjusted Rand index of 0.90 (lowest 0.80" in lines[3]
    unmeasured = chosen.copy()
    unmeasured["stability_ari_median"] = None
    assert cluster_charts.chosen_readings(unmeasured)[3] == (
        "Stability: not measured for this clustering."
    )


def test_cluster_profiles_table(profiles, chosen):
    table = tables.cluster_profiles(profiles, chosen)
    assert list(table.frame.columns) == [
        "cluster",
        "customers",
        "customer_share",
        "mean_income",
        "mean_spending_score",
    ]
    assert list(table.frame["cluster"]) == ["cluster 0", "cluster 1", "noise"]
    assert table.reading.startswith("The 2 clusters and its noise of HDBSCAN (k = 2)")


def test_profile_radar_iterates_over_the_means_there_are():
    """A build whose input has no children but another feature: the radar draws the
    means segment_profiles has, in its order."""
    profiles = profiles_frame().drop(columns="mean_children")
    profiles.insert(3, "mean_spending_score", [50.0, 60.0, 70.0, 80.0])
    fig, _ = profile_charts.profile_radar(profiles, definitions_frame())
    assert list(fig.data[0].theta) == [
        "Income",
        "Spending score",
        "Spending",
        "Seniority",
        "Age",
        "Campaign acceptance",
        "Deal purchases",
        "Income",
    ]
    with pytest.raises(MissingData, match="no mean_income"):
        profile_charts.profile_income(
            profiles.drop(columns="mean_income"), definitions_frame()
        )


def test_histograms_draw_the_features_of_the_bins():
    bins = pd.DataFrame(
        {
            "feature": ["income", "income", "age", "spending_score"],
            "center": [10.0, 30.0, 40.0, 50.0],
            "width": [20.0, 20.0, 10.0, 10.0],
            "customers": [4, 6, 3, 2],
            "median": [20.0, 20.0, 40.0, 50.0],
            "skew": [0.0, 0.0, 0.0, 0.0],
        }
    )
    fig, reading = profile_charts.histograms(bins)
    assert [trace.name for trace in fig.data] == [
        "Income",
        "Age (years)",
        "Spending score",
    ]
    assert reading == "Income median 20; age (years) median 40; spending score median 50."
