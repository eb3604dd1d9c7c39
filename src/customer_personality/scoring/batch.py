"""Scoring one file of new customers (score_file): staged by the project's dbt models
into a scratch DuckDB file, then scored there with the warehouse's macros (or with
a frozen model file); its rejected rows are written beside the scores."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from customer_personality.scoring.settings import (
    describe_scoring,
    read_warehouse_settings,
    scoring_vars,
)
from customer_personality.scoring.sql import (
    FROZEN_SCORES,
    quote,
    relations,
    scores_query,
    segment_names,
)
from customer_personality.warehouse import INTERMEDIATE_SCHEMA, STAGING_SCHEMA


def _explain_no_customers(
    new_file: Path, scratch_db: Path, rejected_out: Path
) -> str | None:
    """When staging stopped because new_file leaves no customer (no data rows, or all
    rejected), write its rejected rows to rejected_out and say so; else None."""
    if not scratch_db.exists():
        return None
    with duckdb.connect(str(scratch_db), read_only=True) as con:
        if "rejected_customers" not in relations(con) or "base_raw__customers" not in (
            relations(con, STAGING_SCHEMA)
        ):
            return None
        rows, kept = con.execute(
            "select count(*), count(*) filter (where is_kept) "
            f"from {STAGING_SCHEMA}.base_raw__customers"
        ).fetchone()
        if kept:
            return None
        if rows == 0:
            return f"no customers to score in {new_file}: 0 data rows"
        reasons = con.execute(
            "select string_agg(reason || ': ' || rejected, ', ' "
            "order by rejected desc, reason) from (select reason, count(*) as rejected "
            "from (select unnest(rejection_reasons) as reason "
            "from rejected_customers) group by reason)"
        ).fetchone()[0]
        con.execute(
            "copy (select * exclude (rejection_reasons) from rejected_customers "
            f"order by raw_row_number) to {quote(rejected_out)} (format csv, header)"
        )
    return (
        f"no customers to score in {new_file}: all {rows:,} rows were rejected "
        f"({reasons}); the rows and their reasons are in {rejected_out}"
    )


def _prepare(
    new_file: Path,
    scratch_db: Path,
    variables: dict,
    project_dir: Path,
    model_file: Path | None = None,
) -> None:
    """Run the project's staging and features models on new_file into scratch_db;
    with model_file, also its segments, scored with that model frozen."""
    dbt = Path(sys.executable).parent / "dbt"
    work = scratch_db.parent
    command = [
        str(dbt),
        "--quiet",
        "--no-use-colors",
        "build",
        "--select",
        "+int_customer_features +rejected_customers"
        + (" +int_customer_segments" if model_file else ""),
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
        json.dumps(
            {
                "raw_customers_path": str(new_file),
                **variables,
                **(
                    {
                        "segment_model_mode": "frozen",
                        "segment_model_path": str(Path(model_file).resolve()),
                    }
                    if model_file
                    else {}
                ),
            }
        ),
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


def check_project_dir(project_dir: Path) -> Path:
    """project_dir, resolved, once it holds a dbt project (dbt_project.yml)."""
    project_dir = Path(project_dir).resolve()
    if not (project_dir / "dbt_project.yml").is_file():
        raise FileNotFoundError(
            f"no dbt project at {project_dir} (no dbt_project.yml there): run score "
            "from a checkout or copy of the customer-personality project, or pass "
            "--project-dir"
        )
    return project_dir


def _stage(
    new_file: Path,
    scratch_db: Path,
    variables: dict,
    project_dir: Path,
    rejected_out: Path,
    model_file: Path | None = None,
) -> None:
    """_prepare, and when it fails because new_file leaves no customer, say so."""
    try:
        _prepare(new_file, scratch_db, variables, project_dir, model_file)
    except ValueError as error:
        explained = _explain_no_customers(new_file, scratch_db, rejected_out)
        if explained is None:
            raise
        raise ValueError(explained) from error


def _write_scores(
    scratch_db: Path,
    warehouse_db: Path,
    out: Path,
    rejected_out: Path,
    frozen: bool = False,
) -> tuple[int, int]:
    """Score the staged customers of scratch_db with warehouse_db's macros (frozen:
    take the segments the staging scored with a model file) into out, and their
    rejected rows into rejected_out; returns both row counts."""
    with duckdb.connect(str(scratch_db), read_only=True) as con:
        con.execute(f"attach {quote(warehouse_db)} as warehouse (read_only)")
        # The scoring macros call each other by unqualified name: run them with
        # the warehouse as the default database.
        con.execute("use warehouse")
        query = FROZEN_SCORES if frozen else scores_query(segment_names(con))
        con.execute(f"copy ({query}) to {quote(out)} (format csv, header)")
        con.execute(
            "copy (select * exclude (rejection_reasons) "
            "from new_customers.main.rejected_customers order by raw_row_number) "
            f"to {quote(rejected_out)} (format csv, header)"
        )
        scored = con.execute(
            "select count(*) "
            f"from new_customers.{INTERMEDIATE_SCHEMA}.int_customer_features"
        ).fetchone()[0]
        rejected = con.execute(
            "select count(*) from new_customers.main.rejected_customers"
        ).fetchone()[0]
    return scored, rejected


def score_file(
    new_file: Path,
    out: Path,
    warehouse_db: Path,
    project_dir: Path,
    reference_date: str | None = None,
    overrides: dict | None = None,
    model_file: Path | None = None,
) -> tuple[int, int]:
    """Score new_file's customers into out (CSV); rejected rows go to
    <out stem>.rejected.csv. Returns (scored, rejected) row counts.

    The new file is cleaned by the dbt project at project_dir (a checkout or copy of
    this project: it must hold dbt_project.yml) with the warehouse's cleaning vars and
    measured at its reference date (its build_vars), so that the same customer gets
    the same segment; overrides (cleaning vars) and reference_date (YYYY-MM-DD)
    replace them. With model_file (a file of `model export`), segments come from that
    model, frozen, as a frozen build scores them. Says on stderr which model,
    reference date and cleaning vars it used.
    """
    project_dir = check_project_dir(project_dir)
    new_file, out, warehouse_db = Path(new_file), Path(out), Path(warehouse_db)
    if not new_file.exists():
        raise FileNotFoundError(f"no file of new customers at {new_file}")
    if not warehouse_db.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse_db}: run `make run` first")
    started = time.perf_counter()
    settings = read_warehouse_settings(warehouse_db)
    variables = scoring_vars(settings, reference_date, overrides)
    print(describe_scoring(new_file, warehouse_db, settings, variables), file=sys.stderr)
    if model_file is not None:
        from customer_personality.segments import read_model_file
        from customer_personality.warehouse.model_export import describe

        frozen = read_model_file(Path(model_file))
        print(f"segments from {model_file}: {describe(frozen)}", file=sys.stderr)
    out.parent.mkdir(parents=True, exist_ok=True)
    rejected_out = out.with_name(f"{out.stem}.rejected.csv")
    with tempfile.TemporaryDirectory(prefix="score-") as scratch:
        scratch_db = Path(scratch) / "new_customers.duckdb"
        _stage(new_file, scratch_db, variables, project_dir, rejected_out, model_file)
        print(
            f"[{time.perf_counter() - started:6.1f}s] cleaned and derived {new_file}",
            file=sys.stderr,
        )
        scored, rejected = _write_scores(
            scratch_db, warehouse_db, out, rejected_out, frozen=model_file is not None
        )
    print(
        f"[{time.perf_counter() - started:6.1f}s] scored {scored:,} customers into {out}"
        f"; {rejected:,} rejected rows in {rejected_out}",
        file=sys.stderr,
    )
    return scored, rejected
