"""Segments and rules as the build makes them: named, deterministic, scorable in SQL."""

from __future__ import annotations

import numpy as np
import pandas as pd

from conftest import connect, query, run_dbt, scalar, seed_segment_definitions
from customer_personality.rules import mine_itemsets
from customer_personality.segments import fit_segments, score_from_model

SEGMENTS = ["Stars", "High potential", "Leaky bucket", "Need attention"]


def frame(db_path, sql: str) -> pd.DataFrame:
    with connect(db_path) as con:
        return con.execute(sql).df()


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


def test_two_builds_give_identical_tables(sample_db, tmp_path):
    second = tmp_path / "again.duckdb"
    run_dbt("build", second, tests=False)
    tables = ["customer_segments", "segment_model", "segment_stability"]
    tables += ["customer_projection", "cluster_evaluation", "customer_clusters"]
    orders = {"segment_model": "1, 2, 3, 4, 5, 6", "customer_clusters": "1, 2"}
    for table in [*tables, "association_rules", "customers"]:
        order = orders.get(table, "1")
        sql = f"select * from {table} order by {order}"
        assert query(sample_db, sql) == query(second, sql), table


def test_apriori_and_fpgrowth_give_the_same_itemsets_on_the_sample(sample_db):
    with connect(sample_db) as con:
        baskets = con.sql(
            "select customer_id, item from int_basket_items"
        ).to_arrow_table()
    results = {
        algorithm: mine_itemsets(
            baskets["customer_id"], baskets["item"], 0.08, algorithm=algorithm
        )
        for algorithm in ("apriori", "fpgrowth", "bitmask")
    }
    stored = frame(sample_db, "select itemset, customers from frequent_itemsets")

    def key(df):
        pairs = zip(df["itemset"], df["customers"], strict=True)
        return sorted((tuple(items), int(count)) for items, count in pairs)

    assert key(results["apriori"]) == key(results["fpgrowth"]) == key(results["bitmask"])
    assert key(results["apriori"]) == key(stored)


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


def test_score_cli_gives_new_customers_the_warehouse_segments(sample_db, tmp_path):
    """`python -m customer_personality score` runs a raw file through the same
    cleaning and the warehouse's score_segment macro: scoring the sample itself gives
    every customer the segment the build gave them, and keeps the rejected rows."""
    import subprocess
    import sys

    from conftest import ROOT, SAMPLE_FILE

    out = tmp_path / "scored.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "customer_personality",
            "score",
            str(SAMPLE_FILE),
            "--out",
            str(out),
            "--db",
            str(sample_db),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    scored = pd.read_csv(out)
    built = frame(sample_db, "select customer_id, segment from customers")
    merged = built.merge(scored, on="customer_id", suffixes=("", "_scored"))
    assert len(merged) == len(built) == len(scored)
    assert (merged["segment"] == merged["segment_scored"]).all()
    rejected = pd.read_csv(tmp_path / "scored.rejected.csv")
    assert len(rejected) == scalar(sample_db, "select count(*) from rejected_customers")

    missing = subprocess.run(
        [sys.executable, "-m", "customer_personality", "score", str(SAMPLE_FILE)]
        + ["--out", str(out), "--db", str(tmp_path / "none.duckdb")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2
    assert "no warehouse at" in missing.stderr
