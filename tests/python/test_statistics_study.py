"""customer_personality.statistics (segment_statistics, education_study, holm_adjust):
the segment statistics table against hand-computed values, scipy and the published
study of the real file (the built mart: test_segment_statistics)."""

from __future__ import annotations

import math
import subprocess
import sys
from itertools import combinations

import duckdb
import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from scipy import stats
from scipy.stats.contingency import association

from conftest import real_file_or_skip, seed_segment_definitions
from customer_personality.statistics import (
    RESULT_COLUMNS,
    education_study,
    holm_adjust,
    segment_statistics,
)
from customer_personality.synthetic.customers import PRODUCTS

SPEND_COLUMNS = list(PRODUCTS)
CAMPAIGN_COLUMNS = [f"AcceptedCmp{i}" for i in range(1, 6)] + ["Response"]
SEGMENTS = list(seed_segment_definitions().names)  # value from high to low
NUMERIC = ["spending", "income", "deal_share", "total_purchases"]
CATEGORICAL = ["education", "has_child"]


def rows_of(result: pd.DataFrame, test: str) -> pd.DataFrame:
    return result[result["test"] == test].reset_index(drop=True)


def customers(rows: int = 3_000, seed: int = 0) -> pd.DataFrame:
    """Customers whose spending, income and purchases rise from 'Need attention' to
    'Stars' (deal share falls), with ties, a few NaN and two categories."""
    rng = np.random.default_rng(seed)
    level = rng.integers(0, 4, rows)
    segment = np.array(SEGMENTS)[3 - level]
    spending = np.round(rng.gamma(2.0, 100.0, rows) * (1 + level))
    income = np.round(rng.normal(30_000 + 10_000 * level, 8_000), -2)
    income[rng.choice(rows, 30, replace=False)] = np.nan
    purchases = rng.poisson(4 + 4 * level).astype(float)
    deals = rng.binomial(purchases.astype(int), 0.5 - 0.1 * level)
    deal_share = np.where(purchases > 0, deals / np.maximum(purchases, 1), 0.0)
    education = rng.choice(["Basic", "2n Cycle", "Graduation", "Master", "PhD"], rows)
    return pd.DataFrame(
        {
            "customer_id": np.arange(1, rows + 1),
            "segment": pd.Series(segment, dtype="str"),
            "spending": spending,
            "income": income,
            "deal_share": deal_share,
            "total_purchases": purchases.astype(np.int64),
            "education": pd.Series(education, dtype="str"),
            "has_child": rng.random(rows) < 0.3 + 0.1 * level,
            "total_campaigns_accepted": rng.poisson(0.2 + 0.2 * level),
        }
    )


def test_holm_on_a_known_vector():
    # Sorted: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 -> max(0.06, 0.04).
    adjusted = holm_adjust([0.01, 0.04, 0.03, 0.005])
    np.testing.assert_allclose(adjusted, [0.03, 0.06, 0.06, 0.02], rtol=1e-12)
    # Capped at 1; NaN stays NaN and is not counted in the family (m = 2).
    capped = holm_adjust([0.5, np.nan, 0.6])
    np.testing.assert_allclose(capped, [1.0, np.nan, 1.0])
    assert holm_adjust([]).size == 0


def test_kruskal_and_pairwise_by_hand():
    # Ranks are the values: R = 6, 15, 24, n = 9, so
    # H = 12 / (9 * 10) * (36 + 225 + 576) / 3 - 3 * 10 = 7.2; epsilon² = H / (n - 1).
    data = pd.DataFrame(
        {"group": ["a"] * 3 + ["b"] * 3 + ["c"] * 3, "x": np.arange(1.0, 10.0)}
    )
    result = segment_statistics(data, "group", numeric=["x"], categorical=[])

    kruskal = rows_of(result, "kruskal_wallis").iloc[0]
    assert kruskal["statistic"] == pytest.approx(7.2, rel=1e-12)
    assert kruskal["p_value"] == pytest.approx(math.exp(-7.2 / 2), rel=1e-12)  # df 2
    assert kruskal["effect_size"] == pytest.approx(0.9, rel=1e-12)
    assert kruskal["effect_size_name"] == "epsilon_squared"
    assert kruskal["degrees_of_freedom"] == 2
    assert kruskal["n"] == 9
    assert bool(kruskal["is_significant"])
    assert pd.isna(kruskal["p_value_adjusted"]) and pd.isna(kruskal["group_a"])

    # Every pair is fully separated: U = 0, exact two-sided p = 2 / C(6, 3) = 0.1,
    # rank-biserial -1; Holm on three equal p-values gives 3 * 0.1 for all.
    pairs = rows_of(result, "mann_whitney")
    assert list(zip(pairs["group_a"], pairs["group_b"], strict=True)) == [
        ("a", "b"),
        ("a", "c"),
        ("b", "c"),
    ]
    np.testing.assert_allclose(pairs["statistic"], 0.0)
    np.testing.assert_allclose(pairs["p_value"], 0.1, rtol=1e-12)
    np.testing.assert_allclose(pairs["p_value_adjusted"], 0.3, rtol=1e-12)
    np.testing.assert_allclose(pairs["effect_size"], -1.0)
    assert (pairs["n"] == 6).all()
    assert not pairs["is_significant"].any()
    assert "rank-biserial = -1.00" in pairs["interpretation"].iloc[0]


