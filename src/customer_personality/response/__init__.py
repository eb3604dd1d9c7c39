"""Who will respond: the response model (model.py), a logistic regression on
standardized features fitted on a sample drawn in SQL and returned as a parameter
table that SQL scores every customer from."""

# First: core loads the scientific stack in one thread (dbt runs models in parallel).
from customer_personality import core  # noqa: F401

# isort: split

from customer_personality.response.model import (
    CALIBRATION_TERMS,
    INTERCEPT,
    PARAMETER_COLUMNS,
    ResponseConfig,
    fit_response_model,
    parameter_table,
    platt_scaling,
    predict_propensity,
)

__all__ = [
    "CALIBRATION_TERMS",
    "INTERCEPT",
    "PARAMETER_COLUMNS",
    "ResponseConfig",
    "fit_response_model",
    "parameter_table",
    "platt_scaling",
    "predict_propensity",
]
