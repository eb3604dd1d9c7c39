"""Segments that hold: stability in the warehouse, outliers named, and the targets of
the segment method on the real file (skipped without it) and at a million customers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from conftest import (
    connect,
    query,
    real_file_or_skip,
    run_dbt,
    scalar,
    seed_segment_definitions,
    seeded_order,
)
from customer_personality.segments import (
    fit_segments,
    score_from_model,
    segment_stability,
)

pytestmark = pytest.mark.build

DEFINITIONS = seed_segment_definitions()
SEGMENT_NAMES = DEFINITIONS.names
KEEP_EXTREME = {"income_max": 1e12}
KEEP_ALL = {"missing_income": "impute", "income_max": 1e12, "max_age": 1000}


def frame(db, sql: str) -> pd.DataFrame:
    with connect(db) as con:
        return con.execute(sql).df()


def segments(db) -> pd.Series:
    table = frame(db, "select customer_id, segment from customer_segments")
    return table.set_index("customer_id")["segment"]


def real_build(factory, name: str, variables: dict):
    """The real file built with `variables`; every model and test must pass."""
    real = real_file_or_skip()
    db = factory.mktemp(name) / "warehouse.duckdb"
    run_dbt("build", db, {"raw_customers_path": str(real), **variables})
    return db


@pytest.fixture(scope="module")
def extreme_db(tmp_path_factory):
    """The real file with the 666,666 income kept."""
    return real_build(tmp_path_factory, "extreme", KEEP_EXTREME)


@pytest.fixture(scope="module")
def all_rows_db(tmp_path_factory):
    """The real file with every row kept."""
    return real_build(tmp_path_factory, "all_rows", KEEP_ALL)


def test_sample_build_stability_mart_is_the_package_bootstrap(sample_db):
    """The mart holds the clusterwise bootstrap of the build's own model: the package
    run on the warehouse's training customers gives the same figures."""
    mart = frame(sample_db, "select * from segment_stability order by component")
    assert list(mart["segment"]) == list(SEGMENT_NAMES)
    training = frame(sample_db, "select * from int_segment_training")
    model = frame(sample_db, "select * from segment_model")
    assert (mart["n_customers"] == min(len(training), 5_000)).all()
    assert (mart["n_resamples"] == 20).all()
    expected = segment_stability(
        training, model, DEFINITIONS, n_resamples=20, sample_size=5_000
    )
    for column in ("share", "jaccard_mean", "jaccard_min", "ari_median", "ari_min"):
        np.testing.assert_allclose(mart[column], expected[column], rtol=0, atol=1e-12)
    counts = frame(
        sample_db,
        "select segment, count(*) / sum(count(*)) over () as share "
        "from customer_segments join int_segment_training using (customer_id) "
        "group by 1",
    ).set_index("segment")["share"]
    np.testing.assert_allclose(
        mart.set_index("segment")["share"], counts.reindex(mart["segment"]), atol=1e-12
    )


def test_real_file_segments_are_stable_under_resampling(real_db):
    mart = frame(real_db, "select * from segment_stability order by component")
    assert mart["ari_median"].iloc[0] >= 0.95
    assert mart["ari_min"].iloc[0] >= 0.90
    assert (mart["jaccard_mean"] >= 0.9).all()
    assert set(mart["model_reading"]) == {"highly stable"}
    assert (mart["n_customers"] == 2_212).all()
    shares = frame(
        real_db, "select segment, count(*) / 2212 as share from customers group by 1"
    )
    assert len(shares) == 4 and shares["share"].min() >= 0.05


def test_one_extreme_customer_is_flagged_and_moves_nobody(real_db, extreme_db):
    """income_max 1e12 keeps the 666,666 income: it is named an outlier, left out of
    the fit and scored; at least 99% of the 2,212 others keep their segment."""
    flagged = query(
        extreme_db,
        "select income, outlier_reason, segment from customers where is_outlier",
    )
    assert flagged == [(666666.0, "income_above_fence", flagged[0][2])]
    assert flagged[0][2] in SEGMENT_NAMES
    default, extreme = segments(real_db), segments(extreme_db)
    assert len(extreme) == len(default) + 1
    kept = (extreme.reindex(default.index) == default).mean()
    assert kept >= 0.99
    shares = extreme.value_counts(normalize=True)
    assert set(shares.index) == set(SEGMENT_NAMES) and shares.min() >= 0.05
    training = scalar(extreme_db, "select count(*) from int_segment_training")
    assert training == len(default)


def test_every_row_kept_still_gives_four_real_segments(all_rows_db):
    """missing_income impute, income_max 1e12, max_age 1000: all 2,240 rows are
    customers, every segment holds at least 5%, and the build (fixture) passed every
    test, assert_segment_order included."""
    shares = segments(all_rows_db).value_counts(normalize=True)
    assert shares.sum() == pytest.approx(1.0)
    assert scalar(all_rows_db, "select count(*) from customers") == 2_240
    assert set(shares.index) == set(SEGMENT_NAMES) and shares.min() >= 0.05


def test_a_million_customers_sample_fit_agrees_with_four_times_the_sample(tmp_path):
    """The default 100,000-customer sample fit labels 1M generated customers as a fit
    on 400,000 does (ARI >= 0.98)."""
    import subprocess
    import sys

    raw = tmp_path / "1m.csv"
    subprocess.run(
        [sys.executable, "-m", "customer_personality", "generate", "--rows", "1000000"]
        + ["--out", str(raw), "--seed", "7"],
        check=True,
        capture_output=True,
    )
    db = tmp_path / "1m.duckdb"
    run_dbt(
        "build",
        db,
        {"raw_customers_path": str(raw)},
        "+int_segment_training",
        tests=False,
    )
    training = frame(db, "select * from int_segment_training")
    assert len(training) > 900_000
    small = fit_segments(training, DEFINITIONS, sample_size=100_000, assign=False)
    large = fit_segments(training, DEFINITIONS, sample_size=400_000, assign=False)
    first, _ = score_from_model(small.model, training)
    second, _ = score_from_model(large.model, training)
    assert adjusted_rand_score(first, second) >= 0.98
    assert pd.Series(first).value_counts(normalize=True).min() >= 0.05


def test_segment_model_fits_on_the_sql_sample_only(tmp_path):
    """segment_sample_size 500: the model sees the 500 customers the seeded_sample
    macro draws (an md5 of customer_id and random_seed), and scores everyone."""
    db = tmp_path / "small_sample.duckdb"
    run_dbt(
        "build",
        db,
        {"segment_sample_size": 500},
        "+customer_segments segment_model",
        tests=False,
    )
    assert scalar(db, "select distinct n_train_rows from segment_model") == 500
    drawn = query(
        db,
        "select customer_id from int_segment_training "
        f"order by {seeded_order('customer_id', 42)} limit 500",
    )
    assert sorted(query(db, "select customer_id from int_segment_sample")) == sorted(
        drawn
    )
    everyone = scalar(db, "select count(*) from int_customer_features")
    assert scalar(db, "select count(*) from customer_segments") == everyone > 500
