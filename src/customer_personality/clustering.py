"""Compare clusterings of customers and project them with PCA (importance.py explains
them with a forest).

K-Means, a Gaussian mixture, Ward agglomerative clustering and HDBSCAN run over a
range of k (or of HDBSCAN's min_cluster_size) and are scored on one seeded evaluation
sample. Super-linear methods fit on that sample and assign the other customers, so a
million customers run in seconds. Every function sorts by customer_id first: re-runs
give identical tables.
"""

from __future__ import annotations

# First: loads the scientific stack in one thread (dbt runs models in parallel).
from customer_personality import _preload  # noqa: F401

# isort: split

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import ward
from sklearn.cluster import KMeans
from sklearn.metrics import (
    calinski_harabasz_score,
    davies_bouldin_score,
    euclidean_distances,
    pairwise_distances_argmin,
)
from sklearn.mixture import GaussianMixture

from customer_personality import density, projection
from customer_personality.segments import text_column
from customer_personality.threads import single_threaded

ALGORITHMS: tuple[str, ...] = ("kmeans", "gmm", "agglomerative", "hdbscan")
EVALUATION_COLUMNS: tuple[str, ...] = (
    "algorithm",
    "k",
    "parameter_name",
    "parameter",
    "silhouette",
    "calinski_harabasz",
    "davies_bouldin",
    "inertia",
    "bic",
    "aic",
    "noise_share",
    "is_elbow",
    "is_selected",
    "selection_reason",
    "n_fit_rows",
    "n_eval_rows",
)
# Besides EVALUATION_COLUMNS, the evaluation frame keeps, for the selected candidate
# of an algorithm fitted on the evaluation sample alone, that sample's labels:
# label_customers extends them to every customer without fitting the candidate
# again. NULL on every other row.
SAMPLE_FITTED: tuple[str, ...] = ("agglomerative", "hdbscan")
SAMPLE_FIT_COLUMNS: tuple[str, ...] = ("sample_labels",)
LABEL_COLUMNS: tuple[str, ...] = ("customer_id", "algorithm", "k", "cluster")
# The column of int_cluster_sample giving a row's place in the seeded hash order.
SAMPLE_POSITION = "sample_position"
# The parameter swept besides k (HDBSCAN's k is what it finds).
PARAMETER_NAMES = {"hdbscan": "min_cluster_size"}
# The curve whose elbow each algorithm marks (is_elbow); HDBSCAN marks none.
ELBOW_CURVES = {"kmeans": "inertia", "gmm": "bic", "agglomerative": "inertia"}
# Rows assigned per call when labelling or projecting every customer.
CHUNK_ROWS = 500_000
# Bytes of one block of the pairwise distance matrix in the silhouette computation.
DISTANCE_BLOCK_BYTES = 64 * 2**20
# Model fitting runs on one thread: k-means adds per-thread partial sums in lock
# order (so more threads can change the last bits between runs), and on small
# matrices OpenMP and OpenBLAS threads mostly wait for each other (k-means and the
# GMM ran 4-5x faster single-threaded on 2 cores). See threads.single_threaded.


@dataclass(frozen=True)
class FeatureMatrix:
    """Model-ready features: standardized numeric columns, then 0/1 indicators.

    groups[j] is the input column that matrix column j comes from, so a categorical
    feature's indicators can be permuted together.
    """

    values: np.ndarray
    columns: list[str]
    groups: list[str]


@dataclass(frozen=True)
class ClusteringResult:
    """Result of `evaluate_clusterings`: metrics per candidate, labels per customer."""

    evaluation: pd.DataFrame
    labels: pd.DataFrame
    n_rows: int
    n_eval_rows: int
    n_fit_rows: int


@dataclass
class Candidate:
    """One fitted (algorithm, k or eps) candidate, before metrics and selection."""

    algorithm: str
    k: int
    eval_labels: np.ndarray
    n_fit_rows: int
    parameter: float = np.nan
    inertia: float = np.nan
    bic: float = np.nan
    aic: float = np.nan
    noise_share: float = np.nan
    model: object = None
    extra: dict = field(default_factory=dict)


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


