"""Quality figures of fitted candidates: silhouette in one distance pass for all of
them, within-cluster sum of squares, the elbow, the best of a figure (evaluation.py
adds Calinski-Harabasz and Davies-Bouldin per candidate: metric_rows)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from sklearn.metrics import euclidean_distances

# Bytes of one block of the pairwise distance matrix in the silhouette computation.
DISTANCE_BLOCK_BYTES = 64 * 2**20


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


def within_sum_of_squares(X: np.ndarray, labels: np.ndarray) -> float:
    """Sum of squared distances of rows to their cluster mean (noise left out)."""
    total = 0.0
    for cluster in np.unique(labels[labels >= 0]):
        members = X[labels == cluster]
        total += float(((members - members.mean(axis=0)) ** 2).sum())
    return total


def best(
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
