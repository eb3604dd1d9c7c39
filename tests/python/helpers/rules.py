"""Basket test data: long (customer_id, item) arrays of correlated customer attributes
(test_rules_itemsets, test_rules_metrics)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_personality.rules import mine_itemsets

LEVELS = (2, 3, 3, 4, 4, 3, 5, 3, 4, 3, 2, 4, 5)  # 13 attributes, 45 items


def synthetic_long(
    n: int, seed: int = 7, levels: tuple[int, ...] = LEVELS, noise: float = 0.8
) -> tuple[np.ndarray, np.ndarray]:
    """Long (customer_id, item) arrays: attributes binned from two latent factors plus
    noise, so values are correlated the way customer attributes are."""
    rng = np.random.default_rng(seed)
    latent = rng.standard_normal((n, 2))
    scores = latent @ rng.uniform(-1.0, 1.0, (2, len(levels)))
    scores += noise * rng.standard_normal((n, len(levels)))
    columns = []
    for a, k in enumerate(levels):
        cuts = np.quantile(scores[:, a], np.linspace(0.0, 1.0, k + 1)[1:-1])
        values = np.digitize(scores[:, a], cuts).astype(str)
        columns.append(np.char.add(f"attr{a:02d}=v", values))
    items = np.stack(columns, axis=1).ravel().astype(object)
    ids = np.repeat(rng.permutation(n).astype(np.int64) * 3 + 1000, len(levels))
    shuffle = rng.permutation(len(items))
    return ids[shuffle], items[shuffle]


# Fixtures of the rules' tests (registered by conftest's pytest_plugins): synthetic
# baskets and their itemsets at support 0.08, once per test module.
@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    return synthetic_long(5000)


@pytest.fixture(scope="module")
def itemsets_008(data: tuple[np.ndarray, np.ndarray]) -> pd.DataFrame:
    return mine_itemsets(*data, min_support=0.08, algorithm="bitmask")
