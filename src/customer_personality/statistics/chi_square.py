"""Chi-square test of independence from the count table, with Cramér's V."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.contingency import association

from customer_personality.statistics.tables import (
    every_row_test,
    ordered_labels,
)
from customer_personality.statistics.text import (
    chi_square_text,
)


def chi_square_row(
    grouping: str,
    feature: str,
    counts: pd.DataFrame,
    alpha: float,
    group_order: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Chi-square test of independence of group and category (scipy's default: Yates
    only on a 2 x 2 table), Cramér's V from the uncorrected chi-square as scipy's
    `association` computes it, from the count table (rows missing either value are
    not in it): groups as rows in their order, categories as columns in theirs."""
    part = counts[counts["feature"] == feature]
    found = [str(label) for label in part["group_label"].unique()]
    labels = ordered_labels(found, group_order)
    row = pd.Index(labels).get_indexer(part["group_label"].astype(str))
    column = part["category_order"].to_numpy(np.int64) - 1
    width = int(column.max()) + 1 if len(part) else 0
    table = np.zeros((len(labels), max(width, 1)), dtype=np.int64)
    np.add.at(table, (row, column), part["n"].to_numpy(np.int64))
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    n = int(table.sum())
    statistic = p = dof = effect = float("nan")
    if min(table.shape) >= 2:
        result = stats.chi2_contingency(table)
        statistic, p, dof = (
            float(result.statistic),
            float(result.pvalue),
            float(result.dof),
        )
        effect = float(association(table, method="cramer"))
    text = chi_square_text(feature, grouping, effect, p, alpha)
    figures = (statistic, p, effect, "cramers_v", dof, n)
    return every_row_test("chi_square", grouping, feature, figures, alpha, text)
