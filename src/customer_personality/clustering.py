"""Compare clusterings of customers, project them with PCA, explain them with a forest.

K-Means, a Gaussian mixture, Ward agglomerative clustering and DBSCAN run over a range
of k (or of eps) and are scored on one seeded evaluation sample. Super-linear methods
fit on that sample and assign the other customers, so a million customers run in
seconds. Every function sorts by customer_id first: re-runs give identical tables.
"""

from __future__ import annotations

# First: loads the scientific stack in one thread (dbt runs models in parallel).
from customer_personality import _preload  # noqa: F401

# isort: split

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, single, ward
from scipy.spatial.distance import pdist, squareform
from sklearn.cluster import DBSCAN, KMeans
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import (
    calinski_harabasz_score,
    davies_bouldin_score,
    euclidean_distances,
    pairwise_distances_argmin,
    pairwise_distances_argmin_min,
)
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import NearestNeighbors

from customer_personality.segments import text_column
from customer_personality.threads import single_threaded

ALGORITHMS: tuple[str, ...] = ("kmeans", "gmm", "agglomerative", "dbscan")
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
# of an algorithm fitted on the evaluation sample alone, that sample's labels and
# (DBSCAN) the sample positions of its core rows: label_customers extends them to
# every customer without fitting the candidate again. NULL on every other row.
SAMPLE_FITTED: tuple[str, ...] = ("agglomerative", "dbscan")
SAMPLE_FIT_COLUMNS: tuple[str, ...] = ("sample_labels", "core_rows")
LABEL_COLUMNS: tuple[str, ...] = ("customer_id", "algorithm", "k", "cluster")
IMPORTANCE_COLUMNS: tuple[str, ...] = (
    "algorithm",
    "k",
    "feature",
    "importance_mean",
    "importance_std",
    "rank",
    "test_accuracy",
    "n_train_rows",
    "n_test_rows",
)
# The curve whose elbow each algorithm marks (is_elbow); DBSCAN marks the eps at the
# knee of its k-distance curve.
ELBOW_CURVES = {"kmeans": "inertia", "gmm": "bic", "agglomerative": "inertia"}
# Quantiles of the k-distance curve tried as DBSCAN eps (plus the curve's knee).
DBSCAN_QUANTILES: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98)
# Rows assigned per call when labelling or projecting every customer.
CHUNK_ROWS = 500_000
# Core points in the first block when assigning customers outside the DBSCAN sample;
# each further block is twice as large (see _reachable_cluster).
DBSCAN_CORE_BLOCK = 64
# Up to this many evaluation rows, DBSCAN runs on one exact distance matrix of the
# sample (12 * rows**2 bytes with its linkage: 300 MB at 5,000) shared by every eps;
# above it each eps runs sklearn's DBSCAN on the features.
DBSCAN_DENSE_MAX_ROWS = 8_000
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
class _Candidate:
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
) -> list[_Candidate]:
    """K-Means per k on the fit sample; inertia measured on the evaluation sample."""
    out = []
    for k in k_values:
        model = KMeans(n_clusters=k, n_init=3, random_state=random_state).fit(X_fit)
        labels = model.predict(X_eval)
        inertia = -float(model.score(X_eval))
        out.append(
            _Candidate("kmeans", k, labels, len(X_fit), inertia=inertia, model=model)
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
) -> list[_Candidate]:
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
            _Candidate(
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


def _fit_agglomerative(X_eval: np.ndarray, k_values: Sequence[int]) -> list[_Candidate]:
    """Ward linkage once on the evaluation sample, cut at every k."""
    tree = ward(X_eval)
    cuts = cut_linkage(tree, list(k_values))
    out = []
    for j, k in enumerate(k_values):
        labels = cuts[:, j].astype(np.int64)
        inertia = _within_sum_of_squares(X_eval, labels)
        out.append(_Candidate("agglomerative", k, labels, len(X_eval), inertia=inertia))
    return out


@dataclass(frozen=True)
class _DbscanFit:
    """A DBSCAN result with sklearn's attribute names (what _assign_all reads)."""

    labels_: np.ndarray
    core_sample_indices_: np.ndarray


class _DenseDbscan:
    """sklearn's DBSCAN over many eps, from one exact distance matrix of the sample.

    A core row has at least `min_samples` rows (itself included) within eps: its
    k-distance (the min_samples-th smallest distance) is <= eps. Two cores are in one
    cluster when a chain of cores joins them, each step within eps; that is single
    linkage on the mutual distance max(d(i, j), k_i, k_j) cut at eps, so one linkage
    serves every eps. Clusters are numbered by their first row, the order sklearn
    expands them in; a border row (not core, a core within eps) joins the
    lowest-numbered cluster reaching it, because sklearn expands cluster 0 fully
    before cluster 1. Other rows are noise (-1). Equal to sklearn's labels (tested).
    """

    def __init__(self, X: np.ndarray, min_samples: int):
        condensed = pdist(X)  # exact and symmetric
        self.distances = squareform(condensed)
        self.min_samples = min_samples
        n_rows = len(X)
        kth = min(min_samples, n_rows) - 1
        self.k_distance = np.partition(self.distances, kth, axis=1)[:, kth].copy()
        # The mutual distance, row block by row block of the condensed matrix.
        start = 0
        for i in range(n_rows - 1):
            part = condensed[start : start + n_rows - 1 - i]
            np.maximum(part, self.k_distance[i], out=part)
            np.maximum(part, self.k_distance[i + 1 :], out=part)
            start += n_rows - 1 - i
        self.linkage = single(condensed) if n_rows > 1 else None

    def fit(self, eps: float) -> _DbscanFit:
        n_rows = len(self.distances)
        labels = np.full(n_rows, -1, dtype=np.int64)
        if self.min_samples > n_rows:
            return _DbscanFit(labels, np.arange(0))
        core = np.flatnonzero(self.k_distance <= eps)
        if not len(core):
            return _DbscanFit(labels, core)
        if self.linkage is None:
            labels[core] = 0
            return _DbscanFit(labels, core)
        component = fcluster(self.linkage, t=eps, criterion="distance")[core]
        # np.unique's first positions are in row order: rank them.
        _, first = np.unique(component, return_index=True)
        rank = np.empty(component.max() + 1, dtype=np.int64)
        rank[component[np.sort(first)]] = np.arange(len(first))
        core_labels = rank[component]
        labels[core] = core_labels
        others = np.flatnonzero(labels < 0)
        if len(others):
            reach = self.distances[np.ix_(others, core)] <= eps
            nearest = np.where(reach, core_labels.astype(np.int32), len(first))
            nearest = nearest.min(axis=1)
            labels[others] = np.where(nearest < len(first), nearest, -1)
        return _DbscanFit(labels, core)


def _fit_dbscan(
    X_eval: np.ndarray,
    min_samples: int,
    quantiles: Sequence[float],
    eps_values: Sequence[float] | None = None,
) -> list[_Candidate]:
    """DBSCAN on the evaluation sample over an eps grid from the k-distance curve
    (its quantiles and its knee), or over `eps_values` when given."""
    if len(X_eval) <= DBSCAN_DENSE_MAX_ROWS:
        dense = _DenseDbscan(X_eval, min_samples)
        k_distance, fit = dense.k_distance, dense.fit
    else:
        n_neighbours = min(min_samples, len(X_eval))
        neighbours = NearestNeighbors(n_neighbors=n_neighbours).fit(X_eval)
        # The query includes the row itself, as DBSCAN's min_samples does.
        k_distance = neighbours.kneighbors(X_eval)[0][:, -1]

        def fit(eps: float) -> DBSCAN:
            return DBSCAN(eps=eps, min_samples=min_samples).fit(X_eval)

    curve = np.sort(k_distance)
    knee = float(curve[find_elbow(np.arange(len(curve)), curve)])
    grid = np.unique(np.concatenate([np.quantile(curve, quantiles), [knee]]))
    grid = [float(eps) for eps in grid if eps > 0]
    if eps_values is not None:
        grid = [float(eps) for eps in eps_values]
    out = []
    for eps in grid:
        model = fit(eps)
        labels = model.labels_.astype(np.int64)
        out.append(
            _Candidate(
                "dbscan",
                int(labels.max() + 1),
                labels,
                len(X_eval),
                parameter=eps,
                noise_share=float((labels < 0).mean()),
                model=model,
                extra={"is_knee": eps == knee, "min_samples": min_samples},
            )
        )
    return out


def _add_metrics(X_eval: np.ndarray, candidates: list[_Candidate]) -> list[dict]:
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
                "parameter_name": "eps" if candidate.algorithm == "dbscan" else None,
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


def _select(
    algorithm: str,
    rows: list[dict],
    candidates: list[_Candidate],
    max_noise_share: float,
) -> None:
    """Mark the elbow and the selected row of one algorithm, with the reason."""
    positions = list(range(len(rows)))
    silhouette = [row["silhouette"] for row in rows]
    k = [row["k"] for row in rows]
    if algorithm == "dbscan":
        for row, candidate in zip(rows, candidates):
            row["is_elbow"] = bool(candidate.extra["is_knee"])
        min_samples = candidates[0].extra["min_samples"] if candidates else 0
        clustered = [p for p in positions if k[p] >= 2]
        quiet = [p for p in clustered if rows[p]["noise_share"] <= max_noise_share]
        chosen = _best(silhouette, quiet)
        reason = f"highest silhouette with noise share <= {max_noise_share:.0%}"
        if chosen < 0:
            chosen = _best(silhouette, clustered)
            reason = (
                f"highest silhouette (no eps kept noise share <= {max_noise_share:.0%})"
            )
        if chosen < 0:
            noise = [row["noise_share"] for row in rows]
            chosen = _best(noise, positions, lowest=True)
            reason = "lowest noise share (no eps found two or more clusters)"
        eps = rows[chosen]["parameter"]
        reason += f" at eps={eps:.4g} ({k[chosen]} clusters, min_samples={min_samples})"
    else:
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


def _reachable_cluster(
    X: np.ndarray, cores: np.ndarray, core_labels: np.ndarray, eps: float
) -> np.ndarray:
    """Cluster of a core point within eps of each row, else -1 (noise).

    Core points are scanned in blocks, the first of DBSCAN_CORE_BLOCK cores and each
    next one twice as large; a row takes the cluster of its nearest core in the first
    block that has one within eps, then leaves the scan. Like DBSCAN's own border
    points, a row within eps of two clusters joins one of them. Cores come shuffled,
    so a row inside a cluster usually stops in the first small block, and a row costs
    at most about twice the cores it needed, instead of a nearest-core search over all.
    """
    labels = np.full(len(X), -1, dtype=np.int64)
    pending = np.arange(len(X))
    start, size = 0, DBSCAN_CORE_BLOCK
    while start < len(cores) and len(pending):
        block = cores[start : start + size]
        position, distance = pairwise_distances_argmin_min(X[pending], block)
        found = distance <= eps
        labels[pending[found]] = core_labels[start + position[found]]
        pending = pending[~found]
        start, size = start + size, 2 * size
    return labels


def _assign_all(
    candidate: _Candidate,
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
        # Seeded shuffle of the core points, so each block holds every cluster.
        rng = np.random.default_rng(random_state)
        core = rng.permutation(candidate.model.core_sample_indices_)
        cores, core_labels = X_eval[core], sample_labels[core]
        eps = candidate.parameter
        labels = _predict_chunked(
            lambda x: _reachable_cluster(x, cores, core_labels, eps), X
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
class _Prepared:
    """The sorted customers' feature matrix and the nested seeded samples of it."""

    ids: np.ndarray
    X: np.ndarray
    eval_index: np.ndarray
    X_eval: np.ndarray
    X_fit: np.ndarray
    gmm_columns: np.ndarray
    min_samples: int


def _prepare(
    data: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str],
    sample_size: int,
    fit_sample_size: int,
    random_state: int,
    gmm_categorical: bool,
    dbscan_min_samples: int | None,
    id_column: str,
) -> _Prepared:
    frame = _sorted_frame(data, id_column, [*numeric, *categorical])
    matrix = build_feature_matrix(frame, numeric, categorical)
    X = matrix.values
    eval_index, fit_index = _sample_prefixes(
        len(X), [sample_size, max(fit_sample_size, sample_size)], random_state
    )
    numeric_columns = [j for j, g in enumerate(matrix.groups) if g in set(numeric)]
    use_all = gmm_categorical or not numeric_columns
    return _Prepared(
        ids=frame[id_column].to_numpy(np.int64),
        X=X,
        eval_index=eval_index,
        X_eval=X[eval_index],
        X_fit=X[fit_index],
        gmm_columns=np.arange(X.shape[1]) if use_all else np.asarray(numeric_columns),
        min_samples=dbscan_min_samples or 2 * X.shape[1],
    )


def _fit_algorithm(
    algorithm: str,
    prepared: _Prepared,
    k_values: Sequence[int],
    random_state: int,
    dbscan_quantiles: Sequence[float],
    gmm_covariance_type: str,
    gmm_reg_covar: float,
    dbscan_eps: Sequence[float] | None,
) -> list[_Candidate]:
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
        return _fit_dbscan(X_eval, prepared.min_samples, dbscan_quantiles, dbscan_eps)


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
    candidate: _Candidate, prepared: _Prepared, random_state: int
) -> np.ndarray:
    """Every customer's cluster under one fitted candidate, ids renumbered by size."""
    with single_threaded():
        labels = _assign_all(
            candidate, prepared.X, prepared.X_eval, prepared.eval_index, random_state
        )
    return _renumber_by_size(labels)


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
    dbscan_min_samples: int | None = None,
    dbscan_quantiles: Sequence[float] = DBSCAN_QUANTILES,
    gmm_covariance_type: str = "full",
    gmm_reg_covar: float = 1e-6,
    gmm_categorical: bool = False,
    id_column: str = "customer_id",
    assign: bool = True,
) -> ClusteringResult:
    """Fit each algorithm over k (eps for DBSCAN), score, select one, label everyone.

    Metrics (silhouette, Calinski-Harabasz, Davies-Bouldin on non-noise rows; inertia
    and BIC/AIC) use a seeded evaluation sample of `sample_size` rows, nested in the
    `fit_sample_size` sample that K-Means and the GMM fit on before predicting every
    row. Ward and DBSCAN fit on the evaluation sample and assign the other rows: the
    nearest sample-cluster centroid; a core point within eps, else noise (-1).
    Selection, one row per algorithm: K-Means the elbow of inertia, GMM the lowest
    BIC, Ward the highest silhouette, DBSCAN the highest silhouette with noise share
    <= `max_noise_share`; ties go to the smaller k (eps). DBSCAN tries quantiles of
    the k-distance curve and its knee as eps; min_samples defaults to twice the
    number of matrix columns. The GMM uses the numeric columns only unless
    `gmm_categorical`: a Gaussian density on 0/1 indicators rewards splitting by
    category, and BIC then keeps choosing the largest k. Cluster ids are renumbered
    by descending size. assign=False skips labelling every customer (labels is then
    empty): the build labels them in label_customers, from the selected rows only.
    """
    unknown = [a for a in algorithms if a not in ALGORITHMS]
    if not algorithms:
        raise ValueError("no algorithms given")
    if unknown:
        raise ValueError(f"unknown algorithms {unknown}; choose from {list(ALGORITHMS)}")
    prepared = _prepare(
        data,
        numeric,
        categorical,
        sample_size,
        fit_sample_size,
        random_state,
        gmm_categorical,
        dbscan_min_samples,
        id_column,
    )
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
            dbscan_quantiles,
            gmm_covariance_type,
            gmm_reg_covar,
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
        _select(algorithm, rows, fitted[algorithm], max_noise_share)
        chosen = next(c for c, row in zip(fitted[algorithm], rows) if row["is_selected"])
        for candidate, row in zip(fitted[algorithm], rows, strict=True):
            stored = candidate is chosen and algorithm in SAMPLE_FITTED
            row["sample_labels"] = candidate.eval_labels.tolist() if stored else None
            row["core_rows"] = (
                candidate.model.core_sample_indices_.tolist()
                if stored and algorithm == "dbscan"
                else None
            )
        evaluation_rows += rows
        if assign:
            labels = _all_labels(chosen, prepared, random_state)
            label_blocks.append((algorithm, chosen.k, labels))

    evaluation = pd.DataFrame(
        evaluation_rows, columns=[*EVALUATION_COLUMNS, *SAMPLE_FIT_COLUMNS]
    )
    evaluation = evaluation.astype(
        {
            "algorithm": "str",
            "k": np.int64,
            "parameter_name": "str",
            "is_elbow": bool,
            "is_selected": bool,
            "selection_reason": "str",
            "n_fit_rows": np.int64,
            "n_eval_rows": np.int64,
        }
    )
    for column in ("parameter", "silhouette", "calinski_harabasz", "davies_bouldin"):
        evaluation[column] = evaluation[column].astype(np.float64)
    for column in ("inertia", "bic", "aic", "noise_share"):
        evaluation[column] = evaluation[column].astype(np.float64)
    return ClusteringResult(
        evaluation=evaluation,
        labels=_labels_frame(prepared.ids, label_blocks),
        n_rows=len(prepared.X),
        n_eval_rows=len(X_eval),
        n_fit_rows=len(prepared.X_fit),
    )


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

    Fitted (exact SVD) on a seeded sample of at most `sample_size` rows, applied to
    all. Columns: customer_id, pc1..pcN, then explained_variance_ratio_1..N, the
    same value on every row (constant columns cost nothing in DuckDB and keep this
    one table). Each component's largest loading is positive, so signs are stable.
    """
    frame = _sorted_frame(data, id_column, [*numeric, *categorical])
    X = build_feature_matrix(frame, numeric, categorical).values
    if not 1 <= n_components <= min(X.shape):
        raise ValueError(f"n_components must be between 1 and {min(X.shape)}")
    fit_index = _sample_prefixes(len(X), [sample_size], random_state)[0]
    sample = X[fit_index]
    center = sample.mean(axis=0)
    with single_threaded():
        _, singular, vt = np.linalg.svd(sample - center, full_matrices=False)
        components = vt[:n_components]
        # Sign convention: each component's largest loading is positive.
        largest = np.abs(components).argmax(axis=1)
        signs = np.sign(components[np.arange(n_components), largest])
        components = components * signs[:, None]
        variance = singular**2
        ratio = variance[:n_components] / variance.sum()
        scores = np.empty((len(X), n_components))
        for start in range(0, len(X), CHUNK_ROWS):
            chunk = slice(start, start + CHUNK_ROWS)
            scores[chunk] = (X[chunk] - center) @ components.T
    out = pd.DataFrame({"customer_id": frame[id_column].to_numpy(np.int64)})
    for j in range(n_components):
        out[f"pc{j + 1}"] = scores[:, j]
    for j in range(n_components):
        out[f"explained_variance_ratio_{j + 1}"] = np.float64(ratio[j])
    return out


def _permutation_drops(
    model: RandomForestClassifier,
    X_test: np.ndarray,
    y_test: np.ndarray,
    baseline: float,
    column_groups: Sequence[np.ndarray],
    n_repeats: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Accuracy drop (groups, repeats) when each group's columns are shuffled together.

    Every shuffled copy of the test rows goes through one predict call: a forest's
    per-call overhead is paid once, and each row's vote is what a call of its own
    would give.
    """
    n = len(X_test)
    stacked = np.tile(X_test, (len(column_groups) * n_repeats, 1))
    block = 0
    for columns in column_groups:
        for _ in range(n_repeats):
            rows = slice(block * n, (block + 1) * n)
            stacked[rows, columns] = X_test[rng.permutation(n)][:, columns]
            block += 1
    hits = model.predict(stacked) == np.tile(y_test, len(column_groups) * n_repeats)
    return baseline - hits.reshape(len(column_groups), n_repeats, n).mean(axis=2)


