"""Tests for clustering comparison, PCA projection and feature importance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from scipy.cluster.hierarchy import cut_tree, ward
from scipy.spatial.distance import cdist
from sklearn.cluster import HDBSCAN
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.mixture import GaussianMixture

from customer_personality import clustering, density, projection
from customer_personality.clustering import (
    ALGORITHMS,
    EVALUATION_COLUMNS,
    LABEL_COLUMNS,
    build_feature_matrix,
    evaluate_clusterings,
    find_elbow,
    label_customers,
    project_pca,
    silhouette_scores,
)

NUMERIC = ["x1", "x2", "x3", "x4"]
CATEGORICAL = ["education_level"]


def make_blobs(rows: int = 2_400, seed: int = 0) -> pd.DataFrame:
    """Four well-separated round groups in four numeric columns, plus a category.

    The category follows the group (groups 0 and 3 share a level), so its indicators
    do not split a group in two: the feature space holds exactly four dense groups.
    """
    rng = np.random.default_rng(seed)
    centres = np.array(
        [[0, 0, 0, 0], [10, 0, 0, 0], [0, 10, 0, 0], [0, 0, 10, 0]], dtype=float
    )
    group = rng.integers(0, 4, rows)
    values = centres[group] + rng.normal(0, 1, size=(rows, 4))
    data = pd.DataFrame(values, columns=NUMERIC)
    levels = np.array(["Graduate", "Postgraduate", "Undergraduate"])
    data["education_level"] = levels[group % 3]
    data.insert(0, "customer_id", rng.permutation(rows).astype(np.int64) + 100)
    data["truth"] = group
    return data


@pytest.fixture(scope="module")
def blobs() -> pd.DataFrame:
    return make_blobs()


# The evaluation the module's tests share: small samples, so Ward and HDBSCAN assign.
EVALUATION = {
    "k_values": range(2, 8),
    "sample_size": 800,
    "fit_sample_size": 1_500,
    "random_state": 11,
}


@pytest.fixture(scope="module")
def result(blobs):
    return evaluate_clusterings(blobs, NUMERIC, CATEGORICAL, **EVALUATION)


def assert_plain_dtypes(frame: pd.DataFrame) -> None:
    for column, dtype in frame.dtypes.items():
        plain = dtype in (np.int64, np.float64, np.bool_)
        assert plain or pd.api.types.is_string_dtype(dtype), (column, dtype)


def test_feature_matrix_standardizes_and_one_hot_encodes(blobs):
    matrix = build_feature_matrix(blobs, NUMERIC, CATEGORICAL)
    assert matrix.values.dtype == np.float64
    assert matrix.columns == [
        *NUMERIC,
        "education_level_Graduate",
        "education_level_Postgraduate",
        "education_level_Undergraduate",
    ]
    assert matrix.groups == [*NUMERIC, *["education_level"] * 3]
    numeric = matrix.values[:, :4]
    np.testing.assert_allclose(numeric.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(numeric.std(axis=0), 1, atol=1e-12)
    np.testing.assert_array_equal(matrix.values[:, 4:].sum(axis=1), 1.0)


def test_feature_matrix_rejects_missing_numbers(blobs):
    broken = blobs.copy()
    broken.loc[0, "x2"] = np.nan
    with pytest.raises(ValueError, match="x2"):
        build_feature_matrix(broken, NUMERIC)


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


def test_evaluation_table_shape_and_metric_ranges(result):
    evaluation = result.evaluation
    assert list(evaluation.columns) == [
        *EVALUATION_COLUMNS,
        *clustering.SAMPLE_FIT_COLUMNS,  # lists; checked with label_customers
    ]
    assert_plain_dtypes(evaluation[list(EVALUATION_COLUMNS)])
    assert evaluation["algorithm"].unique().tolist() == list(ALGORITHMS)
    for algorithm in ("kmeans", "gmm", "agglomerative"):
        rows = evaluation[evaluation["algorithm"] == algorithm]
        assert rows["k"].tolist() == list(range(2, 8))
        assert rows["parameter"].isna().all()
    silhouette = evaluation["silhouette"].dropna()
    assert silhouette.between(-1, 1).all()
    assert (evaluation["davies_bouldin"].dropna() >= 0).all()
    assert (evaluation["calinski_harabasz"].dropna() >= 0).all()
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
    assert by_algorithm.loc["hdbscan", "noise_share"] <= 0.2
    assert by_algorithm.loc["hdbscan", "selection_reason"].startswith(
        "highest silhouette with two or more clusters, at most 20% noise and no "
        "cluster above 95% of customers, at min_cluster_size="
    )
    elbows = evaluation[evaluation["is_elbow"]].set_index("algorithm")["k"]
    assert elbows["kmeans"] == 4


def test_labels_cover_every_customer_with_size_ordered_ids(blobs, result):
    labels = result.labels
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


def test_evaluation_is_deterministic_and_ignores_row_order(blobs, result):
    kwargs = EVALUATION
    again = evaluate_clusterings(blobs, NUMERIC, CATEGORICAL, **kwargs)
    assert_frame_equal(result.evaluation, again.evaluation)
    assert_frame_equal(result.labels, again.labels)
    shuffled = blobs.sample(frac=1.0, random_state=5)
    reordered = evaluate_clusterings(shuffled, NUMERIC, CATEGORICAL, **kwargs)
    assert_frame_equal(result.evaluation, reordered.evaluation)
    assert_frame_equal(result.labels, reordered.labels)


def test_small_tables_use_every_row():
    data = make_blobs(rows=300, seed=4)
    out = evaluate_clusterings(
        data, NUMERIC, k_values=[2, 3, 4, 5], algorithms=("kmeans", "agglomerative")
    )
    assert (out.evaluation["n_eval_rows"] == 300).all()
    assert (out.evaluation["n_fit_rows"] == 300).all()
    assert out.evaluation.groupby("algorithm")["is_selected"].sum().eq(1).all()
    assert len(out.labels) == 600


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


DENSITY_EVALUATION = {
    "k_values": range(2, 7),
    "sample_size": 1_000,  # 2,000 of the 3,000 rows are assigned, not fitted
    "fit_sample_size": 1_000,
    "random_state": 3,
}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_hdbscan_finds_dense_clusters_among_noise(seed):
    data = make_density_data(seed=seed)
    out = evaluate_clusterings(
        data, DENSITY_COLUMNS, algorithms=("hdbscan",), **DENSITY_EVALUATION
    )
    selected = out.evaluation[out.evaluation["is_selected"]]
    assert len(selected) == 1 and selected["k"].iloc[0] == 4
    labels = out.labels.merge(data[["customer_id", "truth"]])
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
    out = evaluate_clusterings(
        data, DENSITY_COLUMNS, algorithms=("kmeans", "hdbscan"), **DENSITY_EVALUATION
    )
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
    assert out.labels["algorithm"].unique().tolist() == ["kmeans"]
    labels = label_customers(
        data, evaluation, DENSITY_COLUMNS, sample_size=1_000, fit_sample_size=1_000,
        random_state=3,
    )  # fmt: skip
    assert_frame_equal(labels, out.labels)


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


def test_evaluation_without_assignment_has_the_same_evaluation(blobs, result):
    quick = evaluate_clusterings(blobs, NUMERIC, CATEGORICAL, **EVALUATION, assign=False)
    assert_frame_equal(quick.evaluation, result.evaluation)
    assert list(quick.labels.columns) == list(LABEL_COLUMNS) and quick.labels.empty


def test_unknown_algorithm_is_rejected(blobs):
    with pytest.raises(ValueError, match="unknown"):
        evaluate_clusterings(blobs, NUMERIC, algorithms=("kmeans", "spectral"))


def test_project_pca_shape_variance_and_signs(blobs):
    out = project_pca(blobs, NUMERIC, CATEGORICAL, n_components=3)
    ratio_columns = [f"explained_variance_ratio_{j}" for j in (1, 2, 3)]
    assert list(out.columns) == ["customer_id", "pc1", "pc2", "pc3", *ratio_columns]
    assert_plain_dtypes(out)
    assert len(out) == len(blobs) and out["customer_id"].is_monotonic_increasing
    ratios = out[ratio_columns].iloc[0].to_numpy()
    assert (ratios > 0).all() and (ratios <= 1).all() and ratios.sum() <= 1 + 1e-12
    assert (np.diff(ratios) <= 0).all()
    assert (out[ratio_columns].nunique() == 1).all()
    # Same subspace and variances as sklearn's PCA (up to the sign of each axis).
    ordered = blobs.sort_values("customer_id")
    X = build_feature_matrix(ordered, NUMERIC, CATEGORICAL).values
    reference = PCA(n_components=3).fit(X)
    np.testing.assert_allclose(ratios, reference.explained_variance_ratio_, rtol=1e-10)
    expected = reference.transform(X)
    scores = out[["pc1", "pc2", "pc3"]].to_numpy()
    np.testing.assert_allclose(np.abs(scores), np.abs(expected), atol=1e-8)
    np.testing.assert_allclose(scores.mean(axis=0), 0, atol=1e-10)


def test_project_pca_sample_fit_projects_every_row(blobs):
    out = project_pca(blobs, NUMERIC, n_components=2, sample_size=500, random_state=1)
    assert len(out) == len(blobs) and out[["pc1", "pc2"]].notna().all().all()
    assert_frame_equal(
        out, project_pca(blobs, NUMERIC, n_components=2, sample_size=500, random_state=1)
    )
    with pytest.raises(ValueError):
        project_pca(blobs, NUMERIC, n_components=9)


@pytest.mark.parametrize("stored", [True, False])
def test_label_customers_reproduces_the_evaluation_labels(blobs, result, stored):
    """From the stored sample fits (agglomerative, DBSCAN) or refitting every selected
    candidate, the labels are exactly the evaluation's."""
    evaluation = result.evaluation
    selected = evaluation[evaluation["is_selected"]].set_index("algorithm")
    assert selected["sample_labels"].notna().tolist() == [
        algorithm in clustering.SAMPLE_FITTED for algorithm in selected.index
    ]
    assert len(selected.loc["agglomerative", "sample_labels"]) == 800
    assert evaluation.loc[~evaluation["is_selected"], "sample_labels"].isna().all()
    if not stored:
        evaluation = evaluation.drop(columns=list(clustering.SAMPLE_FIT_COLUMNS))
    labels = label_customers(
        blobs,
        evaluation,
        NUMERIC,
        CATEGORICAL,
        sample_size=800,
        fit_sample_size=1_500,
        random_state=11,
    )
    order = ["algorithm", "customer_id"]
    expected = result.labels.sort_values(order).reset_index(drop=True)
    pd.testing.assert_frame_equal(
        labels.sort_values(order).reset_index(drop=True), expected
    )
    with pytest.raises(ValueError, match="sample has 700 rows"):
        label_customers(
            blobs, result.evaluation, NUMERIC, CATEGORICAL, sample_size=700,
            fit_sample_size=1_500, random_state=11,
        )  # fmt: skip