def find_elbow(x: Sequence[float], y: Sequence[float]) -> int:
    """Index of the elbow of a curve: the point farthest from the first-last chord.

    Both axes are scaled to [0, 1] first, so units do not matter; works for falling
    (inertia) and rising (k-distance) curves. Ties go to the first point; with fewer
    than three points, or a flat curve, there is no interior point and 0 is returned.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if len(x) != len(y):
        raise ValueError("x and y must have the same length")
    if len(x) < 3:
        return 0
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    x_span = xs[-1] - xs[0] or 1.0
    y_span = ys.max() - ys.min() or 1.0
    xn, yn = (xs - xs[0]) / x_span, (ys - ys[0]) / y_span
    chord = np.array([xn[-1], yn[-1]])
    norm = np.hypot(*chord)
    if norm == 0:
        return 0
    distance = np.abs(chord[0] * yn - chord[1] * xn) / norm
    if distance.max() <= 1e-12:
        return int(order[0])
    return int(order[int(np.argmax(distance))])


def silhouette_scores(
    X: np.ndarray,
    label_sets: Sequence[np.ndarray],
    block_bytes: int = DISTANCE_BLOCK_BYTES,
) -> list[float]:
    """Mean silhouette of several labellings of the same rows, in one distance pass.

    Rows labelled -1 (noise) are left out, as if removed before calling sklearn's
    silhouette_score; a labelling with fewer than two clusters gets NaN. The distance
    matrix is computed once, block by block, instead of once per labelling.
    """
    X = np.asarray(X, dtype=np.float64)
    n = len(X)
    codes, sizes, offsets, usable = [], [], [], []
    width = 0
    for labels in label_sets:
        labels = np.asarray(labels)
        values, code = np.unique(labels, return_inverse=True)
        code = np.where(labels < 0, -1, code - int((values < 0).any()))
        k = int((values >= 0).sum())
        codes.append(code)
        sizes.append(np.bincount(code[code >= 0], minlength=k).astype(np.float64))
        offsets.append(width)
        usable.append(2 <= k < (code >= 0).sum())
        width += k
    membership = np.zeros((n, width))
    for code, offset in zip(codes, offsets):
        kept = code >= 0
        membership[np.flatnonzero(kept), offset + code[kept]] = 1.0
    totals = [0.0] * len(codes)
    block = max(1, int(block_bytes // (8 * max(n, 1))))
    for start in range(0, n, block):
        stop = min(start + block, n)
        distances = euclidean_distances(X[start:stop], X)
        distances[np.arange(stop - start), np.arange(start, stop)] = 0.0
        sums = distances @ membership
        for j, (code, size, offset) in enumerate(zip(codes, sizes, offsets)):
            if not usable[j]:
                continue
            own = code[start:stop]
            rows = np.flatnonzero(own >= 0)
            own = own[rows]
            cluster_sums = sums[rows, offset : offset + len(size)]
            own_size = size[own]
            a = cluster_sums[np.arange(len(rows)), own] / np.maximum(own_size - 1, 1)
            means = cluster_sums / size
            means[np.arange(len(rows)), own] = np.inf
            b = means.min(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                s = (b - a) / np.maximum(a, b)
            s[(own_size <= 1) | ~np.isfinite(s)] = 0.0
            totals[j] += s.sum()
    return [
        totals[j] / (code >= 0).sum() if usable[j] else np.nan
        for j, code in enumerate(codes)
    ]


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


def _within_sum_of_squares(X: np.ndarray, labels: np.ndarray) -> float:
    """Sum of squared distances of rows to their cluster mean (noise left out)."""
    total = 0.0
    for cluster in np.unique(labels[labels >= 0]):
        members = X[labels == cluster]
        total += float(((members - members.mean(axis=0)) ** 2).sum())
    return total


def _fit_kmeans(
    X_fit: np.ndarray, X_eval: np.ndarray, k_values: Sequence[int], random_state: int
) -> list[Candidate]:
    """K-Means per k on the fit sample; inertia measured on the evaluation sample."""
    out = []
    for k in k_values:
        model = KMeans(n_clusters=k, n_init=3, random_state=random_state).fit(X_fit)
        labels = model.predict(X_eval)
        inertia = -float(model.score(X_eval))
        out.append(
            Candidate("kmeans", k, labels, len(X_fit), inertia=inertia, model=model)
        )
    return out


def _fit_gmm(
    X_fit: np.ndarray,
    X_eval: np.ndarray,
    k_values: Sequence[int],
    random_state: int,
    columns: np.ndarray,
    covariance_type: str,
    reg_covar: float,
) -> list[Candidate]:
    """Gaussian mixture per k on the fit sample's `columns`; BIC, AIC on the sample."""
    fit_part, eval_part = X_fit[:, columns], X_eval[:, columns]
    out = []
    for k in k_values:
        model = GaussianMixture(
            n_components=k,
            covariance_type=covariance_type,
            reg_covar=reg_covar,
            random_state=random_state,
        ).fit(fit_part)
        out.append(
            Candidate(
                "gmm",
                k,
                model.predict(eval_part),
                len(X_fit),
                bic=float(model.bic(eval_part)),
                aic=float(model.aic(eval_part)),
                model=model,
                extra={"columns": columns},
            )
        )
    return out


def cut_linkage(tree: np.ndarray, k_values: Sequence[int]) -> np.ndarray:
    """scipy's cut_tree(tree, n_clusters=k_values), in linear time per k.

    Column j labels every row with its cluster after the first n - k merges of the
    linkage `tree`. As in clusters are numbered in the order of their first
    row (tested equal, ties and repeated rows included).
    """
    n_rows = len(tree) + 1
    parent = np.full(2 * n_rows - 1, -1, dtype=np.int64)
    merged = tree[:, :2].astype(np.int64)
    parent[merged[:, 0]] = parent[merged[:, 1]] = np.arange(n_rows, 2 * n_rows - 1)
    out = np.empty((n_rows, len(k_values)), dtype=np.int64)
    for j, k in enumerate(k_values):
        if not 1 <= k <= n_rows:
            raise ValueError(f"cannot cut {n_rows} rows into {k} clusters")
        limit = 2 * n_rows - k  # the nodes made by the first n - k merges are below
        node = np.arange(n_rows)
        while True:
            up = parent[node]
            move = (up >= 0) & (up < limit)
            if not move.any():
                break
            node = np.where(move, up, node)
        _, first = np.unique(node, return_index=True)
        rank = np.empty(2 * n_rows - 1, dtype=np.int64)
        rank[node[np.sort(first)]] = np.arange(len(first))
        out[:, j] = rank[node]
    return out


