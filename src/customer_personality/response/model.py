"""Who will respond: a logistic regression on standardized features, as a parameter table.

The model is fitted on a seeded training sample drawn in SQL (int_response_sample) and
returned as one row per term; SQL scores every customer from it
(int_customer_response), and the evaluation on the held-out customers is SQL too
(response_model_evaluation). Python sees the sample only.

The table ends with two calibration rows (Platt scaling): a logistic regression of the
response on the model's cross-validated logit over the training sample (each row
scored by a model fitted without its fold), so that calibrated probability =
1 / (1 + exp(-(calibration_intercept + calibration_slope * logit))) is an honest
probability of responding, the figure expected profit multiplies by the revenue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from customer_personality.core import single_threaded, standardizer

INTERCEPT = "intercept"
CALIBRATION_INTERCEPT = "calibration_intercept"
CALIBRATION_SLOPE = "calibration_slope"
CALIBRATION_TERMS = (CALIBRATION_INTERCEPT, CALIBRATION_SLOPE)
CALIBRATIONS = ("platt", "none")
PARAMETER_COLUMNS: tuple[str, ...] = (
    "term",
    "term_order",
    "mean",
    "scale",
    "coefficient",
)


@dataclass(frozen=True)
class ResponseConfig:
    """What the response model reads and how strongly it is regularized.

    features: the numeric columns of the sample, in the order the table lists them;
    target: the 0/1 column to predict; regularization: the inverse L2 strength C of
    scikit-learn's LogisticRegression (smaller = simpler model); calibration: platt
    (cross-validated Platt scaling over calibration_folds folds) or none (slope 1,
    intercept 0: the model's own probabilities).
    """

    features: tuple[str, ...]
    target: str = "accepted_last_campaign"
    regularization: float = 1.0
    random_state: int = 42
    calibration: str = "platt"
    calibration_folds: int = 5

    def __post_init__(self) -> None:
        if self.calibration not in CALIBRATIONS:
            raise ValueError(
                f"var response_calibration must be one of {', '.join(CALIBRATIONS)}, "
                f"got {self.calibration!r}"
            )
        if self.calibration_folds < 2:
            raise ValueError("calibration needs at least 2 folds")

    @classmethod
    def from_dbt(cls, config: Mapping[str, object]) -> ResponseConfig:
        """The config of a dbt Python model (values passed through its YAML config)."""
        return cls(
            features=tuple(str(name) for name in config["response_features"]),
            regularization=float(config["response_regularization"]),
            random_state=int(config["random_seed"]),
            calibration=str(config.get("response_calibration") or "platt"),
        )


def _checked_matrix(sample: pd.DataFrame, config: ResponseConfig) -> np.ndarray:
    """The features as a float matrix; a clear error for a missing or empty column."""
    missing = [name for name in (*config.features, config.target) if name not in sample]
    if missing:
        raise ValueError(f"response sample lacks the column(s) {', '.join(missing)}")
    matrix = sample[list(config.features)].to_numpy(dtype=np.float64)
    bad = [
        name for name, ok in zip(config.features, np.isfinite(matrix).all(0)) if not ok
    ]
    if bad:
        raise ValueError(f"response features with missing values: {', '.join(bad)}")
    return matrix


def fit_response_model(sample: pd.DataFrame, config: ResponseConfig) -> pd.DataFrame:
    """Fit the logistic regression on the sample; one row per term (intercept first).

    Rows are sorted by customer_id first, so the fit does not depend on the order the
    sample arrives in. Both classes must occur in the sample.
    """
    if "customer_id" in sample:
        sample = sample.sort_values("customer_id", kind="stable")
    matrix = _checked_matrix(sample, config)
    target = sample[config.target].to_numpy(dtype=np.int64)
    if len(np.unique(target)) < 2:
        raise ValueError(
            f"the response sample has a single value of {config.target} "
            f"({len(target)} rows): a response model needs responders and others"
        )
    # Column means and population standard deviations (1.0 for a constant column),
    # over the feature matrix at once (core.standardizer, columnwise=False).
    table = standardizer(sample, config.features, columnwise=False)
    mean, scale = table["center"].to_numpy(), table["scale"].to_numpy()
    standardized = (matrix - mean) / scale
    model = _logistic(config)
    with single_threaded():
        model.fit(standardized, target)
    table = parameter_table(config.features, mean, scale, model)
    slope, intercept = (
        platt_scaling(standardized, target, config)
        if config.calibration == "platt"
        else (1.0, 0.0)
    )
    calibration = pd.DataFrame(
        [
            (CALIBRATION_INTERCEPT, len(table), None, None, intercept),
            (CALIBRATION_SLOPE, len(table) + 1, None, None, slope),
        ],
        columns=list(PARAMETER_COLUMNS),
    )
    return pd.concat([table, calibration], ignore_index=True).astype(
        {"term_order": "int64", "mean": "float64", "scale": "float64"}
    )


def _logistic(config: ResponseConfig) -> LogisticRegression:
    return LogisticRegression(
        C=config.regularization,
        max_iter=5000,
        tol=1e-10,
        random_state=config.random_state,
    )


def cross_validated_logits(
    standardized: np.ndarray, target: np.ndarray, config: ResponseConfig
) -> np.ndarray:
    """Each row's logit from a model fitted without its fold: calibration_folds seeded
    folds (a permutation by random_state), each refitted as the model is. A fold
    whose training part holds one class only scores its rows with that class's log
    odds (cannot happen with both classes in every fold's rest)."""
    folds = np.random.default_rng(config.random_state).permutation(len(target))
    folds = folds % config.calibration_folds
    logits = np.empty(len(target))
    for fold in range(config.calibration_folds):
        rest = folds != fold
        model = _logistic(config)
        with single_threaded():
            model.fit(standardized[rest], target[rest])
        logits[~rest] = model.decision_function(standardized[~rest])
    return logits


def platt_scaling(
    standardized: np.ndarray, target: np.ndarray, config: ResponseConfig
) -> tuple[float, float]:
    """(slope, intercept) of the logistic regression of the target on the
    cross-validated logit: Platt scaling, fitted without regularization. A sample too
    small for every fold to hold both classes keeps the model's own probabilities
    (1, 0)."""
    folds = config.calibration_folds
    if min(np.bincount(target, minlength=2)) < folds:
        return 1.0, 0.0
    logits = cross_validated_logits(standardized, target, config)
    calibrator = LogisticRegression(C=1e12, max_iter=5000, tol=1e-12)
    with single_threaded():
        calibrator.fit(logits.reshape(-1, 1), target)
    return float(calibrator.coef_[0][0]), float(calibrator.intercept_[0])


def parameter_table(
    features: Sequence[str],
    mean: np.ndarray,
    scale: np.ndarray,
    model: LogisticRegression,
) -> pd.DataFrame:
    """The fitted model as rows: the intercept, then each feature's standardizer and
    coefficient on the standardized feature."""
    rows = [(INTERCEPT, 0, None, None, float(model.intercept_[0]))]
    rows += [
        (name, order, float(m), float(s), float(c))
        for order, (name, m, s, c) in enumerate(
            zip(features, mean, scale, model.coef_[0]), start=1
        )
    ]
    return pd.DataFrame(rows, columns=list(PARAMETER_COLUMNS)).astype(
        {"term_order": "int64", "mean": "float64", "scale": "float64"}
    )


def predict_propensity(
    parameters: pd.DataFrame, frame: pd.DataFrame, calibrated: bool = False
) -> np.ndarray:
    """The probability of responding for each row of frame (the SQL scorer's formula):
    the model's own, or calibrated (its calibration rows applied to the logit)."""
    terms = parameters.sort_values("term_order")
    coefficient = terms.set_index("term")["coefficient"]
    intercept = float(coefficient[INTERCEPT])
    features = terms[~terms["term"].isin((INTERCEPT, *CALIBRATION_TERMS))]
    matrix = frame[list(features["term"])].to_numpy(dtype=np.float64)
    logit = (
        intercept
        + ((matrix - features["mean"].to_numpy()) / features["scale"].to_numpy())
        @ features["coefficient"].to_numpy()
    )
    if calibrated and CALIBRATION_SLOPE in coefficient:
        logit = (
            float(coefficient[CALIBRATION_INTERCEPT])
            + float(coefficient[CALIBRATION_SLOPE]) * logit
        )
    return 1.0 / (1.0 + np.exp(-logit))
