"""The association rules as an Arrow table: schema, metrics, item lists and row order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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
_RULE_TYPES: dict[str, pa.DataType] = {
    "antecedents": pa.list_(pa.string()),
    "consequents": pa.list_(pa.string()),
    "rule": pa.string(),
    "customers": pa.int64(),
    "antecedent_length": pa.int64(),
    "consequent_length": pa.int64(),
}
RULE_SCHEMA = pa.schema(
    [(column, _RULE_TYPES.get(column, pa.float64())) for column in RULE_COLUMNS]
)


def rule_order(
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


@dataclass(frozen=True)
class RuleCounts:
    """Customers of each rule's itemset (cab), antecedent (ca) and consequent (cc),
    out of n."""

    cab: np.ndarray
    ca: np.ndarray
    cc: np.ndarray
    n: int


def _metric_columns(counts: RuleCounts) -> dict[str, Any]:
    """mlxtend's metrics from the counts; conviction NULL where confidence is 1."""
    cab, ca, cc, n = counts.cab, counts.ca, counts.cc, counts.n
    nf = float(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        conviction = ((n - cc) * ca) / (nf * (ca - cab))
        zhang_den = np.maximum(cab * (n - ca), ca * (cc - cab))
        lev_num = cab * n - ca * cc
        zhang = np.where(zhang_den == 0, 0.0, lev_num / zhang_den)
    return {
        "antecedent_support": ca / nf,
        "consequent_support": cc / nf,
        "support": cab / nf,
        "confidence": cab / ca,
        "lift": (cab * n) / (ca * cc).astype(np.float64),
        "leverage": lev_num / (nf * nf),
        "conviction": pa.array(conviction, mask=ca == cab),
        "zhangs_metric": zhang,
        "customers": cab,
    }


def _item_lists(
    item_names: pa.Array, codes: np.ndarray
) -> tuple[pa.ListArray, np.ndarray]:
    """Rows of item codes (-1 pads) as a list column of names, and their lengths."""
    present = codes >= 0
    lengths = present.sum(axis=1)
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
    values = item_names.take(pa.array(codes[present]))
    return pa.ListArray.from_arrays(pa.array(offsets), values), lengths


def rules_table(
    names: np.ndarray, a_codes: np.ndarray, c_codes: np.ndarray, counts: RuleCounts
) -> pa.Table:
    """The rules table (RULE_SCHEMA) in the given row order: item lists from the
    codes, the rule text by Arrow's string join, the metrics from the counts."""
    item_names = pa.array(names.tolist(), pa.string())
    antecedents, antecedent_length = _item_lists(item_names, a_codes)
    consequents, consequent_length = _item_lists(item_names, c_codes)
    rule = pc.binary_join_element_wise(
        pc.binary_join(antecedents, " & "), pc.binary_join(consequents, " & "), " => "
    )
    return pa.table(
        {
            "antecedents": antecedents,
            "consequents": consequents,
            "rule": rule,
            **_metric_columns(counts),
            "antecedent_length": antecedent_length.astype(np.int64),
            "consequent_length": consequent_length.astype(np.int64),
        },
        schema=RULE_SCHEMA,
    )
