"""The report's pure chart and table functions on small hand-made frames: the numbers
each figure draws (trace values, bar heights) and the figures its reading gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_personality.report import action_charts, charts, profile_charts, tables
from customer_personality.report.tables import Table

SEGMENTS = ["Stars", "High potential", "Leaky bucket", "Need attention"]
COLOURS = ["#e9a800", "#2a9d8f", "#e76f51", "#577590"]


@pytest.fixture
def definitions() -> pd.DataFrame:
    """The seed segment_definitions, rows shuffled: the order is segment_order's."""
    return pd.DataFrame(
        {"segment": SEGMENTS, "segment_order": [1, 2, 3, 4], "colour": COLOURS}
    ).iloc[[2, 0, 3, 1]]


@pytest.fixture
def profiles() -> pd.DataFrame:
    """segment_profiles of four segments, by name (not in the seed's order)."""
    data = pd.DataFrame(
        {
            "segment": SEGMENTS,
            "customers": [200, 100, 150, 50],
            "customer_share": [0.4, 0.2, 0.3, 0.1],
            "mean_income": [80000.0, 70000.0, 30000.0, 25000.0],
            "mean_spending": [1500.0, 1000.0, 200.0, 100.0],
            "median_spending": [1400.0, 900.0, 150.0, 80.0],
            "mean_seniority_months": [20.0, 10.0, 22.0, 8.0],
            "mean_age": [50.0, 45.0, 55.0, 40.0],
            "mean_children": [0.5, 0.8, 1.2, 1.5],
            "spend_share_wines": [0.6, 0.55, 0.7, 0.52],
            "spend_share_meat": [0.4, 0.45, 0.3, 0.48],
            "purchase_share_web": [0.3, 0.45, 0.2, 0.25],
            "purchase_share_store": [0.5, 0.35, 0.6, 0.55],
            "purchase_share_deal": [0.1, 0.15, 0.3, 0.35],
            "acceptance_rate_campaign_1": [0.2, 0.1, 0.05, 0.0],
            "acceptance_rate_campaign_2": [0.4, 0.2, 0.05, 0.02],
        }
    )
    return data.set_index("segment").sort_index()


@pytest.fixture
def sample() -> pd.DataFrame:
    """Five sampled customers."""
    return pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 5],
            "segment": [
                "Need attention",
                "Stars",
                "Stars",
                "Leaky bucket",
                "High potential",
            ],
            "income": [20000.0, 85000.0, 90000.0, 31000.0, 72000.0],
            "spending": [50.0, 1600.0, 1300.0, 210.0, 990.0],
            "seniority_months": [5.0, 21.0, 25.0, 23.0, 9.0],
            "age": [38.0, 52.0, 49.0, 57.0, 44.0],
        }
    )


def bar_values(fig) -> list[tuple]:
    return [(trace.name, list(trace.x), list(trace.y)) for trace in fig.data]


def test_segments_3d_draws_the_sample_and_reads_the_profiles(
    sample, profiles, definitions
):
    fig, reading = charts.segments_3d(sample, profiles, definitions)
    assert [trace.name for trace in fig.data] == SEGMENTS
    assert [trace.marker.color for trace in fig.data] == COLOURS
    stars = fig.data[0]
    assert list(stars.x) == [85000.0, 90000.0] and list(stars.z) == [1600.0, 1300.0]
    assert reading == (
        "Stars: 40% of customers, mean spending 1,500; High potential: 20% of "
        "customers, mean spending 1,000; Leaky bucket: 30% of customers, mean "
        "spending 200; Need attention: 10% of customers, mean spending 100 "
        "(5 of 500 customers drawn)."
    )


def test_segment_order_puts_unknown_segments_last(definitions):
    names = ["zeta", "Need attention", "alpha", "Stars"]
    assert charts.segment_order(names, definitions) == [
        "Stars",
        "Need attention",
        "alpha",
        "zeta",
    ]


def test_clustering_3d_reads_cluster_sizes_of_all_customers():
    points = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 5],
            "pc1": [0.1, 0.2, 0.3, 0.4, 0.5],
            "pc2": [1.0, 2.0, 3.0, 4.0, 5.0],
            "pc3": [0.0, 0.0, 1.0, 1.0, 2.0],
            "cluster": [10, 2, 2, -1, 10],
        }
    )
    sizes = pd.Series({2: 50, 10: 40, -1: 10})
    axes = ("PC1 (40% of variance)", "PC2 (20% of variance)", "PC3 (10% of variance)")
    fig, reading = charts.clustering_3d(points, sizes, "hdbscan", 2, axes, "silhouette")
    assert [trace.name for trace in fig.data] == ["cluster 2", "cluster 10", "noise"]
    assert list(fig.data[1].x) == [0.1, 0.5]
    assert fig.layout.title.text == "HDBSCAN, k = 2, on the principal components"
    assert fig.layout.scene.xaxis.title.text == "PC1 (40% of variance)"
    assert reading == (
        "2 clusters; the largest holds 50% of customers, the smallest 40%; noise "
        "10.0%. Selected by silhouette (5 customers drawn)."
    )
    one, one_reading = charts.clustering_3d(
        points.assign(cluster=0), pd.Series({0: 8}), "kmeans", 1, axes, None
    )
    assert one_reading == "One cluster of 100.0% of customers (5 customers drawn)."


