"""customer_personality.clustering.ward: the linear-time cut of a Ward tree is scipy's."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.cluster.hierarchy import cut_tree, ward

from customer_personality.clustering import cut_linkage


def test_cut_linkage_equals_scipy_cut_tree() -> None:
    """The linear-time cut gives scipy's labels, numbering included, also when rows
    repeat and merge heights tie."""
    rng = np.random.default_rng(0)
    for trial in range(12):
        n_rows = int(rng.integers(5, 400))
        X = rng.normal(size=(n_rows, 3))
        if trial % 2:
            X = np.round(X, 1)  # tied heights
        X[rng.integers(0, n_rows, n_rows // 5)] = X[0]  # repeated rows
        tree = ward(X)
        k_values = [k for k in range(1, 12) if k <= n_rows]
        expected = cut_tree(tree, n_clusters=k_values)
        np.testing.assert_array_equal(cut_linkage(tree, k_values), expected)
    with pytest.raises(ValueError, match="into 0 clusters"):
        cut_linkage(tree, [0])
