"""customer_segments as built: each customer in its most probable segment, the sizes
segment_profiles reports, names given by segment_definitions' rule, and the scoring
macros giving what the package's scorer gives, in a read-only session."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import connect, query
from customer_personality.segments import score_from_model


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
