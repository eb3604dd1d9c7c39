"""customer_personality.clustering.evaluation: the four algorithms' classes fitted on a
SQL-like seeded sample (fit_estimators), the evaluation table and its selection rules,
the labels of every customer (label_sample_customers) and the registry of classes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from customer_personality.clustering import (
    ALGORITHMS,
    ESTIMATORS,
    EVALUATION_COLUMNS,
    LABEL_COLUMNS,
    HDBSCANClustering,
    KMeansClustering,
    SampleConfig,
    evaluate_sample,
    fit_estimators,
    label_sample_customers,
    selected_estimators,
)
from customer_personality.core.standardize import standardized_matrix
from helpers.clustering import (
    CATEGORICAL,
    NUMERIC,
    Run,
    assert_plain_dtypes,
    make_blobs,
    run,
)


@pytest.fixture(scope="module")
def blobs() -> pd.DataFrame:
    return make_blobs()


# The evaluation the module's tests share: small samples, so Ward and HDBSCAN assign.
CONFIG = SampleConfig(
    tuple(NUMERIC),
    tuple(CATEGORICAL),
    sample_size=800,
    random_state=11,
    k_values=tuple(range(2, 8)),
)


@pytest.fixture(scope="module")
def result(blobs) -> Run:
    return run(blobs, CONFIG, fit_rows=1_500)


@pytest.fixture(scope="module")
def labels(result) -> pd.DataFrame:
    return result.labels()


def test_evaluation_table_shape_and_metric_ranges(result):
    evaluation = result.evaluation
    assert list(evaluation.columns) == list(EVALUATION_COLUMNS)
    assert_plain_dtypes(evaluation)
    assert evaluation["algorithm"].unique().tolist() == list(ALGORITHMS)
    for algorithm in ("kmeans", "gmm", "agglomerative"):
        rows = evaluation[evaluation["algorithm"] == algorithm]
        assert rows["k"].tolist() == list(range(2, 8))
        assert rows["parameter"].isna().all()
    silhouette = evaluation["silhouette"].dropna()
    assert silhouette.between(-1, 1).all()
    assert (evaluation["davies_bouldin"].dropna() > 0).all()
    assert (evaluation["calinski_harabasz"].dropna() > 0).all()
    # Four blobs: silhouette and Calinski-Harabasz peak at k = 4 for each algorithm,
    # and Davies-Bouldin is lower there than at the too-small k of 2 and 3.
    for algorithm in ("kmeans", "gmm", "agglomerative"):
        rows = evaluation[evaluation["algorithm"] == algorithm].set_index("k")
        assert rows["silhouette"].idxmax() == 4, algorithm
        assert rows["calinski_harabasz"].idxmax() == 4, algorithm
        assert rows.loc[4, "davies_bouldin"] < rows.loc[[2, 3], "davies_bouldin"].min()
    hdbscan = evaluation[evaluation["algorithm"] == "hdbscan"]
    assert hdbscan["noise_share"].between(0, 1).all()
    # min_cluster_size: 0.5%, 1%, 2%, 5% and 10% of the 800 sample rows, at least 5
    assert hdbscan["parameter"].tolist() == [5.0, 8.0, 16.0, 40.0, 80.0]
    assert hdbscan["parameter_name"].eq("min_cluster_size").all()
    assert not hdbscan["is_elbow"].any()
    others = evaluation[evaluation["algorithm"] != "hdbscan"]
    assert others["noise_share"].isna().all() and others["parameter_name"].isna().all()
    kmeans = evaluation[evaluation["algorithm"] == "kmeans"]
    assert kmeans["inertia"].notna().all() and kmeans["bic"].isna().all()
    assert evaluation.loc[evaluation["algorithm"] == "gmm", "bic"].notna().all()
    assert (evaluation["n_eval_rows"] == 800).all()
    fit_rows = evaluation.groupby("algorithm")["n_fit_rows"].first()
    assert fit_rows["kmeans"] == fit_rows["gmm"] == 1_500
    assert fit_rows["agglomerative"] == fit_rows["hdbscan"] == 800


def test_exactly_one_selected_row_per_algorithm_with_reason(result):
    evaluation = result.evaluation
    selected = evaluation[evaluation["is_selected"]]
    assert selected["algorithm"].tolist() == list(ALGORITHMS)
    assert selected["selection_reason"].notna().all()
    assert evaluation.loc[~evaluation["is_selected"], "selection_reason"].isna().all()
    by_algorithm = selected.set_index("algorithm")
    # Four well-separated groups: every rule finds them.
    assert by_algorithm["k"].tolist() == [4, 4, 4, 4]
    assert by_algorithm.loc["kmeans", "selection_reason"] == (
        "elbow of inertia at k=4 (max distance to chord)"
    )
    assert by_algorithm.loc["gmm", "selection_reason"].startswith("lowest BIC")
    assert (
        by_algorithm.loc["gmm", "bic"]
        == evaluation.loc[evaluation["algorithm"] == "gmm", "bic"].min()
    )
    assert by_algorithm.loc["agglomerative", "selection_reason"] == (
        "highest silhouette at k=4"
    )
    assert by_algorithm.loc["hdbscan", "noise_share"] <= 0.2
    assert by_algorithm.loc["hdbscan", "selection_reason"].startswith(
        "highest silhouette with two or more clusters, at most 20% noise and no "
        "cluster above 95% of customers, at min_cluster_size="
    )
    elbows = evaluation[evaluation["is_elbow"]].set_index("algorithm")["k"]
    assert elbows["kmeans"] == 4
    # The classes hold what the table says: the candidates and the selected one.
    for estimator, (algorithm, row) in zip(
        result.estimators, by_algorithm.iterrows(), strict=True
    ):
        rows = evaluation[evaluation["algorithm"] == algorithm]
        assert estimator.name == algorithm
        assert [c.k for c in estimator.candidates_] == rows["k"].tolist()
        assert estimator.selected_.k == row["k"]
        if algorithm == "hdbscan":
            assert estimator.selected_.parameter == row["parameter"]


def test_labels_cover_every_customer_with_size_ordered_ids(blobs, result, labels):
    assert list(labels.columns) == list(LABEL_COLUMNS)
    assert_plain_dtypes(labels)
    assert len(labels) == len(blobs) * len(ALGORITHMS)
    selected = result.evaluation[result.evaluation["is_selected"]]
    for algorithm, k in zip(selected["algorithm"], selected["k"]):
        block = labels[labels["algorithm"] == algorithm]
        assert sorted(block["customer_id"]) == sorted(blobs["customer_id"])
        assert (block["k"] == k).all()
        counts = block.loc[block["cluster"] >= 0, "cluster"].value_counts().sort_index()
        assert counts.index.tolist() == list(range(k))
        assert counts.is_monotonic_decreasing
        if algorithm != "hdbscan":
            assert (block["cluster"] >= 0).all()
        # The clusters recover the four groups (all rows, not only the sample).
        merged = block.merge(blobs[["customer_id", "truth"]])
        merged = merged[merged["cluster"] >= 0]
        purity = merged.groupby("cluster")["truth"].agg(
            lambda s: s.value_counts().iloc[0]
        )
        assert purity.sum() / len(merged) > 0.99


def test_refitted_selection_labels_as_the_evaluation_fit(blobs, result, labels):
    """Refitting each selected candidate alone (what the build's models after the
    evaluation do) labels every customer exactly as the evaluation's own fit."""
    frame = blobs.sort_values("customer_id")
    X = standardized_matrix(frame, result.table, NUMERIC, CATEGORICAL)
    prepared = CONFIG.prepare(result.sample, result.table)
    eval_index = np.searchsorted(
        frame["customer_id"].to_numpy(), prepared.ids[prepared.eval_index]
    )
    for estimator in result.estimators:
        expected = estimator.label(X, eval_index)
        got = labels.loc[labels["algorithm"] == estimator.name, "cluster"].to_numpy()
        np.testing.assert_array_equal(got, expected, err_msg=estimator.name)
    refitted = selected_estimators(result.evaluation, prepared, CONFIG)
    for estimator, again in zip(result.estimators, refitted, strict=True):
        np.testing.assert_array_equal(
            estimator.selected_.eval_labels, again.selected_.eval_labels
        )


