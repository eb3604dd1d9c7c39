"""What drives each clustering: a random forest learns each customer's cluster from
the features, and a feature's importance is the held-out accuracy lost when it is
shuffled (permutation importance)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier

from customer_personality.clustering.evaluation import ALGORITHMS
from customer_personality.clustering.features import (
    FeatureMatrix,
    _sample_prefixes,
    _sorted_frame,
    build_feature_matrix,
)

IMPORTANCE_COLUMNS: tuple[str, ...] = (
    "algorithm",
    "k",
    "feature",
    "importance_mean",
    "importance_std",
    "rank",
    "test_accuracy",
    "n_train_rows",
    "n_test_rows",
)


def _permutation_drops(
    model: RandomForestClassifier,
    X_test: np.ndarray,
    y_test: np.ndarray,
    baseline: float,
    column_groups: Sequence[np.ndarray],
    n_repeats: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Accuracy drop (groups, repeats) when each group's columns are shuffled together.

    Every shuffled copy of the test rows goes through one predict call: a forest's
    per-call overhead is paid once, and each row's vote is what a call of its own
    would give.
    """
    n = len(X_test)
    stacked = np.tile(X_test, (len(column_groups) * n_repeats, 1))
    block = 0
    for columns in column_groups:
        for _ in range(n_repeats):
            rows = slice(block * n, (block + 1) * n)
            stacked[rows, columns] = X_test[rng.permutation(n)][:, columns]
            block += 1
    hits = model.predict(stacked) == np.tile(y_test, len(column_groups) * n_repeats)
    return baseline - hits.reshape(len(column_groups), n_repeats, n).mean(axis=2)


@dataclass(frozen=True)
class ForestSettings:
    """The random forest and the permutations of feature_importance."""

    test_size: float
    n_estimators: int
    max_depth: int | None
    max_samples: float | None
    n_repeats: int


def _importance_rows(
    matrix: FeatureMatrix,
    y: np.ndarray,
    features: Sequence[str],
    forest: ForestSettings,
    n_jobs: int,
    random_state: int,
) -> list[dict]:
    """One clustering: a forest on a seeded train split, then each feature's held-out
    accuracy drop when its columns are shuffled."""
    rng = np.random.default_rng(random_state)
    order = rng.permutation(len(y))
    n_test = max(1, round(forest.test_size * len(y)))
    test, train = np.sort(order[:n_test]), np.sort(order[n_test:])
    model = RandomForestClassifier(
        n_estimators=forest.n_estimators,
        max_depth=forest.max_depth,
        min_samples_leaf=5,
        max_samples=forest.max_samples,
        n_jobs=n_jobs,
        random_state=random_state,
    ).fit(matrix.values[train], y[train])
    # Predict on one thread: trees' votes are then summed in a fixed order.
    model.set_params(n_jobs=1)
    X_test, y_test = matrix.values[test], y[test]
    accuracy = float((model.predict(X_test) == y_test).mean())
    groups = np.asarray(matrix.groups)
    all_drops = _permutation_drops(
        model,
        X_test,
        y_test,
        accuracy,
        [np.flatnonzero(groups == feature) for feature in features],
        forest.n_repeats,
        rng,
    )
    return [
        {
            "feature": feature,
            "importance_mean": float(drops.mean()),
            "importance_std": float(drops.std()),
            "test_accuracy": accuracy,
            "n_train_rows": len(train),
            "n_test_rows": len(test),
        }
        for feature, drops in zip(features, all_drops, strict=True)
    ]


def feature_importance(
    data: pd.DataFrame,
    labels_long: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str] = (),
    random_state: int = 42,
    sample_size: int = 20_000,
    test_size: float = 0.25,
    n_estimators: int = 100,
    max_depth: int | None = 10,
    max_samples: float | None = 0.5,
    n_repeats: int = 5,
    n_jobs: int = 2,
    id_column: str = "customer_id",
) -> pd.DataFrame:
    """Which input features drive each clustering: forest + permutation importance.

    For every algorithm in `labels_long` (columns customer_id, algorithm, k, cluster):
    a forest learns the cluster from the features on a seeded sample, and importance
    is the held-out accuracy lost when a feature is shuffled (a categorical feature's
    indicators together), averaged over `n_repeats`. rank 1 is the most important;
    ties keep the input order. test_accuracy is the forest's held-out accuracy.
    The forest is kept small (depth, leaf size, half-size bootstrap) to stay fast:
    it only has to rank features, not to be the best classifier.
    """
    frame = _sorted_frame(data, id_column, [*numeric, *categorical])
    present = {str(a) for a in labels_long["algorithm"].unique()}
    known = [a for a in ALGORITHMS if a in present]
    others = sorted(present - set(ALGORITHMS))
    forest = ForestSettings(test_size, n_estimators, max_depth, max_samples, n_repeats)
    results = []
    for algorithm in known + others:
        block = labels_long[labels_long["algorithm"] == algorithm]
        cluster = block.set_index("customer_id")["cluster"]
        labelled = frame[frame[id_column].isin(cluster.index)]
        index = _sample_prefixes(len(labelled), [sample_size], random_state)[0]
        sample = labelled.iloc[index]
        matrix = build_feature_matrix(sample, numeric, categorical)
        y = cluster.reindex(sample[id_column]).to_numpy(np.int64)
        head = {"algorithm": algorithm, "k": int(block["k"].iloc[0])}
        rows = _importance_rows(
            matrix, y, [*numeric, *categorical], forest, n_jobs, random_state
        )
        results += [{**head, **row} for row in rows]
    out = pd.DataFrame(results, columns=[c for c in IMPORTANCE_COLUMNS if c != "rank"])
    out["rank"] = (
        out.groupby("algorithm", sort=False)["importance_mean"]
        .rank(method="first", ascending=False)
        .astype(np.int64)
    )
    out = out[list(IMPORTANCE_COLUMNS)].astype(
        {"algorithm": "str", "feature": "str", "k": np.int64}
    )
    return out.reset_index(drop=True)
