"""The one standardizer: the centre and scale of every model input column, and the
matrix of standardized inputs.

A numeric feature is standardized by its mean and population standard deviation (a
constant feature scales by 1); a categorical feature becomes one 0/1 indicator per
category, not scaled (centre 0, scale 1). The PCA and the clusterings read the table
the build computes in SQL (int_clustering_standardizer), which `standardizer`
computes here for a frame; the response model standardizes its sample with it too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

STANDARDIZER_COLUMNS: tuple[str, ...] = ("feature", "category", "center", "scale")


def standardizer(
    data: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str] = (),
    *,
    columnwise: bool = True,
) -> pd.DataFrame:
    """Centre and scale of every input column, as build_feature_matrix standardizes.

    One row per numeric feature (category NULL: mean, population std, 1 when the
    std is 0) and one per (categorical feature, category) (centre 0, scale 1), the
    categories sorted as text; int_clustering_standardizer computes the same in SQL.

    columnwise=False reduces the matrix data[numeric] (as float64) along its rows in
    one call, as the response model always has; numpy may then sum in another order
    than column by column, so the last bits of a mean or a std can differ.
    """
    rows = []
    if columnwise:
        for feature in numeric:
            values = data[feature].to_numpy(np.float64)
            scale = values.std()
            rows.append((feature, None, values.mean(), scale if scale > 0 else 1.0))
    else:
        matrix = data[list(numeric)].to_numpy(dtype=np.float64)
        mean = matrix.mean(axis=0)
        scale = matrix.std(axis=0)
        scale = np.where(scale > 0, scale, 1.0)
        rows += [
            (feature, None, m, s)
            for feature, m, s in zip(numeric, mean, scale, strict=True)
        ]
    for feature in categorical:
        for category in sorted(data[feature].astype("str").dropna().unique()):
            rows.append((feature, category, 0.0, 1.0))
    return standardizer_frame(rows)


def standardizer_frame(rows: list[tuple]) -> pd.DataFrame:
    """Rows (feature, category, center, scale) as a standardizer table."""
    frame = pd.DataFrame(rows, columns=list(STANDARDIZER_COLUMNS))
    return frame.astype({"feature": "str", "center": np.float64, "scale": np.float64})


def input_columns(
    standardizer_table: pd.DataFrame, numeric: Sequence[str], categorical: Sequence[str]
) -> pd.DataFrame:
    """The standardizer's rows in matrix column order: numeric features as given,
    then each categorical feature's categories sorted."""
    table = standardizer_table.astype({"category": "object"})
    table["category"] = table["category"].where(table["category"].notna(), None)
    blocks = []
    for feature in numeric:
        row = table[(table["feature"] == feature) & table["category"].isna()]
        if len(row) != 1:
            raise ValueError(f"standardizer has {len(row)} rows for {feature!r}")
        blocks.append(row)
    for feature in categorical:
        rows = table[(table["feature"] == feature) & table["category"].notna()]
        blocks.append(rows.sort_values("category", key=lambda s: s.astype("str")))
    if not blocks:
        raise ValueError("no features given")
    out = pd.concat(blocks, ignore_index=True).astype({"category": "object"})
    out["category"] = out["category"].where(out["category"].notna(), None)
    return out


def standardized_matrix(
    data: pd.DataFrame,
    standardizer_table: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str] = (),
) -> np.ndarray:
    """The rows of `data` as model input: (x - center) / scale per numeric feature,
    then 1.0 where the row has the category (else 0.0), in input_columns order."""
    columns = input_columns(standardizer_table, numeric, categorical)
    missing = [c for c in [*numeric, *categorical] if c not in data.columns]
    if missing:
        raise ValueError(f"missing columns: {missing}")
    matrix = np.zeros((len(data), len(columns)), dtype=np.float64)
    text = {feature: data[feature].astype("str") for feature in categorical}
    for j, row in enumerate(columns.itertuples(index=False)):
        if row.category is None:
            values = data[row.feature].to_numpy(np.float64)
            if not np.isfinite(values).all():
                raise ValueError(f"missing or infinite values in {row.feature!r}")
            matrix[:, j] = (values - row.center) / row.scale
        else:
            matrix[:, j] = (text[row.feature] == str(row.category)).to_numpy(np.float64)
    return matrix
