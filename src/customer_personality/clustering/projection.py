"""PCA as a parameter table: fitted on a sample, scored on every customer in SQL.

The input columns are the clustering features as `clustering.build_feature_matrix`
makes them: numeric features standardized by their mean and population standard
deviation over all customers (a constant feature scales by 1), then one 0/1
indicator per (categorical feature, category), not scaled. core.standardizer gives
those statistics (the build computes them in SQL, int_clustering_standardizer);
`fit_pca` fits the components on a sample and returns the long parameter table
the macro pca_projection scores in SQL; `project` is the same arithmetic in numpy.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from customer_personality.core import (
    input_columns,
    single_threaded,
    standardized_matrix,
    standardizer_frame,
)

PARAMETER_COLUMNS: tuple[str, ...] = (
    "parameter",
    "component",
    "feature",
    "category",
    "value",
)
# center, scale: the standardizer of an input column (0 and 1 for an indicator);
# pca_mean: the sample mean of the standardized input column (the PCA's centre);
# loading: a component's weight on an input column;
# explained_variance_ratio: a component's share of the sample's variance.
PARAMETERS: tuple[str, ...] = (
    "center",
    "scale",
    "pca_mean",
    "loading",
    "explained_variance_ratio",
)


def fit_pca(
    sample: pd.DataFrame,
    standardizer_table: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str] = (),
    n_components: int = 3,
    id_column: str = "customer_id",
) -> pd.DataFrame:
    """The PCA of the standardized `sample` as a long parameter table (PARAMETERS).

    Exact SVD of the centred sample (sklearn's PCA with svd_solver='full'), rows
    sorted by `id_column` first so the order SQL returns them in does not matter.
    Each component's largest loading (in absolute value) is positive, so signs are
    stable. Columns: parameter, component (1-based; NULL on the input rows),
    feature, category (NULL for a numeric feature), value.
    """
    if id_column in sample.columns:
        sample = sample.sort_values(id_column, kind="stable")
    columns = input_columns(standardizer_table, numeric, categorical)
    X = standardized_matrix(sample, standardizer_table, numeric, categorical)
    if not 1 <= n_components <= min(X.shape):
        raise ValueError(f"n_components must be between 1 and {min(X.shape)}")
    center = X.mean(axis=0)
    with single_threaded():
        _, singular, vt = np.linalg.svd(X - center, full_matrices=False)
    components = vt[:n_components]
    largest = np.abs(components).argmax(axis=1)
    components = (
        components * np.sign(components[np.arange(n_components), largest])[:, None]
    )
    variance = singular**2
    ratio = variance[:n_components] / variance.sum()
    rows = []
    for j, column in enumerate(columns.itertuples(index=False)):
        key = (column.feature, column.category)
        rows.append(("center", None, *key, float(column.center)))
        rows.append(("scale", None, *key, float(column.scale)))
        rows.append(("pca_mean", None, *key, float(center[j])))
        for k in range(n_components):
            rows.append(("loading", k + 1, *key, float(components[k, j])))
    for k in range(n_components):
        rows.append(("explained_variance_ratio", k + 1, None, None, float(ratio[k])))
    out = pd.DataFrame(rows, columns=list(PARAMETER_COLUMNS))
    return out.astype({"parameter": "str", "component": "Int64", "value": np.float64})


def project(
    data: pd.DataFrame,
    parameters: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str] = (),
    id_column: str = "customer_id",
    chunk_rows: int = 500_000,
) -> pd.DataFrame:
    """Every row of `data` scored from a fit_pca table, the arithmetic pca_projection
    does in SQL: pc_k = sum over inputs of loading * ((x - center) / scale - pca_mean).

    Columns: customer_id, pc1..pcN, explained_variance_ratio_1..N (the same value on
    every row), sorted by customer_id.
    """
    frame = data.sort_values(id_column, kind="stable").reset_index(drop=True)

    def by_input(parameter: str, component: int | None = None) -> dict:
        rows = parameters[parameters["parameter"] == parameter]
        if component is not None:
            rows = rows[rows["component"] == component]
        return {
            (f, None if pd.isna(c) else c): float(v)
            for f, c, v in zip(rows["feature"], rows["category"], rows["value"])
        }

    center, scale = by_input("center"), by_input("scale")
    table = standardizer_frame([(f, c, center[(f, c)], scale[(f, c)]) for f, c in center])
    columns = input_columns(table, numeric, categorical)
    keys = list(zip(columns["feature"], columns["category"]))

    def vector(parameter: str, component: int | None = None) -> np.ndarray:
        lookup = by_input(parameter, component)
        return np.array([lookup[key] for key in keys], dtype=np.float64)

    ratios = parameters[parameters["parameter"] == "explained_variance_ratio"]
    ratios = ratios.sort_values("component")
    n_components = len(ratios)
    mean = vector("pca_mean")
    loadings = np.stack([vector("loading", k + 1) for k in range(n_components)])
    scores = np.empty((len(frame), n_components))
    for start in range(0, len(frame), chunk_rows):
        chunk = frame.iloc[start : start + chunk_rows]
        X = standardized_matrix(chunk, columns, numeric, categorical)
        with single_threaded():
            scores[start : start + len(chunk)] = (X - mean) @ loadings.T
    out = pd.DataFrame({"customer_id": frame[id_column].to_numpy(np.int64)})
    for k in range(n_components):
        out[f"pc{k + 1}"] = scores[:, k]
    for k, value in enumerate(ratios["value"]):
        out[f"explained_variance_ratio_{k + 1}"] = np.float64(value)
    return out
