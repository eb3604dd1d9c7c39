"""The experiment macros compiled by dbt and read back, and the sample size they must
give, computed with scipy (test_ab_test_results, test_ab_sample_size)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import duckdb
from scipy.stats import norm

from conftest import run_dbt

MARKER = "-- query:"


def compile_inline(sql: str, db_path: Path) -> tuple[bool, str]:
    """(success, compiled SQL or dbt's error) of `dbt compile --inline sql`, in this
    process and the target directory of run_dbt (its partial parse is reused)."""
    run = run_dbt("compile", db_path, check=False, extra=["--inline", sql])
    if run.success:
        return True, run.result.results[0].node.compiled_code
    return False, run.output


def compile_queries(queries: dict[str, str], db_path: Path) -> dict[str, str]:
    """Every query (name -> Jinja) compiled by one dbt invocation (each costs seconds):
    name -> compiled SQL."""
    sql = "\n".join(f"{MARKER} {name}\n{jinja}" for name, jinja in queries.items())
    success, output = compile_inline(sql, db_path)
    assert success, output
    parts = re.split(rf"^{MARKER} (\w+)$", output, flags=re.MULTILINE)[1:]
    return dict(zip(parts[::2], parts[1::2]))


def sample_size(
    p1: float, lift: float, alpha: float = 0.05, power: float = 0.8, relative=True
) -> int:
    """Customers per variant for a two-sided two-proportion z-test, with scipy."""
    p2 = p1 * (1 + lift) if relative else p1 + lift
    pbar = (p1 + p2) / 2
    n = (
        norm.ppf(1 - alpha / 2) * math.sqrt(2 * pbar * (1 - pbar))
        + norm.ppf(power) * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    ) ** 2 / (p2 - p1) ** 2
    return math.ceil(n)


def fetch(db_path: Path, sql: str) -> list[dict]:
    with duckdb.connect(str(db_path)) as con:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, values)) for values in cursor.fetchall()]
