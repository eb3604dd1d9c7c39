"""Tests on the seeded sample: Holm-corrected Mann-Whitney pairs, Spearman
correlations and the effect of discounts per group."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from customer_personality.statistics.tables import (
    ALL_GROUPS,
    DISCOUNT_FEATURE,
    DISCOUNT_TARGETS,
    Groups,
    column_values,
    result_row,
    significant,
)
from customer_personality.statistics.text import (
    correlation_text,
    mann_whitney_text,
)


def holm_adjust(p_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Holm step-down adjusted p-values in input order; NaN stays NaN, out of the family.

    Sorted ascending, the i-th of m p-values (i from 0) becomes (m - i) * p, made
    non-decreasing with a running maximum and capped at 1.
    """
    p = np.asarray(p_values, dtype=np.float64)
    adjusted = np.full(p.shape, np.nan)
    known = ~np.isnan(p)
    values = p[known]
    m = values.size
    if m == 0:
        return adjusted
    order = np.argsort(values, kind="stable")
    stepped = np.minimum(np.maximum.accumulate((m - np.arange(m)) * values[order]), 1.0)
    family = np.empty(m)
    family[order] = stepped
    adjusted[known] = family
    return adjusted


def rank_biserial(u_a: float, n_a: int, n_b: int) -> float:
    """Rank-biserial correlation 2 U_a / (n_a n_b) - 1, where U_a is group a's U.

    Positive when values of group a tend to be larger than those of group b.
    """
    if n_a == 0 or n_b == 0:
        return float("nan")
    return float(2.0 * u_a / (n_a * n_b) - 1.0)


def mann_whitney_rows(
    grouping: str,
    feature: str,
    sample: pd.DataFrame,
    groups: Groups,
    alpha: float,
    sampled: bool,
) -> list[dict[str, Any]]:
    """Two-sided Mann-Whitney U of every pair of groups, Holm across the pairs."""
    parts = groups.split(column_values(sample, feature))
    pairs = list(combinations(range(len(groups.labels)), 2))
    results = []
    for a, b in pairs:
        n_a, n_b = parts[a].size, parts[b].size
        if n_a and n_b:
            test = stats.mannwhitneyu(parts[a], parts[b], alternative="two-sided")
            results.append((float(test.statistic), float(test.pvalue), n_a, n_b))
        else:
            results.append((float("nan"), float("nan"), n_a, n_b))
    adjusted = holm_adjust([p for _, p, _, _ in results])
    rows = []
    for (a, b), (u, p, n_a, n_b), p_holm in zip(pairs, results, adjusted, strict=True):
        label_a, label_b = groups.labels[a], groups.labels[b]
        effect = rank_biserial(u, n_a, n_b)
        rows.append(
            result_row(
                "mann_whitney",
                grouping,
                feature,
                group_a=label_a,
                group_b=label_b,
                statistic=u,
                p_value=p,
                p_value_adjusted=float(p_holm),
                effect_size=effect,
                effect_size_name="rank_biserial",
                n=n_a + n_b,
                sampled=sampled,
                is_significant=significant(p_holm, alpha),
                interpretation=mann_whitney_text(
                    feature, label_a, label_b, effect, p_holm, alpha
                ),
            )
        )
    return rows


def _is_constant(values: np.ndarray) -> bool:
    return values.size == 0 or values.min() == values.max()


def _spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float, int]:
    """scipy's Spearman rho and p of the rows where both are known; NaN below 3 rows
    or when either column is constant there."""
    known = ~(np.isnan(x) | np.isnan(y))
    x, y, n = x[known], y[known], int(known.sum())
    if n < 3 or _is_constant(x) or _is_constant(y):
        return float("nan"), float("nan"), n
    with np.errstate(divide="ignore", invalid="ignore"):
        result = stats.spearmanr(x, y)
    return float(result.statistic), float(result.pvalue), n


def _spearman_matrix(columns: dict[str, np.ndarray]) -> dict[tuple[str, str], tuple]:
    """(rho, p, n) of every unordered pair of columns, in column order. The columns
    without NaN and not constant go through one scipy call (each ranked once), the
    pairs with another column through a call each."""
    names = list(columns)
    usable = [
        name
        for name in names
        if not np.isnan(columns[name]).any() and not _is_constant(columns[name])
    ]
    found: dict[tuple[str, str], tuple] = {}
    if len(usable) >= 3 and len(columns[usable[0]]) >= 3:
        matrix = np.column_stack([columns[name] for name in usable])
        with np.errstate(divide="ignore", invalid="ignore"):
            result = stats.spearmanr(matrix)
        for i, j in combinations(range(len(usable)), 2):
            rho, p = float(result.statistic[i, j]), float(result.pvalue[i, j])
            found[(usable[i], usable[j])] = (rho, p, len(matrix))
    return {
        (a, b): found[(a, b)] if (a, b) in found else _spearman(columns[a], columns[b])
        for a, b in combinations(names, 2)
    }


def spearman_rows(
    numeric: Sequence[str], sample: pd.DataFrame, alpha: float, sampled: bool
) -> list[dict[str, Any]]:
    columns = {
        feature: column_values(sample, feature) for feature in dict.fromkeys(numeric)
    }
    rows = []
    for (a, b), (rho, p, n) in _spearman_matrix(columns).items():
        rows.append(
            result_row(
                "spearman",
                None,
                a,
                feature_2=b,
                **_correlation_fields(rho, p, n, sampled, alpha),
                interpretation=correlation_text(a, b, rho, p, alpha),
            )
        )
    return rows


def discount_rows(
    grouping: str,
    sample: pd.DataFrame,
    groups: Groups,
    alpha: float,
    sampled: bool,
) -> list[dict[str, Any]]:
    """Spearman of deal_share with purchases and spending, overall then per group."""
    share = column_values(sample, DISCOUNT_FEATURE)
    scopes = [(ALL_GROUPS, groups.codes >= 0)]
    scopes += [(label, groups.codes == i) for i, label in enumerate(groups.labels)]
    rows = []
    for label, members in scopes:
        for target in DISCOUNT_TARGETS:
            values = column_values(sample, target)
            rho, p, n = _spearman(share[members], values[members])
            text = correlation_text(DISCOUNT_FEATURE, target, rho, p, alpha)
            where = "across all customers" if label == ALL_GROUPS else f"in {label}"
            rows.append(
                result_row(
                    "discount_effect",
                    grouping,
                    DISCOUNT_FEATURE,
                    feature_2=target,
                    group_a=label,
                    **_correlation_fields(rho, p, n, sampled, alpha),
                    interpretation=f"{where}, {text}",
                )
            )
    return rows


def _correlation_fields(
    rho: float, p: float, n: int, sampled: bool, alpha: float
) -> dict[str, Any]:
    return {
        "statistic": rho,
        "p_value": p,
        "effect_size": rho,
        "effect_size_name": "spearman_rho",
        "degrees_of_freedom": float(n - 2) if n >= 3 else float("nan"),
        "n": n,
        "sampled": sampled,
        "is_significant": significant(p, alpha),
    }
