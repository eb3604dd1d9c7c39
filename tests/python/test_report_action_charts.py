"""customer_personality.report.action_charts on small hand-made frames: the people to
contact per segment and action, and the response model's gains against RFM's."""

from __future__ import annotations

import pandas as pd
import pytest

from customer_personality.report import action_charts
from helpers.report import definitions_frame


@pytest.fixture
def definitions() -> pd.DataFrame:
    return definitions_frame()


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
