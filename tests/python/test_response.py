"""The response model: the package's logistic regression as a parameter table, the
build's SQL propensity equal to it on every customer, an exact held-out AUC, and a
model that beats the RFM score on the real file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from conftest import query
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


def test_sql_propensity_equals_the_package_on_every_customer(sample_db) -> None:
    features = [
        row[0]
        for row in query(
            sample_db,
            "select term from int_response_model where term <> 'intercept' "
            "order by term_order",
        )
    ]
    parameters = pd.DataFrame(
        query(sample_db, "select * from int_response_model"),
        columns=["term", "term_order", "mean", "scale", "coefficient"],
    )
    rows = query(
        sample_db,
        f"select response.response_propensity, {', '.join('f.' + f for f in features)} "
        "from int_customer_response as response inner join int_response_features as f "
        "using (customer_id) order by customer_id",
    )
    frame = pd.DataFrame([row[1:] for row in rows], columns=features)
    np.testing.assert_allclose(
        [row[0] for row in rows], predict_propensity(parameters, frame), rtol=1e-12
    )
    customers = query(sample_db, "select count(*) from customers")[0][0]
    assert len(rows) == customers


def test_holdout_is_out_of_the_fit_and_the_auc_is_exact(sample_db) -> None:
    holdout, total, in_sample = query(
        sample_db,
        "select count(*) filter (where is_holdout), count(*), "
        "(select count(*) from int_response_sample where is_holdout) "
        "from int_response_features",
    )[0]
    assert in_sample == 0
    assert 0.25 < holdout / total < 0.35  # var response_holdout_share 0.3
    for ranking in ("response_model", "rfm_score"):
        rows = query(
            sample_db,
            "select responded, score from int_response_rankings "
            f"where ranking = '{ranking}'",
        )
        assert len(rows) == holdout
        auc = query(
            sample_db,
            f"select auc from response_model_evaluation where ranking = '{ranking}'",
        )[0][0]
        assert auc == pytest.approx(
            roc_auc_score([r[0] for r in rows], [r[1] for r in rows]), abs=1e-12
        )


def test_the_model_beats_the_rfm_score_on_the_real_file(real_db) -> None:
    figures = {
        ranking: (auc, lift)
        for ranking, auc, lift in query(
            real_db, "select ranking, auc, top_decile_lift from response_model_evaluation"
        )
    }
    model_auc, model_lift = figures["response_model"]
    rfm_auc, rfm_lift = figures["rfm_score"]
    assert model_auc > rfm_auc + 0.05
    assert model_lift > rfm_lift
    calibration = query(
        real_db,
        "select sum(customers * mean_propensity) / sum(customers), "
        "sum(responders) / sum(customers) from response_model_deciles "
        "where ranking = 'response_model'",
    )[0]
    # Predicted and observed response rates of the holdout agree within 5 points.
    assert abs(calibration[0] - calibration[1]) < 0.05