def _fit_agglomerative(X_eval: np.ndarray, k_values: Sequence[int]) -> list[Candidate]:
    """Ward linkage once on the evaluation sample, cut at every k."""
    tree = ward(X_eval)
    cuts = cut_linkage(tree, list(k_values))
    out = []
    for j, k in enumerate(k_values):
        labels = cuts[:, j].astype(np.int64)
        inertia = _within_sum_of_squares(X_eval, labels)
        out.append(Candidate("agglomerative", k, labels, len(X_eval), inertia=inertia))
    return out


def _fit_hdbscan(
    X_eval: np.ndarray,
    min_samples: int,
    cluster_shares: Sequence[float],
    cluster_sizes: Sequence[int] | None = None,
) -> list[Candidate]:
    """HDBSCAN on the evaluation sample at each min_cluster_size of the grid
    (`cluster_shares` of the sample), or at `cluster_sizes` when given. The core
    distances (the same for every min_cluster_size) are computed once."""
    sizes = cluster_sizes or density.cluster_sizes(len(X_eval), cluster_shares)
    radius = density.core_distances(X_eval, min_samples)
    out = []
    for size in sizes:
        fit = density.fit_hdbscan(X_eval, int(size), min_samples, radius)
        out.append(
            Candidate(
                "hdbscan",
                fit.n_clusters,
                fit.labels,
                len(X_eval),
                parameter=float(size),
                noise_share=float((fit.labels < 0).mean()),
                model=fit,
                extra={"min_samples": min(min_samples, len(X_eval))},
            )
        )
    return out


def _add_metrics(X_eval: np.ndarray, candidates: list[Candidate]) -> list[dict]:
    """Silhouette, Calinski-Harabasz and Davies-Bouldin of each candidate (no noise)."""
    silhouettes = silhouette_scores(X_eval, [c.eval_labels for c in candidates])
    rows = []
    for candidate, silhouette in zip(candidates, silhouettes):
        kept = candidate.eval_labels >= 0
        labels = candidate.eval_labels[kept]
        n_clusters = len(np.unique(labels))
        calinski = davies = np.nan
        if 2 <= n_clusters < len(labels):
            calinski = float(calinski_harabasz_score(X_eval[kept], labels))
            davies = float(davies_bouldin_score(X_eval[kept], labels))
        rows.append(
            {
                "algorithm": candidate.algorithm,
                "k": candidate.k,
                "parameter_name": PARAMETER_NAMES.get(candidate.algorithm),
                "parameter": candidate.parameter,
                "silhouette": float(silhouette),
                "calinski_harabasz": calinski,
                "davies_bouldin": davies,
                "inertia": candidate.inertia,
                "bic": candidate.bic,
                "aic": candidate.aic,
                "noise_share": candidate.noise_share,
                "is_elbow": False,
                "is_selected": False,
                "selection_reason": None,
                "n_fit_rows": candidate.n_fit_rows,
                "n_eval_rows": len(X_eval),
            }
        )
    return rows


def _best(
    values: Sequence[float],
    positions: Iterable[int],
    lowest: bool = False,
) -> int:
    """Position of the best finite value among `positions`; first one on a tie."""
    best, best_value = -1, np.nan
    for position in positions:
        value = values[position]
        if not np.isfinite(value):
            continue
        better = value < best_value if lowest else value > best_value
        if best < 0 or better:
            best, best_value = position, value
    return best


def _select_hdbscan(
    rows: list[dict],
    candidates: list[Candidate],
    max_noise_share: float,
    max_cluster_share: float,
) -> None:
    """Select the HDBSCAN candidate of highest silhouette among those that show density
    structure; when none does, select nothing and say why on the closest candidate."""
    failures, closest = density.verdict(
        [c.eval_labels for c in candidates], max_noise_share, max_cluster_share
    )
    if closest < 0:
        return
    structured = [p for p, failure in enumerate(failures) if not failure]
    chosen = _best([row["silhouette"] for row in rows], structured)
    min_samples = candidates[0].extra["min_samples"]
    limits = (
        f"two or more clusters, at most {max_noise_share:.0%} noise and no cluster "
        f"above {max_cluster_share:.0%} of customers"
    )
    if chosen < 0:
        row = rows[closest]
        row["selection_reason"] = (
            f"no density structure: {failures[closest]} at min_cluster_size="
            f"{row['parameter']:.0f}, the closest of {len(rows)} values tried "
            f"(min_samples={min_samples}; a density clustering needs {limits})"
        )
        return
    row = rows[chosen]
    row["is_selected"] = True
    row["selection_reason"] = (
        f"highest silhouette with {limits}, at min_cluster_size="
        f"{row['parameter']:.0f} ({row['k']} clusters, {row['noise_share']:.0%} "
        f"noise, min_samples={min_samples})"
    )


