"""The statistics table of a frame or of the build's SQL tables, and the education
study."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from itertools import chain

import pandas as pd

from customer_personality.statistics.chi_square import (
    chi_square_row,
)
from customer_personality.statistics.kruskal import (
    kruskal_rows,
)
from customer_personality.statistics.pairwise import (
    discount_rows,
    mann_whitney_rows,
    spearman_rows,
)
from customer_personality.statistics.tables import (
    CATEGORY_COUNT_COLUMNS,
    DEFAULT_CATEGORICAL,
    DEFAULT_NUMERIC,
    DISCOUNT_FEATURE,
    DISCOUNT_TARGETS,
    EDUCATION_COLUMN,
    EDUCATION_FEATURES,
    RANK_SUM_COLUMNS,
    Groups,
    category_counts,
    label_order,
    rank_sums,
    require_columns,
    result_frame,
    sample_positions,
    used_columns,
)

# Tests run on this many threads (numpy sorts release the GIL); 2 fits the target box.
THREADS = 2


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
    require_columns(data, [group_column, *features])
    ranks = rank_sums(data, group_column, features)
    return result_frame(
        kruskal_rows("education_kruskal_wallis", ranks, group_column, features, alpha)
    )


def segment_statistics(
    data: pd.DataFrame,
    group_column: str = "segment",
    numeric: Sequence[str] = DEFAULT_NUMERIC,
    categorical: Sequence[str] = DEFAULT_CATEGORICAL,
    alpha: float = 0.05,
    max_rows: int = 200_000,
    random_state: int = 42,
    group_order: Sequence[str] | None = None,
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
    Groups follow `group_order` (the build passes the seed segment_definitions'
    names), else a categorical's order, the education levels or natural sort.
    This is `statistics_from_tables` on tables made here from every row (the build
    makes them in SQL and draws its sample there).
    """
    numeric, categorical = list(numeric), list(categorical)
    require_columns(data, [group_column, *numeric, *categorical])
    if max_rows < 3:
        raise ValueError(f"max_rows must be at least 3, got {max_rows}")
    frame = data[used_columns(data, group_column, numeric, categorical)]
    frame = frame.reset_index(drop=True)
    positions = sample_positions(frame, max_rows, random_state)
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
        group_order=group_order
        if group_order is not None
        else label_order(
            [str(v) for v in frame[group_column].dropna().unique()],
            frame[group_column],
        ),
    )


def _submit_sample_tests(
    pool: ThreadPoolExecutor,
    sample: pd.DataFrame,
    group_column: str,
    numeric: list[str],
    alpha: float,
    sampled: bool,
    group_order: Sequence[str] | None,
) -> tuple[Iterator[list], Future, Future | None]:
    """Start the tests on the sample in `pool`: Mann-Whitney per feature, Spearman,
    and the discount effect when its columns exist."""
    groups = Groups.from_column(sample[group_column], group_order)
    pairwise = pool.map(
        partial(
            mann_whitney_rows,
            group_column,
            sample=sample,
            groups=groups,
            alpha=alpha,
            sampled=sampled,
        ),
        numeric,
    )
    spearman = pool.submit(spearman_rows, numeric, sample, alpha, sampled)
    discount = None
    if all(c in sample for c in (DISCOUNT_FEATURE, *DISCOUNT_TARGETS)):
        discount = pool.submit(
            discount_rows, group_column, sample, groups, alpha, sampled
        )
    return pairwise, spearman, discount


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
    Groups are ordered by `group_order`, else as label_order orders them."""
    numeric, categorical = list(numeric), list(categorical)
    require_columns(sample, [group_column, *numeric])
    require_columns(ranks, RANK_SUM_COLUMNS)
    require_columns(counts, CATEGORY_COUNT_COLUMNS)
    if "customer_id" in sample.columns:
        sample = sample.sort_values("customer_id", kind="stable")
    sample = sample.reset_index(drop=True)
    # The tests are independent and numpy sorts without the GIL: threads share the
    # cores. Results are collected in submission order, so the table is the same.
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        pairwise, spearman, discount = _submit_sample_tests(
            pool, sample, group_column, numeric, alpha, sampled, group_order
        )
        kruskal = kruskal_rows(
            "kruskal_wallis", ranks, group_column, numeric, alpha, group_order
        )
        chi_square = [
            chi_square_row(group_column, feature, counts, alpha, group_order)
            for feature in categorical
        ]
        rows = [*kruskal, *chain.from_iterable(pairwise), *chi_square]
        rows += spearman.result()
        rows += discount.result() if discount is not None else []
    frames = [result_frame(rows)]
    if (ranks["grouping"] == EDUCATION_COLUMN).any():
        frames.append(
            result_frame(
                kruskal_rows(
                    "education_kruskal_wallis",
                    ranks,
                    EDUCATION_COLUMN,
                    EDUCATION_FEATURES,
                    alpha,
                )
            )
        )
    return pd.concat(frames, ignore_index=True)
