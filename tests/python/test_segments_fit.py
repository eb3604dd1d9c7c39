"""customer_personality.segments.fit: the named GMM segments fitted, and the SQL-scorable
model table they come with (segments.model_table)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from customer_personality.segments import (
    DEFAULT_METHOD,
    MODEL_COLUMNS,
    SEGMENT_METHODS,
    fit_segments,
    probability_column,
    score_from_model,
)
from helpers.segments import (
    DEFINITIONS,
    FEATURES,
    SEGMENT_NAMES,
    make_customers,
    unstructured_customers,
)

PROBABILITY_COLUMNS = [probability_column(name) for name in SEGMENT_NAMES]


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
    again = fit_segments(customers, DEFINITIONS, random_state=7)
    assert_frame_equal(fitted.assignments, again.assignments)
    assert_frame_equal(fitted.model, again.model)
    shuffled = customers.sample(frac=1.0, random_state=3)
    reordered = fit_segments(shuffled, DEFINITIONS, random_state=7)
    assert_frame_equal(fitted.assignments, reordered.assignments)
    assert_frame_equal(fitted.model, reordered.model)


@pytest.mark.parametrize("method", sorted(SEGMENT_METHODS))
def test_score_from_model_reproduces_sklearn(customers, method):
    """The model table alone (every preparation step and the mixture) scores as the
    fitted sklearn estimator does, for every segment method."""
    fit = fit_segments(customers, DEFINITIONS, method=method, random_state=1)
    ordered = customers.sort_values("customer_id")
    prepared = fit.fitted.preparation.transform(
        ordered[list(FEATURES)].to_numpy(np.float64)
    )
    mixture = fit.fitted.mixture
    expected = mixture.predict_proba(prepared)[:, list(fit.component_order)]
    labels, probabilities = score_from_model(fit.model, ordered)
    np.testing.assert_allclose(probabilities, expected, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(
        labels, fit.assignments["segment"].to_numpy(dtype=object)
    )
    sklearn_labels = np.array(fit.segment_names)[
        np.argsort(fit.component_order)[mixture.predict(prepared)]
    ]
    np.testing.assert_array_equal(labels, sklearn_labels)
    # An array in the order of the 'feature_mean' rows gives the same answer.
    _, from_array = score_from_model(fit.model, ordered[list(FEATURES)].to_numpy())
    np.testing.assert_array_equal(from_array, probabilities)


def test_model_table_is_complete_and_consistent(customers, fitted):
    model = fitted.model
    assert list(model.columns) == list(MODEL_COLUMNS)
    assert set(model["parameter"]) == {
        "clip_lower",
        "clip_upper",
        "feature_mean",
        "feature_scale",
        "projection",
        "normalize",
        "weight",
        "log_det_precision",
        "mean",
        "mean_unscaled",
        "precision",
        "covariance",
    }
    preparation = model[model["component"].isna()]
    assert preparation["segment"].isna().all()
    # Winsorizing bounds are the 1% and 99% quantiles of the training rows.
    values = customers[list(FEATURES)].to_numpy(np.float64)
    bounds = model[model["parameter"] == "clip_lower"].set_index("feature")["value"]
    np.testing.assert_allclose(
        bounds.loc[list(FEATURES)], np.quantile(values, 0.01, axis=0), rtol=1e-12
    )
    projection = model[model["parameter"] == "projection"]
    assert sorted(zip(projection["feature"], projection["feature_2"])) == [
        ("seniority", "seniority_months"),
        ("value", "income"),
        ("value", "spending"),
    ]
    weights = model[model["parameter"] == "weight"].sort_values("component")
    assert weights["segment"].tolist() == list(SEGMENT_NAMES)
    assert weights["component"].tolist() == [1, 2, 3, 4]
    assert weights["value"].sum() == pytest.approx(1.0)
    axes = ["value", "seniority"]
    for component in range(1, 5):
        rows = model[model["component"] == component]
        precision, covariance = (
            rows[rows["parameter"] == name]
            .pivot(index="feature", columns="feature_2", values="value")
            .loc[axes, axes]
            .to_numpy()
            for name in ("precision", "covariance")
        )
        np.testing.assert_allclose(precision, precision.T, atol=1e-10)
        np.testing.assert_allclose(precision @ covariance, np.eye(2), atol=1e-8)
        log_det = rows.loc[rows["parameter"] == "log_det_precision", "value"].item()
        assert log_det == pytest.approx(np.linalg.slogdet(precision)[1], rel=1e-9)
        unscaled = rows[rows["parameter"] == "mean_unscaled"].set_index("feature")
        assert list(unscaled.index) == list(FEATURES)
    assert (model["n_train_rows"] == fitted.n_train_rows).all()
    assert model["method"].eq(DEFAULT_METHOD).all()
    assert model["covariance_type"].eq("spherical").all()


def test_model_table_read_back_in_any_row_order_scores_the_same(customers, fitted):
    shuffled = fitted.model.sample(frac=1.0, random_state=4)
    ordered = customers.sort_values("customer_id")
    _, expected = score_from_model(fitted.model, ordered)
    _, probabilities = score_from_model(shuffled, ordered)
    np.testing.assert_array_equal(probabilities, expected)


def test_one_extreme_customer_does_not_move_the_others():
    """Winsorizing: a customer with a thousand times the top income (kept in the fit,
    as when the outlier flag is off) leaves every other customer's segment alone."""
    data = make_customers(rows_per_group=300, seed=11)
    base = fit_segments(data, DEFINITIONS, random_state=2).assignments
    extreme = pd.DataFrame(
        {
            "customer_id": [10**6],
            "income": [1e9],
            "seniority_months": [12.0],
            "spending": [500],
        }
    )
    with_extreme = fit_segments(
        pd.concat([data, extreme]), DEFINITIONS, random_state=2
    ).assignments
    merged = base.merge(with_extreme, on="customer_id", suffixes=("", "_extreme"))
    assert len(merged) == len(data)
    assert (merged["segment"] == merged["segment_extreme"]).all()
    assert with_extreme["segment"].iloc[-1] in ("Stars", "High potential")