def test_chi_square_and_cramers_v_by_hand():
    # Table [[20, 10], [10, 20]]: expected 15 everywhere, chi² = 4 * 5² / 15 = 6.67,
    # with Yates (scipy's default at one degree of freedom) 4 * 4.5² / 15 = 5.4.
    # Cramér's V = sqrt(6.67 / 60) = 1/3.
    data = pd.DataFrame(
        {
            "group": ["A"] * 30 + ["B"] * 30,
            "kind": ["x"] * 20 + ["y"] * 10 + ["x"] * 10 + ["y"] * 20,
        }
    )
    result = segment_statistics(
        data, group_column="group", numeric=[], categorical=["kind"]
    )
    chi = rows_of(result, "chi_square").iloc[0]
    assert chi["statistic"] == pytest.approx(5.4, rel=1e-12)
    assert chi["p_value"] == pytest.approx(stats.chi2.sf(5.4, 1), rel=1e-12)
    assert chi["effect_size"] == pytest.approx(1 / 3, rel=1e-12)
    assert chi["effect_size_name"] == "cramers_v"
    assert chi["degrees_of_freedom"] == 1
    assert chi["n"] == 60
    assert bool(chi["is_significant"])


def test_every_kind_of_row_matches_scipy():
    data = customers()
    result = segment_statistics(
        data, numeric=NUMERIC, categorical=CATEGORICAL, group_order=SEGMENTS
    )
    groups = {name: data[data["segment"] == name] for name in SEGMENTS}

    for row in rows_of(result, "kruskal_wallis").itertuples():
        parts = [part[row.feature].dropna() for part in groups.values()]
        expected = stats.kruskal(*parts)
        n = sum(len(part) for part in parts)
        assert row.statistic == pytest.approx(expected.statistic, rel=1e-12)
        assert row.p_value == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-300)
        epsilon_squared = expected.statistic * (n + 1) / (n**2 - 1)
        assert row.effect_size == pytest.approx(epsilon_squared, rel=1e-12)
        assert row.n == n == data[row.feature].notna().sum()

    pairs = rows_of(result, "mann_whitney")
    assert len(pairs) == len(NUMERIC) * 6
    for feature, family in pairs.groupby("feature", sort=False):
        expected_p = []
        for row, (a, b) in zip(
            family.itertuples(), combinations(SEGMENTS, 2), strict=True
        ):
            x, y = groups[a][feature].dropna(), groups[b][feature].dropna()
            expected = stats.mannwhitneyu(x, y, alternative="two-sided")
            assert (row.group_a, row.group_b) == (a, b)
            assert row.statistic == expected.statistic
            assert row.p_value == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-300)
            rank_biserial = 2 * expected.statistic / (len(x) * len(y)) - 1
            assert row.effect_size == pytest.approx(rank_biserial, rel=1e-12)
            expected_p.append(expected.pvalue)
        np.testing.assert_allclose(
            family["p_value_adjusted"], holm_adjust(expected_p), rtol=1e-9
        )

    for row in rows_of(result, "chi_square").itertuples():
        table = pd.crosstab(data["segment"], data[row.feature]).to_numpy()
        expected = stats.chi2_contingency(table)
        assert row.statistic == pytest.approx(expected.statistic, rel=1e-12)
        assert row.p_value == pytest.approx(expected.pvalue, rel=1e-9)
        assert row.degrees_of_freedom == expected.dof
        assert row.effect_size == pytest.approx(association(table, method="cramer"))

    spearman = rows_of(result, "spearman")
    assert list(zip(spearman["feature"], spearman["feature_2"], strict=True)) == list(
        combinations(NUMERIC, 2)
    )
    for row in spearman.itertuples():
        both = data[[row.feature, row.feature_2]].dropna()
        expected = stats.spearmanr(both[row.feature], both[row.feature_2])
        assert row.statistic == pytest.approx(expected.statistic, rel=1e-9)
        assert row.p_value == pytest.approx(expected.pvalue, rel=1e-6, abs=1e-300)
        assert row.n == len(both) and row.degrees_of_freedom == len(both) - 2

    discount = rows_of(result, "discount_effect")
    assert list(discount["group_a"].drop_duplicates()) == ["All", *SEGMENTS]
    for row in discount.itertuples():
        scope = data if row.group_a == "All" else groups[row.group_a]
        expected = stats.spearmanr(scope["deal_share"], scope[row.feature_2])
        assert row.statistic == pytest.approx(expected.statistic, rel=1e-9)
        assert row.effect_size_name == "spearman_rho"


