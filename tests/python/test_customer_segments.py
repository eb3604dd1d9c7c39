"""customer_segments as built: every customer in one named segment, its most probable,
the sizes segment_profiles reports, names given by segment_definitions' rule, the
scoring macros giving what the package's scorer gives (in a read-only session too),
and two builds giving the same segments, on the sample and the real file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import connect, query, run_dbt, scalar, seed_segment_definitions
from customer_personality.segments import fit_segments, score_from_model

pytestmark = pytest.mark.build

SEGMENTS = ["Stars", "High potential", "Leaky bucket", "Need attention"]


def frame(db_path, sql: str) -> pd.DataFrame:
    with connect(db_path) as con:
        return con.execute(sql).df()


def definitions(db_path) -> pd.DataFrame:
    """segment_definitions in segment order, with each segment's probability column."""
    seed = frame(db_path, "select * from segment_definitions order by segment_order")
    seed["column"] = "probability_" + seed["segment"].str.lower().str.replace(" ", "_")
    return seed


@pytest.fixture(params=["sample_db", "real_db"])
def warehouse(request):
    return request.getfixturevalue(request.param)


def test_each_customer_is_in_its_most_probable_segment(warehouse):
    columns = list(definitions(warehouse)["column"])
    names = list(definitions(warehouse)["segment"])
    segments = frame(warehouse, "select * from customer_segments order by customer_id")
    probabilities = segments[columns].to_numpy()
    assert len(segments) == len(frame(warehouse, "select customer_id from customers"))
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-9)
    most_probable = [names[i] for i in probabilities.argmax(axis=1)]
    assert (segments["segment"] == most_probable).all()
    assert np.array_equal(segments["segment_probability"], probabilities.max(axis=1))


def test_segment_sizes_are_the_profiles_counts(warehouse):
    counts = "select segment, count(*) from {} group by 1"
    built = dict(query(warehouse, counts.format("customer_segments")))
    profiles = dict(
        query(
            warehouse,
            "select segment, customers from segment_profiles",
        )
    )
    in_customers = dict(query(warehouse, counts.format("customers")))
    assert set(built) == set(definitions(warehouse)["segment"])
    assert built == profiles == in_customers
    assert min(built.values()) > 0.05 * sum(built.values())


def test_segment_names_follow_the_seed_rule(warehouse):
    """segment_definitions: the two 'high' value_tier segments have the higher mean of
    standardized income + spending; in each tier, seniority_rank 1 is the segment of
    the longer mean seniority."""
    means = frame(
        warehouse,
        "with standardized as (select segment, seniority_months, "
        "(income - avg(income) over ()) / stddev_pop(income) over () "
        "+ (spending - avg(spending) over ()) / stddev_pop(spending) over () as value "
        "from customers) select segment, avg(value) as value, "
        "avg(seniority_months) as seniority from standardized group by 1",
    ).merge(definitions(warehouse), on="segment", validate="one_to_one")
    assert len(means) == 4
    high = means[means["value_tier"] == "high"]
    low = means[means["value_tier"] == "low"]
    assert len(high) == len(low) == 2
    assert high["value"].min() > low["value"].max()
    for tier in (high, low):
        ordered = tier.sort_values("seniority_rank")
        assert list(ordered["seniority_rank"]) == [1, 2]
        assert ordered["seniority"].iloc[0] > ordered["seniority"].iloc[1]


