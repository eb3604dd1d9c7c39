"""How to open the built DuckDB file: the schemas of its layers and a read-only
connection that resolves the public tables' names."""

from __future__ import annotations

from pathlib import Path

import duckdb

# The schemas of the layers (macro generate_schema_name, dbt_project.yml): the public
# tables (the marts) in main; seeds, staging and intermediate tables in their own.
MARTS_SCHEMA = "main"
SEEDS_SCHEMA = "seeds"
STAGING_SCHEMA = "staging"
INTERMEDIATE_SCHEMA = "intermediate"
PUBLIC_SEARCH_PATH = (MARTS_SCHEMA, SEEDS_SCHEMA)


def connect(db_path: Path | str, schemas: tuple[str, ...] = PUBLIC_SEARCH_PATH):
    """A read-only connection whose unqualified names resolve in those of `schemas`
    the file holds, in order (the marts, then the seeds, by default)."""
    path = Path(db_path)
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `make run` first")
    con = duckdb.connect(str(path), read_only=True)
    held = {
        name
        for (name,) in con.execute(
            "select schema_name from information_schema.schemata "
            "where catalog_name = current_database()"
        ).fetchall()
    }
    present = [schema for schema in schemas if schema in held]
    con.execute(f"set search_path = '{','.join(present)}'")
    return con
