"""Who will respond: a logistic regression on standardized features, as a parameter table.

The model is fitted on a seeded training sample drawn in SQL (int_response_sample) and
returned as one row per term; SQL scores every customer from it (macro
response_logit), and the evaluation on the held-out customers is SQL too
(response_model_evaluation). Python sees the sample only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from customer_personality.core import single_threaded, standardizer

INTERCEPT = "intercept"
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
    scikit-learn's LogisticRegression (smaller = simpler model).
    """

    features: tuple[str, ...]
    target: str = "accepted_last_campaign"
    regularization: float = 1.0
    random_state: int = 42

    @classmethod
    def from_dbt(cls, config: Mapping[str, object]) -> ResponseConfig:
        """The config of a dbt Python model (values passed through its YAML config)."""
        return cls(
            features=tuple(str(name) for name in config["response_features"]),
            regularization=float(config["response_regularization"]),
            random_state=int(config["random_seed"]),
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
    model = LogisticRegression(
        C=config.regularization,
        max_iter=5000,
        tol=1e-10,
        random_state=config.random_state,
    )
    with single_threaded():
        model.fit((matrix - mean) / scale, target)
    return parameter_table(config.features, mean, scale, model)


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


def predict_propensity(parameters: pd.DataFrame, frame: pd.DataFrame) -> np.ndarray:
    """The probability of responding for each row of frame (the SQL scorer's formula)."""
    terms = parameters.sort_values("term_order")
    intercept = float(terms.loc[terms["term"] == INTERCEPT, "coefficient"].iloc[0])
    features = terms[terms["term"] != INTERCEPT]
    matrix = frame[list(features["term"])].to_numpy(dtype=np.float64)
    logit = (
        intercept
        + ((matrix - features["mean"].to_numpy()) / features["scale"].to_numpy())
        @ features["coefficient"].to_numpy()
    )
    return 1.0 / (1.0 + np.exp(-logit))
