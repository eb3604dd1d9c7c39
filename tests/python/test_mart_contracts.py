"""The marts' contracts: every public table (each model of models/marts) has its yml
beside it with an enforced contract, every column it holds typed and described there;
the database enforces its NOT NULL constraints, and the model-level column tests
(column_checks, accepted_ranges) catch bad values and name the column."""

from __future__ import annotations

import duckdb
import pytest
import yaml

from conftest import ROOT, query, run_dbt

pytestmark = pytest.mark.build

MARTS = sorted(path.stem for path in (ROOT / "models" / "marts").glob("*.sql"))


def _model(mart: str) -> dict:
    for path in (ROOT / "models" / "marts").glob("*.yml"):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            if model["name"] == mart:
                assert path.stem in (mart, f"_{mart}"), f"{mart} documented in {path}"
                return model
    raise AssertionError(f"{mart} has no yml in models/marts")


DOCUMENTED = "{{ var('input_contract') == var('documented_input_contract') }}"


@pytest.mark.parametrize("mart", MARTS)
def test_mart_has_an_enforced_contract_and_described_columns(mart, sample_db):
    model = _model(mart)
    assert model.get("description", "").strip(), mart
    enforced = model.get("config", {}).get("contract", {}).get("enforced")
    # The marts whose columns follow the input: enforced for the documented contract.
    assert enforced is True or enforced == DOCUMENTED, mart
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