def test_evaluation_is_deterministic_and_ignores_row_order(blobs, result, labels):
    assert_frame_equal(result.evaluation, run(blobs, CONFIG, 1_500).evaluation)
    shuffled = result.sample.sample(frac=1.0, random_state=5)
    assert_frame_equal(result.evaluation, evaluate_sample(shuffled, result.table, CONFIG))
    reordered = label_sample_customers(
        blobs.sample(frac=1.0, random_state=5),
        shuffled,
        result.table,
        result.evaluation,
        CONFIG,
    )
    assert_frame_equal(labels, reordered)


def test_small_tables_use_every_row():
    data = make_blobs(rows=300, seed=4)
    config = SampleConfig(tuple(NUMERIC), k_values=(2, 3, 4, 5))
    out = run(data, config, fit_rows=300, algorithms=("kmeans", "agglomerative"))
    assert (out.evaluation["n_eval_rows"] == 300).all()
    assert (out.evaluation["n_fit_rows"] == 300).all()
    assert out.evaluation.groupby("algorithm")["is_selected"].sum().eq(1).all()
    assert len(out.labels()) == 600


def test_registry_names_one_class_per_algorithm(result):
    assert list(ESTIMATORS) == list(ALGORITHMS)
    assert [type(e) for e in result.estimators] == list(ESTIMATORS.values())
    kmeans, gmm, agglomerative, hdbscan = result.estimators
    centroids = kmeans.parameters()
    assert centroids["parameter"].eq("centroid").all()
    np.testing.assert_array_equal(
        centroids["value"].to_numpy().reshape(4, -1),
        kmeans.selected_.model.cluster_centers_,
    )
    assert set(gmm.parameters()["parameter"]) == {
        "constant",
        "shift",
        "precision_cholesky",
    }
    sample_labels = agglomerative.parameters().query("parameter == 'sample_label'")
    assert len(sample_labels) == 800
    with pytest.raises(NotImplementedError, match="not in SQL"):
        hdbscan.parameters()


def test_unknown_algorithm_is_rejected(blobs, result):
    prepared = CONFIG.prepare(result.sample, result.table)
    with pytest.raises(ValueError, match="unknown"):
        fit_estimators(prepared, CONFIG, ("kmeans", "spectral"))
    with pytest.raises(ValueError, match="no algorithms"):
        fit_estimators(prepared, CONFIG, ())
    renamed = result.evaluation.replace({"algorithm": {"gmm": "spectral"}})
    with pytest.raises(ValueError, match="unknown"):
        selected_estimators(renamed, prepared, CONFIG)


def test_a_k_grid_that_fits_no_sample_is_rejected(blobs, result):
    prepared = CONFIG.prepare(result.sample, result.table)
    with pytest.raises(ValueError, match="no k in k_values fits 800"):
        KMeansClustering(replace(CONFIG, k_values=(1, 800))).fit(prepared)
    # HDBSCAN's grid is min_cluster_size, not k.
    assert HDBSCANClustering(CONFIG).default_grid(prepared) == [5, 8, 16, 40, 80]


def test_labelling_needs_one_selection_per_algorithm(result):
    doubled = result.evaluation.assign(is_selected=True)
    with pytest.raises(ValueError, match="more than one candidate"):
        result.labels(doubled)
