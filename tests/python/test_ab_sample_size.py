"""The sample size macro ab_sample_size and the normal distribution in SQL it rests on
(normal_cdf, normal_quantile, macros/experiments) agree with scipy: the distribution
to 1e-13 over its whole range, the sample sizes exactly. (ab_test_results:
test_ab_test_results.)"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pytest
from scipy.stats import norm

from helpers.experiments import compile_queries, fetch, sample_size

pytestmark = pytest.mark.build

# (baseline_rate, minimum_detectable_lift, alpha, power, relative)
SAMPLE_SIZE_CASES = [
    (0.10, 0.2, 0.05, 0.8, True),
    (0.05, 0.01, 0.05, 0.9, False),
    (0.30, -0.1, 0.01, 0.8, True),
    (0.50, 0.05, 0.10, 0.95, False),
    (0.02, 0.5, 0.05, 0.8, True),
]

# What the tests run, compiled by one dbt invocation (each costs seconds).
QUERIES = {
    "normal_cdf": (
        "select x, {{ normal_cdf('x') }} as cdf, {{ normal_cdf('-x') }} as sf from grid"
    ),
    "normal_quantile": "select p, {{ normal_quantile('p') }} as z from probabilities",
    "sample_sizes": "select "
    + ", ".join(
        f"{{{{ ab_sample_size({p}, {lift}, alpha={a}, power={b}, "
        f"relative={str(relative).lower()}) }}}} as case_{i}"
        for i, (p, lift, a, b, relative) in enumerate(SAMPLE_SIZE_CASES)
    ),
    "sample_size_column": (
        "select baseline, {{ ab_sample_size('baseline', 0.2) }} as customers "
        "from (values (1, 0.1), (2, 0.0), (3, 0.9), (4, null)) as rates(i, baseline) "
        "order by i"
    ),
}


@pytest.fixture(scope="module")
def experiment_db(tmp_path_factory) -> Path:
    """A DuckDB file for dbt to compile against, in which the compiled SQL runs."""
    return tmp_path_factory.mktemp("sample_size") / "experiments.duckdb"


@pytest.fixture(scope="module")
def compiled(experiment_db) -> dict[str, str]:
    return compile_queries(QUERIES, experiment_db)


def test_normal_distribution_against_scipy(experiment_db, compiled):
    x = np.concatenate([np.linspace(-37.0, 37.0, 20001), [0.46875, 4.0, 26.6, 1e-300]])
    p = np.concatenate(
        [np.linspace(1e-6, 1 - 1e-6, 20001), np.logspace(-300, -7, 500), [0.975, 0.5]]
    )
    with duckdb.connect(":memory:") as con:
        con.execute("create table grid as select unnest($1::double[]) as x", [x.tolist()])
        con.execute(
            "create table probabilities as select unnest($1::double[]) as p",
            [p.tolist()],
        )
        cdf = con.execute(compiled["normal_cdf"]).fetchnumpy()
        quantile = con.execute(compiled["normal_quantile"]).fetchnumpy()
        con.execute(
            "create or replace table probabilities as "
            "select * from (values (0.0), (1.0), (-0.5), (null)) as outside(p)"
        )
        outside = con.execute(compiled["normal_quantile"]).fetchall()
    assert cdf["cdf"] == pytest.approx(norm.cdf(cdf["x"]), rel=1e-13, abs=3e-16)
    assert cdf["sf"] == pytest.approx(norm.sf(cdf["x"]), rel=1e-13, abs=3e-16)
    assert quantile["z"] == pytest.approx(norm.ppf(quantile["p"]), rel=1e-14, abs=1e-16)
    assert [z for _, z in outside] == [None] * 4


def test_sample_size_against_the_formula(experiment_db, compiled):
    (row,) = fetch(experiment_db, compiled["sample_sizes"])
    for i, case in enumerate(SAMPLE_SIZE_CASES):
        assert row[f"case_{i}"] == sample_size(*case), case
    assert row["case_0"] == 3841
    column = fetch(experiment_db, compiled["sample_size_column"])
    assert [r["customers"] for r in column] == [3841, None, None, None]