def feature_importance(
    data: pd.DataFrame,
    labels_long: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str] = (),
    random_state: int = 42,
    sample_size: int = 20_000,
    test_size: float = 0.25,
    n_estimators: int = 100,
    max_depth: int | None = 10,
    max_samples: float | None = 0.5,
    n_repeats: int = 5,
    n_jobs: int = 2,
    id_column: str = "customer_id",
) -> pd.DataFrame:
    """Which input features drive each clustering: forest + permutation importance.

    For every algorithm in `labels_long` (columns customer_id, algorithm, k, cluster):
    a forest learns the cluster from the features on a seeded sample, and importance
    is the held-out accuracy lost when a feature is shuffled (a categorical feature's
    indicators together), averaged over `n_repeats`. rank 1 is the most important;
    ties keep the input order. test_accuracy is the forest's held-out accuracy.
    The forest is kept small (depth, leaf size, half-size bootstrap) to stay fast:
    it only has to rank features, not to be the best classifier.
    """
    frame = _sorted_frame(data, id_column, [*numeric, *categorical])
    features = list(numeric) + list(categorical)
    present = {str(a) for a in labels_long["algorithm"].unique()}
    known = [a for a in ALGORITHMS if a in present]
    others = sorted(present - set(ALGORITHMS))
    results = []
    for algorithm in known + others:
        block = labels_long[labels_long["algorithm"] == algorithm]
        cluster = block.set_index("customer_id")["cluster"]
        labelled = frame[frame[id_column].isin(cluster.index)]
        index = _sample_prefixes(len(labelled), [sample_size], random_state)[0]
        sample = labelled.iloc[index]
        matrix = build_feature_matrix(sample, numeric, categorical)
        y = cluster.reindex(sample[id_column]).to_numpy(np.int64)
        rng = np.random.default_rng(random_state)
        order = rng.permutation(len(sample))
        n_test = max(1, round(test_size * len(sample)))
        test, train = np.sort(order[:n_test]), np.sort(order[n_test:])
        model = RandomForestClassifier(
            n_estimators=n_estimators,
            max_depth=max_depth,
            min_samples_leaf=5,
            max_samples=max_samples,
            n_jobs=n_jobs,
            random_state=random_state,
        ).fit(matrix.values[train], y[train])
        # Predict on one thread: trees' votes are then summed in a fixed order.
        model.set_params(n_jobs=1)
        X_test, y_test = matrix.values[test], y[test]
        accuracy = float((model.predict(X_test) == y_test).mean())
        groups = np.asarray(matrix.groups)
        all_drops = _permutation_drops(
            model,
            X_test,
            y_test,
            accuracy,
            [np.flatnonzero(groups == feature) for feature in features],
            n_repeats,
            rng,
        )
        for feature, drops in zip(features, all_drops, strict=True):
            results.append(
                {
                    "algorithm": algorithm,
                    "k": int(block["k"].iloc[0]),
                    "feature": feature,
                    "importance_mean": float(drops.mean()),
                    "importance_std": float(drops.std()),
                    "test_accuracy": accuracy,
                    "n_train_rows": len(train),
                    "n_test_rows": len(test),
                }
            )
    out = pd.DataFrame(results, columns=[c for c in IMPORTANCE_COLUMNS if c != "rank"])
    out["rank"] = (
        out.groupby("algorithm", sort=False)["importance_mean"]
        .rank(method="first", ascending=False)
        .astype(np.int64)
    )
    out = out[list(IMPORTANCE_COLUMNS)].astype(
        {"algorithm": "str", "feature": "str", "k": np.int64}
    )
    return out.reset_index(drop=True)


