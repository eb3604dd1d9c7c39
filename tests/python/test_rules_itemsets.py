"""customer_personality.rules.itemsets: frequent itemsets, mlxtend's Apriori and
FP-growth and the bitmask engine agreeing, from the long table and from the build's
bitmasks, with exact counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from customer_personality.rules import (
    ALGORITHMS,
    ITEMSET_COLUMNS,
    basket_frame,
    mask_matrix,
    mine_itemsets,
    mine_itemsets_from_masks,
)
from helpers.rules import LEVELS, synthetic_long


@pytest.mark.parametrize("min_support", [0.08, 0.02])
@pytest.mark.parametrize("max_len", [None, 3])
def test_algorithms_agree(
    data: tuple[np.ndarray, np.ndarray], min_support: float, max_len: int | None
) -> None:
    found = {
        algorithm: mine_itemsets(*data, min_support, max_len, algorithm)
        for algorithm in ALGORITHMS
    }
    reference = found["apriori"]
    assert list(reference.columns) == ITEMSET_COLUMNS
    assert len(reference) > (500 if min_support == 0.08 else 4000)
    if max_len is not None:
        assert reference["length"].max() == max_len
    for algorithm in ("fpgrowth", "bitmask"):
        pd.testing.assert_frame_equal(found[algorithm], reference, check_exact=True)


def test_itemset_counts_are_exact(
    data: tuple[np.ndarray, np.ndarray], itemsets_008: pd.DataFrame
) -> None:
    onehot = basket_frame(*data)
    n = len(onehot)
    assert n == len(np.unique(data[0]))
    assert (itemsets_008["support"] == itemsets_008["customers"] / n).all()
    assert (itemsets_008["customers"] >= 0.08 * n).all()
    sample = itemsets_008.sample(300, random_state=0)
    for itemset, customers in zip(sample["itemset"], sample["customers"], strict=True):
        assert onehot[itemset].all(axis=1).sum() == customers
    # Canonical order: by length, then items; each itemset sorted and distinct.
    keys = [(len(s), s) for s in itemsets_008["itemset"]]
    assert keys == sorted(keys)
    assert all(s == sorted(set(s)) for s in itemsets_008["itemset"])
    assert (itemsets_008["length"] == itemsets_008["itemset"].map(len)).all()


@pytest.mark.parametrize(
    ("levels", "noise", "min_support"),
    [((9,) * 9, 0.3, 0.01), ((5,) * 12, 0.6, 0.02)],  # 81 items, 60 items
)
def test_bitmask_edge_layouts(
    levels: tuple[int, ...], noise: float, min_support: float
) -> None:
    """More than 64 frequent items (several words), 54-64 items (32-bit halves),
    repeated (customer, item) rows, Arrow input and a table sorted by customer."""
    ids, items = synthetic_long(3000, seed=3, levels=levels, noise=noise)
    expected = mine_itemsets(ids, items, min_support, algorithm="apriori")
    assert len(expected) > 2000 and expected["length"].max() >= 5
    by_id = np.argsort(ids, kind="stable")
    variants = {
        "shuffled": (ids, items),
        "repeated rows": (np.r_[ids, ids[:500]], np.r_[items, items[:500]]),
        "sorted": (ids[by_id], items[by_id]),
        "arrow": (
            pa.chunked_array([ids[:7000], ids[7000:]]),
            pa.chunked_array([items[:7000].tolist(), items[7000:].tolist()]),
        ),
    }
    for name, (i, it) in variants.items():
        got = mine_itemsets(i, it, min_support, algorithm="bitmask")
        pd.testing.assert_frame_equal(got, expected, check_exact=True, obj=name)


def _mask_columns(
    ids: np.ndarray, items: np.ndarray, names: list[str], rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """What int_basket_masks holds: mask_<w> words (bit = position in `names`) and
    customers per row; identical baskets split over several rows at random."""
    code = {name: i for i, name in enumerate(names)}
    n_words = (len(names) + 63) // 64
    customers, position = np.unique(ids, return_inverse=True)
    masks = np.zeros((len(customers), n_words), dtype=np.uint64)
    for row, item in zip(position, items, strict=True):
        masks[row, code[item] // 64] |= np.uint64(1) << np.uint64(code[item] % 64)
    distinct, counts = np.unique(masks, axis=0, return_counts=True)
    rows, weights = [], []
    for basket, count in zip(distinct, counts, strict=True):
        first = int(rng.integers(1, count + 1))
        rows.append(basket)
        weights.append(first)
        if first < count:
            rows.append(basket)
            weights.append(int(count - first))
    order = rng.permutation(len(rows))
    stacked = np.array(rows)[order]
    columns = {f"mask_{w}": stacked[:, w] for w in range(n_words)}
    columns["customers"] = np.array(weights, dtype=np.int64)[order]
    return columns


@pytest.mark.parametrize(
    ("levels", "noise", "min_support"),
    [(LEVELS, 0.8, 0.02), ((9,) * 9, 0.3, 0.01)],  # 45 items (1 word), 81 (2 words)
)
def test_itemsets_from_masks_equal_long_table(
    levels: tuple[int, ...], noise: float, min_support: float
) -> None:
    """Mining int_basket_masks-style bitmasks gives mine_itemsets' table row for row,
    whatever order the bits give the items and however baskets are split over rows."""
    ids, items = synthetic_long(3000, seed=5, levels=levels, noise=noise)
    rng = np.random.default_rng(11)
    names = list(rng.permutation(sorted(set(items))))  # bit order is not name order
    columns = _mask_columns(ids, items, names, rng)
    assert len(columns["customers"]) > len(np.unique(columns["mask_0"]))  # repeats
    expected = mine_itemsets(ids, items, min_support, algorithm="apriori")
    assert len(expected) > 1000
    got = mine_itemsets_from_masks(
        mask_matrix(columns), columns["customers"], names, min_support
    )
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    short = mine_itemsets_from_masks(
        mask_matrix(columns), columns["customers"], names, min_support, max_len=2
    )
    expected_short = mine_itemsets(ids, items, min_support, 2, algorithm="apriori")
    pd.testing.assert_frame_equal(short, expected_short, check_exact=True)


def test_itemsets_from_masks_validation() -> None:
    one = np.array([0b011, 0b110], dtype=np.uint64)[:, None]
    with pytest.raises(ValueError, match="mask_0"):
        mask_matrix({"mask_1": one[:, 0], "customers": np.array([1, 1])})
    with pytest.raises(ValueError, match="same length"):
        mine_itemsets_from_masks(one, np.array([1]), ["a", "b", "c"])
    with pytest.raises(ValueError, match="past the last item"):
        mine_itemsets_from_masks(one, np.array([1, 1]), ["a", "b"])
    with pytest.raises(ValueError, match="fewer than one customer"):
        mine_itemsets_from_masks(one, np.array([1, 0]), ["a", "b", "c"])
    with pytest.raises(ValueError, match="distinct"):
        mine_itemsets_from_masks(one, np.array([1, 1]), ["a", "b", "a"])
    with pytest.raises(ValueError, match="min_support"):
        mine_itemsets_from_masks(one, np.array([1, 1]), ["a", "b", "c"], 0.0)
    found = mine_itemsets_from_masks(one, np.array([3, 1]), ["a", "b", "c"], 0.5)
    assert found["itemset"].tolist() == [["a"], ["b"], ["a", "b"]]
    assert found["customers"].tolist() == [3, 4, 3]
    empty = mine_itemsets_from_masks(one[:0], np.array([], dtype=np.int64), ["a"])
    assert empty.empty and list(empty.columns) == ITEMSET_COLUMNS


def test_threshold_is_float_support_like_apriori() -> None:
    """0.07 * 100 rounds up to 7.000000000000001: an itemset of exactly 7 of 100
    customers has support 0.07 >= 0.07 and is frequent (mlxtend's fpgrowth prunes
    with ceil(min_support * n) = 8 and misses it)."""
    ids = np.repeat(np.arange(100), 2)
    items = np.array([i for c in range(100) for i in ("ab" if c < 7 else "xy")])
    for algorithm in ("apriori", "bitmask"):
        found = mine_itemsets(ids, items, 0.07, algorithm=algorithm)
        assert ["a", "b"] in found["itemset"].tolist()
        assert found["customers"].tolist() == [7, 7, 93, 93, 7, 93]


def test_itemsets_validation_and_empty(data: tuple[np.ndarray, np.ndarray]) -> None:
    with pytest.raises(ValueError, match="apriori, fpgrowth, bitmask"):
        mine_itemsets(*data, algorithm="eclat")
    with pytest.raises(ValueError, match="min_support"):
        mine_itemsets(*data, min_support=0.0)
    with pytest.raises(ValueError, match="min_support"):
        mine_itemsets(*data, min_support=1.5)
    with pytest.raises(ValueError, match="max_len"):
        mine_itemsets(*data, max_len=0)
    with pytest.raises(ValueError, match="same length"):
        mine_itemsets(data[0][:-1], data[1])
    with pytest.raises(ValueError, match="null"):
        mine_itemsets(np.array([1, 2]), np.array(["a=1", None], dtype=object))
    for algorithm in ALGORITHMS:
        empty = mine_itemsets(*data, min_support=1.0, algorithm=algorithm)
        assert empty.empty and list(empty.columns) == ITEMSET_COLUMNS
        singles = mine_itemsets(*data, min_support=0.08, max_len=1, algorithm=algorithm)
        assert (singles["length"] == 1).all() and len(singles) == len(set(data[1]))
