"""Density clustering: HDBSCAN on a sample, extended to every customer.

HDBSCAN (scikit-learn's) finds clusters as regions denser than their surroundings,
of any shape and density, and leaves the rest as noise (-1). It runs on the seeded
evaluation sample only (its cost grows faster than linearly); every other customer
joins the cluster of a clustered sample customer whose core distance (the radius
holding its `min_samples` nearest sample customers, itself included) reaches it, else
it is noise. When the customers form no dense regions (one broad blob, uniform
noise), HDBSCAN labels most of them noise or puts nearly all in one cluster: the
evaluation then says so instead of selecting a clustering (see `verdict`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import HDBSCAN
from sklearn.neighbors import NearestNeighbors

# min_cluster_size values tried, as shares of the evaluation sample (at least
# MIN_CLUSTER_SIZE customers): from small dense groups to a tenth of the customers.
CLUSTER_SHARES: tuple[float, ...] = (0.005, 0.01, 0.02, 0.05, 0.1)
MIN_CLUSTER_SIZE = 5
# Clustered sample customers in the first block when assigning the other customers;
# each further block is twice as large (see assign_to_clusters).
FIRST_BLOCK = 64
# Cells of one (customers x sample customers) distance block while assigning.
BLOCK_CELLS = 1 << 22


@dataclass(frozen=True)
class DensityFit:
    """HDBSCAN labels of the fitted rows (-1 = noise) and each row's core distance."""

    labels: np.ndarray
    core_distances: np.ndarray

    @property
    def n_clusters(self) -> int:
        return int(self.labels.max() + 1) if len(self.labels) else 0


def cluster_sizes(n_rows: int, shares: Sequence[float] = CLUSTER_SHARES) -> list[int]:
    """The min_cluster_size grid for `n_rows` customers: `shares` of them, distinct,
    at least MIN_CLUSTER_SIZE and at most n_rows."""
    sizes = {max(MIN_CLUSTER_SIZE, int(round(share * n_rows))) for share in shares}
    return sorted(size for size in sizes if size <= n_rows)


def core_distances(X: np.ndarray, min_samples: int) -> np.ndarray:
    """Distance of each row to its `min_samples`-th nearest row, itself included (the
    core distance HDBSCAN uses)."""
    n_neighbours = min(min_samples, len(X))
    neighbours = NearestNeighbors(n_neighbors=n_neighbours).fit(X)
    return neighbours.kneighbors(X)[0][:, -1].copy()


def fit_hdbscan(
    X: np.ndarray,
    min_cluster_size: int,
    min_samples: int,
    radius: np.ndarray | None = None,
) -> DensityFit:
    """scikit-learn's HDBSCAN on X (deterministic: no random state involved).

    radius, when given, is core_distances(X, min_samples), computed once for several
    min_cluster_size values.
    """
    min_samples = min(min_samples, len(X))
    model = HDBSCAN(min_cluster_size=min_cluster_size, min_samples=min_samples, copy=True)
    labels = model.fit_predict(X).astype(np.int64)
    if radius is None:
        radius = core_distances(X, min_samples)
    return DensityFit(labels=labels, core_distances=radius)


def _nearest_within(
    X: np.ndarray, members: np.ndarray, radius: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per row of X: position of the nearest member whose radius reaches it, and
    whether there is one (squared distances, |x|^2 - 2 x.m + |m|^2, as sklearn's
    euclidean_distances computes them, compared with squared radii)."""
    rows_per_block = max(1, BLOCK_CELLS // max(len(members), 1))
    position = np.zeros(len(X), dtype=np.int64)
    found = np.zeros(len(X), dtype=bool)
    member_norms = np.einsum("ij,ij->i", members, members)
    reach = np.square(radius)
    for start in range(0, len(X), rows_per_block):
        rows = X[start : start + rows_per_block]
        squared = rows @ (-2.0 * members.T)
        squared += member_norms
        squared += np.einsum("ij,ij->i", rows, rows)[:, None]
        squared[squared > reach] = np.inf
        nearest = squared.argmin(axis=1)
        position[start : start + len(rows)] = nearest
        found[start : start + len(rows)] = np.isfinite(
            squared[np.arange(len(rows)), nearest]
        )
    return position, found


def assign_to_clusters(
    X: np.ndarray,
    sample: np.ndarray,
    fit: DensityFit,
    random_state: int,
) -> np.ndarray:
    """Cluster of every row of X given the density fit of `sample`, else -1 (noise).

    A row joins the cluster of a clustered sample row within that row's core distance.
    Clustered sample rows are scanned in blocks (seeded shuffle, the first of
    FIRST_BLOCK rows, each next one twice as large); a row takes the nearest such
    sample row of the first block that has one and leaves the scan. A row inside a
    cluster stops in one of the first blocks; noise rows scan every clustered row.
    """
    clustered = np.flatnonzero(fit.labels >= 0)
    order = np.random.default_rng(random_state).permutation(clustered)
    members, member_labels = sample[order], fit.labels[order]
    radius = fit.core_distances[order]
    labels = np.full(len(X), -1, dtype=np.int64)
    pending = np.arange(len(X))
    start, size = 0, FIRST_BLOCK
    while start < len(members) and len(pending):
        block = slice(start, start + size)
        position, found = _nearest_within(X[pending], members[block], radius[block])
        labels[pending[found]] = member_labels[block][position[found]]
        pending = pending[~found]
        start, size = start + size, 2 * size
    return labels


def _failure(n_clusters: int, noise: float, largest: float, limits: dict) -> str:
    """Why one candidate shows no density structure ('' when it shows some)."""
    if n_clusters < 2 and noise >= 1.0:
        return "100% noise"
    if noise > limits["noise"]:
        return f"{noise:.0%} noise"
    if n_clusters < 2 or largest > limits["largest"]:
        return f"one cluster holds {largest:.0%} of customers"
    return ""


def verdict(
    labels: Sequence[np.ndarray], max_noise_share: float, max_cluster_share: float
) -> tuple[list[str], int]:
    """Per candidate labelling, why it shows no density structure ('' when it shows
    some: two or more clusters, at most `max_noise_share` noise and no cluster holding
    more than `max_cluster_share` of the rows), and the position of the candidate
    that came closest (the least noise among those with two or more clusters, else
    the least noise): where the evaluation says there is no structure."""
    limits = {"noise": max_noise_share, "largest": max_cluster_share}
    failures, noise_shares, multi = [], [], []
    for candidate in labels:
        candidate = np.asarray(candidate)
        clustered = candidate[candidate >= 0]
        n_clusters = len(np.unique(clustered))
        largest = np.bincount(clustered).max() / len(candidate) if n_clusters else 0.0
        noise = float((candidate < 0).mean())
        failures.append(_failure(n_clusters, noise, float(largest), limits))
        noise_shares.append(noise)
        multi.append(n_clusters >= 2)
    pool = [p for p in range(len(labels)) if multi[p]] or list(range(len(labels)))
    closest = min(pool, key=lambda p: (noise_shares[p], p)) if pool else -1
    return failures, closest
