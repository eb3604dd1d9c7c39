"""customer_personality.core.standardize: the one standardizer, the feature matrix's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_personality.clustering import build_feature_matrix
from customer_personality.core.standardize import standardized_matrix, standardizer
from helpers.projection import CATEGORICAL, NUMERIC, feature_frame


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return feature_frame()


def test_standardizer_is_the_feature_matrix_one(data):
    table = standardizer(data, NUMERIC, CATEGORICAL)
    assert list(table["category"].iloc[4:]) == ["a", "b", "c'd"]
    X = standardized_matrix(data, table, NUMERIC, CATEGORICAL)
    expected = build_feature_matrix(data, NUMERIC, CATEGORICAL).values
    np.testing.assert_allclose(X, expected, rtol=0, atol=1e-12)


def test_constant_feature_scales_by_one():
    frame = pd.DataFrame({"customer_id": [1, 2, 3], "x": [2.0, 2.0, 2.0]})
    assert standardizer(frame, ["x"])["scale"].tolist() == [1.0]