@pytest.mark.parametrize(
    ("income", "seniority_months", "spending", "expected"),
    [
        (90000, 20, 1500, "Stars"),
        (90000, 3, 1500, "High potential"),
        (25000, 20, 60, "Leaky bucket"),
        (25000, 3, 60, "Need attention"),
    ],
)
def test_scoring_macros_work_read_only(
    sample_db, income, seniority_months, spending, expected
):
    """In a read-only session the macros give an obvious customer of each segment its
    name, the segment of its highest posterior, and the package's scores."""
    call = f"({income}, {seniority_months}, {spending})"
    with connect(sample_db) as con:
        segment = con.execute(f"select score_segment{call}").fetchone()[0]
        listed = con.execute(f"select segment_probability_list{call}").fetchone()[0]
        named = con.execute(f"select segment_probabilities{call}").fetchone()[0]
    model = frame(sample_db, "select * from segment_model")
    point = pd.DataFrame(
        {
            "customer_id": [1],
            "income": [float(income)],
            "seniority_months": [float(seniority_months)],
            "spending": [float(spending)],
        }
    )
    labels, probabilities = score_from_model(model, point)
    names = list(definitions(sample_db)["segment"])
    assert segment == expected == labels[0]
    assert names[int(np.argmax(listed))] == segment
    assert np.allclose(listed, probabilities[0], rtol=0, atol=1e-12)
    columns = [name.lower().replace(" ", "_") for name in names]
    assert [named[column] for column in columns] == listed


def test_every_customer_has_one_named_segment(sample_db):
    counts = dict(query(sample_db, "select segment, count(*) from customers group by 1"))
    assert set(counts) == set(SEGMENTS)
    assert sum(counts.values()) == scalar(sample_db, "select count(*) from customers")
    assert scalar(sample_db, "select count(*) from customer_segments") == sum(
        counts.values()
    )


def test_sql_scoring_agrees_with_python_on_every_customer(sample_db):
    """score_segment (SQL macro from segment_model alone) = the package's scorer = the
    mixture refitted by the package on the same data, for every customer."""
    model = frame(sample_db, "select * from segment_model")
    data = frame(
        sample_db,
        "select customer_id, income, seniority_months, spending, segment, "
        "score_segment(income, seniority_months, spending) as sql_segment "
        "from customers order by customer_id",
    )
    labels, probabilities = score_from_model(model, data)
    assert (data["sql_segment"] == data["segment"]).all()
    assert (labels == data["segment"].to_numpy()).all()
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    features = data[["customer_id", "income", "seniority_months", "spending"]]
    refit = fit_segments(features, seed_segment_definitions())
    merged = data.merge(refit.assignments, on="customer_id", suffixes=("", "_python"))
    assert len(merged) == len(data)
    assert (merged["segment"] == merged["segment_python"]).all()


def test_probability_macros_match_the_table(sample_db):
    rows = query(
        sample_db,
        "select count(*) from customers join customer_segments using (customer_id) "
        "where abs(segment_probabilities(income, seniority_months, spending).stars "
        "- probability_stars) > 1e-9",
    )
    assert rows == [(0,)]


def test_two_builds_give_identical_tables(sample_db, sample_db_again):
    tables = ["customer_segments", "segment_model", "segment_stability"]
    tables += ["customer_projection", "cluster_evaluation", "customer_clusters"]
    orders = {"segment_model": "1, 2, 3, 4, 5, 6", "customer_clusters": "1, 2"}
    for table in [*tables, "association_rules", "customers"]:
        order = orders.get(table, "1")
        sql = f"select * from {table} order by {order}"
        assert query(sample_db, sql) == query(sample_db_again, sql), table


def test_real_file_segments_rules_and_determinism(real_db, tmp_path):
    shares = dict(
        query(
            real_db,
            "select segment, count(*) / sum(count(*)) over () from customers group by 1",
        )
    )
    assert set(shares) == set(SEGMENTS)
    assert min(shares.values()) >= 0.05, shares
    wine_rules = scalar(
        real_db,
        "select count(*) from association_rules "
        "where consequents = ['wines_segment=Biggest consumer']",
    )
    assert wine_rules > 0
    assert scalar(real_db, "select count(*) from product_consumer_rules") == wine_rules
    mismatches = scalar(
        real_db,
        "select count(*) from customers "
        "where score_segment(income, seniority_months, spending) != segment",
    )
    assert mismatches == 0
    from conftest import REAL_FILE

    again = tmp_path / "real_again.duckdb"
    run_dbt(
        "build",
        again,
        {"raw_customers_path": str(REAL_FILE)},
        select="+customer_segments",
        tests=False,
    )
    sql = "select * from customer_segments order by customer_id"
    assert query(real_db, sql) == query(again, sql)
