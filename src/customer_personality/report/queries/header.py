"""The page's header and the seeds: segment names, order and colours, the facts of
build_info, the input contract and the counts at the top of the page."""

from __future__ import annotations

import duckdb
import pandas as pd

from customer_personality.report.warehouse import Warehouse

# The raw rows the build rejected, with their reasons: the mart rejected_customers.
REJECTED_ROWS = "rejected_customers"


def segment_definitions(wh: Warehouse) -> pd.DataFrame:
    """The seed segment_definitions: segment, segment_order, colour, in order."""
    wh.need("segment_definitions", "segment", "segment_order", "colour")
    return wh.frame(
        "select segment, segment_order, colour from segment_definitions "
        "order by segment_order, segment"
    )


def build_facts(wh: Warehouse) -> dict[str, str]:
    """The source and build facts of build_info ({'source.path': ..., ...}); empty
    for a warehouse built before build_info existed."""
    if "build_info" not in wh.columns:
        return {}
    rows = wh.con.execute(
        "select section, name, value from build_info "
        "where section in ('source', 'build', 'version')"
    ).fetchall()
    return {f"{section}.{name}": value for section, name, value in rows}


def header_facts(wh: Warehouse) -> list[tuple[str, str]]:
    """(name, value) of the facts at the top of the page, of the tables present: the
    raw file, its rows and the build time (build_info) first."""
    facts = []
    built = build_facts(wh)
    if "source.path" in built:
        facts.append(("Raw file", built["source.path"]))
    if "source.raw_rows" in built:
        facts.append(("Raw rows", f"{int(built['source.raw_rows']):,}"))
    if "build.started_at" in built:
        facts.append(("Built at", built["build.started_at"].replace("T", " ")))
    if "customers" in wh.columns:
        facts.append(("Customers", f"{wh.value('select count(*) from customers'):,}"))
        if "reference_date" in wh.columns["customers"]:
            reference = wh.value("select max(reference_date) from customers")
            if reference is not None:
                facts.append(("Reference date", str(reference)))
    if REJECTED_ROWS in wh.columns:
        try:
            rejected = wh.value(f"select count(*) from {REJECTED_ROWS}")
            facts.append(("Rejected rows", f"{rejected:,}"))
        except duckdb.Error:
            pass
    if "segment" in wh.columns.get("segment_profiles", []):
        segments = wh.value("select count(*) from segment_profiles")
        facts.append(("Segments", f"{segments}"))
    return facts


def contract_line(wh: Warehouse) -> str | None:
    """The input contract the build read, in one line: its name and file, the field
    groups it maps and its lists (build_info's input section, else build_vars); None
    for a warehouse that records no contract."""
    contract = wh.contract
    if not contract:
        return None
    line = f"Input contract: {contract.get('name')} ({contract.get('file')})"
    parts = []
    if contract.get("field_groups"):
        parts.append(f"maps {contract['field_groups']}")
    lists = ("products", "channels", "campaigns", "features")
    parts += [f"{name} {contract[name]}" for name in lists if contract.get(name)]
    empty = [name for name in lists[:3] if name in contract and not contract[name]]
    if empty:
        listed = ", ".join(empty[:-1])
        parts.append(f"no {listed} or {empty[-1]}" if listed else f"no {empty[0]}")
    return line + (": " + "; ".join(parts) if parts else "") + "."