def test_unselected_readings_say_why():
    unselected = pd.DataFrame(
        {
            "algorithm": ["hdbscan"],
            "selection_reason": ["no density structure: 90% noise"],
        }
    )
    assert charts.unselected_readings(unselected) == [
        "HDBSCAN: no clustering to show, no density structure: 90% noise."
    ]


def evaluation(metric: str, values: list[float], selected: int, reason: str):
    ks = [2, 3, 4, 5]
    return pd.DataFrame(
        {
            "k": ks,
            metric: values,
            "is_selected": [k == selected for k in ks],
            "selection_reason": [reason if k == selected else None for k in ks],
        }
    )


def test_elbow_marks_the_selected_k():
    data = evaluation("inertia", [100.0, 60.0, 45.0, 40.0], 3, "elbow at k = 3")
    fig, reading = charts.elbow(data)
    assert list(fig.data[0].y) == [100.0, 60.0, 45.0, 40.0]
    assert (list(fig.data[1].x), list(fig.data[1].y)) == ([3], [60.0])
    assert fig.layout.annotations[0].text == "selected k = 3"
    assert reading == (
        "Inertia falls 60% from k = 2 to k = 5; K-Means selected by elbow at k = 3."
    )


def test_bic_marks_the_selected_k():
    data = evaluation("bic", [900.0, 850.0, 870.0, 880.0], 3, "lowest BIC")
    fig, reading = charts.bic(data)
    assert list(fig.data[0].x) == [2, 3, 4, 5]
    assert (list(fig.data[1].x), list(fig.data[1].y)) == ([3], [850.0])
    assert reading == "Gaussian mixture selected by lowest BIC."
    _, unmarked = charts.bic(data.assign(is_selected=False))
    assert unmarked == "Gaussian mixture selected by no k marked as selected."


def test_silhouette_draws_each_algorithm_and_its_reason():
    kmeans = evaluation("silhouette", [0.30, 0.42, 0.35, 0.33], 3, "best silhouette")
    hdbscan = pd.DataFrame(
        {
            "k": [np.nan],
            "silhouette": [np.nan],
            "is_selected": [False],
            "selection_reason": ["no density structure: 90% noise"],
        }
    )
    data = pd.concat(
        [kmeans.assign(algorithm="kmeans"), hdbscan.assign(algorithm="hdbscan")]
    )
    fig, reading = charts.silhouette(data)
    assert [trace.name for trace in fig.data] == ["K-Means", "K-Means selected"]
    assert list(fig.data[0].y) == [0.30, 0.42, 0.35, 0.33]
    assert (list(fig.data[1].x), list(fig.data[1].y)) == ([3], [0.42])
    assert reading == (
        "Selected: HDBSCAN: nothing selected, no density structure: 90% noise; "
        "K-Means: best silhouette."
    )


def test_rules_scatter_reads_all_rules():
    data = pd.DataFrame(
        {
            "rule": ["a => b", "b => c", "c => d", "d => e", "e => f"],
            "support": [0.1, 0.2, 0.15, 0.3, 0.12],
            "confidence": [0.5, 0.6, 0.7, 0.8, 0.9],
            "lift": [1.1, 1.2, 1.3, 1.4, 1.5],
        }
    )
    fig, reading = charts.rules_scatter(data, (120, 1.01, 3.5, "x => y", 3.5))
    assert list(fig.data[0].x) == [0.1, 0.2, 0.15, 0.3, 0.12]
    assert list(fig.data[0].marker.color) == [1.1, 1.2, 1.3, 1.4, 1.5]
    assert reading == (
        "120 rules (5 drawn), lift 1.01 to 3.50; strongest: x => y (lift 3.50)."
    )


def test_rejections_and_kept_rejected():
    data = pd.DataFrame(
        {
            "reason": ["missing_income", "age_above_max", "income_above_max"],
            "rows_": [24, 3, 1],
        }
    )
    fig, reading = charts.rejections(data)
    assert (list(fig.data[0].x), list(fig.data[0].y)) == (
        [24, 3, 1],
        ["missing_income", "age_above_max", "income_above_max"],
    )
    assert reading == "Most common reason: missing_income (24 rows); 3 reasons in all."
    fig, reading = charts.kept_rejected(2212, 28)
    assert list(fig.data[0].y) == [2212, 28]
    assert list(fig.data[0].text) == ["2,212", "28"]
    assert reading == "28 of 2,240 rows rejected (1.2%), 2,212 kept."


