"""The foundation: ingestion, quarantine, derived fields and bins, built by dbt."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import yaml

from conftest import (
    REAL_FILE,
    ROOT,
    SAMPLE_FILE,
    query,
    real_file_or_skip,
    run_dbt,
    scalar,
)

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


def test_real_file_counts(real_db):
    assert scalar(real_db, "select count(*) from base_raw__customers") == 2240
    assert scalar(real_db, "select count(*) from customers") == 2212
    assert scalar(real_db, "select count(*) from rejected_customers") == 28
    reasons = dict(
        query(
            real_db,
            "select reason, count(*) from (select unnest(rejection_reasons) as reason "
            "from rejected_customers) group by reason",
        )
    )
    assert reasons == {"missing_income": 24, "income_above_max": 1, "age_above_max": 3}
    assert (
        scalar(real_db, "select count(*) from customers where is_duplicate_profile") > 0
    )
    assert (
        scalar(
            real_db, "select count(*) from base_raw__customers where is_duplicate_profile"
        )
        == 182
    )


def test_real_file_customers_match_definitions(real_db):
    row = query(
        real_db,
        "select age, spending, seniority_months, marital_group, children_group, "
        "education_level, income_group from customers where customer_id = 5524",
    )[0]
    # 5524: born 1957, Single, no child, Graduation, enrolled 04-09-2012, income 58138
    assert row[0] == 2014 - 1957
    assert row[1] == 635 + 88 + 546 + 172 + 88 + 88
    days = (date(2014, 6, 29) - date(2012, 9, 4)).days
    assert row[2] == pytest.approx(days / 30)
    assert row[3:6] == ("Alone", "No child", "Graduate")
    assert row[6] == "Medium to high income"


def test_real_file_impute_keeps_missing_incomes(tmp_path):
    real = real_file_or_skip()
    db_path = tmp_path / "impute.duckdb"
    run_dbt(
        "build",
        db_path,
        {"raw_customers_path": str(real), "missing_income": "impute"},
        select="+customers",
        tests=False,
    )
    assert scalar(db_path, "select count(*) from stg_customers") == 2236
    assert (
        scalar(db_path, "select count(*) from stg_customers where is_income_imputed")
        == 24
    )
    # An imputed income is the median income of the customer's education.
    mismatches = scalar(
        db_path,
        "with medians as (select education, median(income) as income from "
        "stg_customers where not is_income_imputed group by education) "
        "select count(*) from stg_customers join medians using (education) "
        "where is_income_imputed and stg_customers.income != medians.income",
    )
    assert mismatches == 0


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


def test_iqr_rule_and_duplicate_dropping(tmp_path):
    db_path = tmp_path / "rules.duckdb"
    run_dbt(
        "build",
        db_path,
        {
            "income_outlier_rule": "iqr",
            "income_iqr_k": 1.5,
            "drop_duplicate_profiles": True,
        },
        select="+stg_customers +rejected_customers",
        tests=False,
    )
    fences = query(
        db_path,
        "select quantile_cont(income, 0.25), quantile_cont(income, 0.75) "
        "from base_raw__customers where income is not null",
    )[0]
    upper = fences[1] + 1.5 * (fences[1] - fences[0])
    outside = scalar(
        db_path,
        f"select count(*) from base_raw__customers where income > {upper}",
    )
    flagged = scalar(
        db_path,
        "select count(*) from rejected_customers "
        "where list_contains(rejection_reasons, 'income_outside_iqr_fences')",
    )
    assert flagged == outside > 0
    duplicates = scalar(
        db_path, "select count(*) from base_raw__customers where is_duplicate_profile"
    )
    dropped = scalar(
        db_path,
        "select count(*) from rejected_customers "
        "where list_contains(rejection_reasons, 'duplicate_profile')",
    )
    assert dropped == duplicates > 0
    assert (
        scalar(db_path, "select count(*) from stg_customers where is_duplicate_profile")
        == 0
    )


def contracted_not_null_columns() -> dict[str, set[str]]:
    """Columns of contracted marts whose YAML declares a not_null constraint."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "models" / "marts").glob("*.yml")):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            if not model.get("config", {}).get("contract", {}).get("enforced"):
                continue
            found[model["name"]] = {
                column["name"]
                for column in model.get("columns", [])
                if any(c.get("type") == "not_null" for c in column.get("constraints", []))
            }
    return found


