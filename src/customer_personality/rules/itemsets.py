"""Frequent itemsets: mlxtend's Apriori and FP-growth, or the package's vectorised
bitmask Apriori over distinct baskets."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from customer_personality.rules.baskets import (
    EncodedBaskets,
    basket_csr,
    basket_masks,
    dedup,
    encode_baskets,
    pack_rows,
    pack_tids,
    unpack_bits,
    weighted_layout,
)

ALGORITHMS: tuple[str, ...] = ("apriori", "fpgrowth", "bitmask")
ITEMSET_COLUMNS: list[str] = ["itemset", "length", "support", "customers"]
# Tuning of the bitmask engine; none of these change results, only speed and memory.
_CHUNK_WORDS = 1 << 17  # uint64 words per AND/popcount block (1 MiB)


class _ClassCounter:
    """Weighted support counts of itemsets whose first (rarest) item is `first`.

    `internal` lists the frequent item codes in mining order. The counter holds the
    vertical bitsets (tid-lists over deduplicated baskets) of the baskets containing
    `internal[first]`, projected on the items after it in that order.
    """

    def __init__(
        self, masks: np.ndarray, weights: np.ndarray, internal: np.ndarray, first: int
    ) -> None:
        item = int(internal[first])
        word, bit = item >> 6, np.uint64(item & 63)
        rows = ((masks[:, word] >> bit) & np.uint64(1)).astype(bool)
        after = internal[first + 1 :]
        allowed = np.zeros((1, masks.shape[1] * 64), dtype=np.uint8)
        allowed[0, after] = 1
        sub, sub_weights = dedup(masks[rows] & pack_rows(allowed), weights[rows])
        slots, self.word_weight = weighted_layout(sub_weights)
        padded = np.vstack([sub, np.zeros((1, sub.shape[1]), dtype=np.uint64)])
        bits = unpack_bits(padded[slots])  # padding slots read the zero row
        self.first = first
        self.tids = pack_tids(bits, after)

    def count(self, rest: np.ndarray) -> np.ndarray:
        """Counts of {first} | row, for each row of `rest` (items > first)."""
        local = rest - (self.first + 1)
        n_words = self.tids.shape[1]
        chunk = max(1, _CHUNK_WORDS // max(n_words, 1))
        out = np.empty(len(rest), dtype=np.int64)
        for start in range(0, len(rest), chunk):
            block = local[start : start + chunk]
            acc = self.tids[block[:, 0]]
            for col in range(1, block.shape[1]):
                acc &= self.tids[block[:, col]]
            counts = np.bitwise_count(acc) @ self.word_weight
            out[start : start + chunk] = np.rint(counts).astype(np.int64)
        return out


def _apriori_gen(prev: np.ndarray, keys: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """Apriori join and prune on lexicographically sorted k-itemsets (rows of codes).

    `keys` are the XOR-hashes of the rows of `prev`; with hashes 1 << item (up to 64
    items) they are the itemset bitmasks, so pruning is exact. With more items a hash
    collision can only keep a candidate that counting then drops, never lose one.
    """
    n, k = prev.shape
    if k == 1:
        group = np.zeros(n, dtype=np.int64)
    else:
        change = np.any(prev[1:, :-1] != prev[:-1, :-1], axis=1)
        group = np.concatenate(([0], np.cumsum(change)))
    group_end = np.searchsorted(group, group, side="right")
    partners = group_end - np.arange(n) - 1
    left = np.repeat(np.arange(n), partners)
    offset = np.arange(len(left)) - np.repeat(np.cumsum(partners) - partners, partners)
    right = left + 1 + offset
    cand = np.concatenate([prev[left], prev[right, -1:]], axis=1)
    if k >= 2 and len(cand):
        sorted_keys = np.sort(keys)
        cand_keys = keys[left] ^ hashes[prev[right, -1]]
        ok = np.ones(len(cand), dtype=bool)
        for drop in range(k - 1):  # dropping either of the last two gives a parent
            sub = cand_keys ^ hashes[cand[:, drop]]
            pos = np.minimum(np.searchsorted(sorted_keys, sub), len(sorted_keys) - 1)
            ok &= sorted_keys[pos] == sub
        cand = cand[ok]
    return cand


def item_hashes(m: int, salt: int = 0) -> np.ndarray:
    """Per-item 64-bit hashes whose XOR identifies an itemset: the item bits
    themselves up to 64 items (exact), seeded random words beyond."""
    if m <= 64:
        return np.left_shift(np.uint64(1), np.arange(m, dtype=np.uint64))
    return np.random.default_rng([20240917, salt]).integers(
        0, np.iinfo(np.uint64).max, size=m, dtype=np.uint64, endpoint=True
    )


def _bitmask_itemsets(
    enc: EncodedBaskets, min_support: float, max_len: int | None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Level-wise Apriori over deduplicated weighted basket bitmasks.

    Returns per itemset length a matrix of item codes and the exact customer counts.
    Candidates come from the usual join + prune; supports are counted per first
    item on the projected, deduplicated baskets as weighted popcounts of ANDed
    vertical bitsets, in blocks.
    """
    masks, weights = dedup(basket_masks(enc))
    return _bitmask_levels(masks, weights, enc.n_items, min_support, max_len)


