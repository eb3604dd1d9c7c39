"""customer_personality.report.charts on small hand-made frames: the numbers each figure
draws (trace values, markers) and the figures its reading gives."""

from __future__ import annotations

import numpy as np
import pandas as pd

from customer_personality.report import charts
from helpers.report import (
    COLOURS,
    SEGMENTS,
)


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