def test_importance_ranks_the_drivers():
    group = pd.DataFrame(
        {
            "feature": ["spending", "income", "seniority_months", "age", "children"],
            "importance_mean": [0.3, 0.2, 0.1, 0.05, 0.0],
            "k": [4] * 5,
            "importance_std": [0.01, 0.02, 0.01, 0.01, 0.0],
            "test_accuracy": [0.95] * 5,
        }
    )
    fig, reading = charts.importance(group, "kmeans")
    bar = fig.data[0]
    assert list(bar.x) == [0.0, 0.05, 0.1, 0.2, 0.3]
    assert list(bar.y) == [
        "Children",
        "Age (years)",
        "Seniority (months)",
        "Income",
        "Spending",
    ]
    assert fig.layout.title.text == "Feature importance: K-Means, k = 4"
    assert reading == (
        "Top drivers: spending (0.300), income (0.200), seniority (months) (0.100); "
        "the forest predicts the clusters with 95% test accuracy."
    )
    _, zero = charts.importance(group.assign(importance_mean=0.0), "kmeans")
    assert zero == "Every importance is zero: one cluster leaves nothing to split."


def test_profile_radar_scales_each_axis_between_the_segments(profiles, definitions):
    fig, reading = profile_charts.profile_radar(profiles, definitions)
    assert [trace.name for trace in fig.data] == SEGMENTS
    assert [trace.line.color for trace in fig.data] == COLOURS
    stars, need = fig.data[0], fig.data[3]
    assert stars.theta[:2] == ("Income", "Spending") and stars.theta[-1] == "Income"
    assert stars.r[0] == pytest.approx(1.0) and need.r[0] == pytest.approx(0.1)
    assert stars.customdata[0] == 80000.0
    assert stars.customdata[5] == pytest.approx(0.3)  # mean of its two campaigns
    assert reading == (
        "Highest mean per axis: income Stars, spending Stars, seniority Leaky bucket, "
        "age Leaky bucket, children Need attention, campaign acceptance Stars, deal "
        "purchases Need attention."
    )


def test_profile_bars_show_the_marts_means(profiles, definitions):
    fig, reading = profile_charts.profile_income(profiles, definitions)
    assert bar_values(fig) == [(None, SEGMENTS, [80000.0, 70000.0, 30000.0, 25000.0])]
    assert list(fig.data[0].marker.color) == COLOURS
    assert list(fig.data[0].text) == ["80,000", "70,000", "30,000", "25,000"]
    assert reading == (
        "Stars have the highest mean income (80,000), Need attention the lowest (25,000)."
    )
    fig, reading = profile_charts.profile_spending(profiles, definitions)
    assert list(fig.data[0].y) == [1500.0, 1000.0, 200.0, 100.0]
    assert reading == (
        "Stars have the highest mean spending (1,500), Need attention the lowest (100)."
    )


def test_product_and_channel_mix(profiles, definitions):
    fig, reading = profile_charts.product_mix(profiles, definitions)
    assert bar_values(fig) == [
        ("wines", SEGMENTS, [0.6, 0.55, 0.7, 0.52]),
        ("meat", SEGMENTS, [0.4, 0.45, 0.3, 0.48]),
    ]
    assert fig.layout.barmode == "stack"
    assert reading == "Wines has the largest share in every segment (52% to 70%)."
    fig, reading = profile_charts.channel_mix(profiles, definitions)
    assert [trace.name for trace in fig.data] == ["web", "store", "deal"]
    assert list(fig.data[2].y) == [0.1, 0.15, 0.3, 0.35]
    assert reading == (
        "Largest: Stars store (50%), High potential web (45%), Leaky bucket store "
        "(60%), Need attention store (55%)."
    )


def test_campaign_acceptance(profiles, definitions):
    fig, reading = profile_charts.campaign_acceptance(profiles, definitions)
    assert bar_values(fig)[0] == ("Stars", ["campaign 1", "campaign 2"], [0.2, 0.4])
    assert [trace.name for trace in fig.data] == SEGMENTS
    assert reading == (
        "Stars accept most often (mean 30% per campaign, 40% on campaign 2); "
        "Need attention least (1%)."
    )


