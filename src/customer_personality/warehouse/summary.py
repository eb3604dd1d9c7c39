"""What a built DuckDB file holds, in a few lines (from the build_info mart)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from customer_personality.warehouse.connection import MARTS_SCHEMA, connect

# The lists of build_info's input section, in the order `summary` prints them.
CONTRACT_LISTS = (
    "field_groups",
    "fields",
    "products",
    "channels",
    "campaigns",
    "features",
)


def build_facts(con: duckdb.DuckDBPyConnection, section: str) -> dict[str, str]:
    """The facts of one section of build_info (source, build, version, var,
    mart_rows, input, skipped), name -> value, in their order."""
    rows = con.execute(
        "select name, value from build_info where section = ? order by fact_order",
        [section],
    ).fetchall()
    return dict(rows)


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every public table as the build counted it, in reading order."""
    return {name: int(rows) for name, rows in build_facts(con, "mart_rows").items()}


def skipped_marts(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each public table the build did not make, with why ("needs income, ...; the
    input contract does not map ..."): build_info's skipped section."""
    return build_facts(con, "skipped")


def _names(items) -> str:
    """The names of a contract list as build_info writes them: comma-separated."""
    if isinstance(items, dict):
        return ", ".join(items)
    return ", ".join(
        str(item.get("name")) if isinstance(item, dict) else str(item)
        for item in items or []
    )


def _contract_from_vars(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The input contract as build_vars records it (a build before build_info had
    its input section): name, file and lists, no field groups."""
    try:
        found = dict(
            con.execute(
                "select name, value from build_vars "
                "where name in ('input_contract', 'input_contract_file')"
            ).fetchall()
        )
    except duckdb.Error:
        return {}
    if "input_contract" not in found:
        return {}
    contract = json.loads(found["input_contract"]) or {}
    file = json.loads(found.get("input_contract_file") or "null")
    facts = {
        "name": str(contract.get("name", "")),
        "file": file or "var input_contract",
    }
    for name in CONTRACT_LISTS[1:]:
        if name in contract:
            facts[name] = _names(contract[name])
    return facts


def input_contract(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The input contract the warehouse was built from: build_info's input section
    (name, file, field_groups, fields, products, channels, campaigns, features,
    comma-separated), else what build_vars records of it; empty when neither does."""
    try:
        facts = build_facts(con, "input")
    except duckdb.Error:
        facts = {}
    return facts or _contract_from_vars(con)


def rejection_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Rejected rows per reason (a row with several reasons counts once per reason)."""
    return con.execute(
        "select reason, count(*) as rows_ "
        "from (select unnest(rejection_reasons) as reason from rejected_customers) "
        "group by reason order by rows_ desc, reason"
    ).fetchall()


def history_line(con: duckdb.DuckDBPyConnection) -> str | None:
    """Which history this build's snapshot belongs to (int_history_store)."""
    try:
        found = con.execute(
            "select customer_base, history_path, cast(snapshot_date as varchar), "
            "snapshot_mode, cast(previous_snapshot_date as varchar) "
            "from intermediate.int_history_store"
        ).fetchone()
    except duckdb.Error:  # a views file of a Spark build has no intermediate tables
        return None
    if found is None:
        return None
    base, path, date, mode, previous = found
    what = {
        "append": "appended",
        "same_date": "built again (kept when unchanged)",
        "rebuild": "rebuilt (var rebuild_snapshot)",
    }.get(mode, mode)
    compared = f"compared with {previous}" if previous else "the base's first"
    return f"History: customer base '{base}' ({path}): snapshot {date} {what}, {compared}"


def contract_lines(contract: dict[str, str], skipped: dict[str, str]) -> list[str]:
    """The input contract, the lists it maps, and each table not built with why."""
    lines = []
    if contract:
        lines += ["", f"Input contract: {contract.get('name')} ({contract.get('file')})"]
        lines += [
            f"  {name.replace('_', ' ')}: {contract[name] or 'none'}"
            for name in CONTRACT_LISTS
            if name in contract
        ]
    if skipped:
        lines += ["", "Not built (the input lacks their fields):"]
        width = max(len(name) for name in skipped)
        lines += [f"  {name:<{width}}  {reason}" for name, reason in skipped.items()]
    return lines


def summarize(db_path: Path | str) -> str:
    """A short text of what the warehouse holds: the raw file it was built from, when
    and with what, its public tables with their rows, the input contract and the
    tables it could not make, and the rejections."""
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
        contract = input_contract(con)
        skipped = skipped_marts(con)
        reasons = rejection_counts(con) if "rejected_customers" in present else []
        history = history_line(con) if "segment_migrations" in present else None
    built_from = f"Built from: {source['path']}"
    if "size_bytes" in source:  # a file; a relation input has its name and rows only
        built_from += (
            f" ({int(source['size_bytes']):,} bytes, sha256 {source['sha256'][:16]}...)"
        )
    lines = [
        f"Warehouse: {path.resolve()}",
        built_from,
        f"Raw rows: {int(source['raw_rows']):,} = {int(source['kept_rows']):,} kept "
        f"+ {int(source['rejected_rows']):,} rejected",
        f"Built at: {build['started_at']} with dbt {versions['dbt']}, "
        f"{versions['adapter']} {versions['engine']}",
        "",
        "Tables (rows):",
    ]
    width = max((len(name) for name in counts), default=0)
    lines += [f"  {name:<{width}}  {rows:>12,}" for name, rows in counts.items()]
    lines += contract_lines(contract, skipped)
    if history:
        lines += ["", history]
    if reasons:
        lines += ["", "Rejected rows by reason:"]
        lines += [f"  {reason}: {rows:,}" for reason, rows in reasons]
    return "\n".join(lines)
