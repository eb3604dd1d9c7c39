"""Scoring a file of new customers with the built warehouse's own SQL macros.

The new file (raw Kaggle format, any dialect the build reads) goes through the same
dbt staging and derivation as the warehouse's data, into a scratch DuckDB file; then
score_segment() and segment_probabilities(), the macros the build created from
segment_model, assign each kept customer a segment. Rejected rows are written beside
the output with their reasons, so nothing is lost.

The staging runs with the warehouse's own cleaning vars and reference date (its
build_vars table), so a customer scored here gets the segment and probabilities the
warehouse gave the same customer; arguments override them one by one. The segment
names (probability columns, in segment_order) come from the warehouse's seed table
segment_definitions, and the staging from the dbt project at project_dir (a checkout
or copy of this project), so an installed package scores from any directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from customer_personality.warehouse import (
    INTERMEDIATE_SCHEMA,
    MARTS_SCHEMA,
    SEEDS_SCHEMA,
    STAGING_SCHEMA,
)

FEATURE_COLUMNS = ("income", "seniority_months", "spending")
# The vars the warehouse's build_vars table records (models/marts/build_vars.sql):
# what decides which raw rows are kept and how ages and seniority are measured.
CLEANING_VARS = (
    "reference_date",
    "missing_income",
    "income_outlier_rule",
    "income_max",
    "income_iqr_k",
    "max_age",
    "drop_duplicate_profiles",
)


@dataclass(frozen=True)
class WarehouseSettings:
    """What scoring takes from a built warehouse: the cleaning vars of its build
    (recorded=False: it has no build_vars table, only its customers' reference date)
    and the number of customers its segment model was fitted on (None: unknown)."""

    variables: dict
    recorded: bool
    n_train_rows: int | None


def _relations(con: duckdb.DuckDBPyConnection, schema: str = MARTS_SCHEMA) -> set[str]:
    """Tables and views of one schema (the marts' by default)."""
    return {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = current_database() and table_schema = ?",
            [schema],
        ).fetchall()
    }


def read_warehouse_settings(warehouse_db: Path) -> WarehouseSettings:
    """The cleaning vars (build_vars; else the reference date of its customers) and
    the segment model's training size of warehouse_db; fails without a segment model.
    """
    with duckdb.connect(str(warehouse_db), read_only=True) as con:
        missing = con.execute(
            "select count(*) = 0 from duckdb_functions() "
            "where function_name = 'score_segment' and schema_name = 'main' "
            "and database_name = current_database()"
        ).fetchone()[0]
        if missing:
            raise ValueError(
                f"{warehouse_db} has no score_segment macro: rebuild it with make run"
            )
        tables = _relations(con)
        if "build_vars" in tables:
            rows = con.execute("select name, value from build_vars").fetchall()
            variables = {name: json.loads(value) for name, value in rows}
        elif "customers" in tables:
            found = con.execute("select max(reference_date) from customers").fetchone()
            variables = {"reference_date": found[0] and found[0].isoformat()}
        else:
            variables = {}
        columns = {
            row[0]
            for row in con.execute(
                "select column_name from duckdb_columns() "
                "where schema_name = 'main' and table_name = 'segment_model'"
            ).fetchall()
        }
        n_train_rows = (
            con.execute("select max(n_train_rows) from segment_model").fetchone()[0]
            if "n_train_rows" in columns
            else None
        )
    return WarehouseSettings(
        variables={k: v for k, v in variables.items() if k in CLEANING_VARS},
        recorded="build_vars" in tables,
        n_train_rows=n_train_rows,
    )


def scoring_vars(
    settings: WarehouseSettings,
    reference_date: str | None = None,
    overrides: dict | None = None,
) -> dict:
    """The dbt vars the new file is staged with: the warehouse's cleaning vars, then
    overrides (cleaning vars only), then reference_date (YYYY-MM-DD) when given."""
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(CLEANING_VARS))
    if unknown:
        raise ValueError(
            f"not a cleaning var: {', '.join(unknown)} "
            f"(score can set {', '.join(CLEANING_VARS)})"
        )
    if reference_date is not None:
        overrides["reference_date"] = reference_date
    if overrides.get("reference_date") is not None:
        try:
            date.fromisoformat(str(overrides["reference_date"]))
        except ValueError:
            raise ValueError(
                "the reference date must be YYYY-MM-DD, "
                f"not {overrides['reference_date']!r}"
            ) from None
    return {**settings.variables, **overrides}


