"""The A/B test macros (macros/experiments): ab_test_results agrees with scipy on fixed
numbers, overall and per segment, with its undefined statistics null; the database
macros (create_experiment_macros) and the example analysis run; bad arguments fail
compilation, naming the argument. (ab_sample_size and the normal distribution in SQL:
test_ab_sample_size.)"""

from __future__ import annotations

import math
import re
from pathlib import Path

import duckdb
import numpy as np
import pytest
from scipy.stats import norm

from conftest import run_dbt
from helpers.experiments import compile_inline, compile_queries, fetch, sample_size

pytestmark = pytest.mark.build

# The accuracy asserted against scipy; measured: the normal CDF within 2.3e-16
# absolute, 2e-15 relative for |x| <= 5 and 6e-14 out to |x| = 37; the quantile
# within 1e-15 relative.
REL = 1e-12
ABS = 1e-15

COLUMNS = [
    "segment",
    "control_variant",
    "treatment_variant",
    "control_customers",
    "control_conversions",
    "control_conversion_rate",
    "treatment_customers",
    "treatment_conversions",
    "treatment_conversion_rate",
    "absolute_lift",
    "relative_lift",
    "z_statistic",
    "p_value",
    "confidence_level",
    "lift_ci_lower",
    "lift_ci_upper",
    "is_significant",
]

# (segment, variant, customers, conversions): A 1000 / 100, B 1000 / 130 in all.
# Unknown: customers missing from the segments table, or with a NULL segment.
EXPERIMENT = [
    ("Stars", "A", 300, 45),
    ("Stars", "B", 310, 62),
    ("Leaky bucket", "A", 400, 20),
    ("Leaky bucket", "B", 390, 21),
    ("Need attention", "A", 250, 30),
    ("Need attention", "B", 250, 42),
    ("Unknown", "A", 50, 5),
    ("Unknown", "B", 50, 5),
]
# Statistics left undefined, and a p-value far in the tail (z ~ 15.5, p ~ 4e-54).
EDGE_EXPERIMENT = [
    ("Zero control rate", "A", 10, 0),
    ("Zero control rate", "B", 10, 2),
    ("No treatment", "A", 5, 1),
    ("No conversions", "A", 5, 0),
    ("No conversions", "B", 5, 0),
    ("Tiny p", "A", 1000, 100),
    ("Tiny p", "B", 1000, 400),
]
SEGMENT_NAMES = ["Stars", "High potential", "Leaky bucket", "Need attention"]

# What the tests run, compiled by one dbt invocation (each costs seconds).
QUERIES = {
    "by_segment": "{{ ab_test_results('experiment', segments_relation='segments') }}",
    "overall_swapped": (
        "{{ ab_test_results('experiment_flags', control='B', treatment='A', "
        "by_segment=false, confidence=0.99) }}"
    ),
    "edge": "{{ ab_test_results('edge_experiment', segments_relation='edge_segments') }}",
    "default_segments": "{{ ab_test_results('experiment') }}",
    "database_macros": "{{ create_experiment_macros() }}",
}


def experiment_rows(spec, first_id: int = 1) -> tuple[list[tuple], list[tuple]]:
    """(customer_id, variant, converted) and (customer_id, segment) rows of a spec.
    Unknown customers: every other one has no segment row, the rest a NULL segment."""
    experiment, segments = [], []
    customer_id = first_id
    for segment, variant, customers, conversions in spec:
        for i in range(customers):
            converted = 1 if i < conversions else (None if i % 7 == 0 else 0)
            experiment.append((customer_id, variant, converted))
            if segment != "Unknown":
                segments.append((customer_id, segment))
            elif i % 2:
                segments.append((customer_id, None))
            customer_id += 1
    return experiment, segments


def expected(
    control: tuple[int, int], treatment: tuple[int, int], confidence: float = 0.95
) -> dict:
    """The statistics of ab_test_results, computed in Python with scipy."""
    (n_c, x_c), (n_t, x_t) = control, treatment
    rate_c = x_c / n_c if n_c else None
    rate_t = x_t / n_t if n_t else None
    lift = rate_t - rate_c if n_c and n_t else None
    z = p = lower = upper = None
    if lift is not None:
        pooled = (x_c + x_t) / (n_c + n_t)
        pooled_se = math.sqrt(pooled * (1 - pooled) * (1 / n_c + 1 / n_t))
        z = lift / pooled_se if pooled_se else None
        p = 2 * norm.sf(abs(z)) if z is not None else None
        se = math.sqrt(rate_c * (1 - rate_c) / n_c + rate_t * (1 - rate_t) / n_t)
        critical = norm.ppf(1 - (1 - confidence) / 2)
        lower, upper = lift - critical * se, lift + critical * se
    return {
        "control_customers": n_c,
        "control_conversions": x_c,
        "control_conversion_rate": rate_c,
        "treatment_customers": n_t,
        "treatment_conversions": x_t,
        "treatment_conversion_rate": rate_t,
        "absolute_lift": lift,
        "relative_lift": lift / rate_c if lift is not None and rate_c else None,
        "z_statistic": z,
        "p_value": p,
        "confidence_level": confidence,
        "lift_ci_lower": lower,
        "lift_ci_upper": upper,
        "is_significant": p < 1 - confidence if p is not None else None,
    }


