"""Shared fixtures: build the warehouse with dbt into temporary DuckDB files; the test
tiers (unit, build, spark, browser), kept honest: a unit test that builds fails."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
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

# Fixtures that several test modules share, beside their helpers.
pytest_plugins = ["helpers.report", "helpers.rules", "helpers.segments"]

# The shared helpers' asserts report their values as the tests' own do.
pytest.register_assert_rewrite("helpers")

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_FILE = ROOT / "data" / "sample" / "marketing_campaign.csv"
# Builds of the test session keep their segment history in stores of their own, not
# in the checkout's build/history (var history_path's default reads this variable):
# run_dbt gives each warehouse one beside it, and commands run as subprocesses (make
# run, score) this one; tests of the monthly flow pass history_path themselves.
os.environ["CUSTOMER_PERSONALITY_HISTORY"] = tempfile.mkdtemp(prefix="history-")
REAL_FILE = ROOT.parent / "shared" / "data" / "marketing_campaign.csv"
SEGMENT_DEFINITIONS_FILE = ROOT / "seeds" / "segment_definitions.csv"


# --------------------------------------------------------------------------- tiers
# Every test has exactly one tier (markers in pyproject.toml): `build` (builds a
# warehouse with dbt, or runs dbt, the CLI or make on one), `spark`, `browser`, and
# `unit`, given here to every test marked with none of them. A spark or browser test
# that also builds is just spark or browser. The tiers hold by construction: a unit
# test that asks for a fixture that builds, or that calls run_dbt (or a helper that
# runs the CLI or Spark on a warehouse, through forbid_unit), fails.
TIERS = ("unit", "build", "spark", "browser")
# Fixtures that build a warehouse: these, and every fixture run_dbt has run under.
BUILDING_FIXTURES = {"sample_db", "sample_db_again", "real_db"}
# The tier of the test being set up or run (pytest_runtest_setup, before any fixture,
# so that a session fixture built lazily for a test sees that test's tier).
_current_tier: str | None = None
# The fixtures being set up, innermost last (pytest_fixture_setup).
_fixtures_in_setup: list[str] = []


def item_tiers(item: pytest.Item) -> set[str]:
    return {marker.name for marker in item.iter_markers() if marker.name in TIERS}


@pytest.hookimpl(tryfirst=True)  # before -m selects by the markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]):
    """Unmarked tests are unit tests; a test of two tiers stops the run."""
    several = []
    for item in items:
        tiers = item_tiers(item)
        if not tiers:
            item.add_marker(pytest.mark.unit)
        elif len(tiers) > 1:
            several.append(f"  {item.nodeid}: {', '.join(sorted(tiers))}")
    if several:
        raise pytest.UsageError(
            "a test has exactly one tier (a spark or browser test that builds is just "
            "spark or browser); these have several:\n" + "\n".join(several)
        )


@pytest.hookimpl(tryfirst=True)  # before the fixtures are set up
def pytest_runtest_setup(item: pytest.Item) -> None:
    global _current_tier
    (_current_tier,) = item_tiers(item)
    building = sorted(BUILDING_FIXTURES.intersection(item.fixturenames))
    if _current_tier == "unit" and building:
        pytest.fail(
            f"a unit test may not build a warehouse ({', '.join(building)}): mark it "
            "build",
            pytrace=False,
        )


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest):
    _fixtures_in_setup.append(fixturedef.argname)
    try:
        return (yield)
    finally:
        _fixtures_in_setup.pop()


def forbid_unit(what: str = "build a warehouse") -> None:
    """Fail the current test if it is a unit test: called before dbt (run_dbt) or a
    command that works on a warehouse runs. The fixtures being set up count as
    building fixtures from now on, so that a unit test asking for one later fails too
    (a session or module fixture built once is not built again)."""
    BUILDING_FIXTURES.update(_fixtures_in_setup)
    if _current_tier == "unit":
        pytest.fail(f"a unit test may not {what}: mark it build", pytrace=False)


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
    A unit test may not run dbt: it fails here (forbid_unit).
    """
    forbid_unit()
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


def spark_or_skip() -> None:
    """Skip, saying why, where Spark cannot run (the Spark extra or Java missing)."""
    if importlib.util.find_spec("pyspark") is None:
        pytest.skip("pyspark is not installed (make install-spark): Spark parity skipped")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java (make install-spark installs it as root): Spark skipped")


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The default build: the bundled sample, every model and dbt test."""
    db_path = tmp_path_factory.mktemp("sample") / "warehouse.duckdb"
    run_dbt("build", db_path)
    return db_path


@pytest.fixture(scope="session")
def sample_db_again(tmp_path_factory) -> Path:
    """A second default build of the bundled sample, every model without the dbt
    tests: the build that sample_db must equal, table for table."""
    db_path = tmp_path_factory.mktemp("sample_again") / "warehouse.duckdb"
    run_dbt("build", db_path, tests=False)
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
