"""aha_moments as built: for each behaviour, the threshold where the share of
high-value customers rises most, recomputed here from the customers mart."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from conftest import ROOT, connect

pytestmark = pytest.mark.build

BEHAVIOURS = [
    "web_visits_month",
    "web_purchases",
    "catalog_purchases",
    "store_purchases",
    "deal_purchases",
    "total_campaigns_accepted",
]


def expected_moments(customers: pd.DataFrame, min_share: float) -> pd.DataFrame:
    """Every threshold tried by brute force: the best per behaviour, as documented."""
    high = customers["segment"].isin(["Stars", "High potential"])
    rows = []
    for behaviour in BEHAVIOURS:
        values = customers[behaviour].astype(float)
        best = None
        for threshold in sorted(values.unique()):
            above = values > threshold
            if min(above.sum(), (~above).sum()) < min_share * len(values):
                continue
            share_above, share_below = high[above].mean(), high[~above].mean()
            increase = share_above - share_below
            if best is None or increase > best["share_increase"]:
                best = {
                    "behaviour": behaviour,
                    "threshold": threshold,
                    "customers_above": int(above.sum()),
                    "lift": share_above / high.mean(),
                    "share_increase": increase,
                    "is_aha_moment": bool(increase > 0),
                }
        rows.append(best)
    return pd.DataFrame(rows).set_index("behaviour")


@pytest.mark.parametrize("warehouse", ["sample_db", "real_db"])
def test_aha_moments_are_the_best_thresholds(warehouse, request):
    db_path = request.getfixturevalue(warehouse)
    config = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
    with connect(db_path) as con:
        customers = con.execute("select * from customers").df()
        built = con.execute("select * from aha_moments").df().set_index("behaviour")
    expected = expected_moments(customers, config["aha_min_customer_share"])
    assert sorted(built.index) == sorted(BEHAVIOURS)
    built = built.loc[expected.index]
    assert list(built["threshold"]) == list(expected["threshold"])
    assert list(built["customers_above"]) == list(expected["customers_above"])
    assert list(built["is_aha_moment"]) == list(expected["is_aha_moment"])
    assert built["lift"].to_numpy() == pytest.approx(expected["lift"], rel=1e-12)
    assert built["share_increase"].to_numpy() == pytest.approx(
        expected["share_increase"], rel=1e-12, abs=1e-15
    )
    # An aha moment lifts the share of high-value customers above the base rate.
    moments = built[built["is_aha_moment"]]
    assert len(moments) >= 1 and (moments["lift"] > 1).all()
