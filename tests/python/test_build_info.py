"""build_info as built: the raw file it names is the file read (size, SHA-256, rows),
every var of dbt_project.yml is recorded, and every public table is counted right."""

from __future__ import annotations

import hashlib
import json

import dbt.version
import pytest
import yaml

from conftest import ROOT, SAMPLE_FILE, query, scalar
from customer_personality.statistics.tables import DEFAULT_CATEGORICAL, DEFAULT_NUMERIC

pytestmark = pytest.mark.build


def _section(db, section: str) -> dict[str, str]:
    return dict(
        query(
            db,
            "select name, value from build_info "
            f"where section = '{section}' order by fact_order",
        )
    )


def test_source_is_the_file_read(sample_db):
    source = _section(sample_db, "source")
    assert source["path"] == "data/sample/marketing_campaign.csv"
    content = SAMPLE_FILE.read_bytes()
    assert int(source["size_bytes"]) == len(content)
    assert source["sha256"] == hashlib.sha256(content).hexdigest()
    data_rows = content.count(b"\n") - 1
    assert int(source["raw_rows"]) == data_rows
    assert int(source["kept_rows"]) == scalar(sample_db, "select count(*) from customers")
    assert int(source["rejected_rows"]) == scalar(
        sample_db, "select count(*) from rejected_customers"
    )
    assert int(source["kept_rows"]) + int(source["rejected_rows"]) == data_rows


# The vars whose null the default contract resolves (macros feature_list and
# focus_product), as the README documents them: build_vars records the lists used.
RESOLVED = {
    "cluster_numeric_features": [
        "income",
        "seniority_months",
        "spending",
        "age",
        "children",
        "total_purchases",
        "deal_share",
        "web_share",
        "catalog_share",
        "web_visits_month",
        "recency_days",
        "campaigns_accepted",
    ],
    "cluster_categorical_features": [],
    "basket_item_columns": [
        "education_level",
        "marital_group",
        "has_child",
        "age_group",
        "income_group",
        "seniority_group",
        "segment",
        "wines_segment",
        "fruits_segment",
        "meat_segment",
        "fish_segment",
        "sweets_segment",
        "gold_segment",
    ],
    "focus_product": "wines",
    # the statistics' lists are the package's defaults: the contract's derivation
    # must give them for the documented input
    "statistics_numeric_features": list(DEFAULT_NUMERIC),
    "statistics_categorical_features": list(DEFAULT_CATEGORICAL),
    "response_features": [
        "income",
        "age",
        "seniority_months",
        "recency_days",
        "kids_at_home",
        "teens_at_home",
        "amount_wines",
        "amount_fruits",
        "amount_meat",
        "amount_fish",
        "amount_sweets",
        "amount_gold",
        "deal_purchases",
        "web_purchases",
        "catalog_purchases",
        "store_purchases",
        "web_visits_month",
        "accepted_campaign_1",
        "accepted_campaign_2",
        "accepted_campaign_3",
        "accepted_campaign_4",
        "accepted_campaign_5",
        "has_complained",
        "is_in_couple",
        "is_postgraduate",
        "is_undergraduate",
    ],
}


def test_every_var_is_recorded(sample_db):
    project_vars = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
    recorded = _section(sample_db, "var")
    assert set(recorded) == set(project_vars)
    for name, value in project_vars.items():
        if name in RESOLVED:  # null: the list the input contract gives
            assert value is None, name
            assert json.loads(recorded[name]) == RESOLVED[name], name
        elif name != "reference_date":  # recorded as resolved: the file's latest date
            assert json.loads(recorded[name]) == value, name
    assert json.loads(recorded["reference_date"]) == str(
        scalar(sample_db, "select max(reference_date) from customers")
    )


def test_every_public_table_is_counted(sample_db):
    marts = {path.stem for path in (ROOT / "models" / "marts").glob("*.sql")}
    counted = _section(sample_db, "mart_rows")
    assert set(counted) == marts - {"build_info"}
    for table, rows in counted.items():
        assert int(rows) == scalar(sample_db, f"select count(*) from {table}"), table


def test_versions_and_build_time(sample_db):
    versions = _section(sample_db, "version")
    assert versions["dbt"] == dbt.version.__version__
    assert versions["adapter"] == "duckdb"
    assert versions["engine"] == scalar(sample_db, "select version()")
    build = _section(sample_db, "build")
    assert build["started_at"].endswith("Z") and len(build["started_at"]) == 20
