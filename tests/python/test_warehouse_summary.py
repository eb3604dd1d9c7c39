"""customer_personality.warehouse.summary on the sample build: what `summary` says of a
warehouse."""

from __future__ import annotations

import pytest

from conftest import ROOT, SAMPLE_FILE, scalar
from customer_personality.warehouse import summarize

pytestmark = pytest.mark.build


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
