"""The response model as built (int_response_model, int_customer_response,
response_model_evaluation, response_model_deciles): the SQL propensity equal to the
package's on every customer, an exact held-out AUC, and a model that beats the RFM
score on the real file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from conftest import query
from customer_personality.response.model import predict_propensity

pytestmark = pytest.mark.build


def test_sql_propensity_equals_the_package_on_every_customer(sample_db) -> None:
    features = [
        row[0]
        for row in query(
            sample_db,
            "select term from int_response_model where term not in ('intercept', "
            "'calibration_intercept', 'calibration_slope') order by term_order",
        )
    ]
    parameters = pd.DataFrame(
        query(sample_db, "select * from int_response_model"),
        columns=["term", "term_order", "mean", "scale", "coefficient"],
    )
    rows = query(
        sample_db,
        "select response.response_propensity, response.response_probability, "
        f"{', '.join('f.' + f for f in features)} "
        "from int_customer_response as response inner join int_response_features as f "
        "using (customer_id) order by customer_id",
    )
    frame = pd.DataFrame([row[2:] for row in rows], columns=features)
    np.testing.assert_allclose(
        [row[0] for row in rows], predict_propensity(parameters, frame), rtol=1e-12
    )
    # The calibrated probability: the package's, through the calibration rows.
    np.testing.assert_allclose(
        [row[1] for row in rows],
        predict_propensity(parameters, frame, calibrated=True),
        rtol=1e-12,
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