def test_label_customers_needs_one_selection_per_algorithm(blobs, result):
    doubled = result.evaluation.assign(is_selected=True)
    with pytest.raises(ValueError, match="more than one candidate"):
        label_customers(blobs, doubled, NUMERIC, CATEGORICAL)


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
        np.testing.assert_array_equal(clustering.cut_linkage(tree, k_values), expected)
    with pytest.raises(ValueError, match="into 0 clusters"):
        clustering.cut_linkage(tree, [0])


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
            clustering._gmm_predict(model, queries), model.predict(queries)
        )


def sql_sample(data: pd.DataFrame, size: int, seed: int = 3) -> pd.DataFrame:
    """A sample as int_cluster_sample gives it: `size` rows in a seeded order, each
    with its sample_position, returned shuffled (SQL promises no order)."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(data))[:size]
    sample = data.iloc[order].copy()
    sample["sample_position"] = np.arange(1, len(order) + 1)
    return sample.sample(frac=1.0, random_state=seed)


def test_prepare_sample_nests_the_evaluation_sample_in_the_fit_sample(blobs):
    sample = sql_sample(blobs, 1_000)
    ordered = blobs.sort_values("customer_id")
    table = projection.standardizer(ordered, NUMERIC, CATEGORICAL)
    prepared = clustering.prepare_sample(sample, table, NUMERIC, CATEGORICAL, 300)
    by_position = sample.sort_values("sample_position")["customer_id"]
    assert prepared.ids.tolist() == sorted(sample["customer_id"])
    assert prepared.ids[prepared.eval_index].tolist() == sorted(by_position[:300])
    assert prepared.X_fit.shape == (1_000, 7)
    # Standardized over every customer (the table), not over the sample.
    every = build_feature_matrix(ordered, NUMERIC, CATEGORICAL)
    rows = np.searchsorted(ordered["customer_id"].to_numpy(), prepared.ids)
    np.testing.assert_array_equal(prepared.X, every.values[rows])


def test_sample_config_reads_every_var_from_dbt():
    values = {
        "cluster_numeric_features": ["income", "age"],
        "cluster_categorical_features": [],
        "cluster_sample_size": "700",
        "random_seed": 3,
        "cluster_k_min": 2,
        "cluster_k_max": 4,
        "cluster_max_noise_share": 0.1,
        "cluster_max_cluster_share": 0.9,
        "stability_resamples": 5,
        "stability_sample_size": 400,
    }
    config = clustering.SampleConfig.from_dbt(values)
    assert config == clustering.SampleConfig(
        ("income", "age"), (), 700, 3, (2, 3, 4), 0.1, 0.9, 5, 400
    )


def test_evaluate_sample_of_every_row_is_evaluate_clusterings():
    data = make_blobs(900, seed=4)
    expected = evaluate_clusterings(
        data, NUMERIC, CATEGORICAL, range(2, 6), sample_size=900, fit_sample_size=900
    ).evaluation
    table = projection.standardizer(data, NUMERIC, CATEGORICAL)
    config = clustering.SampleConfig(
        tuple(NUMERIC), tuple(CATEGORICAL), sample_size=900, k_values=(2, 3, 4, 5)
    )
    got = clustering.evaluate_sample(sql_sample(data, 900), table, config)
    # The build carries no sample labels: the next models refit what they need.
    assert_frame_equal(got, expected.drop(columns=["sample_labels"]))