def test_feature_strips_read_the_marts_medians(sample, profiles, definitions):
    fig, reading = profile_charts.feature_strips(sample, profiles, definitions)
    names = list(dict.fromkeys(trace.name for trace in fig.data))
    assert names == SEGMENTS
    stars = [trace for trace in fig.data if trace.name == "Stars"]
    assert len(stars) == 4  # one per key feature
    assert sorted(value for trace in stars for value in trace.y if value > 10000) == [
        85000.0,
        90000.0,
    ]
    assert reading == (
        "Median spending: Stars 1,400, High potential 900, Leaky bucket 150, "
        "Need attention 80 (5 customers drawn)."
    )


def test_histograms_draw_the_bins():
    rows = []
    for feature, median, skew in (
        ("income", 50000.0, 0.9),
        ("spending", 300.0, 0.1),
        ("seniority_months", 15.0, -0.7),
        ("age", 45.0, None),
    ):
        for center, customers in ((10.0, 4), (30.0, 6)):
            rows.append((feature, center, 20.0, customers, median, skew))
    bins = pd.DataFrame(
        rows, columns=["feature", "center", "width", "customers", "median", "skew"]
    )
    fig, reading = profile_charts.histograms(bins)
    assert len(fig.data) == 4
    assert (list(fig.data[0].x), list(fig.data[0].y)) == ([10.0, 30.0], [4, 6])
    assert fig.data[0].width == pytest.approx(19.0)
    assert reading == (
        "Income median 50,000, right-skewed; spending median 300; seniority (months) "
        "median 15, left-skewed; age (years) median 45."
    )


def test_correlations_name_the_strongest_pairs():
    names = ["income", "spending", "age"]
    matrix = pd.DataFrame(
        [[1.0, 0.8, 0.1], [0.8, 1.0, -0.3], [0.1, -0.3, 1.0]], index=names, columns=names
    )
    fig, reading = profile_charts.correlations(matrix)
    assert list(fig.data[0].x) == ["Income", "Spending", "Age (years)"]
    assert fig.data[0].z[0][1] == 0.8 and fig.data[0].z[1][2] == -0.3
    assert reading == (
        "Strongest positive: income and spending (r = 0.80); most negative: "
        "spending and age (years) (r = -0.30)."
    )


def test_spending_income_compares_the_marts_means(sample, profiles, definitions):
    fig, reading = profile_charts.spending_income(sample, 0.8, profiles, definitions)
    assert [trace.name for trace in fig.data] == SEGMENTS
    assert list(fig.data[0].y) == [1600.0, 1300.0]
    assert reading == (
        "Spending rises with income (r = 0.80, all customers); Stars spend 15.0× as "
        "much as Need attention on average (5 customers drawn)."
    )


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


def test_actions_by_segment_stacks_people_in_the_seeds_order(definitions):
    data = pd.DataFrame(
        {
            "segment": ["Leaky bucket", "Stars", "Stars", "Leaky bucket"],
            "action": ["Win back", "Retention contact", "Segment offer", "Segment offer"],
            "people": [30, 5, 40, 70],
            "churn_alerts": [30, 5, 0, 0],
        }
    )
    fig, reading = action_charts.actions_by_segment(data, definitions, left_out=7)
    bars = {trace.name: list(trace.y) for trace in fig.data}
    assert list(fig.data[0].x) == ["Stars", "Leaky bucket"]
    assert list(bars) == ["Retention contact", "Win back", "Segment offer"]
    assert bars["Retention contact"] == [5, 0]
    assert bars["Segment offer"] == [40, 70]
    assert reading.startswith(
        "145 people to contact: 5 retention contact, 30 win back, 110 segment offer; "
        "35 churn alerts"
    )
    assert "7 customers repeat another's profile" in reading


def test_gains_compares_the_model_with_rfm():
    deciles = pd.DataFrame(
        {
            "ranking": ["response_model"] * 2 + ["rfm_score"] * 2,
            "decile": [1, 2, 1, 2],
            "cumulative_responder_share": [0.4, 1.0, 0.2, 1.0],
            "lift": [4.0, 1.0, 2.0, 1.0],
        }
    )
    evaluation = pd.DataFrame(
        {
            "ranking": ["response_model", "rfm_score"],
            "auc": [0.91, 0.75],
            "top_decile_lift": [4.68, 2.66],
            "holdout_customers": [654, 654],
            "holdout_response_rate": [0.15, 0.15],
        }
    )
    fig, reading = action_charts.gains(deciles, evaluation)
    curves = {trace.name: list(trace.y) for trace in fig.data}
    assert curves["Response model"] == [0, 40, 100]
    assert curves["RFM score alone"] == [0, 20, 100]
    assert curves["Random contact"] == [0, 100]
    assert "AUC 0.91 against 0.75" in reading
    assert "4.7 times as often as average, RFM's 2.7 times" in reading
    assert "reaches 40% of the responders" in reading


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
