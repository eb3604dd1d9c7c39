"""Ingestion (base_raw__customers, rejected_customers): every raw row kept or
rejected, every dialect of the raw file read alike, a file the build cannot read
stopped naming the file, and each bad value a rejected row with its reason."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from conftest import REAL_FILE, SAMPLE_FILE, query, run_dbt, scalar

pytestmark = pytest.mark.build

CUSTOMERS_SQL = "select * from customers order by customer_id"


def read_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle, delimiter="\t"))


def write_rows(path: Path, rows, delimiter=",", quoting=csv.QUOTE_MINIMAL, **options):
    newline = options.pop("lineterminator", "\n")
    encoding = options.pop("encoding", "utf-8")
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(
            handle, delimiter=delimiter, quoting=quoting, lineterminator=newline
        )
        writer.writerows(rows)
    return path


def iso_dates(rows):
    header, *body = rows
    column = header.index("Dt_Customer")
    out = [header]
    for row in body:
        day, month, year = row[column].split("-")
        out.append(row[:column] + [f"{year}-{month}-{day}"] + row[column + 1 :])
    return out


def test_sample_build_keeps_or_rejects_every_row(sample_db):
    raw_rows = len(read_rows(SAMPLE_FILE)) - 1
    kept = scalar(sample_db, "select count(*) from customers")
    rejected = scalar(sample_db, "select count(*) from rejected_customers")
    assert kept + rejected == raw_rows
    assert kept > 0.95 * raw_rows
    assert rejected > 0, "the sample carries the real file's faults"
    reasons = query(
        sample_db, "select distinct unnest(rejection_reasons) from rejected_customers"
    )
    assert {"missing_income", "income_above_max"} <= {row[0] for row in reasons}


# The dialect tests re-write the real file when it is there, else the sample.
DIALECT_SOURCE = REAL_FILE if REAL_FILE.exists() else SAMPLE_FILE


@pytest.fixture(scope="module")
def baseline_customers(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("dialects") / "baseline.duckdb"
    run_dbt(
        "build",
        db_path,
        {"raw_customers_path": str(DIALECT_SOURCE)},
        select="+customers",
        tests=False,
    )
    return query(db_path, CUSTOMERS_SQL)


def _variant(kind: str, folder: Path) -> Path:
    rows = read_rows(DIALECT_SOURCE)
    if kind == "comma":
        return write_rows(folder / "comma.csv", rows, ",")
    if kind == "semicolon_quoted":
        return write_rows(folder / "semi.csv", rows, ";", quoting=csv.QUOTE_ALL)
    if kind == "bom_crlf":
        return write_rows(
            folder / "bom.csv", rows, ",", encoding="utf-8-sig", lineterminator="\r\n"
        )
    if kind == "iso_dates":
        return write_rows(folder / "iso.tsv", iso_dates(rows), "\t")
    if kind == "parquet":
        table = pacsv.read_csv(
            DIALECT_SOURCE,
            parse_options=pacsv.ParseOptions(delimiter="\t"),
            convert_options=pacsv.ConvertOptions(
                column_types={"Dt_Customer": pa.string()}
            ),
        )
        pq.write_table(table, folder / "customers.parquet")
        return folder / "customers.parquet"
    raise ValueError(kind)


@pytest.mark.parametrize(
    "kind", ["comma", "semicolon_quoted", "bom_crlf", "iso_dates", "parquet"]
)
def test_dialects_give_the_same_customers(kind, tmp_path, baseline_customers):
    path = _variant(kind, tmp_path)
    db_path = tmp_path / f"{kind}.duckdb"
    run_dbt(
        "build",
        db_path,
        {"raw_customers_path": str(path)},
        select="+customers",
        tests=False,
    )
    assert query(db_path, CUSTOMERS_SQL) == baseline_customers


def test_renamed_column_fails_naming_file_and_column(tmp_path):
    rows = read_rows(SAMPLE_FILE)
    rows[0] = ["MntWine" if name == "MntWines" else name for name in rows[0]]
    path = write_rows(tmp_path / "renamed.tsv", rows, "\t")
    result = run_dbt(
        "build",
        tmp_path / "renamed.duckdb",
        {"raw_customers_path": str(path)},
        select="base_raw__customers",
        check=False,
    )
    assert not result.success
    assert str(path) in result.output
    assert "Missing columns: MntWines" in result.output
    assert "Unexpected columns: MntWine" in result.output


def test_missing_file_fails_clearly(tmp_path):
    missing = tmp_path / "nowhere.csv"
    result = run_dbt(
        "build",
        tmp_path / "missing.duckdb",
        {"raw_customers_path": str(missing)},
        select="base_raw__customers",
        check=False,
    )
    assert not result.success
    assert f"Raw customer file not found: {missing}" in result.output


def build_without_customers(path: Path, db_path: Path):
    """dbt build (every model and test) of a file that leaves no customer: it must
    fail at stg_customers, skip every Python model and still write the quarantine."""
    result = run_dbt("build", db_path, {"raw_customers_path": str(path)}, check=False)
    assert not result.success
    statuses = {r.node.name: str(r.status) for r in result.result.results}
    assert statuses["stg_customers"] == "error"
    assert statuses["rejected_customers"] == "success"
    python_models = {
        r.node.name: str(r.status)
        for r in result.result.results
        if getattr(r.node, "language", None) == "python"
    }
    assert "int_segment_model" in python_models
    assert set(python_models.values()) == {"skipped"}, python_models
    tables = {row[0] for row in query(db_path, "select table_name from duckdb_tables()")}
    assert "int_segment_model" not in tables and "customers" not in tables
    assert "Traceback" not in result.output
    return result


def test_header_only_file_stops_the_build_naming_file_and_count(tmp_path):
    path = write_rows(tmp_path / "empty.tsv", read_rows(SAMPLE_FILE)[:1], "\t")
    result = build_without_customers(path, tmp_path / "empty.duckdb")
    assert (
        f"Raw customer file {path} has no customers to segment: 0 data rows"
        in result.output
    )
    rejected = scalar(
        tmp_path / "empty.duckdb", "select count(*) from rejected_customers"
    )
    assert rejected == 0


def test_all_rows_rejected_stops_the_build_naming_file_count_and_reasons(tmp_path):
    header, *rows = read_rows(SAMPLE_FILE)
    body = [row[:] for row in rows[:20]]
    for row in body:
        row[header.index("Income")] = ""
    body[0][header.index("Year_Birth")] = "1850"
    path = write_rows(tmp_path / "no_income.tsv", [header] + body, "\t")
    db_path = tmp_path / "no_income.duckdb"
    result = build_without_customers(path, db_path)
    assert (
        f"Raw customer file {path} has no customers to segment: all 20 rows were "
        "rejected (missing_income: 20, age_above_max: 1); see rejected_customers"
        in result.output
    )
    # The quarantine is there to look at, every row with its reasons.
    assert query(
        db_path,
        "select count(*), count(*) filter (where list_contains(rejection_reasons, "
        "'missing_income')) from rejected_customers",
    ) == [(20, 20)]


def test_bad_values_become_rejected_rows_with_reasons(tmp_path):
    rows = read_rows(SAMPLE_FILE)
    header = rows[0]
    col = header.index
    body = [row[:] for row in rows[1:41]]
    body[0][col("Dt_Customer")] = "31-02-2013"
    body[1][col("MntWines")] = "lots"
    body[2][col("Education")] = "Kindergarten"
    body[3][col("AcceptedCmp2")] = "2"
    body[4] = body[4][:20]  # a short row
    body[5] = body[5] + ["surplus"]  # a row with an extra field
    body[6][col("ID")] = body[7][col("ID")]  # a repeated ID
    body[8][col("Income")] = ""
    body[8][col("Year_Birth")] = "1850"  # two faults, one row
    path = write_rows(tmp_path / "faults.tsv", [header] + body, "\t")
    db_path = tmp_path / "faults.duckdb"
    run_dbt(
        "build",
        db_path,
        {"raw_customers_path": str(path)},
        select="+stg_customers +rejected_customers",
    )
    reasons = {
        row[0]: row[1]
        for row in query(
            db_path,
            "select raw_row_number, rejection_reasons from rejected_customers",
        )
    }
    assert "invalid_date:Dt_Customer" in reasons[1]
    assert "invalid_number:MntWines" in reasons[2]
    assert "unknown_education" in reasons[3]
    assert "invalid_flag:AcceptedCmp2" in reasons[4]
    assert "missing_value:Response" in reasons[5]
    assert reasons[6] == ["extra_fields"]
    assert "duplicate_customer_id" in reasons[8]
    assert set(reasons[9]) >= {"missing_income", "age_above_max"}
    kept = scalar(db_path, "select count(*) from stg_customers")
    assert kept + len(reasons) == len(body)
    # The quarantine shows each rejected row's text as it was in the file.
    shown = query(
        db_path,
        'select raw_row_number, "ID", "Year_Birth", "Education", "Income", '
        '"MntWines", "Dt_Customer", "Response", extra_fields '
        "from rejected_customers order by raw_row_number",
    )
    as_filed = {
        number: (
            row[col("ID")],
            row[col("Year_Birth")],
            row[col("Education")],
            row[col("Income")] or None,
            row[col("MntWines")],
            row[col("Dt_Customer")],
            row[col("Response")] if len(row) > col("Response") else None,
            row[len(header)] if len(row) > len(header) else None,
        )
        for number, row in enumerate(body, start=1)
        if number in reasons
    }
    assert {number: tuple(values) for number, *values in shown} == as_filed
    assert as_filed[1][5] == "31-02-2013" and as_filed[2][4] == "lots"
    assert as_filed[6][7] == "surplus" and as_filed[5][6] is None