def counts(spec, segment: str | None = None) -> dict[str, tuple[int, int]]:
    """{variant: (customers, conversions)} of one segment of a spec, or of all."""
    totals: dict[str, tuple[int, int]] = {"A": (0, 0), "B": (0, 0)}
    for name, variant, customers, conversions in spec:
        if segment is None or name == segment:
            n, x = totals[variant]
            totals[variant] = (n + customers, x + conversions)
    return totals


def assert_matches(row: dict, wanted: dict) -> None:
    for key, value in wanted.items():
        if value is None or isinstance(value, (bool, str, int)):
            assert row[key] == value, key
        else:
            assert row[key] == pytest.approx(value, rel=REL, abs=ABS), key


def create_table(con, name: str, columns: dict[str, str], rows: list[tuple]) -> None:
    """A table of rows, inserted column by column (executemany is slow in DuckDB)."""
    con.execute(
        f"create table {name} ({', '.join(f'{c} {t}' for c, t in columns.items())})"
    )
    values = [list(column) for column in zip(*rows)]
    unnested = ", ".join(
        f"unnest(${i + 1}::{kind}[])" for i, kind in enumerate(columns.values())
    )
    con.execute(f"insert into {name} select {unnested}", values)


@pytest.fixture(scope="module")
def experiment_db(tmp_path_factory) -> Path:
    """A DuckDB file with the example experiments and a small customers table (what
    ref('customers') points to when dbt compiles against this file)."""
    db_path = tmp_path_factory.mktemp("experiments") / "experiments.duckdb"
    experiment, segments = experiment_rows(EXPERIMENT)
    edge, edge_segments = experiment_rows(EDGE_EXPERIMENT)
    rng = np.random.default_rng(7)
    customers = [
        (i, SEGMENT_NAMES[int(rng.integers(4))], int(rng.random() < 0.15))
        for i in range(1, 1901)
    ]
    experiment_columns = {"customer_id": "int", "variant": "text", "converted": "int"}
    segment_columns = {"customer_id": "int", "segment": "text"}
    with duckdb.connect(str(db_path)) as con:
        # Another variant, to be ignored.
        create_table(
            con, "experiment", experiment_columns, [*experiment, (99999, "C", 1)]
        )
        con.execute(
            "create view experiment_flags as "
            "select customer_id, variant, converted = 1 as converted from experiment"
        )
        create_table(con, "segments", segment_columns, segments)
        create_table(con, "edge_experiment", experiment_columns, edge)
        create_table(con, "edge_segments", segment_columns, edge_segments)
        create_table(
            con,
            "customers",
            {"customer_id": "int", "segment": "text", "accepted_last_campaign": "int"},
            customers,
        )
    return db_path


@pytest.fixture(scope="module")
def compiled(experiment_db) -> dict[str, str]:
    return compile_queries(QUERIES, experiment_db)


def test_overall_and_per_segment_against_scipy(experiment_db, compiled):
    rows = fetch(experiment_db, compiled["by_segment"])
    assert list(rows[0]) == COLUMNS
    segments = ["All", "Leaky bucket", "Need attention", "Stars", "Unknown"]
    assert [row["segment"] for row in rows] == segments
    for row in rows:
        segment = None if row["segment"] == "All" else row["segment"]
        totals = counts(EXPERIMENT, segment)
        assert (row["control_variant"], row["treatment_variant"]) == ("A", "B")
        assert_matches(row, expected(totals["A"], totals["B"]))
    overall = rows[0]
    assert (overall["control_customers"], overall["control_conversions"]) == (1000, 100)
    assert (overall["treatment_customers"], overall["treatment_conversions"]) == (
        1000,
        130,
    )
    assert overall["p_value"] == pytest.approx(0.0354884504664747, rel=1e-12)


def test_swapped_variants_boolean_flags_and_confidence(experiment_db, compiled):
    (row,) = fetch(experiment_db, compiled["overall_swapped"])
    assert (row["segment"], row["control_variant"], row["treatment_variant"]) == (
        "All",
        "B",
        "A",
    )
    totals = counts(EXPERIMENT)
    assert_matches(row, expected(totals["B"], totals["A"], confidence=0.99))


