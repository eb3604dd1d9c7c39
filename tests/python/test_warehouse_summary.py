"""customer_personality.warehouse.summary: what `summary` says of a warehouse, on the
sample build and on small hand-made build_info tables (a build from an input contract
that lacks fields)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, SAMPLE_FILE, scalar
from customer_personality.warehouse import summarize
from customer_personality.warehouse.summary import input_contract

SKIPPED = {
    "customer_segments": "needs income, enrolled_on, products; the input contract "
    "does not map enrolled_on, products",
    "product_consumer_rules": "needs products; the input contract does not map products",
}
INPUT = {
    "name": "mall",
    "file": "contracts/mall.yml",
    "field_groups": "id, demographics, features",
    "fields": "customer_id, age, income",
    "products": "",
    "channels": "",
    "campaigns": "",
    "features": "gender, spending_score",
}


def hand_made(path: Path, contract=INPUT, skipped=SKIPPED, build_vars=None) -> Path:
    """build_info (and rejected_customers, build_vars) of a five-column export."""
    sections = {
        "source": {"path": "relation raw.mall", "raw_rows": "6", "kept_rows": "5"}
        | {"rejected_rows": "1"},
        "build": {"started_at": "2026-01-02T03:04:05Z"},
        "version": {"dbt": "1.11.0", "adapter": "duckdb", "engine": "v1.4.0"},
        "mart_rows": {"customers": "5", "rejected_customers": "1"},
        "input": contract,
        "skipped": skipped,
    }
    rows = [
        (section, name, value, order, position)
        for order, (section, facts) in enumerate(sections.items(), start=1)
        for position, (name, value) in enumerate(facts.items(), start=1)
    ]
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table build_info (section varchar, name varchar, value varchar, "
            "section_order int, fact_order int)"
        )
        con.executemany("insert into build_info values (?, ?, ?, ?, ?)", rows)
        con.execute(
            "create table rejected_customers as "
            "select 7 as customer_id, ['missing_income'] as rejection_reasons"
        )
        con.execute("create table build_vars (name varchar, value varchar)")
        for name, value in (build_vars or {}).items():
            con.execute("insert into build_vars values (?, ?)", [name, value])
    return path


def test_summary_names_the_contract_and_what_was_not_built(tmp_path):
    text = summarize(hand_made(tmp_path / "w.duckdb"))
    lines = text.splitlines()
    start = lines.index("Input contract: mall (contracts/mall.yml)")
    assert lines[start - 2].split() == ["rejected_customers", "1"]
    assert lines[start - 1] == ""
    assert lines[start + 1 : start + 8] == [
        "  field groups: id, demographics, features",
        "  fields: customer_id, age, income",
        "  products: none",
        "  channels: none",
        "  campaigns: none",
        "  features: gender, spending_score",
        "",
    ]
    assert lines[start + 8 : start + 11] == [
        "Not built (the input lacks their fields):",
        f"  customer_segments       {SKIPPED['customer_segments']}",
        f"  product_consumer_rules  {SKIPPED['product_consumer_rules']}",
    ]
    assert text.endswith("Rejected rows by reason:\n  missing_income: 1")
    # a relation input has no size or checksum
    assert "Built from: relation raw.mall\n" in text


def test_summary_says_nothing_of_what_was_built(tmp_path):
    text = summarize(hand_made(tmp_path / "w.duckdb", skipped={}))
    assert "Input contract: mall" in text
    assert "Not built" not in text


def test_contract_of_a_build_before_the_input_section(tmp_path):
    """build_info without its input section: the contract build_vars records."""
    contract = {
        "name": "three",
        "fields": {"customer_id": "ID", "income": "Income"},
        "products": [{"name": "wines", "column": "MntWines"}, {"name": "food"}],
        "channels": [{"name": "web"}],
    }
    path = hand_made(
        tmp_path / "w.duckdb",
        contract={},
        skipped={},
        build_vars={
            "input_contract": json.dumps(contract),
            "input_contract_file": "null",
        },
    )
    with duckdb.connect(str(path), read_only=True) as con:
        assert input_contract(con) == {
            "name": "three",
            "file": "var input_contract",
            "fields": "customer_id, income",
            "products": "wines, food",
            "channels": "web",
        }
    text = summarize(path)
    assert "Input contract: three (var input_contract)\n  fields: customer_id" in text


@pytest.mark.build
def test_summary_lists_every_mart_with_its_rows(sample_db):
    """`summary` names the raw file it was built from and every public table (each
    model in models/marts but build_info) with the row count the warehouse holds."""
    marts = {path.stem for path in (ROOT / "models" / "marts").glob("*.sql")}
    text = summarize(sample_db)
    listed = {line.split()[0] for line in text.splitlines() if line.startswith("  ")}
    assert marts - {"build_info"} <= listed
    for table in marts - {"build_info"}:
        rows = scalar(sample_db, f"select count(*) from {table}")
        assert any(line.split() == [table, f"{rows:,}"] for line in text.splitlines()), (
            table
        )
    raw_rows = sum(1 for _ in SAMPLE_FILE.open()) - 1
    assert f"Raw rows: {raw_rows:,} = " in text
    assert "Built from: data/sample/marketing_campaign.csv" in text
