"""Two builds of the same data give bit-identical tables: every mart, seed and
intermediate table, floating-point sums included (the README's promise)."""

from __future__ import annotations

import duckdb

from conftest import run_dbt


def _relations(con: duckdb.DuckDBPyConnection, database: str) -> set[str]:
    return {
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where database_name = ? "
            "union select view_name from duckdb_views() "
            "where database_name = ? and not internal",
            [database, database],
        ).fetchall()
    }


def test_two_builds_give_identical_tables(sample_db, tmp_path):
    second = tmp_path / "second.duckdb"
    run_dbt("build", second, tests=False)
    con = duckdb.connect()
    con.execute(f"attach '{sample_db}' as first_build (read_only)")
    con.execute(f"attach '{second}' as second_build (read_only)")
    relations = _relations(con, "first_build")
    assert relations == _relations(con, "second_build")
    assert {"customers", "segment_profiles", "response_model_deciles"} <= relations
    differing = {}
    for name in sorted(relations):
        counts = [
            con.execute(
                f'select count(*) from (select * from {a}.main."{name}" '
                f'except all select * from {b}.main."{name}")'
            ).fetchone()[0]
            for a, b in (("first_build", "second_build"), ("second_build", "first_build"))
        ]
        if any(counts):
            differing[name] = counts
    assert differing == {}, f"rows only in the first / second build: {differing}"
