"""Input contract test data (test_input_contract, test_contract_errors,
test_contract_draft): the default contract of dbt_project.yml, variants of the bundled
sample written to a directory with the contract that reads them (every column renamed
and reordered; three product categories without the catalogue channel), a minimal
five-column export with planted groups, the dbt vars that build them, and the
comparison of two warehouses' tables (EXCEPT ALL both ways)."""

from __future__ import annotations

import copy
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import yaml

from conftest import ROOT, SAMPLE_FILE

# The minimal export's planted groups: centres (age, income in k$, spending score)
# and the spread of each coordinate.
MINIMAL_CENTRES = (
    (25.0, 25.0, 80.0),
    (45.0, 85.0, 15.0),
    (35.0, 85.0, 85.0),
    (50.0, 55.0, 50.0),
    (30.0, 25.0, 20.0),
)
MINIMAL_SPREAD = (6.0, 8.0, 8.0)
MINIMAL_COLUMNS = (
    "CustomerID",
    "Gender",
    "Age",
    "Annual Income (k$)",
    "Spending Score (1-100)",
)


def default_contract() -> dict:
    """The default input contract (dbt_project.yml var input_contract: the Kaggle
    export), a fresh copy to edit."""
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    return copy.deepcopy(project["vars"]["input_contract"])


def sample_frame() -> pd.DataFrame:
    """The bundled sample as text, every value as written (empty stays empty)."""
    return pd.read_csv(SAMPLE_FILE, sep="\t", dtype=str, keep_default_na=False)


def write_contract(path: Path, contract: dict) -> Path:
    path.write_text(yaml.safe_dump(contract, sort_keys=False), encoding="utf-8")
    return path


def contract_vars(contract: dict, contract_file: Path, raw: Path, **extra) -> dict:
    """The vars of a build of `raw` under `contract` (read from contract_file)."""
    return {
        "input_contract": contract,
        "input_contract_file": str(contract_file),
        "raw_customers_path": str(raw),
        **extra,
    }


def renamed_column(name: str) -> str:
    return f"col_{name.lower()}"


def _renamed_spec(spec):
    if isinstance(spec, dict):
        spec = dict(spec)
        spec["column"] = renamed_column(spec["column"])
        return spec
    return renamed_column(spec)


def write_renamed(directory: Path) -> tuple[Path, Path]:
    """The sample with every column renamed col_<lower> and the columns' order
    reversed (comma-separated), and the default contract mapping the new names:
    (csv, contract file)."""
    data = sample_frame()
    data = data[list(reversed(data.columns))]
    data.columns = [renamed_column(name) for name in data.columns]
    raw = directory / "renamed.csv"
    data.to_csv(raw, index=False)
    contract = default_contract()
    contract["name"] = "renamed"
    contract["fields"] = {
        field: _renamed_spec(spec) for field, spec in contract["fields"].items()
    }
    for list_name in ("products", "channels", "campaigns"):
        contract[list_name] = [_renamed_spec(entry) for entry in contract[list_name]]
    return raw, write_contract(directory / "renamed.yml", contract)


# The three-category variant: wines, food (fruits, meat, fish), treats (sweets, gold).
THREE_PRODUCTS = {
    "wines": ("MntWines",),
    "food": ("MntFruits", "MntMeatProducts", "MntFishProducts"),
    "treats": ("MntSweetProducts", "MntGoldProds"),
}


