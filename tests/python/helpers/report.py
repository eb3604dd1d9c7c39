"""Report test data: the frames the chart and table functions read, made by hand
(test_report_charts, test_report_profile_charts, test_report_action_charts,
test_report_tables), the charts a report on a full build draws (test_report_page,
test_report_browser) and a section of a report's HTML (test_report_page,
test_report_queries)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import query
from customer_personality.report import chart_ids

SEGMENTS = ["Stars", "High potential", "Leaky bucket", "Need attention"]
COLOURS = ["#e9a800", "#2a9d8f", "#e76f51", "#577590"]


def definitions_frame() -> pd.DataFrame:
    """The seed segment_definitions, rows shuffled: the order is segment_order's."""
    return pd.DataFrame(
        {"segment": SEGMENTS, "segment_order": [1, 2, 3, 4], "colour": COLOURS}
    ).iloc[[2, 0, 3, 1]]


def profiles_frame() -> pd.DataFrame:
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


def sample_frame() -> pd.DataFrame:
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


def expected_charts(db_path: Path) -> list[str]:
    """The div ids of every chart a report on this full build must draw."""
    algorithms = query(db_path, "select distinct algorithm from customer_clusters")
    clusterings = query(db_path, "select distinct clustering from feature_importance")
    return chart_ids(
        sorted(row[0] for row in algorithms), sorted(r[0] for r in clusterings)
    )


def section_html(html: str, anchor: str) -> str:
    return html.split(f'<section id="{anchor}">')[1].split("</section>")[0]


# Fixtures of the report's chart tests (registered by conftest's pytest_plugins).
@pytest.fixture
def definitions() -> pd.DataFrame:
    return definitions_frame()


@pytest.fixture
def profiles() -> pd.DataFrame:
    return profiles_frame()


@pytest.fixture
def sample() -> pd.DataFrame:
    return sample_frame()
