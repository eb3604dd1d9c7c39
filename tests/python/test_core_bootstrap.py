"""customer_personality.core.bootstrap, the clusterwise bootstrap: high on clear
clusters, low where there are none."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.mixture import GaussianMixture

from customer_personality.core.bootstrap import (
    best_match_jaccard,
    bootstrap_resamples,
    bootstrap_stability,
    reading,
)


def _gmm(k: int):
    def fit_predict(train: np.ndarray, data: np.ndarray) -> np.ndarray:
        mixture = GaussianMixture(k, random_state=0).fit(train)
        return mixture.predict(data)

    return fit_predict


def _kmeans(k: int, n_init: int = 1):
    def fit_predict(train: np.ndarray, data: np.ndarray) -> np.ndarray:
        return KMeans(k, n_init=n_init, random_state=0).fit(train).predict(data)

    return fit_predict


def test_well_separated_blobs_are_stable():
    X, _ = make_blobs(1_000, n_features=3, centers=4, cluster_std=0.5, random_state=1)
    result = bootstrap_stability(X, _gmm(4), n_resamples=20, random_state=0)
    assert result.ari_median >= 0.99
    assert result.ari_min >= 0.99
    frame = result.clusters_frame()
    assert len(frame) == 4
    assert (frame["jaccard_mean"] >= 0.99).all()
    assert frame["share"].sum() == pytest.approx(1.0)
    assert set(frame["reading"]) == {"highly stable"}


def test_uniform_noise_is_clearly_unstable():
    X = np.random.default_rng(3).uniform(size=(1_000, 3))
    result = bootstrap_stability(X, _kmeans(6), n_resamples=20, random_state=0)
    assert result.ari_median < 0.8
    assert result.ari_min < 0.7


def test_one_dissolving_cluster_is_singled_out():
    """Three clear blobs cut in four: whole blobs hold, halves of a split one do not."""
    centers = [(0.0, 0.0), (20.0, 0.0), (0.0, 20.0)]
    X, _ = make_blobs(900, centers=centers, cluster_std=1.0, random_state=5)
    result = bootstrap_stability(X, _kmeans(4, 10), n_resamples=20, random_state=0)
    means = np.sort(result.clusters_frame()["jaccard_mean"].to_numpy())
    assert means[-1] > 0.85  # a whole blob holds
    assert means[0] < 0.75  # the halves of a split blob do not


def test_best_match_jaccard_by_hand():
    reference = np.array([0, 0, 0, 1, 1, 2])
    other = np.array([5, 5, 6, 6, 6, 6])
    # cluster 0 {0,1,2}: with 5 {0,1} 2/3, with 6 {2,3,4,5} 1/6 -> 2/3
    # cluster 1 {3,4}: with 6 -> 2/4; cluster 2 {5}: with 6 -> 1/4; absent 9 -> 0
    got = best_match_jaccard(reference, other, np.array([0, 1, 2, 9]))
    assert got == pytest.approx([2 / 3, 0.5, 0.25, 0.0])


def test_noise_label_has_no_jaccard_column():
    X, _ = make_blobs(300, n_features=2, centers=2, random_state=0)

    def with_noise(train, data):
        labels = KMeans(2, n_init=1, random_state=0).fit(train).predict(data)
        labels[:10] = -1
        return labels

    result = bootstrap_stability(X, with_noise, n_resamples=5, ignore_label=-1)
    assert list(result.clusters) == [0, 1]
    assert result.jaccard.shape == (5, 2)


def test_resamples_are_seeded_and_drawn_with_replacement():
    first = bootstrap_resamples(500, 3, random_state=7)
    again = bootstrap_resamples(500, 3, random_state=7)
    assert all((a == b).all() for a, b in zip(first, again))
    assert all(len(np.unique(rows)) < 500 for rows in first)
    assert not (first[0] == bootstrap_resamples(500, 1, random_state=8)[0]).all()


def test_readings_follow_hennigs_scale():
    assert reading(0.9) == "highly stable"
    assert reading(0.8) == "stable"
    assert reading(0.4) == "unstable"
    assert reading(float("nan")) == "not measured"


def test_empty_data_is_refused():
    with pytest.raises(ValueError, match="at least one row"):
        bootstrap_stability(np.empty((0, 2)), _kmeans(2))
