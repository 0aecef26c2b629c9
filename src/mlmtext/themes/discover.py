"""Discovered themes: clusters of the passages that fit no built-in theme.

Small inputs (up to ``SMALL_N`` passages) use average-linkage agglomerative clustering with a cosine
distance threshold. Larger inputs first summarise the passages with MiniBatchKMeans micro-clusters and
then merge the micro-centroids the same way, so memory grows with n x k, never n x n. Groups smaller than
``min_size`` (or drawn from fewer than ``min_docs`` documents) stay unassigned instead of being forced
into a cluster. Everything is seeded and order-stable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.metrics import adjusted_rand_score

from mlmtext.themes.model import unit_rows

SMALL_N = 1500


@dataclass(frozen=True, slots=True)
class Cluster:
    id: str
    members: tuple[int, ...]  # indices into the vectors given to ``discover``
    centroid: np.ndarray


def cluster_id(member_hashes: Sequence[str]) -> str:
    """Stable id from the members' text hashes, whatever their order: "d-" + 10 hex digits."""
    h = hashlib.sha256("\n".join(sorted(member_hashes)).encode("ascii")).hexdigest()
    return "d-" + h[:10]


def _agglomerate(x: np.ndarray, threshold: float) -> np.ndarray:
    if len(x) < 2:
        return np.zeros(len(x), dtype=np.int64)
    model = AgglomerativeClustering(n_clusters=None, distance_threshold=threshold, metric="cosine", linkage="average")
    return np.asarray(model.fit_predict(x), dtype=np.int64)


def raw_labels(x: np.ndarray, threshold: float, *, random_state: int = 0, small_n: int = SMALL_N) -> np.ndarray:
    """A cluster label per row (before the size filter)."""
    n = len(x)
    if n <= small_n:
        return _agglomerate(x, threshold)
    k = int(min(small_n, max(64, n // 40)))
    km = MiniBatchKMeans(n_clusters=k, random_state=random_state, n_init=3, batch_size=2048, max_iter=50)
    micro = np.asarray(km.fit_predict(x), dtype=np.int64)
    centroids = unit_rows(np.asarray(km.cluster_centers_, dtype=np.float32))
    merged = _agglomerate(centroids, threshold)
    return merged[micro]


def discover(
    x: np.ndarray,
    doc_ids: Sequence[str],
    text_hashes: Sequence[str],
    *,
    distance_threshold: float,
    min_size: int = 3,
    min_docs: int = 2,
    random_state: int = 0,
    small_n: int = SMALL_N,
) -> list[Cluster]:
    """Clusters of the rows of ``x`` (centred, unit-length vectors), largest first."""
    if len(x) == 0:
        return []
    x = unit_rows(np.asarray(x, dtype=np.float32))
    labels = raw_labels(x, distance_threshold, random_state=random_state, small_n=small_n)
    needed_docs = min(min_docs, len(set(doc_ids)))
    clusters: list[Cluster] = []
    for lab in np.unique(labels):
        members = [int(i) for i in np.flatnonzero(labels == lab)]
        if len(members) < min_size or len({doc_ids[i] for i in members}) < needed_docs:
            continue
        centroid = unit_rows(x[members].mean(axis=0, keepdims=True))[0]
        cid = cluster_id([text_hashes[i] for i in members])
        clusters.append(Cluster(cid, tuple(members), centroid))
    clusters.sort(key=lambda c: (-len(c.members), c.id))
    return clusters


def calibrate_threshold(x: np.ndarray, labels: Sequence[str], grid: Sequence[float] | None = None) -> float:
    """The distance threshold whose clusters agree best (ARI) with known labels: the taxonomy's grain."""
    grid = list(grid) if grid is not None else [round(t, 2) for t in np.arange(0.5, 1.01, 0.025)]
    x = unit_rows(np.asarray(x, dtype=np.float32))
    best = (grid[0], -2.0)
    for t in grid:
        ari = adjusted_rand_score(list(labels), _agglomerate(x, t))
        if ari > best[1] + 1e-9:
            best = (t, ari)
    return float(best[0])
