"""Frequent itemsets and association rules: mlxtend and the bitmask engine agree,
metrics are exact count ratios, and the hand-computed example holds."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from mlxtend.frequent_patterns import apriori, association_rules

from customer_personality.rules import (
    ALGORITHMS,
    ITEMSET_COLUMNS,
    RULE_COLUMNS,
    association_rules_arrow,
    association_rules_table,
    basket_frame,
    basket_matrix,
    mask_matrix,
    mine_itemsets,
    mine_itemsets_from_masks,
)

LEVELS = (2, 3, 3, 4, 4, 3, 5, 3, 4, 3, 2, 4, 5)  # 13 attributes, 45 items
METRICS = [
    "antecedent_support",
    "consequent_support",
    "support",
    "confidence",
    "lift",
    "leverage",
    "conviction",
    "zhangs_metric",
]


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


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    return synthetic_long(5000)


@pytest.fixture(scope="module")
def itemsets_008(data: tuple[np.ndarray, np.ndarray]) -> pd.DataFrame:
    return mine_itemsets(*data, min_support=0.08, algorithm="bitmask")


# ------------------------------------------------------------------ one-hot basket


def test_basket_matrix_hand_made() -> None:
    ids = np.array([30, 10, 10, 20, 30, 10, 30])
    items = np.array(["b=1", "c=0", "a=1", "b=1", "a=0", "c=0", "c=1"], dtype=object)
    matrix, names = basket_matrix(ids, items)
    assert names.tolist() == ["a=0", "a=1", "b=1", "c=0", "c=1"]
    assert matrix.dtype == bool
    expected = np.array(
        [
            [0, 1, 0, 1, 0],  # customer 10 (c=0 twice counts once)
            [0, 0, 1, 0, 0],  # customer 20
            [1, 0, 1, 0, 1],  # customer 30
        ],
        dtype=bool,
    )
    np.testing.assert_array_equal(matrix.toarray(), expected)

    arrow_matrix, arrow_names = basket_matrix(pa.array(ids), pa.array(items.tolist()))
    np.testing.assert_array_equal(arrow_matrix.toarray(), expected)
    assert arrow_names.tolist() == names.tolist()

    frame = basket_frame(ids, items)
    assert frame.index.tolist() == [10, 20, 30]
    assert frame.columns.tolist() == names.tolist()
    assert all(dtype == np.bool_ for dtype in frame.dtypes)
    np.testing.assert_array_equal(frame.to_numpy(), expected)
    sparse = basket_frame(ids, items, sparse=True)
    assert hasattr(sparse, "sparse")
    np.testing.assert_array_equal(sparse.sparse.to_dense().to_numpy(), expected)
    dense_sets = apriori(frame, min_support=0.3, use_colnames=True)
    sparse_sets = apriori(sparse, min_support=0.3, use_colnames=True)
    assert len(dense_sets) == 10  # 5 items, 4 pairs, 1 triple seen in some basket
    assert set(dense_sets["itemsets"]) == set(sparse_sets["itemsets"])


# -------------------------------------------------------------------- itemsets


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


# ----------------------------------------------------------------------- rules

# Five baskets; bread 4, milk 4, butter 3, bread&milk 3, bread&butter 3,
# butter&milk 2, all three 2 (n = 5).
TINY = {
    1: ["bread", "milk"],
    2: ["bread", "butter", "milk"],
    3: ["bread", "butter"],
    4: ["milk"],
    5: ["bread", "butter", "milk"],
}


def tiny_long() -> tuple[np.ndarray, np.ndarray]:
    ids = np.array([c for c, basket in TINY.items() for _ in basket])
    items = np.array([i for basket in TINY.values() for i in basket], dtype=object)
    return ids, items


def test_tiny_example_by_hand() -> None:
    itemsets = mine_itemsets(*tiny_long(), min_support=0.4)
    assert itemsets["itemset"].tolist() == [
        ["bread"], ["butter"], ["milk"],
        ["bread", "butter"], ["bread", "milk"], ["butter", "milk"],
        ["bread", "butter", "milk"],
    ]  # fmt: skip
    assert itemsets["customers"].tolist() == [4, 3, 4, 3, 3, 2, 2]
    assert itemsets["support"].tolist() == [0.8, 0.6, 0.8, 0.6, 0.6, 0.4, 0.4]

    rules = association_rules_table(itemsets, n_customers=5)
    assert list(rules.columns) == RULE_COLUMNS
    assert rules["rule"].tolist() == [
        "butter & milk => bread",
        "butter => bread",
        "bread => butter",
        "bread & milk => butter",
        "butter => bread & milk",
        "bread => butter & milk",
    ]
    by_rule = rules.set_index("rule")
    r = by_rule.loc["butter => bread"]
    assert (r.support, r.confidence, r.customers) == (0.6, 1.0, 3)
    assert r.lift == pytest.approx(1.25, abs=1e-15)
    assert r.leverage == pytest.approx(0.12, abs=1e-15)
    assert np.isnan(r.conviction)  # confidence 1: infinite conviction stored as NaN
    assert r.zhangs_metric == pytest.approx(0.5, abs=1e-15)
    r = by_rule.loc["bread => butter"]
    assert (r.antecedent_support, r.consequent_support, r.confidence) == (0.8, 0.6, 0.75)
    assert r.conviction == pytest.approx(1.6, abs=1e-15)
    assert r.zhangs_metric == pytest.approx(1.0, abs=1e-15)
    r = by_rule.loc["bread => butter & milk"]
    assert (r.support, r.confidence, r.customers) == (0.4, 0.5, 2)
    assert r.lift == pytest.approx(1.25, abs=1e-15)
    assert (r.antecedent_length, r.consequent_length) == (1, 2)
    assert r.consequents == ["butter", "milk"]

    everything = association_rules_table(itemsets, 5, min_lift=0.0)
    assert len(everything) == 3 * 2 + 6  # 2 rules per pair, 6 splits of the triple
    lifts = everything.set_index("rule")["lift"]
    assert lifts["bread => milk"] == pytest.approx(0.9375, abs=1e-15)
    assert lifts["butter => milk"] == pytest.approx(5 / 6, abs=1e-15)
    strict = association_rules_table(itemsets, 5, min_confidence=0.7, min_lift=1.2)
    assert strict["rule"].tolist() == rules["rule"].tolist()[:3]


def _mlxtend_rules(
    itemsets: pd.DataFrame, n: int, min_confidence: float, min_lift: float
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"support": itemsets["support"], "itemsets": itemsets["itemset"].map(frozenset)}
    )
    found = association_rules(
        frame, num_itemsets=n, metric="confidence", min_threshold=min_confidence
    )
    found = found[found["lift"] >= min_lift]
    found = found.rename(columns=lambda c: c.replace(" ", "_"))
    found.index = pd.MultiIndex.from_arrays(
        [found["antecedents"].map(lambda s: tuple(sorted(s))),
         found["consequents"].map(lambda s: tuple(sorted(s)))]
    )  # fmt: skip
    return found


@pytest.mark.parametrize(("min_confidence", "min_lift"), [(0.0, 1.0), (0.6, 1.2)])
def test_rules_equal_mlxtend(
    data: tuple[np.ndarray, np.ndarray],
    itemsets_008: pd.DataFrame,
    min_confidence: float,
    min_lift: float,
) -> None:
    n = len(np.unique(data[0]))
    ours = association_rules_table(itemsets_008, n, min_confidence, min_lift)
    theirs = _mlxtend_rules(itemsets_008, n, min_confidence, min_lift)
    assert len(ours) > (1000 if min_confidence == 0 else 300)
    ours.index = pd.MultiIndex.from_arrays(
        [ours["antecedents"].map(tuple), ours["consequents"].map(tuple)]
    )
    # Rules sitting exactly on a threshold may differ by one rounding in mlxtend.
    only = ours.index.symmetric_difference(theirs.index)
    both = ours.loc[ours.index.difference(only)]
    edge = pd.concat(
        [
            ours.loc[ours.index.intersection(only)],
            theirs.loc[theirs.index.intersection(only)],
        ]
    )
    assert len(only) <= 5
    assert np.allclose(edge["lift"], min_lift, rtol=0, atol=1e-12) or np.allclose(
        edge["confidence"], min_confidence, rtol=0, atol=1e-12
    )
    mine, ref = both, theirs.loc[both.index]
    for metric in METRICS:
        a, b = mine[metric].to_numpy(), ref[metric].to_numpy()
        if metric == "conviction":
            assert (np.isnan(a) == np.isinf(b)).all()
            a, b = a[~np.isnan(a)], b[~np.isinf(b)]
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, err_msg=metric)
    assert (ours["confidence"] >= min_confidence).all() and (
        ours["lift"] >= min_lift
    ).all()


def test_rule_structure_and_exact_ratios(
    data: tuple[np.ndarray, np.ndarray], itemsets_008: pd.DataFrame
) -> None:
    n = len(np.unique(data[0]))
    rules = association_rules_table(itemsets_008, n)
    customers = {
        tuple(s): c
        for s, c in zip(itemsets_008["itemset"], itemsets_008["customers"], strict=True)
    }
    for row in rules.itertuples():
        a, c = row.antecedents, row.consequents
        assert a and c and a == sorted(a) and c == sorted(c) and not set(a) & set(c)
        whole = tuple(sorted(a + c))
        assert row.customers == customers[whole]
        assert row.rule == " & ".join(a) + " => " + " & ".join(c)
        assert (row.antecedent_length, row.consequent_length) == (len(a), len(c))
        assert abs(row.support - customers[whole] / n) <= 1e-12
        assert abs(row.confidence - customers[whole] / customers[tuple(a)]) <= 1e-12
        assert abs(row.consequent_support - customers[tuple(c)] / n) <= 1e-12
    order = list(zip(-rules["confidence"], -rules["lift"], rules["rule"], strict=True))
    assert order == sorted(order)
    assert rules["conviction"].isna().eq(rules["confidence"] == 1.0).all()


def test_rules_validation_and_empty(itemsets_008: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="missing column"):
        association_rules_table(itemsets_008.drop(columns="customers"), 5000)
    with pytest.raises(ValueError, match="n_customers"):
        association_rules_table(itemsets_008, 0)
    with pytest.raises(ValueError, match="min_confidence"):
        association_rules_table(itemsets_008, 5000, min_confidence=1.5)
    with pytest.raises(ValueError, match="downward closed"):
        association_rules_table(itemsets_008[itemsets_008["length"] != 2], 5000)
    with pytest.raises(ValueError, match="twice"):
        association_rules_table(pd.concat([itemsets_008, itemsets_008.head(1)]), 5000)
    empty = association_rules_table(itemsets_008.head(0), 5000)
    assert empty.empty and list(empty.columns) == RULE_COLUMNS
    singles = association_rules_table(itemsets_008[itemsets_008["length"] == 1], 5000)
    assert singles.empty and list(singles.columns) == RULE_COLUMNS


def test_tables_land_in_duckdb_with_lists_and_nulls() -> None:
    itemsets = mine_itemsets(*tiny_long(), min_support=0.4)
    rules = association_rules_table(itemsets, 5)
    con = duckdb.connect()
    con.register("itemsets", itemsets)
    con.register("rules", rules)
    types = {row[0]: row[1] for row in con.sql("describe select * from rules").fetchall()}
    assert types["antecedents"] == "VARCHAR[]" and types["conviction"] == "DOUBLE"
    assert types["customers"] == "BIGINT"
    nulls = con.sql("select count(*) from rules where conviction is null").fetchall()
    assert nulls == [(2,)]
    kinds = con.sql("select distinct typeof(itemset) from itemsets").fetchall()
    assert kinds == [("VARCHAR[]",)]
    # The Arrow table the dbt model returns lands with the same types and values.
    con.register("arrow_rules", association_rules_arrow(itemsets, 5))
    arrow_types = con.sql("describe select * from arrow_rules").fetchall()
    assert {row[0]: row[1] for row in arrow_types} == types
    differ = con.sql(
        "select count(*) from (select * from rules except all select * from arrow_rules)"
    ).fetchall()
    assert differ == [(0,)] and len(association_rules_arrow(itemsets, 5)) == len(rules)
