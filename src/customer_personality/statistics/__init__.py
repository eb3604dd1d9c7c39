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

# First: core loads the scientific stack in one thread (dbt runs models in parallel).
from customer_personality import core  # noqa: F401

# isort: split

from customer_personality.statistics.kruskal import epsilon_squared
from customer_personality.statistics.pairwise import holm_adjust, rank_biserial
from customer_personality.statistics.study import (
    THREADS,
    education_study,
    segment_statistics,
    statistics_from_tables,
)
from customer_personality.statistics.tables import (
    ALL_GROUPS,
    BOOL_COLUMNS,
    CATEGORY_COUNT_COLUMNS,
    DEFAULT_CATEGORICAL,
    DEFAULT_NUMERIC,
    DISCOUNT_FEATURE,
    DISCOUNT_TARGETS,
    EDUCATION_COLUMN,
    EDUCATION_FEATURES,
    EDUCATION_LEVELS,
    FLOAT_COLUMNS,
    GROUP_ORDERS,
    INT_COLUMNS,
    RANK_SUM_COLUMNS,
    RESULT_COLUMNS,
    TEXT_COLUMNS,
    category_counts,
    rank_sums,
)

__all__ = [
    "ALL_GROUPS",
    "BOOL_COLUMNS",
    "CATEGORY_COUNT_COLUMNS",
    "DEFAULT_CATEGORICAL",
    "DEFAULT_NUMERIC",
    "DISCOUNT_FEATURE",
    "DISCOUNT_TARGETS",
    "EDUCATION_COLUMN",
    "EDUCATION_FEATURES",
    "EDUCATION_LEVELS",
    "FLOAT_COLUMNS",
    "GROUP_ORDERS",
    "INT_COLUMNS",
    "RANK_SUM_COLUMNS",
    "RESULT_COLUMNS",
    "TEXT_COLUMNS",
    "THREADS",
    "category_counts",
    "education_study",
    "epsilon_squared",
    "holm_adjust",
    "rank_biserial",
    "rank_sums",
    "segment_statistics",
    "statistics_from_tables",
]
