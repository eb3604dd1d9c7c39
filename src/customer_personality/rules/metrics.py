"""Association rules from frequent itemsets, with mlxtend's metrics from integer
counts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from itertools import chain, pairwise
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from customer_personality.rules.arrow import (
    RULE_SCHEMA,
    RuleCounts,
    rule_order,
    rules_table,
)
from customer_personality.rules.itemsets import (
    item_hashes,
)

_RULE_BLOCK = 1 << 21  # (itemset, split) pairs evaluated per block


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
    n = _checked_customers(itemsets, n_customers, min_confidence, min_lift)
    if not len(itemsets):
        return RULE_SCHEMA.empty_table()
    codes = _itemset_codes(itemsets, n)
    lookup = _CountLookup(codes)
    blocks = _rule_blocks(codes, lookup, n, min_confidence, min_lift)
    if not blocks:
        return RULE_SCHEMA.empty_table()
    a_codes, c_codes = _rule_sides(blocks, int(codes.lengths.max()))
    cab, ca, cc = (
        np.concatenate([b[key] for b in blocks]) for key in ("cab", "ca", "cc")
    )
    confidence = cab / ca
    lift = (cab * n) / (ca * cc).astype(np.float64)
    order = rule_order(confidence, lift, a_codes, c_codes, codes.names)
    counts = RuleCounts(cab[order], ca[order], cc[order], n)
    return rules_table(codes.names, a_codes[order], c_codes[order], counts)


def _checked_customers(
    itemsets: pd.DataFrame, n_customers: int, min_confidence: float, min_lift: float
) -> int:
    """n_customers as an int, once the arguments are checked."""
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
    return int(n_customers)


@dataclass(frozen=True)
class _ItemsetCodes:
    """The itemsets as item codes: itemset i is flat[offsets[i]:][:lengths[i]]
    (codes into the sorted item names), held by counts[i] customers."""

    names: np.ndarray
    flat: np.ndarray
    offsets: np.ndarray
    lengths: np.ndarray
    counts: np.ndarray


def _itemset_codes(itemsets: pd.DataFrame, n: int) -> _ItemsetCodes:
    """The checked itemsets (non-empty, distinct items, distinct, counts <= n) coded."""
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
    return _ItemsetCodes(names, flat, offsets, lengths, counts)


class _CountLookup:
    """Customers of any itemset by its key, the XOR of its items' 64-bit hashes."""

    def __init__(self, codes: _ItemsetCodes) -> None:
        for salt in range(16):  # a collision needs > 64 items and is ~1e-10 likely
            self.hashes = item_hashes(len(codes.names), salt)
            self.keys = np.bitwise_xor.reduceat(self.hashes[codes.flat], codes.offsets)
            by_key = np.argsort(self.keys)
            self.sorted_keys = self.keys[by_key]
            self.sorted_counts = codes.counts[by_key]
            if not np.any(self.sorted_keys[1:] == self.sorted_keys[:-1]):
                break

    def __call__(self, query: np.ndarray) -> np.ndarray:
        keys = self.sorted_keys
        pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
        if not np.all(keys[pos] == query):
            raise ValueError(
                "itemsets is not downward closed: a subset of a frequent itemset is "
                "missing (pass the complete mine_itemsets output)"
            )
        return self.sorted_counts[pos]


def _rule_blocks(
    codes: _ItemsetCodes,
    lookup: _CountLookup,
    n: int,
    min_confidence: float,
    min_lift: float,
) -> list[dict[str, np.ndarray]]:
    """The kept (itemset, split) pairs, in blocks of at most _RULE_BLOCK pairs grouped
    by split: members, split, the split patterns and the three counts."""
    lengths, blocks = codes.lengths, []
    for k in np.unique(lengths[lengths >= 2]):
        rows = np.flatnonzero(lengths == k)
        members = codes.flat[codes.offsets[rows][:, None] + np.arange(k)]
        patterns = _split_patterns(int(k))
        n_splits = len(patterns)
        step = max(1, _RULE_BLOCK // n_splits)
        for lo in range(0, len(rows), step):
            mem, block_rows = members[lo : lo + step], rows[lo : lo + step]
            member_hash = lookup.hashes[mem]
            key_a = np.zeros((len(mem), n_splits), dtype=np.uint64)
            for pos in range(int(k)):
                key_a ^= np.where(patterns[:, pos], member_hash[:, pos, None], 0)
            key_c = lookup.keys[block_rows, None] ^ key_a
            ca, cc = lookup(key_a.ravel()), lookup(key_c.ravel())
            cab = np.repeat(codes.counts[block_rows], n_splits)
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
    return [b for b in blocks if len(b["cab"])]


def _rule_sides(
    blocks: list[dict[str, np.ndarray]], width: int
) -> tuple[np.ndarray, np.ndarray]:
    """Item codes of each rule's antecedent and consequent, one row per rule, padded
    with -1."""
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
    return np.concatenate(sides["a"]), np.concatenate(sides["c"])


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
