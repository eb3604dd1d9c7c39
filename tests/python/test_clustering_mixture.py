"""customer_personality.clustering.mixture: the GMM's labelling is sklearn's predict."""

from __future__ import annotations

import numpy as np
from sklearn.mixture import GaussianMixture

from customer_personality.clustering.mixture import _gmm_predict


def test_gmm_predict_equals_sklearn() -> None:
    """The stacked-factor GMM labelling gives sklearn's predict on every row."""
    rng = np.random.default_rng(4)
    X = np.concatenate([rng.normal(c, 1.0, size=(400, 5)) for c in (-3, 0, 3)])
    queries = rng.normal(0.0, 3.0, size=(150_000, 5))  # several 65,536-row blocks
    for covariance_type in ("full", "diag"):
        model = GaussianMixture(
            n_components=4, covariance_type=covariance_type, random_state=0
        ).fit(X)
        np.testing.assert_array_equal(
            _gmm_predict(model, queries), model.predict(queries)
        )