def _bitmask_levels(
    masks: np.ndarray,
    weights: np.ndarray,
    n_items: int,
    min_support: float,
    max_len: int | None,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """_bitmask_itemsets on distinct basket masks (uint64 words, bit j = item code j)
    with their customer counts as weights."""
    n = int(weights.sum())
    bits = unpack_bits(masks)[:, :n_items]
    exact = np.float32 if n < 1 << 24 else np.float64  # integer sums below 2**24 / 2**53
    item_counts = np.rint(weights.astype(exact) @ bits.astype(exact)).astype(np.int64)
    frequent = np.flatnonzero(item_counts / float(n) >= min_support)
    if not len(frequent):
        return []
    # Internal order: rarest item first, so the largest candidate classes get the
    # smallest projected databases (the FP-growth heuristic).
    internal = frequent[np.lexsort((frequent, item_counts[frequent]))]
    m = len(internal)
    del bits
    levels = [(internal[:, None], item_counts[internal])]

    hashes = item_hashes(m)
    prev = np.arange(m)[:, None]
    keys = hashes.copy()
    counters: dict[int, _ClassCounter] = {}
    k = 1
    while (max_len is None or k < max_len) and len(prev) > 1:
        cand = _apriori_gen(prev, keys, hashes)
        if not len(cand):
            break
        counts = np.empty(len(cand), dtype=np.int64)
        firsts, starts = np.unique(cand[:, 0], return_index=True)
        bounds = np.append(starts, len(cand))
        for first, lo, hi in zip(firsts, bounds[:-1], bounds[1:], strict=True):
            counter = counters.get(int(first))
            if counter is None:
                counter = counters[int(first)] = _ClassCounter(
                    masks, weights, internal, first
                )
            counts[lo:hi] = counter.count(cand[lo:hi, 1:])
        keep = counts / float(n) >= min_support
        if not keep.any():
            break
        prev, counts = cand[keep], counts[keep]
        keys = np.bitwise_xor.reduce(hashes[prev], axis=1)
        levels.append((internal[prev], counts))
        k += 1
    return levels


def _empty_itemsets() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "itemset": pd.Series([], dtype=object),
            "length": pd.Series([], dtype=np.int64),
            "support": pd.Series([], dtype=np.float64),
            "customers": pd.Series([], dtype=np.int64),
        }
    )


def _itemset_frame(
    levels: Sequence[tuple[np.ndarray, np.ndarray]], names: np.ndarray, n: int
) -> pd.DataFrame:
    """Canonical itemset table: items sorted in each row, rows by length then items."""
    parts = []
    for codes, counts in levels:
        if not len(codes):
            continue
        codes = np.sort(codes, axis=1)
        order = np.lexsort(codes.T[::-1])
        codes, counts = codes[order], np.asarray(counts, dtype=np.int64)[order]
        parts.append(
            pd.DataFrame(
                {
                    "itemset": pd.Series(names[codes].tolist(), dtype=object),
                    "length": np.full(len(codes), codes.shape[1], dtype=np.int64),
                    "support": counts / float(n),
                    "customers": counts,
                }
            )
        )
    if not parts:
        return _empty_itemsets()
    return pd.concat(parts, ignore_index=True)


def _mlxtend_itemsets(
    enc: EncodedBaskets, min_support: float, max_len: int | None, algorithm: str
) -> list[tuple[np.ndarray, np.ndarray]]:
    from mlxtend.frequent_patterns import apriori, fpgrowth

    matrix = basket_csr(enc).toarray()
    frame = pd.DataFrame(matrix, columns=pd.RangeIndex(enc.n_items))
    miner = apriori if algorithm == "apriori" else fpgrowth
    found = miner(frame, min_support=min_support, max_len=max_len, use_colnames=False)
    n = float(enc.n_customers)
    by_length: dict[int, tuple[list[list[int]], list[int]]] = {}
    for itemset, support in zip(found["itemsets"], found["support"], strict=True):
        codes, counts = by_length.setdefault(len(itemset), ([], []))
        codes.append(sorted(int(i) for i in itemset))
        counts.append(round(support * n))
    return [
        (np.array(codes, dtype=np.int64), np.array(counts, dtype=np.int64))
        for _, (codes, counts) in sorted(by_length.items())
    ]


