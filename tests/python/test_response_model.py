"""customer_personality.response.model: the logistic regression as a parameter table,
equal to sklearn's, independent of row order, with clear errors and the build's vars;
its Platt calibration (rows calibration_intercept and calibration_slope) fitted on
out-of-fold logits, recovering a known miscalibration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from customer_personality.response import model as response_model
from customer_personality.response.model import (
    CALIBRATION_INTERCEPT,
    CALIBRATION_SLOPE,
    INTERCEPT,
    ResponseConfig,
    cross_validated_logits,
    fit_response_model,
    platt_scaling,
    predict_propensity,
)

CONFIG = ResponseConfig(features=("signal", "noise", "constant"), random_state=0)


def _frame(rows: int = 600, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    signal = rng.normal(size=rows)
    return pd.DataFrame(
        {
            "customer_id": np.arange(rows),
            "signal": 10.0 + 3.0 * signal,
            "noise": rng.normal(size=rows),
            "constant": np.full(rows, 2.0),
            "accepted_last_campaign": (signal + 0.5 * rng.normal(size=rows) > 1.0).astype(
                int
            ),
        }
    )


def test_fit_finds_the_signal_and_equals_sklearn() -> None:
    frame = _frame()
    table = fit_response_model(frame, CONFIG)
    assert list(table["term"]) == [
        INTERCEPT,
        "signal",
        "noise",
        "constant",
        CALIBRATION_INTERCEPT,
        CALIBRATION_SLOPE,
    ]
    terms = table.set_index("term")
    assert terms.loc["signal", "coefficient"] > 2.0
    assert abs(terms.loc["noise", "coefficient"]) < 0.5
    # A constant feature gets scale 1 and a zero coefficient, not a division by zero.
    assert terms.loc["constant", "scale"] == 1.0
    assert terms.loc["constant", "coefficient"] == pytest.approx(0.0, abs=1e-9)
    assert terms.loc["signal", "mean"] == pytest.approx(frame["signal"].mean())
    assert terms.loc["signal", "scale"] == pytest.approx(frame["signal"].std(ddof=0))
    # The table's propensity is sklearn's predict_proba on the standardized matrix.
    matrix = frame[list(CONFIG.features)].to_numpy(dtype=float)
    scale = np.where(matrix.std(0) > 0, matrix.std(0), 1.0)
    reference = LogisticRegression(C=1.0, max_iter=5000, tol=1e-10).fit(
        (matrix - matrix.mean(0)) / scale, frame["accepted_last_campaign"]
    )
    expected = reference.predict_proba((matrix - matrix.mean(0)) / scale)[:, 1]
    np.testing.assert_allclose(predict_propensity(table, frame), expected, atol=1e-9)


def test_fit_does_not_depend_on_row_order() -> None:
    frame = _frame()
    shuffled = frame.sample(frac=1.0, random_state=7)
    pd.testing.assert_frame_equal(
        fit_response_model(frame, CONFIG), fit_response_model(shuffled, CONFIG)
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda frame: frame.drop(columns="noise"), "lacks the column(s) noise"),
        (lambda frame: frame.assign(noise=np.nan), "missing values: noise"),
        (lambda frame: frame.assign(accepted_last_campaign=0), "single value"),
    ],
)
def test_bad_samples_get_clear_errors(change, message) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        fit_response_model(change(_frame()), CONFIG)


def test_from_dbt_reads_the_vars() -> None:
    config = ResponseConfig.from_dbt(
        {
            "response_features": ["a", "b"],
            "response_regularization": "0.5",
            "random_seed": 3,
        }
    )
    assert config == ResponseConfig(
        features=("a", "b"), regularization=0.5, random_state=3
    )


# --------------------------------------------------------------------- calibration


def _simulated_logits(rows: int = 20000, seed: int = 11) -> tuple[np.ndarray, np.ndarray]:
    """True logits and 0/1 outcomes drawn from them: P(y = 1) = sigmoid(true logit)."""
    rng = np.random.default_rng(seed)
    true_logit = -1.0 + 1.5 * rng.normal(size=rows)
    target = (rng.random(rows) < 1.0 / (1.0 + np.exp(-true_logit))).astype(np.int64)
    return true_logit, target


def test_platt_scaling_recovers_a_model_twice_too_confident(monkeypatch) -> None:
    # The model's out-of-fold logits are twice the true ones (too confident): the
    # calibration that makes them honest probabilities is slope 1/2, intercept 0.
    true_logit, target = _simulated_logits()
    monkeypatch.setattr(
        response_model,
        "cross_validated_logits",
        lambda standardized, target, config: 2.0 * true_logit,
    )
    config = ResponseConfig(features=("x",), random_state=0)
    slope, intercept = platt_scaling(true_logit.reshape(-1, 1), target, config)
    assert slope == pytest.approx(0.5, abs=0.03)
    assert intercept == pytest.approx(0.0, abs=0.05)
    # The reference: an unpenalized logistic regression of the outcome on the logit.
    reference = LogisticRegression(C=1e12, max_iter=5000, tol=1e-12).fit(
        (2.0 * true_logit).reshape(-1, 1), target
    )
    assert slope == pytest.approx(reference.coef_[0][0], abs=1e-6)
    assert intercept == pytest.approx(reference.intercept_[0], abs=1e-6)


def test_platt_scaling_of_a_well_specified_model_is_near_identity() -> None:
    # A logistic model fitted on data drawn from a logistic model is calibrated out of
    # fold already: slope about 1, intercept about 0.
    rng = np.random.default_rng(5)
    matrix = rng.normal(size=(4000, 2))
    logit = 0.3 + 1.5 * matrix[:, 0]
    target = (rng.random(4000) < 1.0 / (1.0 + np.exp(-logit))).astype(np.int64)
    slope, intercept = platt_scaling(
        matrix, target, ResponseConfig(features=("a", "b"), random_state=0)
    )
    assert slope == pytest.approx(1.0, abs=0.1)
    assert intercept == pytest.approx(0.0, abs=0.1)


def test_cross_validated_logits_are_out_of_fold() -> None:
    # A row's logit comes from a model fitted without it: flipping the row's own
    # outcome leaves its logit as it was (and moves other folds' rows).
    frame = _frame(rows=300)
    matrix = frame[["signal", "noise"]].to_numpy(dtype=float)
    matrix = (matrix - matrix.mean(0)) / matrix.std(0)
    target = frame["accepted_last_campaign"].to_numpy(dtype=np.int64)
    config = ResponseConfig(features=("signal", "noise"), random_state=0)
    logits = cross_validated_logits(matrix, target, config)
    flipped = target.copy()
    flipped[17] = 1 - flipped[17]
    moved = cross_validated_logits(matrix, flipped, config)
    assert moved[17] == logits[17]
    assert not np.array_equal(moved, logits)


def test_calibration_none_keeps_the_models_own_probabilities() -> None:
    frame = _frame()
    config = ResponseConfig(
        features=("signal", "noise", "constant"), random_state=0, calibration="none"
    )
    table = fit_response_model(frame, config)
    terms = table.set_index("term")["coefficient"]
    assert terms[CALIBRATION_SLOPE] == 1.0
    assert terms[CALIBRATION_INTERCEPT] == 0.0
    np.testing.assert_array_equal(
        predict_propensity(table, frame, calibrated=True),
        predict_propensity(table, frame, calibrated=False),
    )
    # The platt table has the same model terms; only its calibration rows differ.
    platt = fit_response_model(frame, CONFIG)
    pd.testing.assert_frame_equal(platt.iloc[:4], table.iloc[:4])
    assert (
        ResponseConfig.from_dbt(
            {
                "response_features": ["a"],
                "response_regularization": 1,
                "random_seed": 0,
                "response_calibration": "none",
            }
        ).calibration
        == "none"
    )


@pytest.mark.parametrize("calibration", ["isotonic", "Platt", ""])
def test_an_invalid_calibration_names_the_var(calibration) -> None:
    with pytest.raises(ValueError, match="var response_calibration"):
        ResponseConfig(features=("a",), calibration=calibration)


def test_an_invalid_calibration_from_dbt_names_the_var() -> None:
    with pytest.raises(ValueError, match="var response_calibration.*'isotonic'"):
        ResponseConfig.from_dbt(
            {
                "response_features": ["a"],
                "response_regularization": 1,
                "random_seed": 0,
                "response_calibration": "isotonic",
            }
        )


def test_calibrated_propensity_is_the_formula() -> None:
    frame = _frame()
    table = fit_response_model(frame, CONFIG)
    terms = table.set_index("term")
    logit = terms.loc[INTERCEPT, "coefficient"] + sum(
        (frame[name] - terms.loc[name, "mean"])
        / terms.loc[name, "scale"]
        * terms.loc[name, "coefficient"]
        for name in CONFIG.features
    )
    intercept = terms.loc[CALIBRATION_INTERCEPT, "coefficient"]
    slope = terms.loc[CALIBRATION_SLOPE, "coefficient"]
    # The fit does calibrate (the sample's calibration is not the identity).
    assert (slope, intercept) != (1.0, 0.0)
    np.testing.assert_allclose(
        predict_propensity(table, frame, calibrated=True),
        1.0 / (1.0 + np.exp(-(intercept + slope * logit))),
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        predict_propensity(table, frame), 1.0 / (1.0 + np.exp(-logit)), rtol=1e-12
    )
    # The slope and intercept are platt_scaling's on the standardized sample.
    matrix = frame[list(CONFIG.features)].to_numpy(dtype=float)
    standardized = (matrix - terms.loc[list(CONFIG.features), "mean"].to_numpy()) / (
        terms.loc[list(CONFIG.features), "scale"].to_numpy()
    )
    expected = platt_scaling(
        standardized, frame["accepted_last_campaign"].to_numpy(dtype=np.int64), CONFIG
    )
    assert (slope, intercept) == pytest.approx(expected, abs=1e-12)
