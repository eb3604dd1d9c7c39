"""`python -m customer_personality score` (customer_personality.scoring.batch): new
customers get the warehouse's segments, cleaned by the warehouse's rules (the
cleaning vars build_vars records) and measured at its reference date."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import (
    REAL_FILE,
    ROOT,
    SAMPLE_FILE,
    connect,
    forbid_unit,
    query,
    run_dbt,
    scalar,
)
from customer_personality.scoring import CLEANING_VARS, read_warehouse_settings
from customer_personality.scoring.settings import INPUT_VARS

pytestmark = pytest.mark.build

PROBABILITIES = [
    "segment_probability",
    "probability_stars",
    "probability_high_potential",
    "probability_leaky_bucket",
    "probability_need_attention",
]
NEW_ID_OFFSET = 100000
# Vars no default build uses, for a warehouse whose cleaning the scoring must repeat.
NON_DEFAULT_VARS = {"reference_date": "2014-12-31", "max_age": None, "income_max": 90000}


def score(new_file: Path, out: Path, db: Path, *options: str, cwd: Path = ROOT):
    forbid_unit("run the score command on a warehouse")
    return subprocess.run(
        [sys.executable, "-m", "customer_personality", "score", str(new_file)]
        + ["--out", str(out), "--db", str(db), *options],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def with_new_ids(source: Path, out: Path, rows: int | None = None) -> Path:
    """The first rows (all when None) of a raw file, each ID + NEW_ID_OFFSET."""
    with open(source, newline="", encoding="utf-8") as handle:
        header, *body = list(csv.reader(handle, delimiter="\t"))
    column = header.index("ID")
    body = body if rows is None else body[:rows]
    for row in body:
        row[column] = str(int(row[column]) + NEW_ID_OFFSET)
    with open(out, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter="\t").writerows([header, *body])
    return out


def warehouse_segments(db: Path) -> pd.DataFrame:
    with connect(db) as con:
        return con.execute(
            "select customer_id, customer_segments.segment, "
            + "".join(f"customer_segments.{column}, " for column in PROBABILITIES)
            + "customers.seniority_months "
            "from customer_segments join customers using (customer_id)"
        ).df()


def assert_scored_as_in_warehouse(scored_csv: Path, db: Path, offset: int) -> int:
    """Every scored customer (ID - offset) has the warehouse's segment and four
    probabilities (1e-9); returns how many were compared."""
    scored = pd.read_csv(scored_csv)
    scored["customer_id"] -= offset
    built = warehouse_segments(db)
    merged = scored.merge(built, on="customer_id", how="left", suffixes=("", "_built"))
    assert merged["segment_built"].notna().all(), "scored customers not in the warehouse"
    moved = merged[merged["segment"] != merged["segment_built"]]
    assert moved.empty, f"segment changed for {moved['customer_id'].tolist()}"
    for column in PROBABILITIES + ["seniority_months"]:
        gap = (merged[column] - merged[f"{column}_built"]).abs()
        assert (gap <= 1e-9).all(), (
            f"{column} differs for {merged.loc[gap > 1e-9, 'customer_id'].tolist()}"
        )
    return len(merged)


@pytest.mark.parametrize("rows", [20, None], ids=["first_20_rows", "every_row"])
def test_real_rows_with_new_ids_get_the_warehouse_segments(real_db, tmp_path, rows):
    """The real file's rows under new IDs score exactly as the warehouse scored the
    same customers. The first 20 rows enrol up to 2014-03 (the file's latest is
    2014-06-29): measured at their own latest date they came out 3.6 months less
    senior and with other probabilities."""
    new_file = with_new_ids(REAL_FILE, tmp_path / "new.tsv", rows)
    out = tmp_path / "scored.csv"
    result = score(new_file, out, real_db)
    assert result.returncode == 0, result.stderr
    assert (
        f"scored with the segment model of {real_db} (fitted on 2,212 customers), "
        "ages and seniority at 2014-06-29 (the warehouse's reference date)"
    ) in result.stderr
    compared = assert_scored_as_in_warehouse(out, real_db, NEW_ID_OFFSET)
    rejected = pd.read_csv(tmp_path / "scored.rejected.csv")
    if rows is None:
        assert (compared, len(rejected)) == (2212, 28)
    else:
        assert compared + len(rejected) == 20 and compared == 19


def test_build_vars_record_the_cleaning_vars(real_db):
    recorded = dict(query(real_db, "select name, value from build_vars"))
    assert {name: recorded[name] for name in CLEANING_VARS} == {
        "reference_date": '"2014-06-29"',
        "missing_income": '"drop"',
        "income_outlier_rule": '"max"',
        "income_max": "600000",
        "income_iqr_k": "1.5",
        "max_age": "100",
        "drop_duplicate_profiles": "false",
    }
    assert recorded["raw_customers_path"] == json.dumps(str(REAL_FILE))
    # the cleaning vars, and the input contract the build read its file with
    assert set(read_warehouse_settings(real_db).variables) == set(
        CLEANING_VARS + INPUT_VARS
    )


@pytest.fixture(scope="module")
def non_default_db(tmp_path_factory) -> Path:
    """The sample built with a later reference date, no age limit, a low income_max."""
    db_path = tmp_path_factory.mktemp("non_default") / "warehouse.duckdb"
    run_dbt("build", db_path, NON_DEFAULT_VARS, tests=False)
    return db_path


def test_scoring_repeats_the_warehouses_non_default_cleaning(non_default_db, tmp_path):
    """Scored with the project's defaults instead, the sample would lose its three
    customers over 100 and keep incomes up to 600,000, measured at 2014-06-29."""
    out = tmp_path / "scored.csv"
    result = score(SAMPLE_FILE, out, non_default_db)
    assert result.returncode == 0, result.stderr
    assert "ages and seniority at 2014-12-31 (the warehouse's reference date)" in (
        result.stderr
    )
    assert "max_age=null" in result.stderr and "income_max=90000" in result.stderr
    built = scalar(non_default_db, "select count(*) from customers")
    assert assert_scored_as_in_warehouse(out, non_default_db, 0) == built
    assert len(pd.read_csv(out)) == built
    rejected = pd.read_csv(tmp_path / "scored.rejected.csv")
    assert len(rejected) == scalar(
        non_default_db, "select count(*) from rejected_customers"
    )


def test_arguments_override_the_warehouses_vars(non_default_db, tmp_path):
    out = tmp_path / "scored.csv"
    result = score(
        SAMPLE_FILE,
        out,
        non_default_db,
        "--reference-date",
        "2014-06-29",
        "--var",
        "max_age=100",
    )
    assert result.returncode == 0, result.stderr
    assert (
        "ages and seniority at 2014-06-29 (set for this scoring; the warehouse's is "
        "2014-12-31)"
    ) in result.stderr
    assert "max_age=100 (set for this scoring)" in result.stderr
    # The sample's three customers over 100 (kept by the warehouse) are rejected.
    over_100 = scalar(non_default_db, "select count(*) from customers where age > 100")
    assert over_100 == 3
    scored = pd.read_csv(out)
    assert len(scored) == scalar(non_default_db, "select count(*) from customers") - 3
    rejected = pd.read_csv(tmp_path / "scored.rejected.csv")
    assert rejected["rejection_reason"].str.contains("age_above_max").sum() == 3


def test_a_file_without_customers_fails_clearly_and_keeps_the_rejected_rows(
    non_default_db, tmp_path
):
    """A new file whose every row is rejected, or with a header alone, stops with the
    file and the counts named; the rejected rows are written for the user to see."""
    with open(SAMPLE_FILE, newline="", encoding="utf-8") as handle:
        header, *body = list(csv.reader(handle, delimiter="\t"))
    body = body[:20]
    for row in body:
        row[header.index("Income")] = ""
    no_income = tmp_path / "no_income.tsv"
    with open(no_income, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter="\t").writerows([header, *body])
    out = tmp_path / "scored.csv"
    result = score(no_income, out, non_default_db)
    assert result.returncode == 2
    rejected_out = tmp_path / "scored.rejected.csv"
    assert (
        f"error: no customers to score in {no_income}: all 20 rows were rejected "
        f"(missing_income: 20); the rows and their reasons are in {rejected_out}"
    ) in result.stderr
    assert len(pd.read_csv(rejected_out)) == 20
    assert not out.exists()

    header_only = tmp_path / "header_only.tsv"
    header_only.write_text("\t".join(header) + "\n", encoding="utf-8")
    result = score(header_only, tmp_path / "empty.csv", non_default_db)
    assert result.returncode == 2
    assert f"error: no customers to score in {header_only}: 0 data rows" in (
        result.stderr
    )


def test_score_outside_a_project_names_the_directory(tmp_path):
    """Scoring stages the file with a dbt project: run where there is none, without
    --project-dir, it fails before anything else and names the directory."""
    out = tmp_path / "scored.csv"
    result = score(SAMPLE_FILE, out, tmp_path / "x.duckdb", cwd=tmp_path)
    assert result.returncode == 2
    assert f"no dbt project at {tmp_path.resolve()} (no dbt_project.yml there)" in (
        result.stderr
    )
    assert not out.exists()


def test_score_from_any_directory_with_project_dir(sample_db, tmp_path):
    """--project-dir points at the project, so scoring works from any directory: the
    sample scored from elsewhere gets the segments the build gave it."""
    out = tmp_path / "scored.csv"
    result = score(SAMPLE_FILE, out, sample_db, "--project-dir", str(ROOT), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    scored = pd.read_csv(out)
    features = ["income", "seniority_months", "spending"]
    assert list(scored.columns) == ["customer_id", "segment", *PROBABILITIES, *features]
    built = dict(query(sample_db, "select customer_id, segment from customers"))
    assert len(scored) == len(built)
    assert dict(zip(scored["customer_id"], scored["segment"], strict=True)) == built


def test_score_cli_gives_new_customers_the_warehouse_segments(sample_db, tmp_path):
    """`python -m customer_personality score` runs a raw file through the same
    cleaning and the warehouse's score_segment macro: scoring the sample itself gives
    every customer the segment the build gave them, and keeps the rejected rows."""
    out = tmp_path / "scored.csv"
    result = score(SAMPLE_FILE, out, sample_db)
    assert result.returncode == 0, result.stderr
    scored = pd.read_csv(out)
    with connect(sample_db) as con:
        built = con.execute("select customer_id, segment from customers").df()
    merged = built.merge(scored, on="customer_id", suffixes=("", "_scored"))
    assert len(merged) == len(built) == len(scored)
    assert (merged["segment"] == merged["segment_scored"]).all()
    rejected = pd.read_csv(tmp_path / "scored.rejected.csv")
    assert len(rejected) == scalar(sample_db, "select count(*) from rejected_customers")

    missing = score(SAMPLE_FILE, out, tmp_path / "none.duckdb")
    assert missing.returncode == 2
    assert "no warehouse at" in missing.stderr


def test_score_with_a_model_file_gives_the_frozen_builds_segments(sample_db, tmp_path):
    """--model FILE scores with an exported model, as a frozen build does: the sample
    gets the segments and probabilities the build gave it, bit for bit."""
    from customer_personality.warehouse.model_export import export_model

    exported = export_model(sample_db, tmp_path / "model.json")
    out = tmp_path / "scored.csv"
    result = score(SAMPLE_FILE, out, sample_db, "--model", str(tmp_path / "model.json"))
    assert result.returncode == 0, result.stderr
    shown = f"segments from {tmp_path / 'model.json'}: model_version"
    assert f"{shown} {exported.model_version}" in result.stderr
    scored = pd.read_csv(out).set_index("customer_id")
    with connect(sample_db) as con:
        built = (
            con.execute(
                f"select customer_id, segment, {', '.join(PROBABILITIES)} "
                "from customer_segments"
            )
            .df()
            .set_index("customer_id")
        )
    pd.testing.assert_frame_equal(
        scored[["segment", *PROBABILITIES]].sort_index(), built.sort_index()
    )
    missing = score(SAMPLE_FILE, out, sample_db, "--model", str(tmp_path / "no.json"))
    assert missing.returncode == 2
    assert f"segment model file {tmp_path / 'no.json'} does not exist" in missing.stderr