def test_output_columns_dtypes_order_and_duckdb():
    result = segment_statistics(customers(500), numeric=NUMERIC, categorical=CATEGORICAL)
    assert tuple(result.columns) == RESULT_COLUMNS
    kinds = list(dict.fromkeys(result["test"]))
    assert kinds == [
        "kruskal_wallis",
        "mann_whitney",
        "chi_square",
        "spearman",
        "discount_effect",
        "education_kruskal_wallis",
    ]
    floats = ["statistic", "p_value", "p_value_adjusted", "effect_size"]
    assert (result[[*floats, "degrees_of_freedom"]].dtypes == np.float64).all()
    assert result["n"].dtype == np.int64
    assert result["sampled"].dtype == bool and result["is_significant"].dtype == bool
    text = [c for c in RESULT_COLUMNS if c not in {*floats, "degrees_of_freedom"}]
    text = [c for c in text if c not in {"n", "sampled", "is_significant"}]
    assert all(pd.api.types.is_string_dtype(result[c]) for c in text)
    assert result["interpretation"].notna().all()

    with duckdb.connect() as con:
        con.register("segment_statistics", result)
        described = con.execute("describe segment_statistics").fetchall()
        types = {name: kind for name, kind, *_ in described}
        nulls = con.execute(
            "select count(*) from segment_statistics"
            " where test = 'kruskal_wallis' and group_a is null"
            " and p_value_adjusted is null"
        ).fetchone()[0]
    assert types["test"] == "VARCHAR" and types["n"] == "BIGINT"
    assert types["is_significant"] == "BOOLEAN" and types["p_value"] == "DOUBLE"
    assert nulls == len(NUMERIC)


def test_groups_that_differ_are_significant_and_identical_groups_are_not():
    rng = np.random.default_rng(1)
    shifted = pd.DataFrame(
        {
            "group": np.repeat(["low", "mid", "high"], 200),
            "x": rng.normal(0, 1, 600) + np.repeat([0.0, 3.0, 6.0], 200),
        }
    )
    result = segment_statistics(shifted, "group", numeric=["x"], categorical=[])
    assert result["is_significant"].all()
    assert rows_of(result, "kruskal_wallis")["effect_size"].iloc[0] > 0.7
    assert "differs strongly" in result["interpretation"].iloc[0]

    values = rng.normal(0, 1, 200)
    same = pd.DataFrame(
        {"group": np.repeat(["a", "b", "c"], 200), "x": np.tile(values, 3)}
    )
    result = segment_statistics(same, "group", numeric=["x"], categorical=[])
    kruskal, pairs = rows_of(result, "kruskal_wallis"), rows_of(result, "mann_whitney")
    assert kruskal["statistic"].iloc[0] == pytest.approx(0.0, abs=1e-9)
    assert kruskal["p_value"].iloc[0] == pytest.approx(1.0)
    np.testing.assert_allclose(pairs["effect_size"], 0.0, atol=1e-12)
    assert not result["is_significant"].any()
    assert result["interpretation"].str.startswith("no evidence").all()


