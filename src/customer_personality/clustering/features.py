"""Model-ready feature matrices in Python (importance.py fits its forests on them;
the build's clusterings read the SQL standardizer instead, see samples.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class FeatureMatrix:
    """Model-ready features: standardized numeric columns, then 0/1 indicators.

    groups[j] is the input column that matrix column j comes from, so a categorical
    feature's indicators can be permuted together.
    """

    values: np.ndarray
    columns: list[str]
    groups: list[str]


def _sorted_frame(
    data: pd.DataFrame, id_column: str, columns: Sequence[str]
) -> pd.DataFrame:
    """The id and `columns`, sorted by id: samples then ignore the order SQL returns."""
    wanted = [id_column, *[c for c in dict.fromkeys(columns) if c != id_column]]
    missing = [c for c in wanted if c not in data.columns]
    if missing:
        raise ValueError(f"missing columns: {missing}")
    frame = data[wanted].sort_values(id_column, kind="stable")
    return frame.reset_index(drop=True)


def _sample_prefixes(
    n_rows: int, sizes: Sequence[int], random_state: int
) -> list[np.ndarray]:
    """Nested seeded samples: each is the sorted first `size` rows of one draw."""
    largest = max(sizes)
    if n_rows <= largest:
        draw = np.random.default_rng(random_state).permutation(n_rows)
    else:
        rng = np.random.default_rng(random_state)
        draw = rng.choice(n_rows, size=largest, replace=False)
    return [
        np.arange(n_rows) if n_rows <= size else np.sort(draw[:size]) for size in sizes
    ]


def build_feature_matrix(
    data: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str] = (),
) -> FeatureMatrix:
    """Standardize numeric columns (mean, population std) and one-hot the categorical.

    Indicator columns are named '<column>_<value>' with values sorted; a missing
    category gets no indicator (all zeros). Constant numeric columns scale by 1.
    """
    numeric, categorical = list(numeric), list(categorical)
    missing = [c for c in numeric + categorical if c not in data.columns]
    if missing:
        raise ValueError(f"missing columns: {missing}")
    if not numeric and not categorical:
        raise ValueError("no features given")
    codes, columns, groups = [], list(numeric), list(numeric)
    for column in categorical:
        text = data[column].astype("str")
        categories = sorted(text.dropna().unique())
        code = pd.Categorical(text, categories=categories).codes
        codes.append((code, len(categories)))
        columns += [f"{column}_{category}" for category in categories]
        groups += [column] * len(categories)
    # Filled column by column: one column's temporary at a time, not the whole table.
    matrix = np.zeros((len(data), len(columns)), dtype=np.float64)
    bad = []
    for j, column in enumerate(numeric):
        values = data[column].to_numpy(np.float64)
        if not np.isfinite(values).all():
            bad.append(column)
            continue
        scale = values.std()
        matrix[:, j] = (values - values.mean()) / (scale if scale > 0 else 1.0)
    if bad:
        raise ValueError(f"columns with missing or infinite values: {bad}")
    offset = len(numeric)
    for code, n_categories in codes:
        present = np.flatnonzero(code >= 0)
        matrix[present, offset + code[present]] = 1.0
        offset += n_categories
    return FeatureMatrix(values=matrix, columns=columns, groups=groups)
