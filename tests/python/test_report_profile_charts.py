"""customer_personality.report.profile_charts on small hand-made frames: the segment
profiles and the customers' features, the numbers each figure draws and the figures
its reading gives."""

from __future__ import annotations

import pandas as pd
import pytest

from customer_personality.report import profile_charts
from helpers.report import (
    COLOURS,
    SEGMENTS,
)


def bar_values(fig) -> list[tuple]:
    return [(trace.name, list(trace.x), list(trace.y)) for trace in fig.data]


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
