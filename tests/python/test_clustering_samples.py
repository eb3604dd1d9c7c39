"""customer_personality.clustering.samples: SampleConfig reads the build's vars and
prepares a SQL-like sample, the evaluation sample nested in the fit sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import sql_sample
from customer_personality.clustering import SampleConfig, build_feature_matrix
from customer_personality.core.standardize import standardizer
from helpers.clustering import CATEGORICAL, NUMERIC, make_blobs


@pytest.fixture(scope="module")
def blobs() -> pd.DataFrame:
    return make_blobs()


def test_prepare_sample_nests_the_evaluation_sample_in_the_fit_sample(blobs):
    sample = sql_sample(blobs, 1_000)
    ordered = blobs.sort_values("customer_id")
    table = standardizer(ordered, NUMERIC, CATEGORICAL)
    config = SampleConfig(tuple(NUMERIC), tuple(CATEGORICAL), sample_size=300)
    prepared = config.prepare(sample, table)
    by_position = sample.sort_values("sample_position")["customer_id"]
    assert prepared.ids.tolist() == sorted(sample["customer_id"])
    assert prepared.ids[prepared.eval_index].tolist() == sorted(by_position[:300])
    assert prepared.X_fit.shape == (1_000, 7)
    # Standardized over every customer (the table), not over the sample.
    every = build_feature_matrix(ordered, NUMERIC, CATEGORICAL)
    rows = np.searchsorted(ordered["customer_id"].to_numpy(), prepared.ids)
    np.testing.assert_array_equal(prepared.X, every.values[rows])


def test_sample_config_reads_every_var_from_dbt():
    values = {
        "cluster_numeric_features": ["income", "age"],
        "cluster_categorical_features": [],
        "cluster_sample_size": "700",
        "random_seed": 3,
        "cluster_k_min": 2,
        "cluster_k_max": 4,
        "cluster_max_noise_share": 0.1,
        "cluster_max_cluster_share": 0.9,
        "stability_resamples": 5,
        "stability_sample_size": 400,
        "stability_quadratic_sample_size": "150",
    }
    config = SampleConfig.from_dbt(values)
    assert config == SampleConfig(
        ("income", "age"), (), 700, 3, (2, 3, 4), 0.1, 0.9, 5, 400, 150
    )
