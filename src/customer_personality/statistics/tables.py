"""The statistics' tables: result columns, the rank-sum and count tables every-row
tests read, and the order of group labels."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

RESULT_COLUMNS: tuple[str, ...] = (
    "test",
    "grouping",
    "feature",
    "feature_2",
    "group_a",
    "group_b",
    "statistic",
    "p_value",
    "p_value_adjusted",
    "effect_size",
    "effect_size_name",
    "degrees_of_freedom",
    "n",
    "sampled",
    "is_significant",
    "interpretation",
)
NUMERIC_RESULT_COLUMNS = frozenset(
    {
        "statistic",
        "p_value",
        "p_value_adjusted",
        "effect_size",
        "degrees_of_freedom",
        "n",
        "sampled",
        "is_significant",
    }
)
TEXT_COLUMNS: tuple[str, ...] = tuple(
    column for column in RESULT_COLUMNS if column not in NUMERIC_RESULT_COLUMNS
)
FLOAT_COLUMNS: tuple[str, ...] = (
    "statistic",
    "p_value",
    "p_value_adjusted",
    "effect_size",
    "degrees_of_freedom",
)
INT_COLUMNS: tuple[str, ...] = ("n",)
BOOL_COLUMNS: tuple[str, ...] = ("sampled", "is_significant")
# The rank-sum table Kruskal-Wallis reads: for each grouping (the group column) and
# feature, each group's count and sum of average ranks (ranks over the feature's known
# values in rows with a group), the feature's tie term sum(t^3 - t) over its distinct
# values, and how many distinct values it has.
RANK_SUM_COLUMNS: tuple[str, ...] = (
    "grouping",
    "feature",
    "group_label",
    "n",
    "rank_sum",
    "tie_sum",
    "n_values",
)
# The count table chi-square reads: rows of each (feature, category, group), the
# categories numbered in their sorted order (category_order, from 1).
CATEGORY_COUNT_COLUMNS: tuple[str, ...] = (
    "feature",
    "category",
    "category_order",
    "group_label",
    "n",
)
DEFAULT_NUMERIC: tuple[str, ...] = (
    "income",
    "spending",
    "seniority_months",
    "age",
    "children",
    "total_purchases",
    "deal_share",
    "deal_purchases",
    "web_purchases",
    "catalog_purchases",
    "store_purchases",
    "web_visits_month",
    "recency_days",
    "total_campaigns_accepted",
)
DEFAULT_CATEGORICAL: tuple[str, ...] = (
    "education",
    "education_level",
    "marital_group",
    "has_child",
    "age_group",
    "income_group",
)
EDUCATION_LEVELS: tuple[str, ...] = ("Basic", "2n Cycle", "Graduation", "Master", "PhD")
EDUCATION_COLUMN = "education"
EDUCATION_FEATURES: tuple[str, ...] = ("spending", "total_campaigns_accepted")
DISCOUNT_FEATURE = "deal_share"
DISCOUNT_TARGETS: tuple[str, ...] = ("total_purchases", "spending")
ALL_GROUPS = "All"
# Known orders of group labels; any other labels are sorted naturally. The segments'
# order is the caller's (group_order: the seed segment_definitions in the build).
GROUP_ORDERS: tuple[tuple[str, ...], ...] = (EDUCATION_LEVELS,)


def rank_sums(
    data: pd.DataFrame, group_column: str, features: Sequence[str]
) -> pd.DataFrame:
    """The rank-sum table (RANK_SUM_COLUMNS) of `features` by `group_column`, from
    every row of a frame: what the build's int_statistics_rank_sums computes in SQL."""
    groups = Groups.from_column(data[group_column])
    rows = []
    for feature in dict.fromkeys(features):
        values = column_values(data, feature)
        known = ~np.isnan(values) & (groups.codes >= 0)
        ranks = stats.rankdata(values[known])
        n = np.bincount(groups.codes[known], minlength=len(groups.labels))
        sums = np.bincount(
            groups.codes[known], weights=ranks, minlength=len(groups.labels)
        )
        _, ties = np.unique(values[known], return_counts=True)
        tie_sum = float(sum(int(t) ** 3 - int(t) for t in ties))
        for label, count, rank_sum in zip(groups.labels, n, sums, strict=True):
            if count:
                rows.append(
                    (group_column, feature, label, count, rank_sum, tie_sum, len(ties))
                )
    return pd.DataFrame(rows, columns=list(RANK_SUM_COLUMNS)).astype(
        {"n": np.int64, "rank_sum": np.float64, "n_values": np.int64}
    )


def category_counts(
    data: pd.DataFrame, group_column: str, features: Sequence[str]
) -> pd.DataFrame:
    """The count table (CATEGORY_COUNT_COLUMNS) of `features` by `group_column`, from
    every row of a frame: what the build's int_statistics_category_counts computes."""
    groups = Groups.from_column(data[group_column])
    rows = []
    for feature in dict.fromkeys(features):
        codes, categories = pd.factorize(data[feature], sort=True)
        keep = (codes >= 0) & (groups.codes >= 0)
        frame = pd.DataFrame({"group": groups.codes[keep], "category": codes[keep]})
        for (group, category), n in frame.value_counts(sort=False).sort_index().items():
            value = categories[category]
            label = value if isinstance(value, str) else str(value).lower()
            rows.append((feature, label, category + 1, groups.labels[group], n))
    return pd.DataFrame(rows, columns=list(CATEGORY_COUNT_COLUMNS)).astype(
        {"category_order": np.int64, "n": np.int64}
    )


