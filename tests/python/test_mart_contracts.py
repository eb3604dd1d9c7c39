"""Every public table (each model of models/marts) has its yml beside it with an
enforced contract, and every column it holds is typed and described there."""

from __future__ import annotations

import pytest
import yaml

from conftest import ROOT, query

MARTS = sorted(path.stem for path in (ROOT / "models" / "marts").glob("*.sql"))


def _model(mart: str) -> dict:
    for path in (ROOT / "models" / "marts").glob("*.yml"):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            if model["name"] == mart:
                assert path.stem in (mart, f"_{mart}"), f"{mart} documented in {path}"
                return model
    raise AssertionError(f"{mart} has no yml in models/marts")


@pytest.mark.parametrize("mart", MARTS)
def test_mart_has_an_enforced_contract_and_described_columns(mart, sample_db):
    model = _model(mart)
    assert model.get("description", "").strip(), mart
    assert model.get("config", {}).get("contract", {}).get("enforced") is True, mart
    documented = [column["name"] for column in model["columns"]]
    undescribed = [
        column["name"]
        for column in model["columns"]
        if not str(column.get("description", "")).strip() or not column.get("data_type")
    ]
    assert undescribed == [], f"{mart}: columns without a description or type"
    built = [
        name
        for (name,) in query(
            sample_db,
            "select column_name from information_schema.columns "
            f"where table_schema = 'main' and table_name = '{mart}' "
            "order by ordinal_position",
        )
    ]
    assert [name.lower() for name in built] == [name.lower() for name in documented]