def test_undefined_cases_give_nan_not_errors():
    data = pd.DataFrame(
        {
            "group": ["a", "a", "a", "b", "b", "b", "c"],
            "constant": [1.0] * 7,
            "x": [1.0, 2.0, 3.0, 4.0, 5.0, np.nan, 6.0],
            "deal_share": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
            "total_purchases": [5, 4, 3, 2, 1, 0, 1],
            "spending": [10, 20, 30, 40, 50, 60, 70],
            "category": ["u"] * 7,
        }
    )
    result = segment_statistics(
        data, "group", numeric=["constant", "x"], categorical=["category"]
    )
    kruskal = rows_of(result, "kruskal_wallis").set_index("feature")
    assert np.isnan(kruskal.loc["constant", "statistic"])
    assert not kruskal.loc["constant", "is_significant"]
    assert kruskal.loc["x", "n"] == 6  # the NaN is dropped for x only
    assert np.isnan(rows_of(result, "chi_square")["statistic"].iloc[0])
    assert np.isnan(rows_of(result, "spearman")["statistic"].iloc[0])
    discount = rows_of(result, "discount_effect")
    single = discount[discount["group_a"] == "c"]  # one member: rho undefined
    assert single["statistic"].isna().all() and (single["n"] == 1).all()
    assert discount[discount["group_a"] == "All"]["statistic"].notna().all()


def test_sampling_is_seeded_and_independent_of_row_order():
    data = customers(4_000)
    run = dict(numeric=NUMERIC, categorical=CATEGORICAL, max_rows=1_000)
    first = segment_statistics(data, **run)
    assert_frame_equal(first, segment_statistics(data, **run))
    shuffled = data.sample(frac=1.0, random_state=3).reset_index(drop=True)
    assert_frame_equal(first, segment_statistics(shuffled, **run), rtol=1e-12)

    sampled_kinds = {"mann_whitney", "spearman", "discount_effect"}
    is_sampled = first["test"].isin(sampled_kinds)
    assert first.loc[is_sampled, "sampled"].all()
    assert not first.loc[~is_sampled, "sampled"].any()
    spearman = rows_of(first, "spearman")
    assert (spearman["n"] <= 1_000).all() and (spearman["n"] > 950).all()
    assert (rows_of(first, "kruskal_wallis")["n"] > 3_900).all()

    other = segment_statistics(data, **run, random_state=7)
    assert not np.allclose(
        rows_of(first, "mann_whitney")["statistic"],
        rows_of(other, "mann_whitney")["statistic"],
    )
    everything = rows_of(first, "kruskal_wallis")
    assert_frame_equal(everything, rows_of(other, "kruskal_wallis"))


def test_missing_columns_are_reported():
    with pytest.raises(KeyError, match="not_there"):
        segment_statistics(customers(50), numeric=["not_there"], categorical=[])


def test_education_study_uses_known_order_and_all_rows():
    data = customers(600)
    study = education_study(data)
    assert list(study["feature"]) == ["spending", "total_campaigns_accepted"]
    assert (study["test"] == "education_kruskal_wallis").all()
    assert (study["grouping"] == "education").all()
    levels = ["Basic", "2n Cycle", "Graduation", "Master", "PhD"]
    expected = stats.kruskal(
        *[data.loc[data["education"] == e, "spending"] for e in levels]
    )
    assert study["statistic"].iloc[0] == pytest.approx(expected.statistic, rel=1e-12)
    assert (study["n"] == 600).all() and (study["degrees_of_freedom"] == 4).all()


def test_education_study_reproduces_the_published_figures():
    raw = pd.read_csv(real_file_or_skip(), sep="\t")
    data = pd.DataFrame(
        {
            "education": raw["Education"],
            "spending": raw[SPEND_COLUMNS].sum(axis=1),
            "total_campaigns_accepted": raw[CAMPAIGN_COLUMNS].sum(axis=1),
        }
    )
    study = education_study(data).set_index("feature")
    assert len(raw) == 2_240 and (study["n"] == 2_240).all()
    assert round(study.loc["spending", "statistic"], 2) == 71.02
    assert study.loc["spending", "p_value"] < 0.001
    assert round(study.loc["total_campaigns_accepted", "statistic"], 2) == 16.41
    assert round(study.loc["total_campaigns_accepted", "p_value"], 4) == 0.0025


def test_the_module_does_not_import_dbt():
    code = (
        "import sys, customer_personality.statistics\n"
        "assert not [m for m in sys.modules if m == 'dbt' or m.startswith('dbt.')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
