"""customer_personality.clustering.metrics: the elbow of a curve and the silhouette
scores of several labellings, against known curves and sklearn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import silhouette_score

from customer_personality.clustering import find_elbow, silhouette_scores


def test_find_elbow_on_known_curves():
    k = np.arange(1, 9)
    inertia = [1000, 400, 120, 100, 85, 75, 68, 63]
    assert k[find_elbow(k, inertia)] == 3
    rising = [0.1, 0.11, 0.12, 0.13, 0.15, 0.2, 0.6, 2.0]  # a k-distance curve
    assert k[find_elbow(k, rising)] == 6  # the last point before the steep rise
    # Unsorted input: the index refers to the input order.
    order = np.array([4, 0, 7, 2, 1, 6, 3, 5])
    assert find_elbow(k[order], np.array(inertia)[order]) == 3
    assert find_elbow([1, 2], [5, 1]) == 0
    assert find_elbow([1, 2, 3], [1, 1, 1]) == 0
    assert find_elbow([1, 2, 3, 4], [4, 3, 2, 1]) == 0  # a straight line has no elbow


def test_silhouette_scores_match_sklearn():
    rng = np.random.default_rng(2)
    X = np.vstack([rng.normal(c, 1, size=(150, 3)) for c in (0, 4, 8)])
    truth = np.repeat([0, 1, 2], 150)
    noisy = np.where(rng.random(len(X)) < 0.1, -1, truth)
    singleton = np.r_[np.zeros(len(X) - 1, dtype=int), 1]
    label_sets = [rng.integers(0, 4, len(X)), truth, noisy, singleton, np.zeros(len(X))]
    ours = silhouette_scores(X, label_sets, block_bytes=8 * len(X) * 37)
    for labels, value in zip(label_sets[:4], ours[:4]):
        kept = labels >= 0
        assert value == pytest.approx(silhouette_score(X[kept], labels[kept]), abs=1e-12)
    assert np.isnan(ours[4])
