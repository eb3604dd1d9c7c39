"""Tests for the named GMM segments and their SQL-scorable model table."""

from __future__ import annotations

import itertools

import duckdb
import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from customer_personality.segments import (
    SEGMENT_NAMES,
    fit_segments,
    name_components,
    probability_column,
    score_from_model,
)

FEATURES = ("income", "seniority_months", "spending")
PROBABILITY_COLUMNS = [probability_column(name) for name in SEGMENT_NAMES]

# Standardized means (income, seniority_months, spending) built to match each name.
HAND_MEANS = {
    "Stars": (1.2, 1.0, 1.4),
    "High potential": (1.0, -0.9, 1.1),
    "Leaky bucket": (-0.8, 1.1, -0.9),
    "Need attention": (-1.0, -1.0, -1.0),
}

# Raw-unit centres of four well-separated groups, one per segment name.
GROUP_CENTRES = {
    "Stars": (85_000.0, 30.0, 1_800.0),
    "High potential": (80_000.0, 6.0, 1_500.0),
    "Leaky bucket": (30_000.0, 30.0, 120.0),
    "Need attention": (25_000.0, 6.0, 80.0),
}
GROUP_SPREAD = (2_500.0, 1.5, 40.0)


def make_customers(rows_per_group: int = 400, seed: int = 0) -> pd.DataFrame:
    """Four Gaussian groups in raw units with shuffled ids and the true name."""
    rng = np.random.default_rng(seed)
    blocks = []
    for name, centre in GROUP_CENTRES.items():
        values = rng.normal(centre, GROUP_SPREAD, size=(rows_per_group, 3))
        block = pd.DataFrame(values, columns=list(FEATURES))
        block["truth"] = name
        blocks.append(block)
    data = pd.concat(blocks, ignore_index=True)
    data["spending"] = data["spending"].round().astype(np.int64)
    data.insert(0, "customer_id", rng.permutation(len(data)).astype(np.int64) + 1)
    return data


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return make_customers()


@pytest.fixture(scope="module")
def fitted(customers):
    return fit_segments(customers, random_state=7)


def test_name_components_follows_rule_for_every_component_order():
    names = list(HAND_MEANS)
    means = np.array([HAND_MEANS[name] for name in names])
    for order in itertools.permutations(range(4)):
        order = list(order)
        assert name_components(means[order], FEATURES) == [names[i] for i in order]


def test_name_components_uses_feature_positions_not_column_order():
    features = ("spending", "income", "seniority_months")
    means = np.array([[s, i, t] for i, t, s in HAND_MEANS.values()])
    assert name_components(means, features) == list(HAND_MEANS)


def test_name_components_value_beats_seniority():
    # The most senior component has the lowest value: it is a Leaky bucket, not a Star.
    means = np.array(
        [
            [0.5, -0.2, 0.5],  # value 1.0, the more senior of the high pair
            [0.6, -0.5, 0.6],  # value 1.2
            [-0.4, 3.0, -0.4],  # value -0.8, very senior
            [-0.5, 0.0, -0.5],  # value -1.0
        ]
    )
    assert name_components(means, FEATURES) == [
        "Stars",
        "High potential",
        "Leaky bucket",
        "Need attention",
    ]


def test_name_components_ties_do_not_depend_on_order():
    # Equal value for all; equal seniority within pairs: the means decide, not the index.
    means = np.array(
        [[0.0, 1.0, 0.0], [0.1, 1.0, -0.1], [0.0, -1.0, 0.0], [0.2, -1.0, -0.2]]
    )
    reference = name_components(means, FEATURES)
    assert sorted(reference) == sorted(SEGMENT_NAMES)
    for order in itertools.permutations(range(4)):
        order = list(order)
        assert name_components(means[order], FEATURES) == [reference[i] for i in order]


def test_name_components_other_counts_rank_by_value():
    means = np.array([[0.0, 0.0, 0.0], [2.0, 0.0, 1.0], [-1.0, 5.0, -1.0]])
    assert name_components(means, FEATURES) == ["Segment 2", "Segment 1", "Segment 3"]


def test_name_components_rejects_wrong_shape():
    with pytest.raises(ValueError):
        name_components(np.zeros((4, 2)), FEATURES)


def test_fit_names_groups_built_to_match_each_name(customers, fitted):
    merged = fitted.assignments.merge(customers[["customer_id", "truth"]])
    assert (merged["segment"] == merged["truth"]).mean() > 0.99
    assert fitted.segment_names == SEGMENT_NAMES


