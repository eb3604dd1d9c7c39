"""The monthly workflow as a user runs it: next month's export of a file
(test_customer_segment_history, test_warehouse_run), `make run`'s command started,
stopped or killed in a checkout of its own (test_warehouse_run,
test_warehouse_run_faults), and the state of a published warehouse and its history
store, to compare before and after."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from conftest import ROOT, forbid_unit
from customer_personality.warehouse.commit import committed_snapshots, parquet_glob
from customer_personality.warehouse.history import read_store


def month_two(month_one: Path, out: Path) -> tuple[set[int], set[int]]:
    """Month 1's export with every 20th customer's wine spending raised by 400 and
    3% new customers (copies of every 33rd row with new IDs and 1,000 more income);
    returns (raised IDs, new IDs). Every other row is byte for byte month 1's."""
    raw = pd.read_csv(month_one, sep="\t", dtype=str, keep_default_na=False)
    ids = raw["ID"].astype(np.int64)
    raised = raw.index[ids.rank(method="first").astype(int) % 20 == 0]
    raw.loc[raised, "MntWines"] = (raw.loc[raised, "MntWines"].astype(int) + 400).astype(
        str
    )
    copies = raw.iloc[::33].copy()
    copies = copies[copies["Income"] != ""]
    copies["ID"] = (ids.max() + 1 + np.arange(len(copies))).astype(str)
    copies["Income"] = (copies["Income"].astype(float) + 1000).astype(int).astype(str)
    pd.concat([raw, copies]).to_csv(out, sep="\t", index=False)
    return set(ids[raised]), set(copies["ID"].astype(np.int64))


@dataclass(frozen=True)
class Checkout:
    """Where `make run` writes, as in a clone: build/, exports/ and the history
    stores' root (build/history)."""

    folder: Path

    @property
    def published(self) -> Path:
        return self.folder / "build" / "customer_personality.duckdb"

    @property
    def history_root(self) -> Path:
        return self.folder / "build" / "history"

    def store(self, base: str) -> Path:
        return self.history_root / base

    def command(
        self, raw: Path | None = None, segment_model: str = "", **variables
    ) -> list[str]:
        """make run's command (the Makefile's `run` target runs it)."""
        return [
            sys.executable,
            "-m",
            "customer_personality",
            "run",
            "--raw",
            str(raw or ""),
            "--segment-model",
            segment_model,
            "--vars",
            json.dumps(variables, default=str) if variables else "",
            "--db",
            str(self.published),
            "--exports",
            str(self.folder / "exports"),
        ]

    def start(self, raw: Path | None = None, segment_model: str = "", **variables):
        """Start make run's command in a process group of its own (output to a log
        file beside the checkout's build/)."""
        forbid_unit("run make run's command")
        log = self.folder / f"run-{time.monotonic_ns()}.log"
        environment = {
            **os.environ,
            "CUSTOMER_PERSONALITY_HISTORY": str(self.history_root),
            "PYTHONUNBUFFERED": "1",  # each line in the log as it is said
        }
        handle = open(log, "w", encoding="utf-8")  # noqa: SIM115 (closed by Run)
        process = subprocess.Popen(
            self.command(raw, segment_model, **variables),
            cwd=ROOT,
            env=environment,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return Run(process, log, handle)

    def run(self, raw: Path | None = None, segment_model: str = "", **variables):
        """Run make run's command to its end; the finished Run."""
        started = self.start(raw, segment_model, **variables)
        started.wait()
        return started


@dataclass
class Run:
    process: subprocess.Popen
    log: Path
    handle: object

    def wait(self, timeout: float = 600) -> int:
        code = self.process.wait(timeout=timeout)
        self.handle.close()
        return code

    @property
    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL to the whole run (its process group): nothing of it cleans up."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.wait()

    def wait_for(self, text: str, timeout: float = 600) -> bool:
        """Wait until the output holds text (True), or the run ends (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output:
                return True
            if self.process.poll() is not None:
                return text in self.output
            time.sleep(0.05)
        return False

    def children(self) -> list[int]:
        """The PIDs of the run's child processes (dbt)."""
        found = []
        for task in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            found += [int(pid) for pid in task.read_text().split()]
        return found


def file_digest(path: Path) -> str | None:
    if not path.exists():
        return None
    if path.is_dir():
        parts = sorted(path.rglob("*.parquet"))
        return hashlib.sha256(
            b"".join(file_digest(part).encode() for part in parts)
        ).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class State:
    """A published warehouse and its history as every reader sees them: the file's
    digest and build, and the store's committed snapshots with their digests."""

    published: str | None
    run_id: str | None
    snapshots: tuple[tuple[str, str | None], ...]

    @property
    def dates(self) -> tuple[str, ...]:
        return tuple(date for date, _ in self.snapshots)


def state(published: Path, store: Path) -> State:
    from customer_personality.warehouse.commit import published_run_id

    found = read_store(store)
    committed = committed_snapshots(found) if found else {}
    return State(
        file_digest(published),
        published_run_id(published),
        tuple((date, file_digest(path)) for date, path in committed.items()),
    )


def snapshot_rows(store: Path, date: str) -> pd.DataFrame:
    """A committed snapshot's rows, without its date, by customer."""
    import duckdb

    path = committed_snapshots(read_store(store))[date]
    with duckdb.connect() as con:
        frame = con.execute(
            "select * exclude (snapshot_date) from read_parquet(?) order by customer_id",
            [parquet_glob(path)],
        ).df()
    return frame.reset_index(drop=True)
