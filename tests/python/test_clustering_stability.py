"""customer_personality.clustering.stability: the bootstrap stability of each
algorithm's selected clustering (the build's int_cluster_stability)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from conftest import sql_sample
from customer_personality.clustering import ALGORITHMS, SampleConfig, fit_estimators
from customer_personality.clustering.evaluation import evaluation_frame
from customer_personality.clustering.stability import (
    STABILITY_COLUMNS,
    sample_stability,
    stability_rows,
)
from customer_personality.core.bootstrap import reading
from customer_personality.core.standardize import standardizer

COLUMNS = ["x1", "x2", "x3", "x4"]
# Evaluation sample of 800 in a SQL-like sample of 1,500 (K-Means, GMM fit on it).
CONFIG = SampleConfig(
    tuple(COLUMNS), sample_size=800, random_state=11, k_values=tuple(range(2, 8))
)
FIT_ROWS = 1_500


@dataclass(frozen=True)
class Samples:
    """A SQL-like seeded sample of a table of customers and its standardizer."""

    sample: pd.DataFrame
    table: pd.DataFrame

    @classmethod
    def of(cls, data: pd.DataFrame) -> Samples:
        """FIT_ROWS customers as int_cluster_sample gives them (seeded by CONFIG):
        the first 800 positions are the evaluation sample."""
        sample = sql_sample(data, FIT_ROWS, CONFIG.random_state)
        table = standardizer(data.sort_values("customer_id"), COLUMNS)
        return cls(sample, table)

    def evaluation(self, config: SampleConfig, algorithms=ALGORITHMS) -> pd.DataFrame:
        prepared = config.prepare(self.sample, self.table)
        return evaluation_frame(fit_estimators(prepared, config, algorithms)[1])

    def stability(self, evaluation: pd.DataFrame, config: SampleConfig = CONFIG):
        return sample_stability(self.sample, self.table, evaluation, config)


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
def samples(blobs) -> Samples:
    return Samples.of(blobs)


@pytest.fixture(scope="module")
def blob_evaluation(samples) -> pd.DataFrame:
    return samples.evaluation(CONFIG)


def test_well_separated_blobs_are_highly_stable_at_the_true_k(samples, blob_evaluation):
    out = samples.stability(blob_evaluation)
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
    samples = Samples.of(data)
    evaluation = samples.evaluation(
        replace(CONFIG, k_values=(5,)), algorithms=("kmeans", "agglomerative")
    )
    out = samples.stability(evaluation)
    assert out["algorithm"].tolist() == ["kmeans", "agglomerative"]
    assert (out["stability_ari_median"] < 0.6).all()
    assert (out["stability_weakest_cluster_jaccard"] < 0.6).all()
    assert set(out["stability_reading"]) <= {"weak", "unstable"}
    assert out["stability_reading"].tolist() == [
        reading(value) for value in out["stability_ari_median"]
    ]


def test_stability_is_deterministic_and_measured_on_a_subsample(samples, blob_evaluation):
    config = replace(CONFIG, n_resamples=5, stability_sample_size=300)
    first = samples.stability(blob_evaluation, config)
    shuffled = replace(samples, sample=samples.sample.sample(frac=1.0, random_state=3))
    assert_frame_equal(first, shuffled.stability(blob_evaluation, config))
    assert (first["stability_rows"] == 300).all()
    assert (first["stability_resamples"] == 5).all()
    rows = stability_rows(800, 300, 11)
    assert len(np.unique(rows)) == 300 and rows.max() < 800
    assert (np.diff(rows) > 0).all()
    np.testing.assert_array_equal(stability_rows(200, 300, 11), range(200))


def test_no_resamples_and_unselected_algorithms_give_no_rows(samples, blob_evaluation):
    none = samples.stability(blob_evaluation, replace(CONFIG, n_resamples=0))
    assert none.empty and list(none.columns) == list(STABILITY_COLUMNS)
    unselected = blob_evaluation.assign(
        is_selected=blob_evaluation["is_selected"]
        & (blob_evaluation["algorithm"] != "hdbscan")
    )
    out = samples.stability(unselected, replace(CONFIG, n_resamples=2))
    assert out["algorithm"].tolist() == ["kmeans", "gmm", "agglomerative"]


def test_quadratic_fits_are_refitted_on_fewer_rows(samples, blob_evaluation):
    """Ward and HDBSCAN, whose fits grow with the square of the rows, bootstrap at
    most quadratic_stability_size rows; K-Means and the GMM stability_sample_size."""
    config = replace(
        CONFIG, n_resamples=3, stability_sample_size=600, quadratic_stability_size=250
    )
    rows = samples.stability(blob_evaluation, config).set_index("algorithm")
    assert rows.loc["kmeans", "stability_rows"] == 600
    assert rows.loc["gmm", "stability_rows"] == 600
    assert rows.loc["agglomerative", "stability_rows"] == 250
    assert rows.loc["hdbscan", "stability_rows"] == 250
    # Still a measurement: four well-separated groups hold on 250 rows too.
    assert rows.loc["agglomerative", "stability_ari_median"] > 0.95