def test_assignments_columns_probabilities_and_order(customers, fitted):
    table = fitted.assignments
    assert list(table.columns) == [
        "customer_id",
        "segment",
        "segment_probability",
        *PROBABILITY_COLUMNS,
    ]
    assert len(table) == len(customers)
    assert table["customer_id"].is_monotonic_increasing
    assert table["customer_id"].dtype == np.int64
    assert pd.api.types.is_string_dtype(table["segment"])
    probabilities = table[PROBABILITY_COLUMNS].to_numpy()
    assert probabilities.dtype == np.float64
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=0, atol=1e-9)
    assert ((probabilities >= 0) & (probabilities <= 1)).all()
    best = probabilities.max(axis=1)
    np.testing.assert_array_equal(table["segment_probability"], best)
    winners = np.array(SEGMENT_NAMES)[probabilities.argmax(axis=1)]
    np.testing.assert_array_equal(table["segment"].to_numpy(dtype=object), winners)


def test_fit_is_deterministic_and_ignores_row_order(customers, fitted):
    again = fit_segments(customers, random_state=7)
    assert_frame_equal(fitted.assignments, again.assignments)
    assert_frame_equal(fitted.model, again.model)
    shuffled = customers.sample(frac=1.0, random_state=3)
    reordered = fit_segments(shuffled, random_state=7)
    assert_frame_equal(fitted.assignments, reordered.assignments)
    assert_frame_equal(fitted.model, reordered.model)


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
def test_score_from_model_reproduces_sklearn(customers, covariance_type):
    fit = fit_segments(customers, covariance_type=covariance_type, random_state=1)
    ordered = customers.sort_values("customer_id")
    z = fit.scaler.transform(ordered[list(FEATURES)].to_numpy(np.float64))
    expected = fit.mixture.predict_proba(z)[:, list(fit.component_order)]
    labels, probabilities = score_from_model(fit.model, ordered)
    np.testing.assert_allclose(probabilities, expected, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(
        labels, fit.assignments["segment"].to_numpy(dtype=object)
    )
    sklearn_labels = np.array(fit.segment_names)[
        np.argsort(fit.component_order)[fit.mixture.predict(z)]
    ]
    np.testing.assert_array_equal(labels, sklearn_labels)
    # An array in the order of the 'feature_mean' rows gives the same answer.
    _, from_array = score_from_model(fit.model, ordered[list(FEATURES)].to_numpy())
    np.testing.assert_array_equal(from_array, probabilities)


def test_model_table_is_complete_and_consistent(fitted):
    model = fitted.model
    assert list(model.columns) == [
        "segment",
        "component",
        "parameter",
        "feature",
        "feature_2",
        "value",
        "covariance_type",
        "n_train_rows",
    ]
    assert set(model["parameter"]) == {
        "feature_mean",
        "feature_scale",
        "weight",
        "log_det_precision",
        "mean",
        "mean_unscaled",
        "precision",
        "covariance",
    }
    scaler_rows = model[model["parameter"].isin(["feature_mean", "feature_scale"])]
    assert scaler_rows["segment"].isna().all() and scaler_rows["component"].isna().all()
    weights = model[model["parameter"] == "weight"].sort_values("component")
    assert weights["segment"].tolist() == list(SEGMENT_NAMES)
    assert weights["component"].tolist() == [1, 2, 3, 4]
    assert weights["value"].sum() == pytest.approx(1.0)
    for component in range(1, 5):
        rows = model[model["component"] == component]
        precision, covariance = (
            rows[rows["parameter"] == name]
            .pivot(index="feature", columns="feature_2", values="value")
            .loc[list(FEATURES), list(FEATURES)]
            .to_numpy()
            for name in ("precision", "covariance")
        )
        np.testing.assert_allclose(precision, precision.T, atol=1e-10)
        np.testing.assert_allclose(precision @ covariance, np.eye(3), atol=1e-8)
        log_det = rows.loc[rows["parameter"] == "log_det_precision", "value"].item()
        assert log_det == pytest.approx(np.linalg.slogdet(precision)[1], rel=1e-9)
    assert (model["n_train_rows"] == fitted.n_train_rows).all()
    assert model["covariance_type"].eq("full").all()


SQL_SCORE = """
with

observed as (
    unpivot customers
    on income, seniority_months, spending
    into name feature value raw_value
),

standardized as (
    select
        observed.customer_id,
        observed.feature,
        (observed.raw_value - center.value) / scale.value as z,
    from observed
    inner join model as center
        on center.parameter = 'feature_mean' and center.feature = observed.feature
    inner join model as scale
        on scale.parameter = 'feature_scale' and scale.feature = observed.feature
),

deviations as (
    select
        standardized.customer_id,
        component_mean.component,
        standardized.feature,
        standardized.z - component_mean.value as deviation,
    from standardized
    inner join model as component_mean
        on component_mean.parameter = 'mean'
        and component_mean.feature = standardized.feature
),

quadratic as (
    select
        left_side.customer_id,
        left_side.component,
        sum(left_side.deviation * precision.value * right_side.deviation) as distance,
    from deviations as left_side
    inner join deviations as right_side
        on left_side.customer_id = right_side.customer_id
        and left_side.component = right_side.component
    inner join model as precision
        on precision.parameter = 'precision'
        and precision.component = left_side.component
        and precision.feature = left_side.feature
        and precision.feature_2 = right_side.feature
    group by all
),

log_density as (
    select
        quadratic.customer_id,
        quadratic.component,
        weight.segment,
        ln(weight.value) + 0.5 * log_det.value
            - 3 / 2 * ln(2 * pi()) - 0.5 * quadratic.distance as log_p,
    from quadratic
    inner join model as weight
        on weight.parameter = 'weight' and weight.component = quadratic.component
    inner join model as log_det
        on log_det.parameter = 'log_det_precision'
        and log_det.component = quadratic.component
),

scaled as (
    select
        *,
        exp(log_p - max(log_p) over (partition by customer_id)) as relative,
    from log_density
)

select
    customer_id,
    component,
    segment,
    relative / sum(relative) over (partition by customer_id) as probability,
from scaled
order by customer_id, component
"""


def test_model_table_scores_in_duckdb_sql(customers, fitted):
    connection = duckdb.connect()
    connection.register("model", fitted.model)
    connection.register("customers", customers[["customer_id", *FEATURES]])
    scored = connection.sql(SQL_SCORE).df()
    wide = scored.pivot(index="customer_id", columns="component", values="probability")
    expected = fitted.assignments.set_index("customer_id")[PROBABILITY_COLUMNS]
    np.testing.assert_allclose(wide.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-9)
    # The table read back from DuckDB, in another row order, scores the same.
    stored = connection.sql("select * from model order by random()").df()
    _, probabilities = score_from_model(stored, customers.sort_values("customer_id"))
    np.testing.assert_allclose(probabilities, expected.to_numpy(), rtol=0, atol=1e-12)


def test_sample_fit_scores_every_row():
    data = make_customers(rows_per_group=1_000, seed=5)
    fit = fit_segments(data, sample_size=500, random_state=3)
    assert fit.n_train_rows == 500 and fit.n_rows == len(data)
    assert (fit.model["n_train_rows"] == 500).all()
    table = fit.assignments
    assert len(table) == len(data) and table["segment"].notna().all()
    assert set(table["customer_id"]) == set(data["customer_id"])
    merged = table.merge(data[["customer_id", "truth"]])
    assert (merged["segment"] == merged["truth"]).mean() > 0.99


def test_other_component_counts_get_ranked_names(customers):
    fit = fit_segments(customers, n_components=3, random_state=0)
    assert fit.segment_names == ("Segment 1", "Segment 2", "Segment 3")
    columns = ["probability_segment_1", "probability_segment_2", "probability_segment_3"]
    assert list(fit.assignments.columns[3:]) == columns
    np.testing.assert_allclose(fit.assignments[columns].sum(axis=1), 1.0, atol=1e-9)


def test_missing_values_are_rejected(customers):
    broken = customers.copy()
    broken.loc[3, "income"] = np.nan
    with pytest.raises(ValueError, match="income"):
        fit_segments(broken)


def test_fit_without_assigning_gives_the_same_model():
    rng = np.random.default_rng(3)
    data = pd.DataFrame(
        {
            "customer_id": np.arange(600),
            "income": rng.normal(50_000, 15_000, 600),
            "seniority_months": rng.uniform(0, 24, 600),
            "spending": rng.gamma(2.0, 300.0, 600),
        }
    )
    full = fit_segments(data)
    model_only = fit_segments(data, assign=False)
    pd.testing.assert_frame_equal(full.model, model_only.model)
    assert len(model_only.assignments) == 0
    assert list(model_only.assignments.columns) == list(full.assignments.columns)