def _stored_list(value: object) -> np.ndarray | None:
    """A list cell of the evaluation table as an int array (None when NULL)."""
    if value is None or (np.ndim(value) == 0 and pd.isna(value)):
        return None
    return np.asarray(value, dtype=np.int64)


def _stored_candidate(row: object, n_eval_rows: int) -> _Candidate | None:
    """The selected candidate rebuilt from the sample labels (and DBSCAN's core rows)
    the evaluation stored, or None when it stored none (K-Means, GMM)."""
    labels = _stored_list(getattr(row, "sample_labels", None))
    if labels is None or row.algorithm not in SAMPLE_FITTED:
        return None
    if len(labels) != n_eval_rows:
        raise ValueError(
            f"evaluation stored {len(labels)} {row.algorithm} sample labels but the "
            f"sample has {n_eval_rows} rows: pass the arguments it was made with"
        )
    model = None
    if row.algorithm == "dbscan":
        cores = _stored_list(row.core_rows)
        model = _DbscanFit(labels, cores if cores is not None else np.arange(0))
    k = int(row.k) if row.algorithm == "agglomerative" else int(labels.max() + 1)
    return _Candidate(
        row.algorithm, k, labels, n_eval_rows, parameter=row.parameter, model=model
    )


def label_customers(
    data: pd.DataFrame,
    evaluation: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str] = (),
    sample_size: int = 10_000,
    fit_sample_size: int = 50_000,
    random_state: int = 42,
    dbscan_min_samples: int | None = None,
    gmm_covariance_type: str = "full",
    gmm_reg_covar: float = 1e-6,
    gmm_categorical: bool = False,
    id_column: str = "customer_id",
) -> pd.DataFrame:
    """Every customer's cluster under each algorithm at the candidate `evaluation`
    selected, without evaluating the other candidates again.

    `evaluation` is evaluate_clusterings(...).evaluation (or the table made from it)
    and the keyword arguments are the ones it was made with. Agglomerative and DBSCAN
    candidates are rebuilt from the sample labels (and core rows) the evaluation
    stored; K-Means and the GMM, and any candidate stored without them, are refitted:
    each fit depends only on its own k (eps) and the seeded samples. Either way the
    labels are exactly the ones evaluate_clusterings gives (tested).
    """
    selected = evaluation[evaluation["is_selected"].astype(bool)]
    if selected["algorithm"].duplicated().any():
        raise ValueError("evaluation selects more than one candidate per algorithm")
    if selected.empty:
        raise ValueError("evaluation has no selected candidate")
    unknown = sorted(set(selected["algorithm"]) - set(ALGORITHMS))
    if unknown:
        raise ValueError(f"unknown algorithms {unknown}; choose from {list(ALGORITHMS)}")
    prepared = _prepare(
        data,
        numeric,
        categorical,
        sample_size,
        fit_sample_size,
        random_state,
        gmm_categorical,
        dbscan_min_samples,
        id_column,
    )
    blocks = []
    for row in selected.itertuples(index=False):
        stored = _stored_candidate(row, len(prepared.X_eval))
        if stored is not None:
            labels = _all_labels(stored, prepared, random_state)
            blocks.append((row.algorithm, stored.k, labels))
            continue
        # DBSCAN fits the selected eps alone; its k is what it found.
        dbscan = row.algorithm == "dbscan"
        (candidate,) = _fit_algorithm(
            row.algorithm,
            prepared,
            [] if dbscan else [int(row.k)],
            random_state,
            DBSCAN_QUANTILES,
            gmm_covariance_type,
            gmm_reg_covar,
            [float(row.parameter)] if dbscan else None,
        )
        labels = _all_labels(candidate, prepared, random_state)
        blocks.append((row.algorithm, candidate.k, labels))
    return _labels_frame(prepared.ids, blocks)
