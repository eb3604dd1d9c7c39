"""Market-basket analysis of customer attributes: frequent itemsets and association rules.

A basket is the set of `<column>=<value>` items of one customer (the long table
`int_basket_items`). Itemsets are mined with mlxtend (Apriori, FP-growth) or with a
vectorised bitmask Apriori for large tables; rules carry count-based metrics so that
SQL can recompute support and confidence exactly from the long table.
"""

from __future__ import annotations

# First: loads the scientific stack in one thread (dbt runs models in parallel).
from customer_personality import _preload  # noqa: F401

# isort: split

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import wraps
from itertools import chain, pairwise
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy import sparse as sp

ALGORITHMS: tuple[str, ...] = ("apriori", "fpgrowth", "bitmask")

ITEMSET_COLUMNS: list[str] = ["itemset", "length", "support", "customers"]

RULE_COLUMNS: list[str] = [
    "antecedents",
    "consequents",
    "rule",
    "antecedent_support",
    "consequent_support",
    "support",
    "confidence",
    "lift",
    "leverage",
    "conviction",
    "zhangs_metric",
    "customers",
    "antecedent_length",
    "consequent_length",
]

# Tuning of the bitmask engine; none of these change results, only speed and memory.
_CHUNK_WORDS = 1 << 17  # uint64 words per AND/popcount block (1 MiB)
_DENSE_GROUP = 32  # baskets sharing one weight that get their own padded words
_RULE_BLOCK = 1 << 21  # (itemset, split) pairs evaluated per block


# --------------------------------------------------------------------------- encoding


@dataclass(frozen=True, slots=True)
class _Encoded:
    """The long table as integer codes: customers ranked by id, items ranked by name."""

    customer_codes: np.ndarray
    customer_values: np.ndarray
    item_codes: np.ndarray
    item_names: np.ndarray

    @property
    def n_customers(self) -> int:
        return len(self.customer_values)

    @property
    def n_items(self) -> int:
        return len(self.item_names)


def _to_numpy(values: Any) -> np.ndarray:
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        if values.null_count:
            raise ValueError("customer_ids must not contain nulls")
        return values.to_numpy()
    return np.asarray(values)


def _encode_customers(customer_ids: Any) -> tuple[np.ndarray, np.ndarray]:
    """Codes 0..n-1 in ascending customer_id order, and the sorted distinct ids."""
    ids = _to_numpy(customer_ids).ravel()
    if ids.dtype.kind in "iu" and ids.size:
        lo, hi = int(ids.min()), int(ids.max())
        if 0 <= lo and hi < max(ids.size, 1 << 16):
            lo = 0  # index by the id itself, saving a pass
        span = hi - lo + 1
        if span <= max(ids.size, 1 << 16):
            # Dense ids (the usual case): a rank table beats hashing 13 rows per customer.
            offset = (ids - lo) if lo else ids
            present = np.zeros(span, dtype=bool)
            present[offset] = True
            rank = np.cumsum(present, dtype=np.int64) - 1
            values = (np.flatnonzero(present) + lo).astype(ids.dtype)
            return rank[offset], values
    codes, uniques = pd.factorize(ids)
    if ids.size and codes.min() < 0:
        raise ValueError("customer_ids must not contain nulls")
    uniques = np.asarray(uniques)
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], uniques[order]


