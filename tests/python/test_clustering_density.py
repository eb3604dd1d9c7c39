"""customer_personality.clustering.density and HDBSCAN's selection: dense clusters found
among noise, no density structure named as such, and the density helpers (verdict,
fit_hdbscan, assign_to_clusters)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import cdist
from sklearn.cluster import HDBSCAN
from sklearn.metrics import adjusted_rand_score

from customer_personality.clustering import SampleConfig, density
from helpers.clustering import run

DENSITY_COLUMNS = [f"f{j}" for j in range(6)]


def make_density_data(rows: int = 3_000, seed: int = 0, noise: float = 0.1):
    """Four dense round groups (different sizes and spreads) in six numeric columns,
    and a share `noise` of rows drawn uniformly over their bounding box (truth -1)."""
    rng = np.random.default_rng(seed)
    centres = np.zeros((4, 6))
    centres[1, 0] = centres[2, 1] = centres[3, 2] = centres[3, 3] = 8.0
    spreads = np.array([1.0, 0.6, 0.8, 1.2])
    group = rng.choice(4, rows, p=[0.4, 0.25, 0.2, 0.15])
    values = centres[group] + rng.normal(size=(rows, 6)) * spreads[group][:, None]
    is_noise = rng.random(rows) < noise
    low, high = values.min(axis=0) - 2, values.max(axis=0) + 2
    values[is_noise] = rng.uniform(low, high, size=(is_noise.sum(), 6))
    data = pd.DataFrame(values, columns=DENSITY_COLUMNS)
    data.insert(0, "customer_id", rng.permutation(rows).astype(np.int64) + 1)
    data["truth"] = np.where(is_noise, -1, group)
    return data


DENSITY_CONFIG = SampleConfig(
    tuple(DENSITY_COLUMNS),
    sample_size=1_000,  # 2,000 of the 3,000 rows are assigned, not fitted
    random_state=3,
    k_values=tuple(range(2, 7)),
)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_hdbscan_finds_dense_clusters_among_noise(seed):
    data = make_density_data(seed=seed)
    out = run(data, DENSITY_CONFIG, fit_rows=1_000, algorithms=("hdbscan",))
    selected = out.evaluation[out.evaluation["is_selected"]]
    assert len(selected) == 1 and selected["k"].iloc[0] == 4
    labels = out.labels().merge(data[["customer_id", "truth"]])
    assert len(labels) == len(data)
    grouped = labels[labels["truth"] >= 0]
    # Every grouped customer (assigned ones included; noise counts as a label).
    assert adjusted_rand_score(grouped["truth"], grouped["cluster"]) >= 0.9
    both = grouped[grouped["cluster"] >= 0]
    assert adjusted_rand_score(both["truth"], both["cluster"]) >= 0.99
    true_noise = labels.loc[labels["truth"] < 0, "cluster"]
    assert (true_noise < 0).mean() >= 0.9
    assert abs((labels["cluster"] < 0).mean() - (labels["truth"] < 0).mean()) < 0.05


@pytest.mark.parametrize("shape", ["uniform", "one gaussian blob"])
def test_no_density_structure_selects_nothing_and_says_why(shape):
    rng = np.random.default_rng(1)
    size = (2_000, 6)
    values = rng.uniform(size=size) if shape == "uniform" else rng.normal(size=size)
    data = pd.DataFrame(values, columns=DENSITY_COLUMNS)
    data.insert(0, "customer_id", np.arange(len(data), dtype=np.int64))
    out = run(data, DENSITY_CONFIG, fit_rows=1_000, algorithms=("kmeans", "hdbscan"))
    evaluation = out.evaluation
    hdbscan = evaluation[evaluation["algorithm"] == "hdbscan"]
    assert not hdbscan["is_selected"].any()
    explained = hdbscan[hdbscan["selection_reason"].notna()]
    assert len(explained) == 1
    row = explained.iloc[0]
    assert row["selection_reason"].startswith(
        f"no density structure: {row['noise_share']:.0%} noise at min_cluster_size="
        f"{row['parameter']:.0f}, the closest of 5 values tried"
    )
    assert row["noise_share"] > 0.2 and row["noise_share"] == hdbscan["noise_share"].min()
    assert evaluation.loc[evaluation["is_selected"], "algorithm"].tolist() == ["kmeans"]
    assert out.estimators[1].selected_ is None
    labels = out.labels()
    assert labels["algorithm"].unique().tolist() == ["kmeans"]
    assert len(labels) == len(data)


def test_density_verdict_names_noise_and_a_dominant_cluster():
    noisy = np.r_[np.zeros(50), np.ones(20), -np.ones(30)].astype(int)
    dominant = np.r_[np.zeros(97), np.ones(3)].astype(int)
    all_noise = -np.ones(100, dtype=int)
    one_cluster = np.r_[np.zeros(90), -np.ones(10)].astype(int)
    good = np.r_[np.zeros(60), np.ones(30), -np.ones(10)].astype(int)
    failures, closest = density.verdict(
        [noisy, dominant, all_noise, one_cluster], max_noise_share=0.2,
        max_cluster_share=0.95,
    )  # fmt: skip
    assert failures == [
        "30% noise",
        "one cluster holds 97% of customers",
        "100% noise",
        "one cluster holds 90% of customers",
    ]
    assert closest == 1  # least noise among those with two or more clusters
    failures, closest = density.verdict([all_noise, good], 0.2, 0.95)
    assert failures == ["100% noise", ""] and closest == 1
    assert density.verdict([all_noise, one_cluster], 0.2, 0.95)[1] == 1


def test_fit_hdbscan_is_sklearns_with_its_core_distances():
    data = make_density_data(rows=600, seed=4)
    X = data[DENSITY_COLUMNS].to_numpy()
    fit = density.fit_hdbscan(X, min_cluster_size=15, min_samples=8)
    expected = HDBSCAN(min_cluster_size=15, min_samples=8, copy=True).fit_predict(X)
    np.testing.assert_array_equal(fit.labels, expected)
    assert fit.n_clusters == 4
    # The min_samples-th smallest distance, the row itself (0) included.
    brute = np.sort(cdist(X, X), axis=1)[:, 7]
    np.testing.assert_allclose(fit.core_distances, brute, rtol=1e-12)
    assert density.cluster_sizes(800) == [5, 8, 16, 40, 80]
    assert density.cluster_sizes(30) == [5]


def test_assignment_joins_a_clustered_row_whose_core_distance_reaches(monkeypatch):
    data = make_density_data(rows=3_000, seed=5, noise=0.05)
    X = data[DENSITY_COLUMNS].to_numpy()
    sample = X[:600]
    fit = density.fit_hdbscan(sample, min_cluster_size=20, min_samples=10)
    monkeypatch.setattr(density, "FIRST_BLOCK", 7)  # many blocks
    monkeypatch.setattr(density, "BLOCK_CELLS", 5_000)  # many row blocks
    ours = density.assign_to_clusters(X, sample, fit, random_state=0)
    clustered = fit.labels >= 0
    reach = cdist(X, sample[clustered]) <= fit.core_distances[clustered]
    reached = [np.unique(fit.labels[clustered][hits]) for hits in reach]
    # The groups are far apart: no row is reached by two clusters, so the rule is
    # exactly "the cluster whose member reaches the row, else noise".
    assert max(len(labels) for labels in reached) == 1
    expected = np.array([labels[0] if len(labels) else -1 for labels in reached])
    np.testing.assert_array_equal(ours, expected)
    assert (ours == -1).any() and (ours >= 0).mean() > 0.8
