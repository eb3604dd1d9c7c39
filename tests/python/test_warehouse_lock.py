"""One build at a time (customer_personality.warehouse.lock): a second holder stops at
once with a message naming the running build (PID, start time); a lock left by a
process that died is cleared, and said; an error inside releases the lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from customer_personality.warehouse.lock import (
    BuildRunning,
    hold_lock,
    hold_locks,
    warehouse_lock_file,
)

HOLDER = """
import sys, time
from pathlib import Path
from customer_personality.warehouse.lock import hold_lock
with hold_lock(Path(sys.argv[1]), "the warehouse", "holder", []):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def start_holder(lock) -> subprocess.Popen:
    """Another process holding the lock (for 30 s at most), once it says so."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock), "30"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_build_stops_at_once_naming_the_first(tmp_path):
    lock = tmp_path / ".w.lock"
    holder = start_holder(lock)
    try:
        started = time.perf_counter()
        with pytest.raises(BuildRunning) as raised:
            with hold_lock(lock, "build/customer_personality.duckdb", "second", []):
                pytest.fail("the second build ran")
        assert time.perf_counter() - started < 5
        message = str(raised.value)
        assert f"another build (PID {holder.pid}, started at 20" in message
        assert "is running on build/customer_personality.duckdb" in message
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_left_by_a_killed_run_is_cleared_and_said(tmp_path):
    lock = tmp_path / ".w.lock"
    holder = start_holder(lock)
    holder.kill()  # SIGKILL: no clean-up ran; the file still names it
    holder.wait()
    assert json.loads(lock.read_text())["pid"] == holder.pid
    notes: list[str] = []
    with hold_lock(lock, "the warehouse", "next", notes):
        assert json.loads(lock.read_text())["pid"] == os.getpid()
    assert len(notes) == 1
    assert (
        f"cleared the lock of a run that stopped without finishing (PID {holder.pid}"
        in (notes[0])
    )
    assert lock.read_text() == ""  # released: nothing left to clear next time


def test_an_error_releases_the_lock_without_a_stale_note(tmp_path):
    lock = tmp_path / ".w.lock"
    with pytest.raises(ValueError), hold_lock(lock, "w", "one", []):
        raise ValueError("the build failed")
    notes: list[str] = []
    with hold_locks([(lock, "w"), (tmp_path / "store" / ".lock", "s")], "two", notes):
        assert (tmp_path / "store" / ".lock").exists()
    assert notes == []


def test_the_warehouse_lock_sits_beside_it(tmp_path):
    assert warehouse_lock_file(tmp_path / "build" / "w.duckdb") == (
        tmp_path / "build" / ".w.duckdb.lock"
    )
