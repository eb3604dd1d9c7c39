"""Shared fixtures: build the warehouse with dbt into temporary DuckDB files."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner

from customer_personality.segments import SegmentDefinitions
from customer_personality.warehouse import (
    INTERMEDIATE_SCHEMA,
    MARTS_SCHEMA,
    SEEDS_SCHEMA,
    STAGING_SCHEMA,
)
from customer_personality.warehouse import connect as warehouse_connect

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_FILE = ROOT / "data" / "sample" / "marketing_campaign.csv"
# Builds of the test session keep their segment history in stores of their own, not
# in the checkout's build/history (var history_path's default reads this variable):
# run_dbt gives each warehouse one beside it, and commands run as subprocesses (make
# run, score) this one; tests of the monthly flow pass history_path themselves.
os.environ["CUSTOMER_PERSONALITY_HISTORY"] = tempfile.mkdtemp(prefix="history-")
REAL_FILE = ROOT.parent / "shared" / "data" / "marketing_campaign.csv"
SEGMENT_DEFINITIONS_FILE = ROOT / "seeds" / "segment_definitions.csv"


def _release_duckdb() -> None:
    """dbt-duckdb keeps its DuckDB handle open for the life of the process; close it so
    the tests (and other processes) can open the file read-only after an in-process run.
    """
    env = DuckDBConnectionManager._ENV
    if env is not None:
        env.close()
        DuckDBConnectionManager.close_all_connections()


@dataclass
class DbtRun:
    """What a dbt invocation returned: success, its log text and dbt's own result."""

    success: bool
    output: str
    result: object = None


def run_dbt(
    command: str,
    db_path: Path,
    variables: dict | None = None,
    select: str | None = None,
    check: bool = True,
    tests: bool = True,
    extra: list[str] | None = None,
) -> DbtRun:
    """Run a dbt command of this project into db_path, in this process (dbt's start-up
    is paid once per session); fail the test with dbt's log when check is set.

    tests=False leaves out data and unit tests (a `build` of models and seeds only);
    extra arguments follow the command's own (e.g. ["--inline", sql] for compile).
    """
    work = db_path.parent / f"dbt_{db_path.stem}"
    args = [
        "--quiet",
        "--no-use-colors",
        command,
        *(extra or []),
        "--profiles-dir",
        str(ROOT),
        "--project-dir",
        str(ROOT),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]
    if variables:
        args += ["--vars", json.dumps(variables)]
    if select:
        args += ["--select", select]
    if not tests:
        args += ["--exclude", "resource_type:test", "resource_type:unit_test"]
    messages: list[str] = []
    previous = os.environ.get("CUSTOMER_PERSONALITY_DB")
    previous_history = os.environ["CUSTOMER_PERSONALITY_HISTORY"]
    os.environ["CUSTOMER_PERSONALITY_DB"] = str(db_path)
    # Each warehouse of the session keeps its own history beside it.
    os.environ["CUSTOMER_PERSONALITY_HISTORY"] = str(
        db_path.parent / f"history_{db_path.stem}"
    )
    try:
        result = dbtRunner(
            callbacks=[lambda event: messages.append(event.info.msg)]
        ).invoke(args)
    finally:
        _release_duckdb()
        os.environ["CUSTOMER_PERSONALITY_HISTORY"] = previous_history
        if previous is None:
            os.environ.pop("CUSTOMER_PERSONALITY_DB", None)
        else:
            os.environ["CUSTOMER_PERSONALITY_DB"] = previous
    output = "\n".join(messages)
    if result.exception is not None:
        output += f"\n{result.exception}"
    if check and not result.success:
        pytest.fail(f"dbt {command} failed:\n{output[-8000:]}")
    return DbtRun(success=result.success, output=output, result=result.result)


# Tests read every layer: unqualified names resolve in the marts' schema, then the
# seeds', staging's and the intermediate tables' (macro generate_schema_name).
ALL_SCHEMAS = (MARTS_SCHEMA, SEEDS_SCHEMA, STAGING_SCHEMA, INTERMEDIATE_SCHEMA)


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A built warehouse opened read-only, every layer's tables by their bare names."""
    return warehouse_connect(db_path, ALL_SCHEMAS)


def seeded_order(key: str, seed: int) -> str:
    """The order of the seeded samples, restated in DuckDB SQL (macro seeded_hash):
    the first 15 hex digits of md5('<key>|<seed>') as a number, ties by the key."""
    digits = f"substr(md5(concat_ws('|', cast({key} as varchar), '{seed}')), 1, 15)"
    return f"cast('0x' || {digits} as bigint), {key}"


def query(db_path: Path, sql: str) -> list[tuple]:
    """Rows of a query against a built warehouse, opened read-only."""
    with connect(db_path) as con:
        return con.execute(sql).fetchall()


def scalar(db_path: Path, sql: str):
    return query(db_path, sql)[0][0]


def real_file_or_skip() -> Path:
    if not REAL_FILE.exists():
        pytest.skip(
            f"the real data set is not at {REAL_FILE}: tests on the real file skipped"
        )
    return REAL_FILE


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The default build: the bundled sample, every model and dbt test."""
    db_path = tmp_path_factory.mktemp("sample") / "warehouse.duckdb"
    run_dbt("build", db_path)
    return db_path


@pytest.fixture(scope="session")
def real_db(tmp_path_factory) -> Path:
    """The real Kaggle file with the default vars, every model and dbt test."""
    real = real_file_or_skip()
    db_path = tmp_path_factory.mktemp("real") / "warehouse.duckdb"
    run_dbt("build", db_path, {"raw_customers_path": str(real)})
    return db_path


def sql_sample(data: pd.DataFrame, size: int, seed: int = 3) -> pd.DataFrame:
    """A sample as int_cluster_sample gives it: `size` customers in a seeded order,
    each with its sample_position, returned shuffled (SQL promises no order). The
    order is a numpy draw over the customers sorted by id, so its first n positions
    are the evaluation sample of n the package drew before the build's SQL did."""
    ordered = data.sort_values("customer_id", kind="stable")
    rng = np.random.default_rng(seed)
    if len(data) <= size:
        order = rng.permutation(len(data))
    else:
        order = rng.choice(len(data), size=size, replace=False)
    sample = ordered.iloc[order].copy()
    sample["sample_position"] = np.arange(1, len(order) + 1)
    return sample.sample(frac=1.0, random_state=seed)


def seed_segment_definitions() -> SegmentDefinitions:
    """The segment definitions of the project's seed, as the dbt models pass them."""
    return SegmentDefinitions.from_frame(pd.read_csv(SEGMENT_DEFINITIONS_FILE))


@pytest.fixture(scope="session")
def segment_definitions() -> SegmentDefinitions:
    return seed_segment_definitions()