def _select(
    algorithm: str,
    rows: list[dict],
    candidates: list[Candidate],
    max_noise_share: float,
    max_cluster_share: float,
) -> None:
    """Mark the elbow and the selected row of one algorithm, with the reason."""
    if algorithm == "hdbscan":
        _select_hdbscan(rows, candidates, max_noise_share, max_cluster_share)
        return
    positions = list(range(len(rows)))
    silhouette = [row["silhouette"] for row in rows]
    k = [row["k"] for row in rows]
    curve = ELBOW_CURVES[algorithm]
    elbow = find_elbow(k, [row[curve] for row in rows])
    if len(rows) >= 3:
        rows[elbow]["is_elbow"] = True
    if algorithm == "kmeans" and len(rows) >= 3:
        chosen = elbow
        reason = f"elbow of inertia at k={k[chosen]} (max distance to chord)"
    elif algorithm == "gmm":
        chosen = _best([row["bic"] for row in rows], positions, lowest=True)
        reason = f"lowest BIC at k={k[chosen]}"
    else:
        chosen = _best(silhouette, positions)
        reason = f"highest silhouette at k={k[chosen]}"
    if chosen < 0:
        chosen, reason = 0, f"first candidate k={k[0]} (no metric available)"
    rows[chosen]["is_selected"] = True
    rows[chosen]["selection_reason"] = reason


def _predict_chunked(predict, X: np.ndarray) -> np.ndarray:
    """Apply `predict` to X in row chunks (bounds temporaries at ten million rows)."""
    out = np.empty(len(X), dtype=np.int64)
    for start in range(0, len(X), CHUNK_ROWS):
        out[start : start + CHUNK_ROWS] = predict(X[start : start + CHUNK_ROWS])
    return out


def _gmm_predict(model: GaussianMixture, X: np.ndarray) -> np.ndarray:
    """model.predict(X): the component of highest weighted log density.

    For full covariances every component's whitening is one matrix product of X with
    the side-by-side Cholesky factors of the precisions (about twice as fast as
    sklearn's product per component); other covariance types use sklearn.
    """
    if model.covariance_type != "full":
        return model.predict(X)
    factors = model.precisions_cholesky_  # (k, d, d)
    k, d = model.means_.shape
    stacked = np.concatenate(list(factors), axis=1)  # (d, k * d)
    shift = np.einsum("kd,kde->ke", model.means_, factors).ravel()
    constant = np.log(np.diagonal(factors, axis1=1, axis2=2)).sum(axis=1)
    constant += np.log(model.weights_)
    labels = np.empty(len(X), dtype=np.int64)
    for start in range(0, len(X), 1 << 16):  # (rows, k * d) temporaries stay small
        white = X[start : start + (1 << 16)] @ stacked
        white -= shift
        np.square(white, out=white)
        score = constant - 0.5 * white.reshape(len(white), k, d).sum(axis=2)
        labels[start : start + len(white)] = score.argmax(axis=1)
    return labels


def _assign_all(
    candidate: Candidate,
    X: np.ndarray,
    X_eval: np.ndarray,
    eval_index: np.ndarray,
    random_state: int,
) -> np.ndarray:
    """Cluster of every row: predict (K-Means, GMM) or assign from the sample."""
    if candidate.algorithm == "kmeans":
        return _predict_chunked(candidate.model.predict, X)
    if candidate.algorithm == "gmm":
        columns = candidate.extra["columns"]
        return _predict_chunked(lambda x: _gmm_predict(candidate.model, x[:, columns]), X)
    sample_labels = candidate.eval_labels
    if candidate.algorithm == "agglomerative":
        clusters = np.unique(sample_labels)
        centroids = np.stack([X_eval[sample_labels == c].mean(axis=0) for c in clusters])
        labels = clusters[
            _predict_chunked(lambda x: pairwise_distances_argmin(x, centroids), X)
        ]
    else:
        fit = candidate.model
        labels = _predict_chunked(
            lambda x: density.assign_to_clusters(x, X_eval, fit, random_state), X
        )
    # The sample keeps the labels the algorithm itself gave it.
    labels[eval_index] = sample_labels
    return labels


def _renumber_by_size(labels: np.ndarray) -> np.ndarray:
    """Cluster 0 is the largest, then 1, ...; ties by old id; noise stays -1."""
    clusters, counts = np.unique(labels[labels >= 0], return_counts=True)
    order = np.lexsort((clusters, -counts))
    size = int(clusters.max()) + 1 if len(clusters) else 1
    mapping = np.full(size, -1, dtype=np.int64)
    mapping[clusters[order]] = np.arange(len(clusters))
    return np.where(labels >= 0, mapping[np.maximum(labels, 0)], -1)


@dataclass(frozen=True)
class PreparedSamples:
    """The sorted customers' feature matrix and the nested seeded samples of it."""

    ids: np.ndarray
    X: np.ndarray
    eval_index: np.ndarray
    X_eval: np.ndarray
    X_fit: np.ndarray
    gmm_columns: np.ndarray
    min_samples: int


