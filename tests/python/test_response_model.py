"""customer_personality.response.model: the logistic regression as a parameter table,
equal to sklearn's, independent of row order, with clear errors and the build's vars."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from customer_personality.response.model import (
    INTERCEPT,
    ResponseConfig,
    fit_response_model,
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
    assert list(table["term"]) == [INTERCEPT, "signal", "noise", "constant"]
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
