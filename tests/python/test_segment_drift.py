"""segment_drift as built: the PSI of each segment feature and of the segment shares,
equal to an independent computation from the training profile, near 0 when the model
is fitted on this build's customers, and above the refit threshold, with a warning,
when the customers' spending moves."""

from __future__ import annotations

import math
import shutil

import duckdb
import pytest

from conftest import query, run_dbt

pytestmark = pytest.mark.build

FLOOR = 0.0001


def _psi(training: list[float], current: list[float]) -> float:
    pairs = [(max(t, FLOOR), max(c, FLOOR)) for t, c in zip(training, current)]
    return sum((c - t) * math.log(c / t) for t, c in pairs)


def _expected(db, feature: str) -> float:
    """The PSI of one feature recomputed here: the training profile's edges, every
    customer binned with a value on an edge in the lower bin."""
    profile = query(
        db,
        "select bin, upper_edge, training_share from int_segment_training_profile "
        f"where measure = '{feature}' order by bin",
    )
    edges = [upper for _, upper, _ in profile if upper is not None]
    values = [value for (value,) in query(db, f"select {feature} from customers")]
    counts = [0] * (len(edges) + 1)
    for value in values:
        counts[sum(1 for edge in edges if value > edge)] += 1
    current = [count / len(values) for count in counts]
    return _psi([share for _, _, share in profile], current)


def test_psi_equals_an_independent_computation(sample_db):
    built = dict(query(sample_db, "select measure, psi from segment_drift"))
    assert set(built) == {"income", "seniority_months", "spending", "segment"}
    for feature in ("income", "seniority_months", "spending"):
        assert abs(built[feature] - _expected(sample_db, feature)) < 1e-12, feature
    # fitted on these customers: the PSI measures the sampling only
    assert max(built.values()) < 0.1
    readings = {row[0] for row in query(sample_db, "select reading from segment_drift")}
    assert readings == {"stable"}


def test_a_shift_in_spending_reads_as_major_and_warns(sample_db, tmp_path):
    moved = tmp_path / "moved.duckdb"
    shutil.copy(sample_db, moved)
    with duckdb.connect(str(moved)) as con:
        # half of the customers spend three times as much as they did
        con.execute(
            "update intermediate.int_customer_features set spending = 3 * spending "
            "where customer_id % 2 = 0"
        )
    run_dbt("run", moved, select="segment_drift")
    psi, reading = query(
        moved, "select psi, reading from segment_drift where measure = 'spending'"
    )[0]
    assert psi > 0.25 and reading == "major shift: refit the segment model"
    income = query(moved, "select psi from segment_drift where measure = 'income'")
    assert income[0][0] < 0.1
    tested = run_dbt("test", moved, select="segment_drift", check=False)
    assert tested.success, "a drift warns, it does not fail the build"
    warned = [
        result.node.name
        for result in tested.result.results
        if str(result.status) == "warn"
    ]
    assert warned == ["segment_drift_psi_below_refit_threshold"]
