"""Two builds of the same data give bit-identical tables: every mart, seed, staging
and intermediate relation, floating-point sums included (the README's promise). The
exceptions say when, by which run and where a build was made: build_info's build
section and the history store's path (int_history_store)."""

from __future__ import annotations

import duckdb
import pytest

pytestmark = pytest.mark.build


def _relations(con: duckdb.DuckDBPyConnection, database: str) -> set[str]:
    return {
        f'{schema}."{name}"'
        for schema, name in con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = ? "
            "union select schema_name, view_name from duckdb_views() "
            "where database_name = ? and not internal",
            [database, database],
        ).fetchall()
    }


def _rows(database: str, relation: str) -> str:
    if relation == 'intermediate."int_history_store"':
        # where the build's history store is, like the warehouse's own path
        return f"select format_version from {database}.{relation}"
    rows = f"select * from {database}.{relation}"
    if relation == 'main."build_info"':
        rows += " where section != 'build'"
    return rows


def test_two_builds_give_identical_tables(sample_db, sample_db_again):
    con = duckdb.connect()
    con.execute(f"attach '{sample_db}' as first_build (read_only)")
    con.execute(f"attach '{sample_db_again}' as second_build (read_only)")
    relations = _relations(con, "first_build")
    assert relations == _relations(con, "second_build")
    assert {
        'main."customers"',
        'main."build_info"',
        'seeds."segment_definitions"',
        'staging."base_raw__customers"',
        'intermediate."int_response_model"',
    } <= relations
    differing = {}
    for name in sorted(relations):
        counts = [
            con.execute(
                f"select count(*) from ({_rows(a, name)} except all {_rows(b, name)})"
            ).fetchone()[0]
            for a, b in (("first_build", "second_build"), ("second_build", "first_build"))
        ]
        if any(counts):
            differing[name] = counts
    assert differing == {}, f"rows only in the first / second build: {differing}"
