"""Clustering test data: four well-separated blobs, one clustering run as the build
makes it, and the dtype check of the package's tables (test_clustering_evaluation,
test_clustering_features, test_clustering_samples, test_clustering_density,
test_clustering_importance)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from conftest import sql_sample
from customer_personality.clustering import (
    ALGORITHMS,
    SampleConfig,
    fit_estimators,
    label_sample_customers,
)
from customer_personality.clustering.evaluation import evaluation_frame
from customer_personality.core.standardize import standardizer

NUMERIC = ["x1", "x2", "x3", "x4"]
CATEGORICAL = ["education_level"]


def make_blobs(rows: int = 2_400, seed: int = 0) -> pd.DataFrame:
    """Four well-separated round groups in four numeric columns, plus a category.

    The category follows the group (groups 0 and 3 share a level), so its indicators
    do not split a group in two: the feature space holds exactly four dense groups.
    """
    rng = np.random.default_rng(seed)
    centres = np.array(
        [[0, 0, 0, 0], [10, 0, 0, 0], [0, 10, 0, 0], [0, 0, 10, 0]], dtype=float
    )
    group = rng.integers(0, 4, rows)
    values = centres[group] + rng.normal(0, 1, size=(rows, 4))
    data = pd.DataFrame(values, columns=NUMERIC)
    levels = np.array(["Graduate", "Postgraduate", "Undergraduate"])
    data["education_level"] = levels[group % 3]
    data.insert(0, "customer_id", rng.permutation(rows).astype(np.int64) + 100)
    data["truth"] = group
    return data


@dataclass
class Run:
    """One clustering run as the build makes it, on a table of customers."""

    data: pd.DataFrame
    sample: pd.DataFrame
    table: pd.DataFrame
    config: SampleConfig
    estimators: list
    evaluation: pd.DataFrame

    def labels(self, evaluation: pd.DataFrame | None = None) -> pd.DataFrame:
        """Every customer under the selected candidates, refitted from the table."""
        evaluation = self.evaluation if evaluation is None else evaluation
        return label_sample_customers(
            self.data, self.sample, self.table, evaluation, self.config
        )


def run(
    data: pd.DataFrame,
    config: SampleConfig,
    fit_rows: int,
    algorithms: tuple[str, ...] = ALGORITHMS,
) -> Run:
    """The classes fitted on a SQL-like sample of `fit_rows` customers (the
    evaluation sample: its first config.sample_size), standardized over all."""
    sample = sql_sample(data, fit_rows, config.random_state)
    ordered = data.sort_values("customer_id")
    table = standardizer(ordered, config.numeric, config.categorical)
    estimators, rows = fit_estimators(config.prepare(sample, table), config, algorithms)
    return Run(data, sample, table, config, estimators, evaluation_frame(rows))


def assert_plain_dtypes(frame: pd.DataFrame) -> None:
    for column, dtype in frame.dtypes.items():
        plain = dtype in (np.int64, np.float64, np.bool_)
        assert plain or pd.api.types.is_string_dtype(dtype), (column, dtype)
