"""What scoring takes from a built warehouse: the cleaning vars of its build and
the size of its segment model's training data; the vars a new file is staged with,
and what scoring uses, in words."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from customer_personality.scoring.sql import relations

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
# The input contract the warehouse was built with: a new file is read through it (its
# columns named as the warehouse's input names them).
INPUT_VARS = ("input_contract", "input_contract_file")


@dataclass(frozen=True)
class WarehouseSettings:
    """What scoring takes from a built warehouse: the cleaning vars of its build
    (recorded=False: it has no build_vars table, only its customers' reference date)
    and the number of customers its segment model was fitted on (None: unknown)."""

    variables: dict
    recorded: bool
    n_train_rows: int | None


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
        tables = relations(con)
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
        variables={k: v for k, v in variables.items() if k in CLEANING_VARS + INPUT_VARS},
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
    contract = variables.get("input_contract")
    lines = [
        f"scored with the segment model of {warehouse_db}{fitted}, "
        f"ages and seniority at {when}",
        f"cleaning rules of {source}" + (f": {cleaning}" if cleaning else ""),
    ]
    if isinstance(contract, dict) and variables.get("input_contract_file"):
        lines.append(
            f"read through the warehouse's input contract {contract.get('name')} "
            f"({variables['input_contract_file']})"
        )
    if variables.get("missing_income") == "impute":
        lines.append("missing incomes get the median income of the new file's customers")
    if variables.get("income_outlier_rule") == "iqr":
        lines.append("the income IQR fences are the new file's, not the warehouse's")
    return "\n".join(lines)
