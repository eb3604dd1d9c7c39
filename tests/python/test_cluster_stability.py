"""Bootstrap stability of each algorithm's selected clustering (cluster_stability)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from customer_personality import cluster_stability
from customer_personality.cluster_stability import STABILITY_COLUMNS, clustering_stability
from customer_personality.clustering import ALGORITHMS, evaluate_clusterings
from customer_personality.stability import reading

COLUMNS = ["x1", "x2", "x3", "x4"]
SAMPLES = {"sample_size": 800, "fit_sample_size": 1_500, "random_state": 11}


def frame(values: np.ndarray, seed: int = 0) -> pd.DataFrame:
    data = pd.DataFrame(values, columns=COLUMNS)
    ids = np.random.default_rng(seed).permutation(len(data)).astype(np.int64) + 7
    data.insert(0, "customer_id", ids)
    return data


@pytest.fixture(scope="module")
def blobs() -> pd.DataFrame:
    """Four well-separated round groups of 600 rows each."""
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0, 0, 0], [10, 0, 0, 0], [0, 10, 0, 0], [0, 0, 10, 0]])
    group = np.repeat(np.arange(4), 600)
    return frame(centres[group] + rng.normal(size=(len(group), 4)))


@pytest.fixture(scope="module")
def blob_evaluation(blobs) -> pd.DataFrame:
    return evaluate_clusterings(
        blobs, COLUMNS, k_values=range(2, 8), assign=False, **SAMPLES
    ).evaluation


def test_well_separated_blobs_are_highly_stable_at_the_true_k(blobs, blob_evaluation):
    out = clustering_stability(blobs, blob_evaluation, COLUMNS, **SAMPLES)
    assert list(out.columns) == list(STABILITY_COLUMNS)
    assert out["algorithm"].tolist() == list(ALGORITHMS)
    assert (out["k"] == 4).all()
    figures = out.set_index("algorithm")
    for algorithm in ("kmeans", "agglomerative"):
        row = figures.loc[algorithm]
        assert row["stability_ari_median"] >= 0.99, algorithm
        assert row["stability_ari_min"] >= 0.99, algorithm
        assert row["stability_weakest_cluster_jaccard"] >= 0.99, algorithm
    # HDBSCAN's noise counts in the ARI, and a bootstrap's repeated rows make some
    # edge rows dense enough to join a cluster: its refits agree a little less.
    hdbscan = figures.loc["hdbscan"]
    assert hdbscan["stability_ari_median"] >= 0.9
    assert hdbscan["stability_weakest_cluster_jaccard"] >= 0.9
    assert (out["stability_reading"] == "highly stable").all()
    # A refit of the mixture can land in a poorer optimum: the median still holds.
    assert figures.loc["gmm", "stability_ari_median"] >= 0.99
    assert (out["stability_ari_min"] <= out["stability_ari_median"]).all()
    assert (out["stability_resamples"] == 20).all() and (
        out["stability_rows"] == 800
    ).all()


def test_a_single_gaussian_blob_cut_in_five_is_unstable():
    rng = np.random.default_rng(2)
    data = frame(rng.normal(size=(1_500, 4)), seed=2)
    evaluation = evaluate_clusterings(
        data, COLUMNS, k_values=[5], algorithms=("kmeans", "agglomerative"),
        assign=False, **SAMPLES,
    ).evaluation  # fmt: skip
    out = clustering_stability(data, evaluation, COLUMNS, **SAMPLES)
    assert out["algorithm"].tolist() == ["kmeans", "agglomerative"]
    assert (out["stability_ari_median"] < 0.6).all()
    assert (out["stability_weakest_cluster_jaccard"] < 0.6).all()
    assert set(out["stability_reading"]) <= {"weak", "unstable"}
    assert out["stability_reading"].tolist() == [
        reading(value) for value in out["stability_ari_median"]
    ]


def test_stability_is_deterministic_and_measured_on_a_subsample(blobs, blob_evaluation):
    kwargs = {**SAMPLES, "n_resamples": 5, "stability_sample_size": 300}
    first = clustering_stability(blobs, blob_evaluation, COLUMNS, **kwargs)
    shuffled = blobs.sample(frac=1.0, random_state=3)
    assert_frame_equal(
        first, clustering_stability(shuffled, blob_evaluation, COLUMNS, **kwargs)
    )
    assert (first["stability_rows"] == 300).all()
    assert (first["stability_resamples"] == 5).all()
    rows = cluster_stability.stability_rows(800, 300, 11)
    assert len(np.unique(rows)) == 300 and rows.max() < 800
    assert (np.diff(rows) > 0).all()
    np.testing.assert_array_equal(
        cluster_stability.stability_rows(200, 300, 11), range(200)
    )


def test_no_resamples_and_unselected_algorithms_give_no_rows(blobs, blob_evaluation):
    none = clustering_stability(blobs, blob_evaluation, COLUMNS, n_resamples=0, **SAMPLES)
    assert none.empty and list(none.columns) == list(STABILITY_COLUMNS)
    unselected = blob_evaluation.assign(
        is_selected=blob_evaluation["is_selected"]
        & (blob_evaluation["algorithm"] != "hdbscan")
    )
    out = clustering_stability(blobs, unselected, COLUMNS, n_resamples=2, **SAMPLES)
    assert out["algorithm"].tolist() == ["kmeans", "gmm", "agglomerative"]
