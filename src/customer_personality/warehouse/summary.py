"""What a built DuckDB file holds, in a few lines (from the build_info mart)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from customer_personality.warehouse.connection import MARTS_SCHEMA, connect


def build_facts(con: duckdb.DuckDBPyConnection, section: str) -> dict[str, str]:
    """The facts of one section of build_info (source, build, version, var,
    mart_rows), name -> value, in their order."""
    rows = con.execute(
        "select name, value from build_info where section = ? order by fact_order",
        [section],
    ).fetchall()
    return dict(rows)


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every public table as the build counted it, in reading order."""
    return {name: int(rows) for name, rows in build_facts(con, "mart_rows").items()}


def rejection_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Rejected rows per reason (a row with several reasons counts once per reason)."""
    return con.execute(
        "select reason, count(*) as rows_ "
        "from (select unnest(rejection_reasons) as reason from rejected_customers) "
        "group by reason order by rows_ desc, reason"
    ).fetchall()


def summarize(db_path: Path | str) -> str:
    """A short text of what the warehouse holds: the raw file it was built from, when
    and with what, its public tables with their rows, and the rejections."""
    path = Path(db_path)
    with connect(path) as con:
        present = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ?",
                [MARTS_SCHEMA],
            ).fetchall()
        }
        if "build_info" not in present:
            raise RuntimeError(
                f"{path} has no build_info table: it was built by an older version of "
                "the project or the build stopped early; run `make run`"
            )
        source = build_facts(con, "source")
        build = build_facts(con, "build")
        versions = build_facts(con, "version")
        counts = table_counts(con)
        reasons = rejection_counts(con)
    lines = [
        f"Warehouse: {path.resolve()}",
        f"Built from: {source['path']} ({int(source['size_bytes']):,} bytes, "
        f"sha256 {source['sha256'][:16]}...)",
        f"Raw rows: {int(source['raw_rows']):,} = {int(source['kept_rows']):,} kept "
        f"+ {int(source['rejected_rows']):,} rejected",
        f"Built at: {build['started_at']} with dbt {versions['dbt']}, "
        f"{versions['adapter']} {versions['engine']}",
        "",
        "Tables (rows):",
    ]
    width = max((len(name) for name in counts), default=0)
    lines += [f"  {name:<{width}}  {rows:>12,}" for name, rows in counts.items()]
    if reasons:
        lines += ["", "Rejected rows by reason:"]
        lines += [f"  {reason}: {rows:,}" for reason, rows in reasons]
    return "\n".join(lines)