def prepare_samples(
    data: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str],
    sample_size: int,
    fit_sample_size: int,
    random_state: int,
    gmm_categorical: bool,
    hdbscan_min_samples: int | None,
    id_column: str,
) -> PreparedSamples:
    frame = _sorted_frame(data, id_column, [*numeric, *categorical])
    matrix = build_feature_matrix(frame, numeric, categorical)
    X = matrix.values
    eval_index, fit_index = _sample_prefixes(
        len(X), [sample_size, max(fit_sample_size, sample_size)], random_state
    )
    numeric_columns = [j for j, g in enumerate(matrix.groups) if g in set(numeric)]
    use_all = gmm_categorical or not numeric_columns
    return PreparedSamples(
        ids=frame[id_column].to_numpy(np.int64),
        X=X,
        eval_index=eval_index,
        X_eval=X[eval_index],
        X_fit=X[fit_index],
        gmm_columns=np.arange(X.shape[1]) if use_all else np.asarray(numeric_columns),
        min_samples=hdbscan_min_samples or 2 * X.shape[1],
    )


def prepare_sample(
    sample: pd.DataFrame,
    standardizer_table: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str],
    sample_size: int,
    gmm_categorical: bool = False,
    hdbscan_min_samples: int | None = None,
    id_column: str = "customer_id",
    position_column: str = SAMPLE_POSITION,
) -> PreparedSamples:
    """The nested samples from a seeded SQL sample (the build's int_cluster_sample),
    standardized by a table of every customer's statistics (int_clustering_standardizer,
    as projection.standardizer computes): every row is the fit sample, the rows of
    `position_column` <= `sample_size` the evaluation sample, each sorted by id as
    prepare_samples sorts them. X is the fit sample (no other customer is read)."""
    frame = _sorted_frame(sample, id_column, [*numeric, *categorical, position_column])
    X = projection.standardized_matrix(frame, standardizer_table, numeric, categorical)
    eval_index = np.flatnonzero(frame[position_column].to_numpy() <= sample_size)
    n_numeric = len(numeric)
    use_all = gmm_categorical or not n_numeric
    return PreparedSamples(
        ids=frame[id_column].to_numpy(np.int64),
        X=X,
        eval_index=eval_index,
        X_eval=X[eval_index],
        X_fit=X,
        gmm_columns=np.arange(X.shape[1]) if use_all else np.arange(n_numeric),
        min_samples=hdbscan_min_samples or 2 * X.shape[1],
    )


# The columns of int_cluster_evaluation the models after it read.
SELECTION_COLUMNS = "algorithm, k, parameter, is_selected"


@dataclass(frozen=True)
class SampleConfig:
    """The build's clustering vars, in one place: what evaluate_sample,
    cluster_parameters and sample_stability read (their Python models build it with
    `from_dbt`). sample_size is the evaluation sample (var cluster_sample_size)."""

    numeric: tuple[str, ...]
    categorical: tuple[str, ...] = ()
    sample_size: int = 10_000
    random_state: int = 42
    k_values: tuple[int, ...] = tuple(range(2, 11))
    max_noise_share: float = 0.2
    max_cluster_share: float = 0.95
    n_resamples: int = 20
    stability_sample_size: int = 5_000

    @classmethod
    def from_dbt(cls, values: Mapping[str, object]) -> SampleConfig:
        """From the `cluster_config` dict of the clustering models' config (vars by
        name; python_models/_python_models.yml declares it once for the three)."""
        get = values.__getitem__
        k_max = int(get("cluster_k_max"))
        return cls(
            numeric=tuple(get("cluster_numeric_features")),
            categorical=tuple(get("cluster_categorical_features")),
            sample_size=int(get("cluster_sample_size")),
            random_state=int(get("random_seed")),
            k_values=tuple(range(int(get("cluster_k_min")), k_max + 1)),
            max_noise_share=float(get("cluster_max_noise_share")),
            max_cluster_share=float(get("cluster_max_cluster_share")),
            n_resamples=int(get("stability_resamples")),
            stability_sample_size=int(get("stability_sample_size")),
        )

    def prepare(
        self, sample: pd.DataFrame, standardizer_table: pd.DataFrame
    ) -> PreparedSamples:
        """The nested samples of a seeded SQL sample (prepare_sample)."""
        return prepare_sample(
            sample, standardizer_table, self.numeric, self.categorical, self.sample_size
        )


def evaluate_sample(
    sample: pd.DataFrame, standardizer_table: pd.DataFrame, config: SampleConfig
) -> pd.DataFrame:
    """evaluate_clusterings' evaluation frame, from a seeded SQL sample and the
    standardizer of every customer (see prepare_sample): what the build runs.
    Without sample_labels: the models that need the selected candidates refit them
    (selected_candidates; Ward and HDBSCAN on the evaluation sample, deterministic)."""
    result = _evaluate(
        config.prepare(sample, standardizer_table),
        config.k_values,
        ALGORITHMS,
        FitSettings(config.random_state),
        config.max_noise_share,
        config.max_cluster_share,
        assign=False,
    )
    # No labels carried to the next models: they refit the selected candidate alone.
    return result.evaluation.drop(columns=list(SAMPLE_FIT_COLUMNS))


