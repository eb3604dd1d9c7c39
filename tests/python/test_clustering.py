"""Tests for the clustering package: the four algorithms' classes fitted on a SQL-like
seeded sample, their selection rules, labels of every customer, and the helpers."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from scipy.cluster.hierarchy import cut_tree, ward
from scipy.spatial.distance import cdist
from sklearn.cluster import HDBSCAN
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.mixture import GaussianMixture

from conftest import sql_sample
from customer_personality.clustering import (
    ALGORITHMS,
    ESTIMATORS,
    EVALUATION_COLUMNS,
    LABEL_COLUMNS,
    HDBSCANClustering,
    KMeansClustering,
    SampleConfig,
    build_feature_matrix,
    cut_linkage,
    density,
    evaluate_sample,
    find_elbow,
    fit_estimators,
    label_sample_customers,
    selected_estimators,
    silhouette_scores,
)
from customer_personality.clustering.evaluation import evaluation_frame
from customer_personality.clustering.mixture import _gmm_predict
from customer_personality.core import standardize as projection

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


@dataclass
class Run:
    """One clustering run as the build makes it, on a table of customers."""

    data: pd.DataFrame
    sample: pd.DataFrame
    table: pd.DataFrame
    config: SampleConfig
    estimators: list
    evaluation: pd.DataFrame

    def labels(self, evaluation: pd.DataFrame | None = None) -> pd.DataFrame:
        """Every customer under the selected candidates, refitted from the table."""
        evaluation = self.evaluation if evaluation is None else evaluation
        return label_sample_customers(
            self.data, self.sample, self.table, evaluation, self.config
        )


def run(
    data: pd.DataFrame,
    config: SampleConfig,
    fit_rows: int,
    algorithms: tuple[str, ...] = ALGORITHMS,
) -> Run:
    """The classes fitted on a SQL-like sample of `fit_rows` customers (the
    evaluation sample: its first config.sample_size), standardized over all."""
    sample = sql_sample(data, fit_rows, config.random_state)
    ordered = data.sort_values("customer_id")
    table = projection.standardizer(ordered, config.numeric, config.categorical)
    estimators, rows = fit_estimators(config.prepare(sample, table), config, algorithms)
    return Run(data, sample, table, config, estimators, evaluation_frame(rows))


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
    X = projection.standardized_matrix(frame, result.table, NUMERIC, CATEGORICAL)
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


def test_prepare_sample_nests_the_evaluation_sample_in_the_fit_sample(blobs):
    sample = sql_sample(blobs, 1_000)
    ordered = blobs.sort_values("customer_id")
    table = projection.standardizer(ordered, NUMERIC, CATEGORICAL)
    config = SampleConfig(tuple(NUMERIC), tuple(CATEGORICAL), sample_size=300)
    prepared = config.prepare(sample, table)
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
        "stability_quadratic_sample_size": "150",
    }
    config = SampleConfig.from_dbt(values)
    assert config == SampleConfig(
        ("income", "age"), (), 700, 3, (2, 3, 4), 0.1, 0.9, 5, 400, 150
    )
