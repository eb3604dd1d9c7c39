"""Scoring a file of new customers with the built warehouse's own SQL macros.

The new file (raw Kaggle format, any dialect the build reads) goes through the same
dbt staging and derivation as the warehouse's data, into a scratch DuckDB file; then
score_segment() and segment_probabilities(), the macros the build created from
segment_model, assign each kept customer a segment. Rejected rows are written beside
the output with their reasons, so nothing is lost.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCORED_COLUMNS = (
    "customer_id",
    "segment",
    "segment_probability",
    "probability_stars",
    "probability_high_potential",
    "probability_leaky_bucket",
    "probability_need_attention",
    "income",
    "seniority_months",
    "spending",
)


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _prepare(
    new_file: Path, scratch_db: Path, variables: dict, project_dir: Path
) -> None:
    """Run the project's staging and features models on new_file into scratch_db."""
    dbt = Path(sys.executable).parent / "dbt"
    work = scratch_db.parent
    command = [
        str(dbt),
        "--quiet",
        "--no-use-colors",
        "build",
        "--select",
        "+int_customer_features +stg_customers_rejected",
        "--exclude",
        "resource_type:test",
        "resource_type:unit_test",
        "--profiles-dir",
        str(project_dir),
        "--project-dir",
        str(project_dir),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
        "--vars",
        json.dumps({"raw_customers_path": str(new_file), **variables}),
    ]
    env = {**os.environ, "CUSTOMER_PERSONALITY_DB": str(scratch_db)}
    result = subprocess.run(
        command, cwd=project_dir, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise ValueError(
            f"could not read {new_file} as customers:\n{result.stdout.strip()}"
            f"\n{result.stderr.strip()}"
        )


def score_file(
    new_file: Path,
    out: Path,
    warehouse_db: Path,
    reference_date: str | None = None,
    project_dir: Path = PROJECT_ROOT,
) -> tuple[int, int]:
    """Score new_file's customers into out (CSV); rejected rows go to
    <out stem>.rejected.csv. Returns (scored, rejected) row counts.

    reference_date (YYYY-MM-DD) fixes the date seniority is measured at; by default it
    is the latest enrolment date in new_file, as in the build.
    """
    new_file, out, warehouse_db = Path(new_file), Path(out), Path(warehouse_db)
    if not new_file.exists():
        raise FileNotFoundError(f"no file of new customers at {new_file}")
    if not warehouse_db.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse_db}: run `make run` first")
    started = time.perf_counter()
    variables = {"reference_date": reference_date} if reference_date else {}
    out.parent.mkdir(parents=True, exist_ok=True)
    rejected_out = out.with_name(f"{out.stem}.rejected.csv")
    with tempfile.TemporaryDirectory(prefix="score-") as scratch:
        scratch_db = Path(scratch) / "new_customers.duckdb"
        _prepare(new_file, scratch_db, variables, project_dir)
        print(
            f"[{time.perf_counter() - started:6.1f}s] cleaned and derived {new_file}",
            file=sys.stderr,
        )
        with duckdb.connect(str(scratch_db), read_only=True) as con:
            con.execute(f"attach {_quote(warehouse_db)} as warehouse (read_only)")
            # The scoring macros call each other by unqualified name: run them with
            # the warehouse as the default database.
            con.execute("use warehouse")
            missing = con.execute(
                "select count(*) = 0 from duckdb_functions() "
                "where database_name = 'warehouse' and function_name = 'score_segment'"
            ).fetchone()[0]
            if missing:
                raise ValueError(
                    f"{warehouse_db} has no score_segment macro: rebuild it with make run"
                )
            con.execute(
                f"""
                copy (
                    with features as (
                        select customer_id, income, seniority_months, spending
                        from new_customers.main.int_customer_features
                    ),
                    scored as (
                        select
                            *,
                            score_segment(income, seniority_months, spending) as segment,
                            segment_probabilities(income, seniority_months, spending)
                                as probabilities,
                        from features
                    )
                    select
                        customer_id,
                        segment,
                        greatest(
                            probabilities.stars, probabilities.high_potential,
                            probabilities.leaky_bucket, probabilities.need_attention
                        ) as segment_probability,
                        probabilities.stars as probability_stars,
                        probabilities.high_potential as probability_high_potential,
                        probabilities.leaky_bucket as probability_leaky_bucket,
                        probabilities.need_attention as probability_need_attention,
                        income,
                        seniority_months,
                        spending,
                    from scored
                    order by customer_id
                ) to {_quote(out)} (format csv, header)
                """
            )
            con.execute(
                "copy (select * exclude (rejection_reasons) "
                "from new_customers.main.stg_customers_rejected order by raw_row_number) "
                f"to {_quote(rejected_out)} (format csv, header)"
            )
            scored = con.execute(
                "select count(*) from new_customers.main.int_customer_features"
            ).fetchone()[0]
            rejected = con.execute(
                "select count(*) from new_customers.main.stg_customers_rejected"
            ).fetchone()[0]
    print(
        f"[{time.perf_counter() - started:6.1f}s] scored {scored:,} customers into {out}"
        f"; {rejected:,} rejected rows in {rejected_out}",
        file=sys.stderr,
    )
    return scored, rejected