def _fit_algorithm(
    algorithm: str,
    prepared: PreparedSamples,
    k_values: Sequence[int],
    random_state: int,
    hdbscan_cluster_shares: Sequence[float],
    gmm_covariance_type: str,
    gmm_reg_covar: float,
    hdbscan_sizes: Sequence[int] | None,
) -> list[Candidate]:
    """Every candidate of one algorithm, fitted on the samples (one thread)."""
    X_fit, X_eval = prepared.X_fit, prepared.X_eval
    with single_threaded():
        if algorithm == "kmeans":
            return _fit_kmeans(X_fit, X_eval, k_values, random_state)
        if algorithm == "gmm":
            return _fit_gmm(
                X_fit,
                X_eval,
                k_values,
                random_state,
                prepared.gmm_columns,
                gmm_covariance_type,
                gmm_reg_covar,
            )
        if algorithm == "agglomerative":
            return _fit_agglomerative(X_eval, k_values)
        return _fit_hdbscan(
            X_eval, prepared.min_samples, hdbscan_cluster_shares, hdbscan_sizes
        )


def _labels_frame(
    ids: np.ndarray, blocks: Sequence[tuple[str, int, np.ndarray]]
) -> pd.DataFrame:
    """Long labels (LABEL_COLUMNS) from (algorithm, k, cluster per sorted id) blocks."""
    n_rows = len(ids)
    return pd.DataFrame(
        {
            "customer_id": np.tile(ids, len(blocks)),
            "algorithm": text_column(
                np.repeat(np.arange(len(blocks)), n_rows),
                [algorithm for algorithm, _, _ in blocks],
            ),
            "k": np.repeat([k for _, k, _ in blocks], n_rows).astype(np.int64),
            "cluster": (
                np.concatenate([labels for _, _, labels in blocks])
                if blocks
                else np.zeros(0, dtype=np.int64)
            ),
        },
        copy=False,
    )


def _all_labels(
    candidate: Candidate, prepared: PreparedSamples, random_state: int
) -> np.ndarray:
    """Every customer's cluster under one fitted candidate, ids renumbered by size."""
    with single_threaded():
        labels = _assign_all(
            candidate, prepared.X, prepared.X_eval, prepared.eval_index, random_state
        )
    return _renumber_by_size(labels)


def _evaluation_frame(rows: list[dict]) -> pd.DataFrame:
    """The evaluation rows as a frame of plain dtypes (NaN where a figure is absent)."""
    evaluation = pd.DataFrame(rows, columns=[*EVALUATION_COLUMNS, *SAMPLE_FIT_COLUMNS])
    text = ("algorithm", "parameter_name", "selection_reason")
    evaluation = evaluation.astype(
        {
            **dict.fromkeys(text, "str"),
            **dict.fromkeys(("k", "n_fit_rows", "n_eval_rows"), np.int64),
            **dict.fromkeys(("is_elbow", "is_selected"), bool),
        }
    )
    numbers = [
        column
        for column in EVALUATION_COLUMNS
        if column not in text
        and column not in ("k", "n_fit_rows", "n_eval_rows", "is_elbow", "is_selected")
    ]
    for column in numbers:
        evaluation[column] = evaluation[column].astype(np.float64)
    return evaluation


def evaluate_clusterings(
    data: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str] = (),
    k_values: Iterable[int] = range(2, 11),
    algorithms: Sequence[str] = ALGORITHMS,
    sample_size: int = 10_000,
    fit_sample_size: int = 50_000,
    random_state: int = 42,
    max_noise_share: float = 0.2,
    max_cluster_share: float = 0.95,
    hdbscan_min_samples: int | None = None,
    hdbscan_cluster_shares: Sequence[float] = density.CLUSTER_SHARES,
    gmm_covariance_type: str = "full",
    gmm_reg_covar: float = 1e-6,
    gmm_categorical: bool = False,
    id_column: str = "customer_id",
    assign: bool = True,
) -> ClusteringResult:
    """Fit each algorithm over k (min_cluster_size for HDBSCAN), score, select, label.

    Metrics (silhouette, Calinski-Harabasz, Davies-Bouldin on non-noise rows; inertia
    and BIC/AIC) use a seeded evaluation sample of `sample_size` rows, nested in the
    `fit_sample_size` sample that K-Means and the GMM fit on before predicting every
    row. Ward and HDBSCAN fit on the evaluation sample and assign the other rows: the
    nearest sample-cluster centroid; a clustered sample row whose core distance
    reaches the row, else noise (-1). Selection, one row per algorithm at most:
    K-Means the elbow of inertia, GMM the lowest BIC, Ward the highest silhouette;
    ties go to the smaller k. HDBSCAN tries min_cluster_size at
    `hdbscan_cluster_shares` of the sample (min_samples defaults to twice the number
    of matrix columns) and selects the highest silhouette among the candidates with
    two or more clusters, noise share <= `max_noise_share` and no cluster above
    `max_cluster_share` of the rows; when none qualifies it selects nothing and the
    closest candidate's selection_reason says "no density structure: ...". The GMM
    uses the numeric columns only unless `gmm_categorical`: a Gaussian density on
    0/1 indicators rewards splitting by category, and BIC then keeps choosing the
    largest k. Cluster ids are renumbered by descending size. assign=False skips
    labelling every customer (labels is then empty): the build labels them in
    label_customers.
    """
    _check_algorithms(algorithms)
    prepared = prepare_samples(
        data,
        numeric,
        categorical,
        sample_size,
        fit_sample_size,
        random_state,
        gmm_categorical,
        hdbscan_min_samples,
        id_column,
    )
    fitting = FitSettings(
        random_state,
        tuple(hdbscan_cluster_shares),
        gmm_covariance_type,
        gmm_reg_covar,
    )
    return _evaluate(
        prepared,
        k_values,
        algorithms,
        fitting,
        max_noise_share,
        max_cluster_share,
        assign,
    )


