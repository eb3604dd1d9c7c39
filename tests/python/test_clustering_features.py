"""customer_personality.clustering.features: the feature matrix standardizes the
numbers, one-hot encodes the categories and refuses a missing number."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_personality.clustering import build_feature_matrix
from helpers.clustering import CATEGORICAL, NUMERIC, make_blobs


@pytest.fixture(scope="module")
def blobs() -> pd.DataFrame:
    return make_blobs()


def test_feature_matrix_standardizes_and_one_hot_encodes(blobs):
    matrix = build_feature_matrix(blobs, NUMERIC, CATEGORICAL)
    assert matrix.values.dtype == np.float64
    assert matrix.columns == [
        *NUMERIC,
        "education_level_Graduate",
        "education_level_Postgraduate",
        "education_level_Undergraduate",
    ]
    assert matrix.groups == [*NUMERIC, *["education_level"] * 3]
    numeric = matrix.values[:, :4]
    np.testing.assert_allclose(numeric.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(numeric.std(axis=0), 1, atol=1e-12)
    np.testing.assert_array_equal(matrix.values[:, 4:].sum(axis=1), 1.0)


def test_feature_matrix_rejects_missing_numbers(blobs):
    broken = blobs.copy()
    broken.loc[0, "x2"] = np.nan
    with pytest.raises(ValueError, match="x2"):
        build_feature_matrix(broken, NUMERIC)