def test_unknown_method_and_missing_rule_features_are_named():
    data = make_customers(rows_per_group=50)
    with pytest.raises(ValueError, match="unknown segment_method 'kmeans'.*seeds"):
        fit_segments(data, DEFINITIONS, method="kmeans")
    with pytest.raises(ValueError, match="must include spending"):
        fit_segments(data, DEFINITIONS, features=("income", "seniority_months"))


def test_sample_fit_scores_every_row():
    data = make_customers(rows_per_group=1_000, seed=5)
    fit = fit_segments(data, DEFINITIONS, sample_size=500, random_state=3)
    assert fit.n_train_rows == 500 and fit.n_rows == len(data)
    assert (fit.model["n_train_rows"] == 500).all()
    table = fit.assignments
    assert len(table) == len(data) and table["segment"].notna().all()
    assert set(table["customer_id"]) == set(data["customer_id"])
    merged = table.merge(data[["customer_id", "truth"]])
    assert (merged["segment"] == merged["truth"]).mean() > 0.99


def test_other_component_counts_get_ranked_names(customers):
    fit = fit_segments(customers, DEFINITIONS, n_components=3, random_state=0)
    assert fit.segment_names == ("Segment 1", "Segment 2", "Segment 3")
    columns = ["probability_segment_1", "probability_segment_2", "probability_segment_3"]
    assert list(fit.assignments.columns[3:]) == columns
    np.testing.assert_allclose(fit.assignments[columns].sum(axis=1), 1.0, atol=1e-9)


def test_missing_values_are_rejected(customers):
    broken = customers.copy()
    broken.loc[3, "income"] = np.nan
    with pytest.raises(ValueError, match="income"):
        fit_segments(broken, DEFINITIONS)


def test_fit_without_assigning_gives_the_same_model():
    data = unstructured_customers(600, seed=3)
    full = fit_segments(data, DEFINITIONS)
    model_only = fit_segments(data, DEFINITIONS, assign=False)
    pd.testing.assert_frame_equal(full.model, model_only.model)
    assert len(model_only.assignments) == 0
    assert list(model_only.assignments.columns) == list(full.assignments.columns)
