"""PCA test data and reference: customers with features of very different scales and
a category, and sklearn's PCA as fit_pca orients it (test_core_standardize,
test_clustering_projection, test_customer_projection)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA

NUMERIC = ["x1", "x2", "x3", "x4"]
CATEGORICAL = ["group"]
PC = ["pc1", "pc2", "pc3"]
RATIOS = [f"explained_variance_ratio_{k}" for k in (1, 2, 3)]


def feature_frame() -> pd.DataFrame:
    """3,000 customers: four correlated numeric features of very different scales and
    a category (one level with a quote), ids not in row order."""
    rng = np.random.default_rng(5)
    n = 3_000
    mixing = rng.normal(size=(4, 4))
    values = rng.normal(size=(n, 4)) @ mixing * [1.0, 30.0, 0.01, 5_000.0]
    frame = pd.DataFrame(values + [0.0, 100.0, 0.5, 60_000.0], columns=NUMERIC)
    frame["group"] = rng.choice(["b", "a", "c'd"], size=n, p=[0.5, 0.3, 0.2])
    frame.insert(0, "customer_id", rng.permutation(n) * 7 + 1)
    return frame


def reference(X: np.ndarray, sample: np.ndarray, n_components: int = 3) -> PCA:
    """sklearn's PCA of the sample rows, signs set as fit_pca sets them."""
    pca = PCA(n_components=n_components, svd_solver="full").fit(X[sample])
    largest = np.abs(pca.components_).argmax(axis=1)
    pca.components_ *= np.sign(pca.components_[np.arange(n_components), largest])[:, None]
    return pca
