"""make run's command (customer_personality.warehouse.run) and the history you can
trust (README "History"), in a checkout of its own, as a user runs it. The four
findings of the monthly workflow, reproduced and shown fixed: a build killed after
its snapshot was made leaves the history and the published warehouse as they were;
the bundled sample, another customer base, keeps a history of its own (and is
refused the real file's store); a second run stops at once, saying which build is
running. A snapshot date before the latest is refused. (The next month run to its
end and compared with the month before it, with the real file and the sample:
test_customer_segment_history; the run killed anywhere: test_warehouse_run_faults.)"""

from __future__ import annotations

import os
import signal
import time

import pandas as pd
import pytest

from conftest import SAMPLE_FILE, query, real_file_or_skip, scalar
from customer_personality.warehouse.history import read_store
from customer_personality.warehouse.model_export import export_model
from helpers.history import Checkout, month_two, state

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
