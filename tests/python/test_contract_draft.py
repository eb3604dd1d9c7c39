"""The input contract in Python, without dbt: drafting a contract from an export's
header and values (contract.draft), reading a contract file (contract.load), and the
registry of fields and lists (contract.fields), which must be the dbt macros'."""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SAMPLE_FILE
from customer_personality.contract import (
    FIELDS,
    LISTS,
    ContractError,
    draft_contract,
    read_contract,
    write_draft,
)
from customer_personality.contract.draft import draft_yaml
from customer_personality.contract.fields import KIND_TYPES
from helpers.contracts import default_contract, write_minimal_export

MACROS = ROOT / "macros" / "contract"


def write_csv(path: Path, header: list[str], rows: list[list], delimiter=",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# ------------------------------------------------------------------------ drafting
KAGGLE_HEADER = [
    "ID", "Year_Birth", "Education", "Income", "Dt_Customer", "Recency",
    "MntWines", "MntMeatProducts", "MntGoldProds", "NumDealsPurchases",
    "NumWebPurchases", "NumStorePurchases", "AcceptedCmp3", "AcceptedCmp1",
    "Complain", "Response",
]  # fmt: skip
KAGGLE_ROWS = [
    [5524, 1957, "Basic", 58138, "04-09-2012", 58, 635, 546, 88, 3, 8, 4, 0, 0, 0, 1],
    [2174, 1954, "Graduation", 46344, "08-03-2014", 38, 11, 6, 6, 2, 1, 2, 0, 0, 0, 0],
    [4141, 1965, "Master", 71613, "21-08-2013", 26, 426, 127, 42, 1, 8, 10, 0, 0, 0, 0],
    [6182, 1984, "PhD", "", "10-02-2014", 26, 11, 20, 5, 2, 2, 4, 1, 0, 0, 0],
]  # fmt: skip


def test_draft_maps_a_kaggle_like_header(tmp_path):
    source = write_csv(tmp_path / "shop.csv", KAGGLE_HEADER, KAGGLE_ROWS, "\t")
    draft = draft_contract(source)
    contract = draft.contract()
    assert contract["name"] == "shop"
    assert contract["fields"] == {
        "customer_id": "ID",
        "birth_year": "Year_Birth",
        "education": "Education",
        "income": "Income",
        "enrolled_on": {"column": "Dt_Customer", "format": "day_first"},
        "recency_days": "Recency",
        "deal_purchases": "NumDealsPurchases",
        "has_complained": "Complain",
        "accepted_last_campaign": "Response",
    }
    assert contract["products"] == [
        {"name": "wines", "column": "MntWines", "type": "count"},
        {"name": "meat", "column": "MntMeatProducts", "type": "count"},
        {"name": "gold", "column": "MntGoldProds", "type": "count"},
    ]
    assert contract["channels"] == [
        {"name": "web", "column": "NumWebPurchases"},
        {"name": "store", "column": "NumStorePurchases"},
    ]
    # campaigns in the order they ran (by number), not the file's order
    assert contract["campaigns"] == [
        {"name": "campaign_1", "column": "AcceptedCmp1"},
        {"name": "campaign_3", "column": "AcceptedCmp3"},
    ]
    assert "features" not in contract and "ignore" not in contract
    # day 21 in the sample: day-first without a doubt
    assert "enrolled_on" not in draft.notes


def test_draft_of_the_sample_maps_what_the_default_contract_maps():
    """The bundled Kaggle sample drafts the fields of the documented default
    contract, and its lists read the same columns."""
    drafted = draft_contract(SAMPLE_FILE).contract()
    documented = default_contract()
    assert drafted["fields"] == documented["fields"]
    for list_name in ("products", "channels", "campaigns"):
        columns = [entry["column"] for entry in drafted[list_name]]
        assert sorted(columns) == sorted(e["column"] for e in documented[list_name])
    assert [entry["name"] for entry in drafted["channels"]] == ["web", "catalog", "store"]


def test_draft_of_a_five_column_export(tmp_path):
    source = tmp_path / "mall_customers.csv"
    write_minimal_export(source, rows=300)
    draft = draft_contract(source)
    contract = draft.contract()
    assert contract == {
        "name": "mall_customers",
        "fields": {
            "customer_id": "CustomerID",
            "age": "Age",
            "income": {"column": "Annual Income (k$)", "multiplier": 1000},
        },
        "features": [
            {"name": "gender", "column": "Gender", "type": "text"},
            {
                "name": "spending_score",
                "column": "Spending Score (1-100)",
                "type": "number",
            },
        ],
    }
    assert "thousands" in draft.notes["income"]
    text = draft_yaml(draft, source)
    (income_line,) = [line for line in text.splitlines() if line.startswith("  income:")]
    assert "# check:" in income_line and "1000" in income_line


def test_written_draft_reads_back_as_its_contract(tmp_path):
    source = tmp_path / "mall_customers.csv"
    write_minimal_export(source, rows=50)
    out = tmp_path / "contract.yml"
    draft = write_draft(source, out)
    assert read_contract(out) == draft.contract()
    text = out.read_text(encoding="utf-8")
    assert text.startswith(f"# Input contract drafted from {source}")
    assert yaml.safe_load(text) == draft.contract()


def test_draft_detects_month_first_dates(tmp_path):
    source = write_csv(
        tmp_path / "signups.csv",
        ["customer_id", "signup_date", "spend_wine"],
        [[1, "12/31/2014", 10], [2, "01/05/2013", 0], [3, "7/4/2013", 25]],
    )
    draft = draft_contract(source)
    assert draft.fields["enrolled_on"] == {
        "column": "signup_date",
        "format": "month_first",
    }
    assert "enrolled_on" not in draft.notes
    assert draft.lists["products"] == [
        {"name": "wine", "column": "spend_wine", "type": "count"}
    ]


@pytest.mark.parametrize(
    ("dates", "format_", "noted"),
    [
        (["2014-12-31", "2013-01-05"], "iso", False),
        (["31.12.2014", "05.01.2013"], "day_first", False),
        (["05/01/2013", "06/02/2014"], "day_first", True),  # cannot tell
    ],
)
def test_draft_date_formats(tmp_path, dates, format_, noted):
    source = write_csv(
        tmp_path / "export.csv",
        ["customer_id", "joined_on"],
        [[index, date] for index, date in enumerate(dates, start=1)],
    )
    draft = draft_contract(source)
    assert draft.fields["enrolled_on"] == {"column": "joined_on", "format": format_}
    assert ("enrolled_on" in draft.notes) == noted
    if noted:
        assert "month-first" in draft.notes["enrolled_on"]


def test_draft_ignores_free_text_and_keeps_categories(tmp_path):
    rows = [
        [index, f"person{index}@example.com", ["Paris", "Lyon", "Nice"][index % 3]]
        for index in range(1, 41)
    ]
    source = write_csv(tmp_path / "crm.csv", ["customer_id", "Email", "City"], rows)
    draft = draft_contract(source)
    assert draft.ignore == ["Email"]
    assert "free text" in draft.notes["ignore.Email"]
    assert draft.lists["features"] == [{"name": "city", "column": "City", "type": "text"}]
    assert draft.contract()["ignore"] == ["Email"]
    assert "# check: free text" in draft_yaml(draft, source)


def test_draft_without_an_id_asks_for_one(tmp_path):
    source = write_csv(tmp_path / "export.csv", ["Age", "Score"], [[30, 1.5], [40, 2.5]])
    draft = draft_contract(source)
    assert "customer_id" not in draft.fields
    assert "map customer_id by hand" in draft.notes["customer_id"]
    assert "# check: no ID column recognised" in draft_yaml(draft, source)


# --------------------------------------------------------------- reading contracts
def test_read_contract_of_a_missing_file(tmp_path):
    missing = tmp_path / "nowhere.yml"
    with pytest.raises(ContractError, match=re.escape(str(missing))) as error:
        read_contract(missing)
    assert "no such file" in str(error.value)


def test_read_contract_that_is_not_yaml(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("fields: {customer_id: ID\n  - [", encoding="utf-8")
    with pytest.raises(ContractError, match=re.escape(str(broken))) as error:
        read_contract(broken)
    assert "not valid YAML" in str(error.value)


@pytest.mark.parametrize(
    "text", ["name: shop\nproducts: []\n", "- customer_id\n", "", "just text\n"]
)
def test_read_contract_without_fields(tmp_path, text):
    path = tmp_path / "contract.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContractError, match=re.escape(str(path))) as error:
        read_contract(path)
    assert "fields:" in str(error.value)


def test_read_contract_of_a_vars_file(tmp_path):
    """A vars file (input_contract: under its key) reads as the contract itself."""
    contract = default_contract()
    path = tmp_path / "vars.yml"
    path.write_text(
        yaml.safe_dump({"input_contract": contract, "missing_income": "impute"}),
        encoding="utf-8",
    )
    assert read_contract(path) == contract


# ------------------------------------------------------------------- the registry
def macro_literal(path: Path, macro: str, suffix: str = "") -> object:
    """The Python-literal value a macro returns ({{ return({...}<suffix>) }})."""
    text = path.read_text(encoding="utf-8")
    body = re.search(
        r"\{%\s*macro " + macro + r"\(.*?%\}(.*?)\{%\s*endmacro", text, re.DOTALL
    ).group(1)
    literal = re.search(
        r"return\((\{.*\})" + re.escape(suffix) + r"\)\s*\}\}", body, re.DOTALL
    ).group(1)
    return ast.literal_eval(literal)


def test_field_registry_matches_the_macro():
    registry = macro_literal(MACROS / "input_field_registry.sql", "input_field_registry")
    assert list(registry) == list(FIELDS)
    assert {
        name: (spec["group"], spec["kind"], spec["type"])
        for name, spec in registry.items()
    } == {name: (f.group, f.kind, f.sql_type) for name, f in FIELDS.items()}


def test_list_registry_matches_the_macro():
    registry = macro_literal(MACROS / "input_list_registry.sql", "input_list_registry")
    assert list(registry) == list(LISTS)
    assert {
        name: (spec["group"], spec["prefix"], spec["suffix"], spec["kind"],
               tuple(spec["kinds"]))
        for name, spec in registry.items()
    } == {
        name: (s.group, s.prefix, s.suffix, s.kind, s.kinds) for name, s in LISTS.items()
    }  # fmt: skip


def test_kind_types_match_the_macro():
    kinds = macro_literal(MACROS / "input_contract.sql", "input_kind_type", "[kind]")
    assert kinds == KIND_TYPES
    # every kind a field or list can have has its SQL type
    used = {spec.kind for spec in FIELDS.values()}
    used |= {kind for spec in LISTS.values() for kind in spec.kinds}
    assert used <= set(KIND_TYPES)


def test_aliases_are_normalized_and_unique():
    """The draft matches normalized names (lowercase letters and digits): an alias
    spelled otherwise, or claimed by two fields, would never match as meant."""
    seen: dict[str, str] = {}
    for name, spec in FIELDS.items():
        for alias in spec.aliases:
            assert re.fullmatch(r"[a-z0-9]+", alias), (name, alias)
            assert alias not in seen, (alias, seen.get(alias), name)
            seen[alias] = name
