"""Kruskal-Wallis from the rank-sum table, with scipy's arithmetic, and epsilon²."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from customer_personality.statistics.tables import (
    every_row_test,
    ordered_labels,
)
from customer_personality.statistics.text import (
    kruskal_text,
)


def epsilon_squared(h: float, n: int) -> float:
    """Kruskal-Wallis effect size epsilon² = H (n + 1) / (n² - 1), i.e. H / (n - 1)."""
    if n < 2 or not np.isfinite(h):
        return float("nan")
    return float(h * (n + 1) / (n * n - 1))


def _kruskal(
    n: np.ndarray, rank_sum: np.ndarray, tie_sum: float, n_values: int
) -> tuple[float, float, float, int]:
    """scipy's Kruskal-Wallis (tie-corrected) from the groups' counts and rank sums
    and the tie term, with scipy's arithmetic (the same H and p to the last bit
    where the rank sums and tie term are exact, as on the real file): H, p, dof, n.

    NaN when fewer than two groups have values or all values are equal.
    """
    present = n > 0
    n, rank_sum = n[present].tolist(), rank_sum[present]
    total = int(sum(n))
    nan = float("nan")
    if len(n) < 2:
        return nan, nan, nan, total
    if n_values <= 1:
        return nan, nan, float(len(n) - 1), total
    ties = 1 - np.float64(tie_sum) / (total**3 - total)
    ssbn = sum(rank_sum[i] ** 2 / n[i] for i in range(len(n)))
    h = 12.0 / (total * (total + 1)) * ssbn - 3 * (total + 1)
    h /= ties
    p = float(special.chdtrc(len(n) - 1, h))
    h = float(h)
    if h < 0:  # round-off when the rank sums are equal: H is 0, and p is 1
        h, p = 0.0, 1.0
    return h, p, float(len(n) - 1), total


def kruskal_rows(
    test: str,
    ranks: pd.DataFrame,
    grouping: str,
    features: Sequence[str],
    alpha: float,
    group_order: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """A Kruskal-Wallis row per feature, from the rank-sum table's `grouping` rows."""
    table = ranks[ranks["grouping"] == grouping]
    found = [str(label) for label in table["group_label"].unique()]
    order = {label: i for i, label in enumerate(ordered_labels(found, group_order))}
    rows = []
    for feature in dict.fromkeys(features):
        part = table[table["feature"] == feature]
        part = part.iloc[np.argsort([order[str(g)] for g in part["group_label"]])]
        if part.empty:
            h, p, dof, n = _kruskal(np.zeros(0, np.int64), np.zeros(0), 0.0, 0)
        else:
            h, p, dof, n = _kruskal(
                part["n"].to_numpy(np.int64),
                part["rank_sum"].to_numpy(np.float64),
                float(part["tie_sum"].iloc[0]),
                int(part["n_values"].iloc[0]),
            )
        effect = epsilon_squared(h, n)
        text = kruskal_text(feature, grouping, effect, p, alpha)
        figures = (h, p, effect, "epsilon_squared", dof, n)
        rows.append(every_row_test(test, grouping, feature, figures, alpha, text))
    return rows
