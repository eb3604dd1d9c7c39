"""The report's connection to a built warehouse: one read-only DuckDB connection,
the columns of its tables (a missing mart or column becomes a note in the page, not
an error), the input contract it was built from and the marts that contract did not
let the build make (build_info's input and skipped sections), the seeded sampling
rule and the build's vars (the build_vars mart)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from customer_personality.warehouse.summary import input_contract, skipped_marts


class MissingData(Exception):
    """A mart or column a chart needs is not in the warehouse, or holds no rows."""


class NotBuilt(MissingData):
    """A mart a chart needs was not built: the input contract lacks its fields."""


@dataclass
class Warehouse:
    """One read-only connection, the columns of its tables, and the sampling rule."""

    con: duckdb.DuckDBPyConnection
    max_points: int
    seed: int
    columns: dict[str, list[str]] = field(default_factory=dict)
    contract: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    @classmethod
    def over(cls, con: duckdb.DuckDBPyConnection, max_points: int, seed: int):
        columns: dict[str, list[str]] = {}
        for table, column in con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema in (select unnest(current_schemas(false))) "
            "order by table_name, ordinal_position"
        ).fetchall():
            columns.setdefault(table, []).append(column)
        contract, skipped = {}, {}
        if {"section", "name", "value"} <= set(columns.get("build_info", [])):
            contract, skipped = input_contract(con), skipped_marts(con)
        return cls(con, int(max_points), int(seed), columns, contract, skipped)

    def need(self, table: str, *columns: str) -> None:
        if table not in self.columns and table in self.skipped:
            raise NotBuilt(
                f"The table {table} was not built from this input: it "
                f"{self.skipped[table]}."
            )
        if table not in self.columns:
            raise MissingData(
                f"The table {table} is not in this warehouse: run `dbt build` to make it."
            )
        missing = [column for column in columns if column not in self.columns[table]]
        if missing and self.contract:
            raise MissingData(
                f"The table {table} has no column {', '.join(missing)}: the input "
                f"contract {self.contract.get('name')} does not give the fields "
                "they are made from."
            )
        if missing:
            raise MissingData(
                f"The table {table} has no column {', '.join(missing)}: "
                "it was built by another version of the project."
            )

    def contract_list(self, name: str) -> list[str] | None:
        """One list of the input contract (products, channels, campaigns, features,
        fields, field_groups); None when the warehouse records no contract."""
        if name not in self.contract:
            return None
        return [item.strip() for item in self.contract[name].split(",") if item.strip()]

    def frame(self, sql: str, params: Sequence | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def value(self, sql: str, params: Sequence | None = None):
        return self.con.execute(sql, params or []).fetchone()[0]

    def sample_order(self, key: str = "customer_id") -> str:
        """SQL that keeps a seeded, repeatable sample of at most max_points rows."""
        return f"order by hash({key}, {self.seed}) limit {self.max_points}"

    def prefixed(self, table: str, prefix: str) -> list[str]:
        return [name for name in self.columns.get(table, []) if name.startswith(prefix)]


def compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Single-precision floats and 32-bit integers: half the bytes in the page."""
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_float_dtype(values):
            frame[column] = values.astype("float32")
        elif pd.api.types.is_integer_dtype(values) and not values.empty:
            if np.iinfo("int32").min <= values.min() <= values.max() < 2**31:
                frame[column] = values.astype("int32")
    return frame


def build_vars(wh: Warehouse) -> dict[str, object]:
    """The vars this build used (the build_vars mart), JSON values decoded."""
    wh.need("build_vars", "name", "value")
    rows = wh.con.execute("select name, value from build_vars").fetchall()
    return {name: json.loads(value) for name, value in rows}


def build_var(wh: Warehouse, name: str):
    """One var of build_vars; a warehouse that does not record it gives a note."""
    found = build_vars(wh)
    if name not in found:
        raise MissingData(
            f"The table build_vars records no var {name}: rebuild with `make run`."
        )
    return found[name]