@dataclass(frozen=True)
class FitSettings:
    """How the candidates are fitted, besides the samples and the k grid."""

    random_state: int = 42
    hdbscan_cluster_shares: tuple[float, ...] = tuple(density.CLUSTER_SHARES)
    gmm_covariance_type: str = "full"
    gmm_reg_covar: float = 1e-6


def _evaluate(
    prepared: PreparedSamples,
    k_values: Iterable[int],
    algorithms: Sequence[str],
    fitting: FitSettings,
    max_noise_share: float,
    max_cluster_share: float,
    assign: bool,
) -> ClusteringResult:
    """evaluate_clusterings on samples already prepared (see there)."""
    random_state = fitting.random_state
    X_eval = prepared.X_eval
    k_values = sorted({int(k) for k in k_values if 2 <= int(k) < len(X_eval)})
    if not k_values:
        raise ValueError(f"no k in k_values fits {len(X_eval)} evaluation rows")
    fitted = {
        algorithm: _fit_algorithm(
            algorithm,
            prepared,
            k_values,
            random_state,
            fitting.hdbscan_cluster_shares,
            fitting.gmm_covariance_type,
            fitting.gmm_reg_covar,
            None,
        )
        for algorithm in algorithms
    }
    # One pass over the sample's distance matrix scores every candidate.
    candidates = [c for algorithm in algorithms for c in fitted[algorithm]]
    with single_threaded():
        all_rows = _add_metrics(X_eval, candidates)
    evaluation_rows: list[dict] = []
    label_blocks: list[tuple[str, int, np.ndarray]] = []
    for algorithm in algorithms:
        rows = [row for row in all_rows if row["algorithm"] == algorithm]
        _select(algorithm, rows, fitted[algorithm], max_noise_share, max_cluster_share)
        pairs = list(zip(fitted[algorithm], rows, strict=True))
        chosen = next((c for c, row in pairs if row["is_selected"]), None)
        for candidate, row in pairs:
            stored = candidate is chosen and algorithm in SAMPLE_FITTED
            row["sample_labels"] = candidate.eval_labels.tolist() if stored else None
        evaluation_rows += rows
        if assign and chosen is not None:
            labels = _all_labels(chosen, prepared, random_state)
            label_blocks.append((algorithm, chosen.k, labels))
    return ClusteringResult(
        evaluation=_evaluation_frame(evaluation_rows),
        labels=_labels_frame(prepared.ids, label_blocks),
        n_rows=len(prepared.X),
        n_eval_rows=len(X_eval),
        n_fit_rows=len(prepared.X_fit),
    )


def _check_algorithms(algorithms: Sequence[str]) -> None:
    unknown = [a for a in algorithms if a not in ALGORITHMS]
    if not algorithms:
        raise ValueError("no algorithms given")
    if unknown:
        raise ValueError(f"unknown algorithms {unknown}; choose from {list(ALGORITHMS)}")


def project_pca(
    data: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str] = (),
    n_components: int = 3,
    random_state: int = 42,
    sample_size: int = 200_000,
    id_column: str = "customer_id",
) -> pd.DataFrame:
    """Principal components of every customer, for scatter plots of the clusters.

    The build does this in SQL (int_clustering_standardizer, int_pca_sample,
    int_pca_model, macro pca_projection); this is the same in Python alone, from every
    customer's rows: standardized over all rows (build_feature_matrix), fitted (exact
    SVD) on a seeded sample of at most `sample_size` rows (drawn here in numpy, not by
    the SQL macro seeded_sample), applied to all by projection.project. Columns:
    customer_id, pc1..pcN, then explained_variance_ratio_1..N, the same value on every
    row. Each component's largest loading is positive, so signs are stable.
    """
    frame = _sorted_frame(data, id_column, [*numeric, *categorical])
    table = projection.standardizer(frame, numeric, categorical)
    fit_index = _sample_prefixes(len(frame), [sample_size], random_state)[0]
    parameters = projection.fit_pca(
        frame.iloc[fit_index], table, numeric, categorical, n_components, id_column
    )
    return projection.project(
        frame, parameters, numeric, categorical, id_column, CHUNK_ROWS
    )


def _stored_list(value: object) -> np.ndarray | None:
    """A list cell of the evaluation table as an int array (None when NULL)."""
    if value is None or (np.ndim(value) == 0 and pd.isna(value)):
        return None
    return np.asarray(value, dtype=np.int64)