def test_undefined_statistics_are_null_and_tails_stay_accurate(experiment_db, compiled):
    rows = {row["segment"]: row for row in fetch(experiment_db, compiled["edge"])}
    for segment in ["Zero control rate", "No treatment", "No conversions", "Tiny p"]:
        totals = counts(EDGE_EXPERIMENT, segment)
        assert_matches(rows[segment], expected(totals["A"], totals["B"]))
    assert rows["Zero control rate"]["relative_lift"] is None
    assert rows["No treatment"]["p_value"] is None
    assert rows["No conversions"]["z_statistic"] is None
    assert rows["No conversions"]["lift_ci_lower"] == 0.0
    assert 1e-60 < rows["Tiny p"]["p_value"] < 1e-50


def test_segments_default_to_the_customers_model(experiment_db, compiled):
    assert '"experiments"."main"."customers"' in compiled["default_segments"]
    rows = fetch(experiment_db, compiled["default_segments"])
    # customers holds ids 1 to 1900: the experiment's last 100 (50 A, 50 B) are Unknown
    by_segment = {row["segment"]: row for row in rows}
    assert [row["segment"] for row in rows] == ["All", *sorted(SEGMENT_NAMES), "Unknown"]
    assert by_segment["Unknown"]["control_customers"] == 50
    assert by_segment["Unknown"]["treatment_customers"] == 50
    assert sum(row["control_customers"] for row in rows[1:]) == 1000
    assert sum(row["treatment_conversions"] for row in rows[1:]) == 130


def test_database_macros(experiment_db, compiled):
    overall = fetch(
        experiment_db,
        compiled["database_macros"]
        + "select * from ab_test_overall('experiment', 'A', 'B')",
    )
    assert overall == fetch(experiment_db, compiled["by_segment"])[:1]
    swapped = fetch(
        experiment_db,
        "select * from ab_test_overall('experiment_flags', 'B', 'A', confidence := 0.99)",
    )
    assert swapped == fetch(experiment_db, compiled["overall_swapped"])
    (row,) = fetch(
        experiment_db, "select normal_cdf(-3.0) as cdf, normal_quantile(0.025) as z"
    )
    assert row["cdf"] == pytest.approx(norm.cdf(-3.0), rel=1e-14)
    assert row["z"] == pytest.approx(norm.ppf(0.025), rel=1e-14)


def test_example_analysis_compiles_to_runnable_sql(experiment_db):
    run_dbt("compile", experiment_db, select="ab_test_example")
    path = (
        experiment_db.parent
        / f"dbt_{experiment_db.stem}"
        / "target/compiled/customer_personality/analyses/ab_test_example.sql"
    )
    rows = fetch(experiment_db, path.read_text())
    assert list(rows[0]) == [*COLUMNS, "customers_needed_per_variant"]
    assert [row["segment"] for row in rows] == ["All", *sorted(SEGMENT_NAMES)]
    split = fetch(
        experiment_db,
        "select segment, hash(customer_id) % 2 = 0 as is_control, count(*) as customers, "
        "sum(accepted_last_campaign) as conversions from customers group by all",
    )
    for row in rows:
        groups = [g for g in split if row["segment"] in ("All", g["segment"])]
        control = [g for g in groups if g["is_control"]]
        treatment = [g for g in groups if not g["is_control"]]
        assert_matches(
            row,
            expected(
                (
                    sum(g["customers"] for g in control),
                    sum(g["conversions"] for g in control),
                ),
                (
                    sum(g["customers"] for g in treatment),
                    sum(g["conversions"] for g in treatment),
                ),
            ),
        )
        assert row["customers_needed_per_variant"] == sample_size(
            row["control_conversion_rate"], 0.2
        )
    assert rows[0]["control_customers"] + rows[0]["treatment_customers"] == 1900


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("ab_test_results('experiment', confidence=95)", "confidence must be a number"),
        ("ab_test_results('experiment', treatment='A')", "are the same variant: A"),
        ("ab_test_results('experiment', by_segment='yes')", "by_segment must be true"),
        ("ab_test_results(none)", "relation is required"),
        ("ab_sample_size(1.5, 0.2)", "baseline_rate must be between 0 and 1"),
        ("ab_sample_size(0.1, 0.2, power=80)", "power must be between 0 and 1"),
        ("ab_sample_size(0.1, 0)", "minimum_detectable_lift must not be 0"),
        ("ab_sample_size(0.6, 1.0)", r"rate to detect, 1.2, is outside \(0, 1\)"),
    ],
)
def test_bad_arguments_fail_compilation(experiment_db, compiled, call, message):
    success, output = compile_inline("select {{ " + call + " }}", experiment_db)
    assert not success
    assert re.search(message, output), output