def used_columns(
    data: pd.DataFrame,
    group_column: str,
    numeric: Sequence[str],
    categorical: Sequence[str],
) -> list[str]:
    extra = [DISCOUNT_FEATURE, *DISCOUNT_TARGETS, EDUCATION_COLUMN, *EDUCATION_FEATURES]
    wanted = [group_column, *numeric, *categorical, *extra, "customer_id"]
    return list(dict.fromkeys(c for c in wanted if c in data.columns))


class Groups:
    """Group codes of each row (-1 when the group is missing) in a fixed label order,
    and the rows sorted by group once, so that a feature splits by group cheaply."""

    def __init__(self, codes: np.ndarray, labels: Sequence[str]) -> None:
        self.codes = codes
        self.labels = tuple(labels)
        order = np.argsort(codes, kind="stable")
        self.order = order[codes[order] >= 0]
        self.sorted_codes = codes[self.order]

    @classmethod
    def from_column(
        cls, column: pd.Series, group_order: Sequence[str] | None = None
    ) -> Groups:
        """Groups of a column, labels in `group_order` (else label_order's order)."""
        codes, uniques = pd.factorize(column, sort=False)
        found = [str(value) for value in uniques]
        if group_order is None:
            labels = label_order(found, column)
        else:
            labels = ordered_labels(found, group_order)
        position = {label: i for i, label in enumerate(labels)}
        remap = np.array([position[label] for label in found] + [-1], dtype=np.int32)
        return cls(remap[codes], labels)

    def split(self, values: np.ndarray) -> list[np.ndarray]:
        """The non-NaN values of each group, in label order (possibly empty)."""
        ordered = values[self.order]
        known = ~np.isnan(ordered)
        counts = np.bincount(self.sorted_codes[known], minlength=len(self.labels))
        return np.split(ordered[known], np.cumsum(counts)[:-1])


def _natural_key(label: str) -> list[Any]:
    """'Segment 10' after 'Segment 9': digit runs compare as numbers."""
    return [
        (0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", label)
    ]


def label_order(found: list[str], column: pd.Series) -> list[str]:
    """Group labels in a meaningful order: a categorical's own order, a known order
    (education levels), else natural sort."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = [str(c) for c in column.cat.categories]
        return [c for c in categories if c in found]
    for known in GROUP_ORDERS:
        if set(found) <= set(known):
            return [label for label in known if label in found]
    return sorted(found, key=_natural_key)


def require_columns(data: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in dict.fromkeys(columns) if c not in data.columns]
    if missing:
        raise KeyError(f"columns missing from the data: {missing}")


def sample_positions(
    frame: pd.DataFrame, max_rows: int, random_state: int
) -> np.ndarray | None:
    """Seeded positions of max_rows rows in customer_id order (row order without that
    column), or None when the data are small enough to use whole."""
    n = len(frame)
    if n <= max_rows:
        return None
    base = np.arange(n)
    if "customer_id" in frame.columns:
        base = np.argsort(frame["customer_id"].to_numpy(), kind="stable")
    rng = np.random.default_rng(random_state)
    return base[np.sort(rng.choice(n, size=max_rows, replace=False))]


def column_values(frame: pd.DataFrame, feature: str) -> np.ndarray:
    return frame[feature].to_numpy(dtype=np.float64, na_value=np.nan)


def result_row(
    test: str, grouping: str | None, feature: str, **fields: Any
) -> dict[str, Any]:
    return {"test": test, "grouping": grouping, "feature": feature, **fields}


def every_row_test(
    test: str,
    grouping: str,
    feature: str,
    figures: tuple[float, float, float, str, float, int],
    alpha: float,
    text: str,
) -> dict[str, Any]:
    """A row of a test on every row (not sampled): figures are the statistic, p,
    effect size, its name, degrees of freedom and n."""
    statistic, p, effect, effect_name, dof, n = figures
    return result_row(
        test,
        grouping,
        feature,
        statistic=statistic,
        p_value=p,
        effect_size=effect,
        effect_size_name=effect_name,
        degrees_of_freedom=dof,
        n=n,
        sampled=False,
        is_significant=significant(p, alpha),
        interpretation=text,
    )


def ordered_labels(found: list[str], group_order: Sequence[str] | None) -> list[str]:
    """The found group labels in `group_order` (unknown ones after, naturally sorted),
    or as label_order orders them."""
    if group_order is None:
        return label_order(found, pd.Series(found, dtype="str"))
    known = [label for label in group_order if label in found]
    return known + sorted(set(found) - set(known), key=_natural_key)


def significant(p: float, alpha: float) -> bool:
    return bool(np.isfinite(p) and p < alpha)


def result_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a DataFrame of RESULT_COLUMNS with plain dtypes DuckDB reads."""
    columns: dict[str, pd.Series] = {}
    for name in RESULT_COLUMNS:
        values = [row.get(name) for row in rows]
        if name in TEXT_COLUMNS:
            columns[name] = pd.Series(values, dtype="str")
        elif name in FLOAT_COLUMNS:
            values = [np.nan if v is None else v for v in values]
            columns[name] = pd.Series(values, dtype=np.float64)
        elif name in INT_COLUMNS:
            columns[name] = pd.Series(values, dtype=np.int64)
        else:
            columns[name] = pd.Series(values, dtype=bool)
    return pd.DataFrame(columns)