def _shown(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def describe_scoring(
    new_file: Path, warehouse_db: Path, settings: WarehouseSettings, variables: dict
) -> str:
    """What scoring new_file uses, in words: the warehouse's segment model, the date
    ages and seniority are measured at (and whose it is), the cleaning vars."""
    fitted = (
        f" (fitted on {settings.n_train_rows:,} customers)"
        if settings.n_train_rows is not None
        else ""
    )
    own, used = settings.variables.get("reference_date"), variables.get("reference_date")
    if used is None:
        when = f"the latest enrolment in {new_file} (the warehouse records no date)"
    elif used == own:
        when = f"{used} (the warehouse's reference date)"
    else:
        when = f"{used} (set for this scoring; the warehouse's is {own or 'unknown'})"
    changed = {
        name for name in variables if variables[name] != settings.variables.get(name)
    }
    cleaning = ", ".join(
        f"{name}={_shown(variables[name])}"
        + (" (set for this scoring)" * (name in changed))
        for name in CLEANING_VARS[1:]
        if name in variables
    )
    source = (
        "the warehouse's build"
        if settings.recorded
        else "the project's defaults (the warehouse records no build_vars)"
    )
    lines = [
        f"scored with the segment model of {warehouse_db}{fitted}, "
        f"ages and seniority at {when}",
        f"cleaning rules of {source}" + (f": {cleaning}" if cleaning else ""),
    ]
    if variables.get("missing_income") == "impute":
        lines.append("missing incomes get the median income of the new file's customers")
    if variables.get("income_outlier_rule") == "iqr":
        lines.append("the income IQR fences are the new file's, not the warehouse's")
    return "\n".join(lines)


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _explain_no_customers(
    new_file: Path, scratch_db: Path, rejected_out: Path
) -> str | None:
    """When staging stopped because new_file leaves no customer (no data rows, or all
    rejected), write its rejected rows to rejected_out and say so; else None."""
    if not scratch_db.exists():
        return None
    with duckdb.connect(str(scratch_db), read_only=True) as con:
        if "rejected_customers" not in _relations(con) or "base_raw__customers" not in (
            _relations(con, STAGING_SCHEMA)
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
            f"order by raw_row_number) to {_quote(rejected_out)} (format csv, header)"
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


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def segment_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The segment names of the warehouse's seed segment_definitions, in order."""
    if "segment_definitions" not in _relations(con, SEEDS_SCHEMA):
        raise ValueError(
            "the warehouse has no segment_definitions table: rebuild it with make run"
        )
    rows = con.execute(
        f"select segment from {SEEDS_SCHEMA}.segment_definitions order by segment_order"
    ).fetchall()
    return [row[0] for row in rows]


def scores_query(names: list[str]) -> str:
    """The select of every new customer's segment and probabilities: one
    probability_<name> column per segment, read from segment_probabilities' fields
    (named as create_segment_scoring_macros names them)."""
    fields = [name.lower().replace("'", "").replace(" ", "_") for name in names]
    probabilities = [f"probabilities.{_identifier(field)}" for field in fields]
    features = ", ".join(FEATURE_COLUMNS)
    columns = ",\n".join(
        f"{value} as {_identifier('probability_' + field)}"
        for value, field in zip(probabilities, fields, strict=True)
    )
    return f"""
        with features as (
            select customer_id, {features}
            from new_customers.{INTERMEDIATE_SCHEMA}.int_customer_features
        ),
        scored as (
            select
                *,
                score_segment({features}) as segment,
                segment_probabilities({features}) as probabilities,
            from features
        )
        select
            customer_id,
            segment,
            greatest({", ".join(probabilities)}) as segment_probability,
            {columns},
            {features},
        from scored
        order by customer_id
    """


FROZEN_SCORES = f"""
    select segments.*, {", ".join(f"features.{name}" for name in FEATURE_COLUMNS)}
    from new_customers.{INTERMEDIATE_SCHEMA}.int_customer_segments as segments
    inner join new_customers.{INTERMEDIATE_SCHEMA}.int_customer_features as features
        using (customer_id)
    order by customer_id
"""


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
        con.execute(f"attach {_quote(warehouse_db)} as warehouse (read_only)")
        # The scoring macros call each other by unqualified name: run them with
        # the warehouse as the default database.
        con.execute("use warehouse")
        query = FROZEN_SCORES if frozen else scores_query(segment_names(con))
        con.execute(f"copy ({query}) to {_quote(out)} (format csv, header)")
        con.execute(
            "copy (select * exclude (rejection_reasons) "
            "from new_customers.main.rejected_customers order by raw_row_number) "
            f"to {_quote(rejected_out)} (format csv, header)"
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
        from customer_personality.model_export import describe
        from customer_personality.segments.model_file import read_model_file

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
