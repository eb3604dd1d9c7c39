"""Read-side helpers for the built DuckDB file: what it holds, in a few lines."""

from __future__ import annotations

from pathlib import Path

import duckdb

# Every public table (the marts and the quarantine), in the order a user reads them.
PUBLIC_TABLES = (
    "customers",
    "customer_segments",
    "segment_model",
    "segment_stability",
    "cluster_evaluation",
    "customer_clusters",
    "customer_projection",
    "feature_importance",
    "frequent_itemsets",
    "association_rules",
    "product_consumer_rules",
    "segment_profiles",
    "segment_statistics",
    "customer_scores",
    "aha_moments",
    "response_model_evaluation",
    "response_model_deciles",
    "customer_actions",
    "build_vars",
    "stg_customers_rejected",
)


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every public table present in the database, in README order."""
    present = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main'"
        ).fetchall()
    }
    return {
        name: con.execute(f'select count(*) from "{name}"').fetchone()[0]
        for name in PUBLIC_TABLES
        if name in present
    }


def rejection_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Rejected rows per reason (a row with several reasons counts once per reason)."""
    return con.execute(
        "select reason, count(*) as rows_ "
        "from (select unnest(rejection_reasons) as reason from stg_customers_rejected) "
        "group by reason order by rows_ desc, reason"
    ).fetchall()


def summarize(db_path: Path | str) -> str:
    """A short text of what the warehouse holds: tables, row counts, rejections."""
    path = Path(db_path)
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `make run` first")
    with duckdb.connect(str(path), read_only=True) as con:
        counts = table_counts(con)
        reasons = rejection_counts(con) if "stg_customers_rejected" in counts else []
    lines = [f"Warehouse: {path.resolve()}", "", "Tables (rows):"]
    width = max((len(name) for name in counts), default=0)
    lines += [f"  {name:<{width}}  {rows:>12,}" for name, rows in counts.items()]
    if reasons:
        lines += ["", "Rejected rows by reason:"]
        lines += [f"  {reason}: {rows:,}" for reason, rows in reasons]
    return "\n".join(lines)