def _check_mining_options(min_support: float, max_len: int | None) -> None:
    if not 0.0 < min_support <= 1.0:
        raise ValueError(f"min_support must be in (0, 1], got {min_support!r}")
    if max_len is not None and (
        isinstance(max_len, bool) or int(max_len) != max_len or max_len < 1
    ):
        raise ValueError(f"max_len must be None or a positive integer, got {max_len!r}")


def mine_itemsets(
    customer_ids: Any,
    items: Any,
    min_support: float = 0.08,
    max_len: int | None = None,
    algorithm: str = "apriori",
) -> pd.DataFrame:
    """Frequent itemsets of the customers' baskets, from the long table.

    Columns: itemset (sorted list of item strings), length, support (customers /
    distinct customer_ids in the input) and customers (exact count). Rows are ordered
    by length, then itemset. `algorithm`: "apriori" / "fpgrowth" (mlxtend on a dense
    bool one-hot) or "bitmask" (own vectorised Apriori; the same itemsets and counts,
    for millions of customers). An itemset is frequent when customers / n >=
    min_support in float64, as in mlxtend's Apriori.
    """
    if algorithm not in ALGORITHMS:
        raise ValueError(
            f"unknown algorithm {algorithm!r}; valid algorithms: {', '.join(ALGORITHMS)}"
        )
    _check_mining_options(min_support, max_len)
    enc = encode_baskets(customer_ids, items)
    if enc.n_customers == 0:
        return _empty_itemsets()
    if algorithm == "bitmask":
        levels = _bitmask_itemsets(enc, min_support, max_len)
    else:
        levels = _mlxtend_itemsets(enc, min_support, max_len, algorithm)
    return _itemset_frame(levels, enc.item_names, enc.n_customers)


def mask_matrix(columns: Mapping[str, np.ndarray]) -> np.ndarray:
    """The (baskets, words) uint64 matrix from the columns mask_0, mask_1, ... of
    int_basket_masks (other columns are ignored)."""
    words = sorted(
        (name for name in columns if re.fullmatch(r"mask_\d+", name)),
        key=lambda name: int(name[5:]),
    )
    if [int(name[5:]) for name in words] != list(range(len(words))) or not words:
        raise ValueError(f"expected the columns mask_0 .. mask_<w>, got {list(columns)}")
    return np.column_stack([np.asarray(columns[name], dtype=np.uint64) for name in words])


def mine_itemsets_from_masks(
    masks: np.ndarray,
    customers: np.ndarray,
    item_names: Sequence[str],
    min_support: float = 0.08,
    max_len: int | None = None,
) -> pd.DataFrame:
    """mine_itemsets(..., algorithm="bitmask") on baskets already aggregated to bitmasks.

    `masks` is (baskets, words) uint64: bit b of word w is item_names[64 * w + b].
    `customers` is how many customers have each basket; baskets may repeat. The
    support denominator is customers.sum(). The result is the same table, row for
    row, as mine_itemsets on the long (customer, item) table (tested).
    """
    _check_mining_options(min_support, max_len)
    masks = np.ascontiguousarray(masks, dtype=np.uint64)
    if masks.ndim == 1:
        masks = masks[:, None]
    weights = np.asarray(customers, dtype=np.int64)
    names = np.array([str(name) for name in item_names], dtype=object)
    if len(weights) != len(masks):
        raise ValueError(
            f"masks and customers must have the same length, "
            f"got {len(masks)} and {len(weights)}"
        )
    if len(np.unique(names)) != len(names):
        raise ValueError("item_names must be distinct")
    if masks.shape[1] * 64 < len(names) or (
        len(masks) and (weights.min() < 1 or np.any(unpack_bits(masks)[:, len(names) :]))
    ):
        raise ValueError(
            "masks set a bit past the last item name, or a basket has fewer than one "
            "customer"
        )
    if not len(masks):
        return _empty_itemsets()
    masks, weights = dedup(masks, weights)
    # Codes in name order, so itemsets list their items sorted, as mine_itemsets does.
    order = np.argsort(names, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    levels = _bitmask_levels(masks, weights, len(names), min_support, max_len)
    return _itemset_frame(
        [(rank[codes], counts) for codes, counts in levels],
        names[order],
        int(weights.sum()),
    )
