"""make run's command (customer_personality.warehouse.run) killed (SIGKILL to all its
processes) at ten seeded points spread over the whole run, staging, models, tests,
publish, exports and report: after each, the published warehouse and the history
(as every reader sees them) are exactly as before or exactly as after, and the next
run completes normally (README "History")."""

from __future__ import annotations

import datetime
import time

import numpy as np
import pandas as pd
import pytest

from conftest import query, scalar
from customer_personality.warehouse.history import read_store
from helpers.history import Checkout, snapshot_rows, state

pytestmark = pytest.mark.build


# The sample's reference date; each run of the fault injection records a later day.
FIRST_DAY = datetime.date(2014, 6, 29)
# Fewer bootstrap refits: the same run, quicker (the fault injection runs it 12 times).
QUICK = {"stability_resamples": 2}
KILLS = 10
SEED = 29


def phase(output: str) -> str:
    """Where a run was: the last thing it said."""
    lines = [
        line.strip()
        for line in output.splitlines()
        if line.strip() and "partial parsing" not in line
    ]
    return lines[-1][:90] if lines else "(nothing yet)"


def said(output: str) -> int:
    """How far a run got: the lines it has written."""
    return sum(1 for line in output.splitlines() if line.strip())


def test_a_run_killed_anywhere_leaves_before_or_after(tmp_path):
    checkout = Checkout(tmp_path)
    store = checkout.store("sample")
    reference = checkout.run(snapshot_date=str(FIRST_DAY), **QUICK)
    assert reference.process.returncode == 0, reference.output
    length = said(reference.output)
    reference_rows = snapshot_rows(store, str(FIRST_DAY))
    customers = scalar(checkout.published, "select count(*) from customers")
    # Ten points, one in each tenth of the run, seeded: a point is how far the run
    # has got, counted in the lines it has written (the reference run wrote
    # `length`: dbt's parse, every model and test, the publish, each export, each
    # report section and the summary), so that a slower or faster run is killed at
    # the same step.
    rng = np.random.default_rng(SEED)
    points = [int((tenth + rng.random()) * length / KILLS) for tenth in range(KILLS)]
    outcomes = []
    for number, point in enumerate(points, start=1):
        day = str(FIRST_DAY + datetime.timedelta(days=number))
        before = state(checkout.published, store)
        run = checkout.start(snapshot_date=day, **QUICK)
        while said(run.output) < point and run.process.poll() is None:
            time.sleep(0.01)
        ended = run.process.poll() is not None
        run.kill()
        after = state(checkout.published, store)
        if after == before:
            outcome = "before"
        else:
            # after: the run's warehouse published, complete, and its snapshot
            # committed, every earlier snapshot as it was
            assert after.dates == (*before.dates, day)
            assert after.snapshots[:-1] == before.snapshots
            assert after.run_id != before.run_id
            assert (
                scalar(
                    checkout.published,
                    "select max(snapshot_date)::varchar from "
                    "intermediate.int_history_store",
                )
                == day
            )
            assert scalar(checkout.published, "select count(*) from customers") == (
                customers
            )
            pd.testing.assert_frame_equal(snapshot_rows(store, day), reference_rows)
            outcome = "after"
        outcomes.append((point, outcome, ended, phase(run.output)))
    print(f"run of {length} lines; killed at (line, outcome, had ended, last said):")
    for outcome in outcomes:
        print(f"  {outcome}")
    # The next run completes normally, and leaves a tidy store.
    last = str(FIRST_DAY + datetime.timedelta(days=KILLS + 1))
    committed = state(checkout.published, store).dates
    final = checkout.run(snapshot_date=last, **QUICK)
    assert final.process.returncode == 0, final.output
    assert read_store(store).dates == (*committed, last)
    assert not (store / "pending.json").exists()
    assert list((store / "staging").iterdir()) == []
    assert query(
        checkout.published,
        "select distinct from_snapshot_date::varchar, to_snapshot_date::varchar "
        "from segment_migrations",
    ) == [(committed[-1], last)]
