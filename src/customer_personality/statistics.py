"""Significance tests behind the segment profiles: do segments really differ, how much?

One long table (one row per test, a `test` column tells the kind) so that it lands in
DuckDB as a single table: Kruskal-Wallis per numeric feature with Holm-corrected
pairwise Mann-Whitney post-hocs, chi-square per categorical feature, Spearman between
numeric features, the effect of discounts per segment, and the published education
study. Kruskal-Wallis and chi-square use every row, through small tables: the rank sum
of each group and the tie term of each feature (RANK_SUM_COLUMNS), and the count of
each group and category (CATEGORY_COUNT_COLUMNS). The build computes those tables in
SQL over every customer (int_statistics_rank_sums, int_statistics_category_counts);
`rank_sums` and `category_counts` compute the same here, for a frame. The tests run
many times over (Mann-Whitney, Spearman, discount effect) use one seeded sample of at
most `max_rows` rows (the build's int_statistics_sample, drawn in SQL), so they cost
the same at ten million customers. Same input, same table.
"""

from __future__ import annotations

# First: loads the scientific stack in one thread (dbt runs models in parallel).
from customer_personality import _preload  # noqa: F401

# isort: split

import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from itertools import chain, combinations
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats
from scipy.stats.contingency import association

from customer_personality.segments import SEGMENT_NAMES

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
TEXT_COLUMNS: tuple[str, ...] = (
    "test",
    "grouping",
    "feature",
    "feature_2",
    "group_a",
    "group_b",
    "effect_size_name",
    "interpretation",
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
# Tests run on this many threads (numpy sorts release the GIL); 2 fits the target box.
THREADS = 2
# Known orders of group labels; any other labels are sorted naturally.
GROUP_ORDERS: tuple[tuple[str, ...], ...] = (SEGMENT_NAMES, EDUCATION_LEVELS)
# Words for effect sizes: the thresholds on the absolute value, then one word more.
# epsilon²: Tomczak & Tomczak (2014); rank-biserial, Cramér's V, rho: Cohen (1988).
EPSILON_SQUARED_THRESHOLDS: tuple[float, ...] = (0.01, 0.08, 0.26)
CORRELATION_THRESHOLDS: tuple[float, ...] = (0.1, 0.3, 0.5)
ADVERBS: tuple[str, ...] = ("negligibly", "slightly", "moderately", "strongly")
CORRELATION_ADVERBS: tuple[str, ...] = ("negligibly", "weakly", "moderately", "strongly")
ADJECTIVES: tuple[str, ...] = ("negligible", "weak", "moderate", "strong")


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


def epsilon_squared(h: float, n: int) -> float:
    """Kruskal-Wallis effect size epsilon² = H (n + 1) / (n² - 1), i.e. H / (n - 1)."""
    if n < 2 or not np.isfinite(h):
        return float("nan")
    return float(h * (n + 1) / (n * n - 1))


def rank_biserial(u_a: float, n_a: int, n_b: int) -> float:
    """Rank-biserial correlation 2 U_a / (n_a n_b) - 1, where U_a is group a's U.

    Positive when values of group a tend to be larger than those of group b.
    """
    if n_a == 0 or n_b == 0:
        return float("nan")
    return float(2.0 * u_a / (n_a * n_b) - 1.0)


def education_study(
    data: pd.DataFrame,
    features: Sequence[str] = EDUCATION_FEATURES,
    group_column: str = EDUCATION_COLUMN,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Kruskal-Wallis of spending and of campaigns accepted across education levels.

    Reproduces the published study on the Kaggle file (all 2,240 rows: H = 71.02 for
    spending, H = 16.41 with p = 0.0025 for campaigns). Every row is used; NaN dropped.
    """
    _require_columns(data, [group_column, *features])
    ranks = rank_sums(data, group_column, features)
    return _result_frame(
        _kruskal_rows("education_kruskal_wallis", ranks, group_column, features, alpha)
    )


def segment_statistics(
    data: pd.DataFrame,
    group_column: str = "segment",
    numeric: Sequence[str] = DEFAULT_NUMERIC,
    categorical: Sequence[str] = DEFAULT_CATEGORICAL,
    alpha: float = 0.05,
    max_rows: int = 200_000,
    random_state: int = 42,
) -> pd.DataFrame:
    """All tests of how groups (segments) differ, as one long table of RESULT_COLUMNS.

    Rows, in this order: 'kruskal_wallis' per numeric feature (all rows),
    'mann_whitney' per feature and pair of groups (Holm within the feature),
    'chi_square' per categorical feature (all rows), 'spearman' per unordered pair of
    numeric features, 'discount_effect' (Spearman of deal_share with total_purchases
    and spending, overall then per group; when those columns exist), and
    'education_kruskal_wallis' (`education_study`; when its columns exist).
    Mann-Whitney, Spearman and discount rows use one seeded sample of max_rows rows
    (taken in customer_id order when that column exists) when the data are larger;
    `sampled` says so and `n` counts the rows each test used after dropping NaN.
    This is `statistics_from_tables` on tables made here from every row (the build
    makes them in SQL and draws its sample there).
    """
    numeric, categorical = list(numeric), list(categorical)
    _require_columns(data, [group_column, *numeric, *categorical])
    if max_rows < 3:
        raise ValueError(f"max_rows must be at least 3, got {max_rows}")
    frame = data[_used_columns(data, group_column, numeric, categorical)]
    frame = frame.reset_index(drop=True)
    positions = _sample_positions(frame, max_rows, random_state)
    sampled = positions is not None
    sample = frame.take(positions).reset_index(drop=True) if sampled else frame
    ranks = [rank_sums(frame, group_column, numeric)]
    if all(c in frame for c in (EDUCATION_COLUMN, *EDUCATION_FEATURES)):
        ranks.append(rank_sums(frame, EDUCATION_COLUMN, EDUCATION_FEATURES))
    return statistics_from_tables(
        sample,
        pd.concat(ranks, ignore_index=True),
        category_counts(frame, group_column, categorical),
        group_column=group_column,
        numeric=numeric,
        categorical=categorical,
        alpha=alpha,
        sampled=sampled,
        group_order=_label_order(
            [str(v) for v in frame[group_column].dropna().unique()],
            frame[group_column],
        ),
    )


def statistics_from_tables(
    sample: pd.DataFrame,
    ranks: pd.DataFrame,
    counts: pd.DataFrame,
    group_column: str = "segment",
    numeric: Sequence[str] = DEFAULT_NUMERIC,
    categorical: Sequence[str] = DEFAULT_CATEGORICAL,
    alpha: float = 0.05,
    sampled: bool = False,
    group_order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """segment_statistics' table from what the build computes in SQL: `ranks`
    (RANK_SUM_COLUMNS; grouping `group_column` for the numeric features, and
    `education` for the education study when present), `counts`
    (CATEGORY_COUNT_COLUMNS) over every row, and the seeded `sample` of rows
    (`sampled` when it is not every row) for the pairwise and correlation tests.
    Groups are ordered by `group_order`, else as _label_order orders them."""
    numeric, categorical = list(numeric), list(categorical)
    _require_columns(sample, [group_column, *numeric])
    _require_columns(ranks, RANK_SUM_COLUMNS)
    _require_columns(counts, CATEGORY_COUNT_COLUMNS)
    if "customer_id" in sample.columns:
        sample = sample.sort_values("customer_id", kind="stable")
    sample = sample.reset_index(drop=True)
    sample_groups = _Groups.from_column(sample[group_column])
    has_discount = all(c in sample for c in (DISCOUNT_FEATURE, *DISCOUNT_TARGETS))
    # The tests are independent and numpy sorts without the GIL: threads share the
    # cores. Results are collected in submission order, so the table is the same.
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        pairwise = pool.map(
            partial(
                _mann_whitney_rows,
                group_column,
                sample=sample,
                groups=sample_groups,
                alpha=alpha,
                sampled=sampled,
            ),
            numeric,
        )
        spearman = pool.submit(_spearman_rows, numeric, sample, alpha, sampled)
        discount = None
        if has_discount:
            discount = pool.submit(
                _discount_rows, group_column, sample, sample_groups, alpha, sampled
            )
        kruskal = _kruskal_rows(
            "kruskal_wallis", ranks, group_column, numeric, alpha, group_order
        )
        chi_square = [
            _chi_square_row(group_column, feature, counts, alpha, group_order)
            for feature in categorical
        ]
        rows = [*kruskal, *chain.from_iterable(pairwise), *chi_square]
        rows += spearman.result()
        rows += discount.result() if discount is not None else []
    frames = [_result_frame(rows)]
    if (ranks["grouping"] == EDUCATION_COLUMN).any():
        frames.append(
            _result_frame(
                _kruskal_rows(
                    "education_kruskal_wallis",
                    ranks,
                    EDUCATION_COLUMN,
                    EDUCATION_FEATURES,
                    alpha,
                )
            )
        )
    return pd.concat(frames, ignore_index=True)


def rank_sums(
    data: pd.DataFrame, group_column: str, features: Sequence[str]
) -> pd.DataFrame:
    """The rank-sum table (RANK_SUM_COLUMNS) of `features` by `group_column`, from
    every row of a frame: what the build's int_statistics_rank_sums computes in SQL."""
    groups = _Groups.from_column(data[group_column])
    rows = []
    for feature in dict.fromkeys(features):
        values = _values(data, feature)
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
    groups = _Groups.from_column(data[group_column])
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


def _used_columns(
    data: pd.DataFrame,
    group_column: str,
    numeric: Sequence[str],
    categorical: Sequence[str],
) -> list[str]:
    extra = [DISCOUNT_FEATURE, *DISCOUNT_TARGETS, EDUCATION_COLUMN, *EDUCATION_FEATURES]
    wanted = [group_column, *numeric, *categorical, *extra, "customer_id"]
    return list(dict.fromkeys(c for c in wanted if c in data.columns))


class _Groups:
    """Group codes of each row (-1 when the group is missing) in a fixed label order,
    and the rows sorted by group once, so that a feature splits by group cheaply."""

    def __init__(self, codes: np.ndarray, labels: Sequence[str]) -> None:
        self.codes = codes
        self.labels = tuple(labels)
        order = np.argsort(codes, kind="stable")
        self.order = order[codes[order] >= 0]
        self.sorted_codes = codes[self.order]

    @classmethod
    def from_column(cls, column: pd.Series) -> _Groups:
        codes, uniques = pd.factorize(column, sort=False)
        found = [str(value) for value in uniques]
        labels = _label_order(found, column)
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


def _label_order(found: list[str], column: pd.Series) -> list[str]:
    """Group labels in a meaningful order: a categorical's own order, a known order
    (segments, education levels), else natural sort."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = [str(c) for c in column.cat.categories]
        return [c for c in categories if c in found]
    for known in GROUP_ORDERS:
        if set(found) <= set(known):
            return [label for label in known if label in found]
    return sorted(found, key=_natural_key)


def _require_columns(data: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in dict.fromkeys(columns) if c not in data.columns]
    if missing:
        raise KeyError(f"columns missing from the data: {missing}")


def _sample_positions(
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


def _values(frame: pd.DataFrame, feature: str) -> np.ndarray:
    return frame[feature].to_numpy(dtype=np.float64, na_value=np.nan)


def _row(test: str, grouping: str | None, feature: str, **fields: Any) -> dict[str, Any]:
    return {"test": test, "grouping": grouping, "feature": feature, **fields}


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


def _kruskal_rows(
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
    order = {label: i for i, label in enumerate(_ordered(found, group_order))}
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
        text = _kruskal_text(feature, grouping, effect, p, alpha)
        figures = (h, p, effect, "epsilon_squared", dof, n)
        rows.append(_every_row_test(test, grouping, feature, figures, alpha, text))
    return rows


def _every_row_test(
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
    return _row(
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
        is_significant=_significant(p, alpha),
        interpretation=text,
    )


def _ordered(found: list[str], group_order: Sequence[str] | None) -> list[str]:
    """The found group labels in `group_order` (unknown ones after, naturally sorted),
    or as _label_order orders them."""
    if group_order is None:
        return _label_order(found, pd.Series(found, dtype="str"))
    known = [label for label in group_order if label in found]
    return known + sorted(set(found) - set(known), key=_natural_key)


def _mann_whitney_rows(
    grouping: str,
    feature: str,
    sample: pd.DataFrame,
    groups: _Groups,
    alpha: float,
    sampled: bool,
) -> list[dict[str, Any]]:
    """Two-sided Mann-Whitney U of every pair of groups, Holm across the pairs."""
    parts = groups.split(_values(sample, feature))
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
            _row(
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
                is_significant=_significant(p_holm, alpha),
                interpretation=_mann_whitney_text(
                    feature, label_a, label_b, effect, p_holm, alpha
                ),
            )
        )
    return rows


def _chi_square_row(
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
    labels = _ordered(found, group_order)
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
    text = _chi_square_text(feature, grouping, effect, p, alpha)
    figures = (statistic, p, effect, "cramers_v", dof, n)
    return _every_row_test("chi_square", grouping, feature, figures, alpha, text)


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


def _spearman_rows(
    numeric: Sequence[str], sample: pd.DataFrame, alpha: float, sampled: bool
) -> list[dict[str, Any]]:
    columns = {feature: _values(sample, feature) for feature in dict.fromkeys(numeric)}
    rows = []
    for (a, b), (rho, p, n) in _spearman_matrix(columns).items():
        rows.append(
            _row(
                "spearman",
                None,
                a,
                feature_2=b,
                **_correlation_fields(rho, p, n, sampled, alpha),
                interpretation=_correlation_text(a, b, rho, p, alpha),
            )
        )
    return rows


def _discount_rows(
    grouping: str,
    sample: pd.DataFrame,
    groups: _Groups,
    alpha: float,
    sampled: bool,
) -> list[dict[str, Any]]:
    """Spearman of deal_share with purchases and spending, overall then per group."""
    share = _values(sample, DISCOUNT_FEATURE)
    scopes = [(ALL_GROUPS, groups.codes >= 0)]
    scopes += [(label, groups.codes == i) for i, label in enumerate(groups.labels)]
    rows = []
    for label, members in scopes:
        for target in DISCOUNT_TARGETS:
            values = _values(sample, target)
            rho, p, n = _spearman(share[members], values[members])
            text = _correlation_text(DISCOUNT_FEATURE, target, rho, p, alpha)
            where = "across all customers" if label == ALL_GROUPS else f"in {label}"
            rows.append(
                _row(
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
        "is_significant": _significant(p, alpha),
    }


def _significant(p: float, alpha: float) -> bool:
    return bool(np.isfinite(p) and p < alpha)


def _word(value: float, thresholds: Sequence[float], words: Sequence[str]) -> str:
    """The word of the first threshold above |value|, else the last word."""
    return words[int(np.searchsorted(thresholds, abs(value), side="right"))]


def _p_text(p: float, prefix: str = "p") -> str:
    return f"{prefix} < 0.001" if p < 0.001 else f"{prefix} = {p:.3f}"


def _kruskal_text(
    feature: str, grouping: str, effect: float, p: float, alpha: float
) -> str:
    if not np.isfinite(p):
        return f"{feature}: not testable across {grouping} groups (too few values)"
    detail = f"(epsilon² = {effect:.2f}, {_p_text(p)})"
    if p >= alpha:
        return f"no evidence that {feature} differs across {grouping} groups {detail}"
    strength = _word(effect, EPSILON_SQUARED_THRESHOLDS, ADVERBS)
    return f"{feature} differs {strength} across {grouping} groups {detail}"


def _mann_whitney_text(
    feature: str, label_a: str, label_b: str, effect: float, p: float, alpha: float
) -> str:
    if not np.isfinite(p):
        return f"{feature}: {label_a} vs {label_b} not testable (a group has no values)"
    detail = f"(rank-biserial = {effect:.2f}, {_p_text(p, 'Holm p')})"
    if p >= alpha:
        pair = f"{label_a} and {label_b}"
        return f"no evidence that {feature} differs between {pair} {detail}"
    higher, lower = (label_a, label_b) if effect > 0 else (label_b, label_a)
    strength = _word(effect, CORRELATION_THRESHOLDS, ADJECTIVES)
    return f"{feature} is higher in {higher} than in {lower}, {strength} effect {detail}"


def _chi_square_text(
    feature: str, grouping: str, effect: float, p: float, alpha: float
) -> str:
    if not np.isfinite(p):
        return f"{feature}: not testable against {grouping} (fewer than two values)"
    detail = f"(Cramér's V = {effect:.2f}, {_p_text(p)})"
    if p >= alpha:
        return f"no evidence that {feature} is associated with {grouping} {detail}"
    strength = _word(effect, CORRELATION_THRESHOLDS, ADJECTIVES)
    return f"{feature} has a {strength} association with {grouping} {detail}"


def _correlation_text(a: str, b: str, rho: float, p: float, alpha: float) -> str:
    if not np.isfinite(p):
        return (
            f"{a} and {b}: correlation undefined (fewer than 3 rows or constant values)"
        )
    detail = f"(rho = {rho:.2f}, {_p_text(p)})"
    if p >= alpha:
        return f"no evidence of a correlation between {a} and {b} {detail}"
    strength = _word(rho, CORRELATION_THRESHOLDS, CORRELATION_ADVERBS)
    sign = "positively" if rho > 0 else "negatively"
    return f"{a} and {b} are {strength} {sign} correlated {detail}"


def _result_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
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