def _stored_candidate(row: object, prepared: PreparedSamples) -> Candidate | None:
    """The selected candidate rebuilt from the sample labels the evaluation stored
    (HDBSCAN's core distances are recomputed from the sample), or None when it
    stored none (K-Means, GMM)."""
    labels = _stored_list(getattr(row, "sample_labels", None))
    if labels is None or row.algorithm not in SAMPLE_FITTED:
        return None
    n_eval_rows = len(prepared.X_eval)
    if len(labels) != n_eval_rows:
        raise ValueError(
            f"evaluation stored {len(labels)} {row.algorithm} sample labels but the "
            f"sample has {n_eval_rows} rows: pass the arguments it was made with"
        )
    model, extra = None, {}
    if row.algorithm == "hdbscan":
        radius = density.core_distances(prepared.X_eval, prepared.min_samples)
        model = density.DensityFit(labels=labels, core_distances=radius)
        extra = {"min_samples": min(prepared.min_samples, n_eval_rows)}
    k = int(row.k) if row.algorithm == "agglomerative" else int(labels.max() + 1)
    return Candidate(
        row.algorithm,
        k,
        labels,
        n_eval_rows,
        parameter=row.parameter,
        model=model,
        extra=extra,
    )


def selected_candidates(
    evaluation: pd.DataFrame,
    prepared: PreparedSamples,
    random_state: int,
    gmm_covariance_type: str = "full",
    gmm_reg_covar: float = 1e-6,
) -> list[Candidate]:
    """The candidate each algorithm selected in `evaluation`, fitted as
    evaluate_clusterings fitted it on the same `prepared` samples: agglomerative and
    HDBSCAN rebuilt from the sample labels the evaluation stored; K-Means and the
    GMM, and any candidate stored without them, refitted (each fit depends only on
    its own k or min_cluster_size and the seeded samples). An algorithm with no
    selected candidate (HDBSCAN finding no density structure) has none."""
    selected = evaluation[evaluation["is_selected"].astype(bool)]
    if selected["algorithm"].duplicated().any():
        raise ValueError("evaluation selects more than one candidate per algorithm")
    unknown = sorted(set(selected["algorithm"]) - set(ALGORITHMS))
    if unknown:
        raise ValueError(f"unknown algorithms {unknown}; choose from {list(ALGORITHMS)}")
    out = []
    for row in selected.itertuples(index=False):
        candidate = _stored_candidate(row, prepared)
        if candidate is None:
            # HDBSCAN fits the selected min_cluster_size alone; its k is what it found.
            density_fit = row.algorithm == "hdbscan"
            (candidate,) = _fit_algorithm(
                row.algorithm,
                prepared,
                [] if density_fit else [int(row.k)],
                random_state,
                density.CLUSTER_SHARES,
                gmm_covariance_type,
                gmm_reg_covar,
                [int(row.parameter)] if density_fit else None,
            )
        out.append(candidate)
    return out


def label_customers(
    data: pd.DataFrame,
    evaluation: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str] = (),
    sample_size: int = 10_000,
    fit_sample_size: int = 50_000,
    random_state: int = 42,
    hdbscan_min_samples: int | None = None,
    gmm_covariance_type: str = "full",
    gmm_reg_covar: float = 1e-6,
    gmm_categorical: bool = False,
    id_column: str = "customer_id",
) -> pd.DataFrame:
    """Every customer's cluster under each algorithm at the candidate `evaluation`
    selected (see selected_candidates), without evaluating the other candidates
    again; an algorithm with no selected candidate labels nobody.

    `evaluation` is evaluate_clusterings(...).evaluation (or the table made from it)
    and the keyword arguments are the ones it was made with. The labels are exactly
    the ones evaluate_clusterings gives (tested).
    """
    prepared = prepare_samples(
        data,
        numeric,
        categorical,
        sample_size,
        fit_sample_size,
        random_state,
        gmm_categorical,
        hdbscan_min_samples,
        id_column,
    )
    candidates = selected_candidates(
        evaluation, prepared, random_state, gmm_covariance_type, gmm_reg_covar
    )
    blocks = [
        (c.algorithm, c.k, _all_labels(c, prepared, random_state)) for c in candidates
    ]
    return _labels_frame(prepared.ids, blocks)


def label_sample_customers(
    data: pd.DataFrame,
    sample: pd.DataFrame,
    standardizer_table: pd.DataFrame,
    evaluation: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str] = (),
    sample_size: int = 10_000,
    random_state: int = 42,
    id_column: str = "customer_id",
) -> pd.DataFrame:
    """label_customers for an evaluation made by evaluate_sample: every customer of
    `data`, standardized by `standardizer_table`, labelled by the candidates fitted
    on the SQL `sample` (the evaluation sample keeps its own labels)."""
    prepared = prepare_sample(
        sample, standardizer_table, numeric, categorical, sample_size
    )
    frame = _sorted_frame(data, id_column, [*numeric, *categorical])
    ids = frame[id_column].to_numpy(np.int64)
    X = projection.standardized_matrix(frame, standardizer_table, numeric, categorical)
    eval_index = np.searchsorted(ids, prepared.ids[prepared.eval_index])
    if not np.array_equal(ids[eval_index], prepared.ids[prepared.eval_index]):
        raise ValueError("the evaluation sample holds customers that data does not")
    candidates = selected_candidates(evaluation, prepared, random_state)
    prepared = replace(prepared, ids=ids, X=X, eval_index=eval_index)
    blocks = [
        (c.algorithm, c.k, _all_labels(c, prepared, random_state)) for c in candidates
    ]
    return _labels_frame(ids, blocks)