def write_three_categories(directory: Path) -> tuple[Path, Path]:
    """The sample with three product categories (MntWines, MntFood, MntTreats: the
    sums of the sample's) and no catalogue channel (NumCatalogPurchases left out),
    semicolon-separated, and its contract: (csv, contract file)."""
    data = sample_frame()
    product_columns = [column for parts in THREE_PRODUCTS.values() for column in parts]
    for name, parts in THREE_PRODUCTS.items():
        column = f"Mnt{name.capitalize()}"
        data[column] = sum(data[part].astype(np.int64) for part in parts).astype(str)
    dropped = [c for c in product_columns if c != "MntWines"] + ["NumCatalogPurchases"]
    data = data.drop(columns=dropped)
    raw = directory / "three.csv"
    data.to_csv(raw, index=False, sep=";")
    contract = default_contract()
    contract["name"] = "three_categories"
    contract["products"] = [
        {"name": name, "column": f"Mnt{name.capitalize()}", "type": "count"}
        for name in THREE_PRODUCTS
    ]
    contract["channels"] = [
        entry for entry in contract["channels"] if entry["name"] != "catalog"
    ]
    return raw, write_contract(directory / "three.yml", contract)


def minimal_export(rows: int = 300, seed: int = 28) -> pd.DataFrame:
    """A five-column export (CustomerID, Gender, Age, Annual Income (k$), Spending
    Score (1-100)) of `rows` customers in the five planted groups of
    MINIMAL_CENTRES, in whole numbers; column `group` is the planted group (not
    written)."""
    rng = np.random.default_rng(seed)
    groups = np.arange(rows) % len(MINIMAL_CENTRES)
    rng.shuffle(groups)
    centres = np.asarray(MINIMAL_CENTRES)[groups]
    values = np.rint(rng.normal(centres, MINIMAL_SPREAD)).astype(np.int64)
    return pd.DataFrame(
        {
            "CustomerID": np.arange(1, rows + 1),
            "Gender": rng.choice(["Female", "Male"], size=rows),
            "Age": np.clip(values[:, 0], 18, 90),
            "Annual Income (k$)": np.clip(values[:, 1], 5, 200),
            "Spending Score (1-100)": np.clip(values[:, 2], 1, 100),
            "group": groups,
        }
    )


def write_minimal_export(path: Path, rows: int = 300, seed: int = 28) -> pd.DataFrame:
    """Write minimal_export's CSV (comma-separated) to path; returns the frame."""
    data = minimal_export(rows, seed)
    data[list(MINIMAL_COLUMNS)].to_csv(path, index=False)
    return data


# --------------------------------------------------------------- comparing builds
def attached(**databases: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with each warehouse attached read-only by its name."""
    con = duckdb.connect()
    for name, path in databases.items():
        con.execute(f"attach '{path}' as {name} (read_only)")
    return con


def table_columns(
    con: duckdb.DuckDBPyConnection, database: str, table: str, schema: str = "main"
) -> list[tuple[str, str]]:
    """A table's (column, type) pairs in order."""
    return [
        (name, kind)
        for name, kind, *_ in con.execute(
            f'describe {database}.{schema}."{table}"'
        ).fetchall()
    ]


def rows_only_in(
    con: duckdb.DuckDBPyConnection, first: str, second: str
) -> tuple[int, int]:
    """How many rows of query `first` are not in `second` and the reverse, as
    multisets (EXCEPT ALL both ways)."""
    return tuple(
        con.execute(f"select count(*) from (({a}) except all ({b}))").fetchone()[0]
        for a, b in ((first, second), (second, first))
    )


def relations(path: Path) -> list[str]:
    """The tables and views a warehouse file holds (none when it does not exist)."""
    if not path.exists():
        return []
    with duckdb.connect(str(path), read_only=True) as con:
        return sorted(
            f"{schema}.{name}"
            for schema, name in con.execute(
                "select schema_name, table_name from duckdb_tables() "
                "union all select schema_name, view_name from duckdb_views() "
                "where not internal"
            ).fetchall()
        )


def fetch(sql: str, **databases: Path) -> list[tuple]:
    """The rows of a query over the warehouses attached by name, the connection
    closed after (a later dbt run may write to them)."""
    with attached(**databases) as con:
        return con.execute(sql).fetchall()


def column_names(db: Path, table: str, schema: str = "main") -> list[str]:
    """A warehouse table's column names in order."""
    with attached(w=db) as con:
        return [name for name, _ in table_columns(con, "w", table, schema)]