def test_not_null_constraints_are_enforced_by_the_database(sample_db, tmp_path):
    """NOT NULL is part of each mart's contract: the table refuses a NULL at build."""
    declared = contracted_not_null_columns()
    assert sum(map(len, declared.values())) >= 100
    assert {"customer_id", "segment", "income", "age"} <= declared["customers"]
    rows = query(
        sample_db,
        "select table_name, column_name, is_nullable from information_schema.columns",
    )
    nullable = {(table, column): flag for table, column, flag in rows}
    for table, columns in declared.items():
        for column in columns:
            assert nullable[(table, column)] == "NO", (table, column)
    # The database itself rejects a NULL (on a copy: the warehouse stays as built).
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(sample_db.read_bytes())
    with duckdb.connect(str(copy)) as con:
        with pytest.raises(duckdb.ConstraintException, match="NOT NULL"):
            con.execute(
                "update customers set segment = null where customer_id = "
                "(select min(customer_id) from customers)"
            )


def test_column_range_and_value_tests_fail_on_bad_values(sample_db, tmp_path):
    """The marts' model-level column tests (column_checks, accepted_ranges) catch one
    out-of-range value and one unexpected value each, and name the column."""
    copy = tmp_path / "bad_values.duckdb"
    copy.write_bytes(sample_db.read_bytes())
    first = "(select min(customer_id) from customers)"
    with duckdb.connect(str(copy)) as con:
        con.execute(f"update customers set age = -3 where customer_id = {first}")
        con.execute(
            "update customers set education = 'Bogus' where customer_id in "
            "(select customer_id from customers order by customer_id limit 2)"
        )
        con.execute(
            "update association_rules set lift = 0.5 where rule = "
            "(select min(rule) from association_rules)"
        )
        con.execute(
            "update customer_segments set probability_stars = 1.5 where customer_id = "
            "(select min(customer_id) from customer_segments)"
        )
        con.execute(
            "update staging.base_raw__customers set is_kept = null "
            "where raw_row_number = 1"
        )
    tests = [
        "customers_column_checks",
        "customer_segments_column_checks",
        "base_raw__customers_column_checks",
        "association_rules_accepted_ranges",
        "segment_model_accepted_ranges",
    ]
    run = run_dbt("test", copy, select=" ".join(tests), check=False)
    assert not run.success
    outcome = {
        r.node.name: (str(r.status), r.failures)
        for r in run.result.results
        if r.node.resource_type == "test"
    }
    assert outcome == {
        "customers_column_checks": ("fail", 2),  # age -3; one value, on two rows
        "customer_segments_column_checks": ("fail", 3),  # a range, two expressions
        "base_raw__customers_column_checks": ("fail", 1),  # a NULL
        "association_rules_accepted_ranges": ("fail", 1),  # lift below min_lift
        "segment_model_accepted_ranges": ("pass", 0),
    }
    # The failing rows say which column holds which value, and what is wrong with it.
    compiled = tmp_path / "dbt_bad_values" / "target" / "compiled"
    checks = next(compiled.rglob("customers_column_checks.sql")).read_text()
    accepted = "'Basic', '2n Cycle', 'Graduation', 'Master', 'PhD'"
    assert sorted(query(copy, checks)) == [
        ("age", "-3", "age >= 0", 1),
        ("education", "Bogus", f"not in ({accepted})", 2),
    ]
    segments = next(compiled.rglob("customer_segments_column_checks.sql")).read_text()
    assert sorted(query(copy, segments), key=str) == [
        (
            "probability_stars",
            "1.5",
            "probability_stars >= 0 and probability_stars <= 1",
            1,
        ),
        (
            None,
            None,
            "abs(probability_stars + probability_high_potential"
            " + probability_leaky_bucket + probability_need_attention - 1) <= 1e-6",
            1,
        ),
        (
            None,
            None,
            "segment_probability = greatest(probability_stars,"
            " probability_high_potential, probability_leaky_bucket,"
            " probability_need_attention)",
            1,
        ),
    ]
    raw = next(compiled.rglob("base_raw__customers_column_checks.sql")).read_text()
    assert query(copy, raw) == [("is_kept", None, "is null", 1)]
