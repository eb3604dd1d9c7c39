"""Baskets encoded for mining: integer codes, the sparse basket matrix, and the
distinct-basket bitmasks the bitmask Apriori counts on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy import sparse as sp

_DENSE_GROUP = 32  # baskets sharing one weight that get their own padded words


@dataclass(frozen=True, slots=True)
class EncodedBaskets:
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


def encode_baskets(customer_ids: Any, items: Any) -> EncodedBaskets:
    cust_codes, cust_values = _encode_customers(customer_ids)
    item_codes, item_names = _encode_items(items)
    if len(cust_codes) != len(item_codes):
        raise ValueError(
            f"customer_ids and items must have the same length, "
            f"got {len(cust_codes)} and {len(item_codes)}"
        )
    return EncodedBaskets(cust_codes, cust_values, item_codes, item_names)


def basket_csr(enc: EncodedBaskets) -> sp.csr_array:
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
    enc = encode_baskets(customer_ids, items)
    return basket_csr(enc), enc.item_names


def basket_frame(customer_ids: Any, items: Any, *, sparse: bool = False) -> pd.DataFrame:
    """The one-hot baskets as the bool DataFrame mlxtend expects.

    Index is the sorted customer_id, columns the sorted item names; `sparse=True`
    gives pandas sparse bool columns (less memory, but slower in mlxtend).
    """
    enc = encode_baskets(customer_ids, items)
    matrix = basket_csr(enc)
    index = pd.Index(enc.customer_values, name="customer_id")
    columns = pd.Index(enc.item_names.tolist(), dtype=object)
    if sparse:
        frame = pd.DataFrame.sparse.from_spmatrix(matrix, index=index, columns=columns)
        return frame.astype(pd.SparseDtype(bool, False))
    return pd.DataFrame(matrix.toarray(), index=index, columns=columns)


def basket_masks(enc: EncodedBaskets) -> np.ndarray:
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


def dedup(
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


def weighted_layout(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def unpack_bits(masks: np.ndarray) -> np.ndarray:
    """Bitmasks (rows, words) to a uint8 0/1 matrix (rows, 64 * words); column = item."""
    return np.unpackbits(masks.view(np.uint8), axis=1, bitorder="little")


def pack_rows(bits: np.ndarray) -> np.ndarray:
    """Pack a 0/1 matrix (rows, items) into bitmasks (rows, words) of uint64."""
    n_words = max(1, (bits.shape[1] + 63) // 64)
    full = np.zeros((bits.shape[0], n_words * 64), dtype=np.uint8)
    full[:, : bits.shape[1]] = bits
    return np.packbits(full, axis=1, bitorder="little").view(np.uint64)


def pack_tids(bits: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Vertical bitsets (items, rows / 64) of uint64 from a 0/1 matrix (rows, all
    items) whose row count is a multiple of 64: word w covers rows 64w .. 64w + 63."""
    return np.packbits(bits.T[items], axis=1, bitorder="little").view(np.uint64)