def _arrow_codes(items: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Dictionary-encode Arrow strings chunk by chunk (no copy of the string data)."""
    if items.null_count:
        raise ValueError("items must not contain nulls")
    chunked = pa.chunked_array([items]) if isinstance(items, pa.Array) else items
    if not pa.types.is_dictionary(chunked.type):
        chunked = chunked.dictionary_encode()
    seen: dict[Any, int] = {}
    parts = [np.empty(0, dtype=np.int64)]
    for chunk in chunked.chunks:
        # Chunks may carry different dictionaries: map each onto one global numbering.
        remap = np.array(
            [seen.setdefault(v, len(seen)) for v in chunk.dictionary.to_pylist()],
            dtype=np.int64,
        )
        parts.append(remap[chunk.indices.to_numpy(zero_copy_only=False)])
    return np.concatenate(parts), np.array(list(seen), dtype=object)


def _encode_items(items: Any) -> tuple[np.ndarray, np.ndarray]:
    """Codes in ascending item-name order, and the sorted distinct item names."""
    if isinstance(items, (pa.Array, pa.ChunkedArray)):
        codes, uniques = _arrow_codes(items)
    else:
        if isinstance(items, (pd.Series, pd.Index)) and isinstance(
            items.dtype, pd.CategoricalDtype
        ):
            cat = pd.Categorical(items)
            codes, uniques = cat.codes, cat.categories
        elif isinstance(items, (pd.Series, pd.Index, pd.Categorical)):
            codes, uniques = pd.factorize(items)  # Arrow-backed strings stay in Arrow
        else:
            codes, uniques = pd.factorize(np.asarray(items, dtype=object).ravel())
        codes = np.asarray(codes).astype(np.int64, copy=False)
        uniques = np.asarray(uniques, dtype=object)
        if codes.size and codes.min() < 0:
            raise ValueError("items must not contain nulls")
    used = np.bincount(codes, minlength=len(uniques)) > 0
    if not used.all():  # unused dictionary / category entries are not items
        codes = (np.cumsum(used) - 1)[codes]
        uniques = uniques[used]
    names = np.array([str(u) for u in uniques], dtype=object)
    order = np.argsort(names, kind="stable")
    if len(np.unique(names)) != len(names):
        raise ValueError("items must map to distinct strings")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], names[order]


def _encode(customer_ids: Any, items: Any) -> _Encoded:
    cust_codes, cust_values = _encode_customers(customer_ids)
    item_codes, item_names = _encode_items(items)
    if len(cust_codes) != len(item_codes):
        raise ValueError(
            f"customer_ids and items must have the same length, "
            f"got {len(cust_codes)} and {len(item_codes)}"
        )
    return _Encoded(cust_codes, cust_values, item_codes, item_names)


# ----------------------------------------------------------------------- one-hot basket


def _basket_csr(enc: _Encoded) -> sp.csr_array:
    ones = np.ones(len(enc.item_codes), dtype=bool)
    coo = sp.coo_array(
        (ones, (enc.customer_codes, enc.item_codes)),
        shape=(enc.n_customers, enc.n_items),
    )
    matrix = coo.tocsr()  # repeated (customer, item) pairs are summed: True stays True
    matrix.sort_indices()
    return matrix


def basket_matrix(customer_ids: Any, items: Any) -> tuple[sp.csr_array, np.ndarray]:
    """One-hot baskets from the long table, built without a per-customer loop.

    Returns a bool CSR array (customers x items) and the item names (object array).
    Rows follow ascending customer_id (`np.unique(customer_ids)`), columns ascending
    item name, so the layout is deterministic; a repeated (customer, item) row counts
    once. Accepts numpy arrays, pandas Series or pyarrow (Chunked)Arrays.
    """
    enc = _encode(customer_ids, items)
    return _basket_csr(enc), enc.item_names


def basket_frame(customer_ids: Any, items: Any, *, sparse: bool = False) -> pd.DataFrame:
    """The one-hot baskets as the bool DataFrame mlxtend expects.

    Index is the sorted customer_id, columns the sorted item names; `sparse=True`
    gives pandas sparse bool columns (less memory, but slower in mlxtend).
    """
    enc = _encode(customer_ids, items)
    matrix = _basket_csr(enc)
    index = pd.Index(enc.customer_values, name="customer_id")
    columns = pd.Index(enc.item_names.tolist(), dtype=object)
    if sparse:
        frame = pd.DataFrame.sparse.from_spmatrix(matrix, index=index, columns=columns)
        return frame.astype(pd.SparseDtype(bool, False))
    return pd.DataFrame(matrix.toarray(), index=index, columns=columns)


def _basket_masks(enc: _Encoded) -> np.ndarray:
    """Each customer's basket as a bitmask, shape (customers, words) of uint64.

    Bit j of word j // 64 is item code j. A table sorted by customer is OR-reduced
    per run. Otherwise the bits are summed with one float64 bincount, which is exact
    while every sum stays below 2**53 (whole masks for up to ~50 items, else 32-bit
    halves); a repeated (customer, item) row would carry, a popcount check detects
    that, and then an exact unbuffered OR is used instead.
    """
    n, m = enc.n_customers, enc.n_items
    n_words = max(1, (m + 63) // 64)
    codes, items = enc.customer_codes, enc.item_codes
    masks = np.zeros((n, n_words), dtype=np.uint64)
    if not len(items):
        return masks
    if np.all(codes[1:] >= codes[:-1]):
        bit = np.left_shift(np.uint64(1), (items & 63).astype(np.uint64))
        starts = np.flatnonzero(np.diff(codes, prepend=-1))
        for word in range(n_words):
            in_word = bit if n_words == 1 else np.where(items >> 6 == word, bit, 0)
            masks[:, word] = np.bitwise_or.reduceat(in_word, starts)
        return masks
    most_rows = int(np.bincount(codes, minlength=n).max())
    if most_rows * 2.0 ** (m - 1) < 2.0**53:
        table = np.ldexp(1.0, np.arange(m))
        masks[:, 0] = np.bincount(codes, weights=table[items], minlength=n).astype(
            np.uint64
        )
    elif most_rows < 1 << 21:
        slot = codes * (2 * n_words) + (items >> 5)
        table = np.ldexp(1.0, np.arange(m) & 31)
        halves = np.bincount(slot, weights=table[items], minlength=2 * n_words * n)
        halves = halves.astype(np.uint64).reshape(n, n_words, 2)
        masks[:] = halves[:, :, 0] | (halves[:, :, 1] << np.uint64(32))
    if int(np.bitwise_count(masks).sum()) != len(items):  # repeated (customer, item)
        masks[:] = 0
        bit = np.left_shift(np.uint64(1), (items & 63).astype(np.uint64))
        for word in range(n_words):
            sel = (items >> 6) == word
            np.bitwise_or.at(masks[:, word], codes[sel], bit[sel])
    return masks


# ----------------------------------------------------------------------- bitmask engine


def _dedup(
    masks: np.ndarray, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Identical baskets merged into one row whose weight is the sum of theirs
    (weights None: every row weighs 1)."""
    if len(masks) == 0:
        return masks, np.zeros(0, dtype=np.int64)
    if masks.shape[1] == 1 and weights is None:
        unique, counts = np.unique(masks[:, 0], return_counts=True)
        return unique[:, None], counts.astype(np.int64)
    if weights is None:
        weights = np.ones(len(masks), dtype=np.int64)
    if masks.shape[1] == 1:
        order = np.argsort(masks[:, 0])
    else:
        order = np.lexsort(masks.T[::-1])
    sorted_masks = masks[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = np.any(sorted_masks[1:] != sorted_masks[:-1], axis=1)
    starts = np.flatnonzero(new)
    return sorted_masks[starts], np.add.reduceat(weights[order], starts)


def _weighted_layout(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Place weighted rows into 64-row words that each carry a single weight.

    Returns the row index of every bit slot (-1 = padding) and the weight of every
    word, so a weighted count is `popcount(words) @ word_weight`. Weights shared by
    many rows get padded words of their own; the rest are split into binary planes
    (a row of weight 5 sits in the words of weight 1 and 4).
    """
    order = np.argsort(weights)
    ordered = weights[order]
    values, first, size = np.unique(ordered, return_index=True, return_counts=True)
    dense = size >= _DENSE_GROUP
    slot_parts: list[np.ndarray] = []
    weight_parts: list[np.ndarray] = []
    if dense.any():
        d_first, d_size = first[dense], size[dense]
        d_words = (d_size + 63) // 64
        starts = np.concatenate(([0], np.cumsum(d_words * 64)[:-1]))
        group = np.repeat(np.arange(len(d_size)), d_size)
        within = np.arange(len(group)) - np.repeat(np.cumsum(d_size) - d_size, d_size)
        slots = np.full(int(d_words.sum()) * 64, -1, dtype=np.int64)
        slots[starts[group] + within] = order[d_first[group] + within]
        slot_parts.append(slots)
        weight_parts.append(np.repeat(values[dense], d_words).astype(np.float64))
    rest = order[~np.repeat(dense, size)]
    if len(rest):
        rest_weights = weights[rest]
        for plane in range(int(rest_weights.max()).bit_length()):
            rows = rest[((rest_weights >> plane) & 1).astype(bool)]
            if not len(rows):
                continue
            n_words = (len(rows) + 63) // 64
            slots = np.full(n_words * 64, -1, dtype=np.int64)
            slots[: len(rows)] = rows
            slot_parts.append(slots)
            weight_parts.append(np.full(n_words, float(1 << plane)))
    if not slot_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    return np.concatenate(slot_parts), np.concatenate(weight_parts)


def _unpack_bits(masks: np.ndarray) -> np.ndarray:
    """Bitmasks (rows, words) to a uint8 0/1 matrix (rows, 64 * words); column = item."""
    return np.unpackbits(masks.view(np.uint8), axis=1, bitorder="little")


def _pack_rows(bits: np.ndarray) -> np.ndarray:
    """Pack a 0/1 matrix (rows, items) into bitmasks (rows, words) of uint64."""
    n_words = max(1, (bits.shape[1] + 63) // 64)
    full = np.zeros((bits.shape[0], n_words * 64), dtype=np.uint8)
    full[:, : bits.shape[1]] = bits
    return np.packbits(full, axis=1, bitorder="little").view(np.uint64)


def _pack_tids(bits: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Vertical bitsets (items, rows / 64) of uint64 from a 0/1 matrix (rows, all
    items) whose row count is a multiple of 64: word w covers rows 64w .. 64w + 63."""
    return np.packbits(bits.T[items], axis=1, bitorder="little").view(np.uint64)


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
        sub, sub_weights = _dedup(masks[rows] & _pack_rows(allowed), weights[rows])
        slots, self.word_weight = _weighted_layout(sub_weights)
        padded = np.vstack([sub, np.zeros((1, sub.shape[1]), dtype=np.uint64)])
        bits = _unpack_bits(padded[slots])  # padding slots read the zero row
        self.first = first
        self.tids = _pack_tids(bits, after)

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


def _item_hashes(m: int, salt: int = 0) -> np.ndarray:
    """Per-item 64-bit hashes whose XOR identifies an itemset: the item bits
    themselves up to 64 items (exact), seeded random words beyond."""
    if m <= 64:
        return np.left_shift(np.uint64(1), np.arange(m, dtype=np.uint64))
    return np.random.default_rng([20240917, salt]).integers(
        0, np.iinfo(np.uint64).max, size=m, dtype=np.uint64, endpoint=True
    )


def _bitmask_itemsets(
    enc: _Encoded, min_support: float, max_len: int | None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Level-wise Apriori over deduplicated weighted basket bitmasks.

    Returns per itemset length a matrix of item codes and the exact customer counts.
    Candidates come from the usual join + prune; supports are counted per first
    item on the projected, deduplicated baskets as weighted popcounts of ANDed
    vertical bitsets, in blocks.
    """
    masks, weights = _dedup(_basket_masks(enc))
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
    bits = _unpack_bits(masks)[:, :n_items]
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

    hashes = _item_hashes(m)
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


# ----------------------------------------------------------------------- itemset table


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
    enc: _Encoded, min_support: float, max_len: int | None, algorithm: str
) -> list[tuple[np.ndarray, np.ndarray]]:
    from mlxtend.frequent_patterns import apriori, fpgrowth

    matrix = _basket_csr(enc).toarray()
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
    enc = _encode(customer_ids, items)
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
        len(masks) and (weights.min() < 1 or np.any(_unpack_bits(masks)[:, len(names) :]))
    ):
        raise ValueError(
            "masks set a bit past the last item name, or a basket has fewer than one "
            "customer"
        )
    if not len(masks):
        return _empty_itemsets()
    masks, weights = _dedup(masks, weights)
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


# ------------------------------------------------------------------------------- rules


_RULE_TYPES: dict[str, pa.DataType] = {
    "antecedents": pa.list_(pa.string()),
    "consequents": pa.list_(pa.string()),
    "rule": pa.string(),
    "customers": pa.int64(),
    "antecedent_length": pa.int64(),
    "consequent_length": pa.int64(),
}
_RULE_SCHEMA = pa.schema(
    [(column, _RULE_TYPES.get(column, pa.float64())) for column in RULE_COLUMNS]
)


def _split_patterns(k: int) -> np.ndarray:
    """Bool (2**k - 2, k): every split of k sorted positions into antecedent bits."""
    codes = np.arange(1, (1 << k) - 1)
    return ((codes[:, None] >> np.arange(k)) & 1).astype(bool)


def association_rules_arrow(
    itemsets: pd.DataFrame,
    n_customers: int,
    min_confidence: float = 0.0,
    min_lift: float = 1.0,
) -> pa.Table:
    """Association rules A => C from every split of every frequent itemset.

    `itemsets` is `mine_itemsets` output (columns itemset, customers); every subset
    of an itemset must be in it, which holds for any min_support by downward closure.
    Metrics are mlxtend's (`association_rules`, metric="confidence", then lift >=
    min_lift), computed from integer counts so support == customers / n and
    confidence == customers / antecedent customers up to one rounding. Conviction is
    infinite when confidence == 1 and is stored as NULL. Rows are ordered by
    confidence desc, lift desc, rule asc; no itemsets gives no rows. The table is built
    column-wise in Arrow (item lists from codes, rule text by Arrow's string join), so
    a million rules cost no Python object per item.
    """
    if (
        isinstance(n_customers, bool)
        or int(n_customers) != n_customers
        or n_customers < 1
    ):
        raise ValueError(f"n_customers must be a positive integer, got {n_customers!r}")
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be in [0, 1], got {min_confidence!r}")
    if not min_lift >= 0.0:
        raise ValueError(f"min_lift must be >= 0, got {min_lift!r}")
    missing = {"itemset", "customers"} - set(itemsets.columns)
    if missing:
        raise ValueError(f"itemsets is missing column(s): {', '.join(sorted(missing))}")
    n = int(n_customers)
    if not len(itemsets):
        return _RULE_SCHEMA.empty_table()

    sets = [tuple(sorted(str(i) for i in s)) for s in itemsets["itemset"]]
    counts = itemsets["customers"].to_numpy(dtype=np.int64)
    lengths = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
    if lengths.min() < 1 or any(len(set(s)) != len(s) for s in sets):
        raise ValueError("itemsets must be non-empty lists of distinct items")
    if counts.max() > n:
        raise ValueError("itemset customers exceed n_customers")
    names = np.array(sorted(set(chain.from_iterable(sets))), dtype=object)
    code = {name: i for i, name in enumerate(names)}
    flat = np.fromiter((code[i] for s in sets for i in s), np.int64, int(lengths.sum()))
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))

    if len(set(sets)) != len(sets):
        raise ValueError("itemsets contains the same itemset twice")
    for salt in range(16):  # a collision needs > 64 items and is ~1e-10 likely
        hashes = _item_hashes(len(names), salt)
        keys = np.bitwise_xor.reduceat(hashes[flat], offsets)
        by_key = np.argsort(keys)
        sorted_keys, sorted_counts = keys[by_key], counts[by_key]
        if not np.any(sorted_keys[1:] == sorted_keys[:-1]):
            break

    def lookup(query: np.ndarray) -> np.ndarray:
        pos = np.minimum(np.searchsorted(sorted_keys, query), len(sorted_keys) - 1)
        if not np.all(sorted_keys[pos] == query):
            raise ValueError(
                "itemsets is not downward closed: a subset of a frequent itemset is "
                "missing (pass the complete mine_itemsets output)"
            )
        return sorted_counts[pos]

    blocks: list[dict[str, np.ndarray]] = []
    for k in np.unique(lengths[lengths >= 2]):
        rows = np.flatnonzero(lengths == k)
        members = flat[offsets[rows][:, None] + np.arange(k)]  # sorted item codes
        patterns = _split_patterns(int(k))
        n_splits = len(patterns)
        step = max(1, _RULE_BLOCK // n_splits)
        for lo in range(0, len(rows), step):
            mem, block_rows = members[lo : lo + step], rows[lo : lo + step]
            member_hash = hashes[mem]
            key_a = np.zeros((len(mem), n_splits), dtype=np.uint64)
            for pos in range(int(k)):
                key_a ^= np.where(patterns[:, pos], member_hash[:, pos, None], 0)
            key_c = keys[block_rows, None] ^ key_a
            ca, cc = lookup(key_a.ravel()), lookup(key_c.ravel())
            cab = np.repeat(counts[block_rows], n_splits)
            # One rounding each: filters and metrics agree with counts recomputed in SQL.
            keep = (cab / ca >= min_confidence) & ((cab * n) / (ca * cc) >= min_lift)
            idx = np.flatnonzero(keep)
            idx = idx[np.argsort(idx % n_splits, kind="stable")]  # group by split
            blocks.append(
                {
                    "member": mem[idx // n_splits],
                    "split": idx % n_splits,
                    "patterns": patterns,
                    "cab": cab[idx],
                    "ca": ca[idx],
                    "cc": cc[idx],
                }
            )
    blocks = [b for b in blocks if len(b["cab"])]
    if not blocks:
        return _RULE_SCHEMA.empty_table()

    # Item codes of each rule's two sides, one row per rule, padded with -1.
    width = int(lengths.max())
    sides: dict[str, list[np.ndarray]] = {"a": [], "c": []}
    for block in blocks:
        member, split = block["member"], block["split"]
        bounds = np.flatnonzero(np.diff(split, prepend=-1, append=-1))
        for lo, hi in pairwise(bounds):
            bits = block["patterns"][split[lo]]
            for side, chosen in (("a", bits), ("c", ~bits)):
                codes = np.full((hi - lo, width), -1, dtype=np.int64)
                codes[:, : chosen.sum()] = member[lo:hi][:, chosen]
                sides[side].append(codes)
    a_codes, c_codes = np.concatenate(sides["a"]), np.concatenate(sides["c"])

    cab = np.concatenate([b["cab"] for b in blocks])
    ca = np.concatenate([b["ca"] for b in blocks])
    cc = np.concatenate([b["cc"] for b in blocks])
    confidence = cab / ca
    lift = (cab * n) / (ca * cc).astype(np.float64)
    order = _rule_order(confidence, lift, a_codes, c_codes, names)
    a_codes, c_codes = a_codes[order], c_codes[order]
    cab, ca, cc, confidence, lift = (x[order] for x in (cab, ca, cc, confidence, lift))
    nf = float(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        conviction = ((n - cc) * ca) / (nf * (ca - cab))
        zhang_den = np.maximum(cab * (n - ca), ca * (cc - cab))
        lev_num = cab * n - ca * cc
        zhang = np.where(zhang_den == 0, 0.0, lev_num / zhang_den)
    item_names = pa.array(names.tolist(), pa.string())

    def item_lists(codes: np.ndarray) -> tuple[pa.ListArray, np.ndarray]:
        present = codes >= 0
        lengths = present.sum(axis=1)
        offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
        values = item_names.take(pa.array(codes[present]))
        return pa.ListArray.from_arrays(pa.array(offsets), values), lengths

    antecedents, antecedent_length = item_lists(a_codes)
    consequents, consequent_length = item_lists(c_codes)
    rule = pc.binary_join_element_wise(
        pc.binary_join(antecedents, " & "), pc.binary_join(consequents, " & "), " => "
    )
    return pa.table(
        {
            "antecedents": antecedents,
            "consequents": consequents,
            "rule": rule,
            "antecedent_support": ca / nf,
            "consequent_support": cc / nf,
            "support": cab / nf,
            "confidence": confidence,
            "lift": lift,
            "leverage": lev_num / (nf * nf),
            "conviction": pa.array(conviction, mask=ca == cab),
            "zhangs_metric": zhang,
            "customers": cab,
            "antecedent_length": antecedent_length.astype(np.int64),
            "consequent_length": consequent_length.astype(np.int64),
        },
        schema=_RULE_SCHEMA,
    )


def rules_frame(table: pa.Table) -> pd.DataFrame:
    """A rules table (association_rules_arrow) as pandas, item columns as lists."""
    rules = table.drop_columns(["antecedents", "consequents"]).to_pandas()
    for position, column in ((0, "antecedents"), (1, "consequents")):
        rules.insert(position, column, pd.Series(table[column].to_pylist(), dtype=object))
    return rules


@wraps(association_rules_arrow, assigned=())  # its signature, not its name or text
def association_rules_table(*args: Any, **kwargs: Any) -> pd.DataFrame:
    """association_rules_arrow(...) as a pandas DataFrame whose item columns hold
    lists (rules_frame): same arguments, same rows."""
    return rules_frame(association_rules_arrow(*args, **kwargs))


def _rule_order(
    confidence: np.ndarray,
    lift: np.ndarray,
    a_codes: np.ndarray,
    c_codes: np.ndarray,
    names: np.ndarray,
) -> np.ndarray:
    """Row order: confidence desc, lift desc, rule text asc.

    Only rules tied on both numbers compare their text, built here from the item codes
    (-1 pads a side) exactly as the rule column spells it.
    """
    order = np.lexsort((-lift, -confidence))
    conf_sorted, lift_sorted = confidence[order], lift[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (conf_sorted[1:] != conf_sorted[:-1]) | (
        lift_sorted[1:] != lift_sorted[:-1]
    )
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], len(order))

    def text(row: int) -> str:
        a, c = a_codes[row], c_codes[row]
        return " & ".join(names[a[a >= 0]]) + " => " + " & ".join(names[c[c >= 0]])

    tied = ends - starts > 1
    for lo, hi in zip(starts[tied], ends[tied], strict=True):
        order[lo:hi] = sorted(order[lo:hi], key=text)
    return order
