"""customer_personality.clustering.importance: the forest finds the feature that made
each clustering."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.testing import assert_frame_equal

from customer_personality.clustering.importance import (
    IMPORTANCE_COLUMNS,
    feature_importance,
)
from helpers.clustering import assert_plain_dtypes


def test_feature_importance_finds_the_informative_feature():
    rng = np.random.default_rng(6)
    rows = 3_000
    data = pd.DataFrame(rng.normal(size=(rows, 5)), columns=[f"f{j}" for j in range(5)])
    data["colour"] = np.array(["red", "green", "blue"])[rng.integers(0, 3, rows)]
    data.insert(0, "customer_id", np.arange(rows, dtype=np.int64))
    informative = np.digitize(data["f3"], [-0.5, 0.5])  # three clusters from f3 only
    by_colour = pd.Categorical(data["colour"]).codes  # clusters from the category
    labels = pd.concat(
        [
            pd.DataFrame(
                {"customer_id": data["customer_id"], "algorithm": "kmeans", "k": 3}
                | {"cluster": informative}
            ),
            pd.DataFrame(
                {"customer_id": data["customer_id"], "algorithm": "gmm", "k": 3}
                | {"cluster": by_colour}
            ),
        ],
        ignore_index=True,
    )
    numeric = [f"f{j}" for j in range(5)]
    out = feature_importance(
        data, labels, numeric, ["colour"], sample_size=2_000, n_estimators=40
    )
    assert list(out.columns) == list(IMPORTANCE_COLUMNS)
    assert_plain_dtypes(out)
    assert out["algorithm"].unique().tolist() == ["kmeans", "gmm"]
    for algorithm, winner in (("kmeans", "f3"), ("gmm", "colour")):
        block = out[out["algorithm"] == algorithm].set_index("feature")
        assert sorted(block["rank"]) == list(range(1, 7))
        assert block["rank"].idxmin() == winner
        assert block.loc[winner, "importance_mean"] > 0.3
        others = block.drop(index=winner)["importance_mean"]
        assert (others.abs() < 0.05).all()
        assert (block["test_accuracy"] > 0.95).all()
        assert (block["n_test_rows"] == 500).all() and (
            block["n_train_rows"] == 1_500
        ).all()
    again = feature_importance(
        data, labels, numeric, ["colour"], sample_size=2_000, n_estimators=40
    )
    assert_frame_equal(out, again)
