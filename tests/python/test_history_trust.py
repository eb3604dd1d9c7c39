"""History you can trust (README "History"), with make run's command in a checkout of
its own, as a user runs it:

- the four findings of the monthly workflow, reproduced and shown fixed: a build
  killed after its snapshot was made leaves the history and the published warehouse
  as they were; the bundled sample, another customer base, keeps a history of its
  own (and is refused the real file's store); a second run stops at once, saying
  which build is running. A snapshot date before the latest is refused. (The next
  month run to its end and compared with the month before it, with the real file
  and the sample: test_customer_segment_history.)
- fault injection: the run killed (SIGKILL to all its processes) at ten seeded
  points spread over the whole run leaves the published warehouse and the history
  exactly as before or exactly as after, and the next run completes normally."""

from __future__ import annotations

import datetime
import os
import signal
import time

import numpy as np
import pandas as pd
import pytest

from conftest import SAMPLE_FILE, query, real_file_or_skip, scalar
from customer_personality.warehouse.history import read_store
from customer_personality.warehouse.model_export import export_model
from helpers.history import Checkout, month_two, snapshot_rows, state

pytestmark = pytest.mark.build

JULY, AUGUST = "2014-07-01", "2014-08-01"


def lock_held(checkout: Checkout, timeout: float = 60) -> bool:
    """The published warehouse's lock names a running build."""
    lock = checkout.published.with_name(f".{checkout.published.name}.lock")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock.is_file() and lock.read_text().strip():
            return True
        time.sleep(0.05)
    return False


def test_the_findings_of_the_monthly_workflow_are_fixed(tmp_path):
    real = real_file_or_skip()
    checkout = Checkout(tmp_path)
    # 1. The real file, July: published, its snapshot in its base's own store.
    first = checkout.run(real, snapshot_date=JULY)
    assert first.process.returncode == 0, first.output
    store = checkout.store("marketing_campaign")
    july = state(checkout.published, store)
    assert july.dates == (JULY,)
    model_file = tmp_path / "july_model.json"
    export_model(checkout.published, model_file)

    # 2. Next month's export with the published model, dbt killed right after
    # int_segment_snapshot ran: nothing published, the history as it was.
    august = tmp_path / "marketing_campaign_2014-08.csv"
    _, new = month_two(real, august)
    killed = checkout.start(august, segment_model="published", snapshot_date=AUGUST)
    assert killed.wait_for("OK created sql table model intermediate.int_segment_snapshot")
    for pid in killed.children():
        os.kill(pid, signal.SIGKILL)
    assert killed.wait() == 1
    assert "the build was stopped by signal 9: nothing was published" in killed.output
    assert state(checkout.published, store) == july

    # 3. The bundled sample in the same checkout, and a second run three seconds
    # later: it stops at once, naming the running build.
    sample_run = checkout.start()
    assert lock_held(checkout)
    time.sleep(3)
    second = checkout.run()
    assert second.process.returncode == 2
    assert (
        f"error: another build (PID {sample_run.process.pid}, started at 20"
        in second.output
    )
    assert f"is running on {checkout.published}" in second.output
    assert "Traceback" not in second.output
    assert sample_run.wait() == 0, sample_run.output
    # The sample has a history of its own; the real file's is untouched.
    assert state(checkout.published, store).snapshots == july.snapshots
    assert len(read_store(checkout.store("sample")).dates) == 1
    sample_ids = set(pd.read_csv(SAMPLE_FILE, sep="\t", usecols=["ID"])["ID"].astype(int))
    db = checkout.published
    assert scalar(db, "select count(*) from segment_migrations") == 0
    history_ids = {
        row[0]
        for row in query(db, "select distinct customer_id from customer_segment_history")
    }
    customers = scalar(db, "select count(*) from customers")
    assert scalar(db, "select count(*) from customer_segment_history") == customers
    assert history_ids <= sample_ids and len(history_ids) == customers
    # Pointed at the real file's store, the sample is refused, naming both bases.
    published = state(checkout.published, checkout.store("sample"))
    refused = checkout.run(history_path=str(store))
    assert refused.process.returncode != 0
    assert "holds the history of customer base 'marketing_campaign'" in refused.output
    assert "this build is of base 'sample'" in refused.output
    # (its run held the real file's store first, and removed what the killed build
    # had staged there)
    assert "removed 1 snapshot(s) staged by builds that were not published" in (
        refused.output
    )
    assert state(checkout.published, checkout.store("sample")) == published
    assert state(checkout.published, store).snapshots == july.snapshots

    # 4. A date before the real file's latest is refused when the build reads the
    # history (its monthly flow, run to its end: test_customer_segment_history).
    earlier = checkout.run(
        august, segment_model=str(model_file), snapshot_date="2014-06-15"
    )
    assert earlier.process.returncode != 0
    assert "snapshot date 2014-06-15 is before the latest snapshot (2014-07-01)" in (
        earlier.output
    )
    assert "Traceback" not in earlier.output.split("error:")[-1]
    assert state(checkout.published, store).snapshots == july.snapshots


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


def test_a_run_killed_anywhere_leaves_before_or_after(tmp_path):
    checkout = Checkout(tmp_path)
    store = checkout.store("sample")
    started = time.monotonic()
    reference = checkout.run(snapshot_date=str(FIRST_DAY), **QUICK)
    length = time.monotonic() - started
    assert reference.process.returncode == 0, reference.output
    reference_rows = snapshot_rows(store, str(FIRST_DAY))
    customers = scalar(checkout.published, "select count(*) from customers")
    # Ten points, one in each tenth of the run's length, seeded.
    rng = np.random.default_rng(SEED)
    # (within 95% of the reference run's length: a run killed after it ended would
    # not be a kill)
    span = 0.95 * length
    points = [(tenth + rng.random()) * span / KILLS for tenth in range(KILLS)]
    outcomes = []
    for number, point in enumerate(points, start=1):
        day = str(FIRST_DAY + datetime.timedelta(days=number))
        before = state(checkout.published, store)
        run = checkout.start(snapshot_date=day, **QUICK)
        time.sleep(point)
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
        outcomes.append((round(point, 1), outcome, ended, phase(run.output)))
    print(f"run of {length:.1f} s; killed at (s, outcome, had ended, last said):")
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
