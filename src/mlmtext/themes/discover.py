"""Discovered themes: clusters of the passages that fit no built-in theme.

Small inputs (up to ``SMALL_N`` passages) use average-linkage agglomerative clustering with a cosine
distance threshold. Larger inputs first summarise the passages with MiniBatchKMeans micro-clusters,
fitted chunk by chunk, and then merge the micro-centroids the same way, so memory grows with
chunk x k, never n x n, and the vectors themselves can stay on disk (see :func:`discover_chunked`).
Groups smaller than ``min_size`` (or drawn from fewer than ``min_docs`` documents) stay unassigned
instead of being forced into a cluster. Everything is seeded and order-stable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.metrics import adjusted_rand_score

from mlmtext.themes.model import unit_rows

SMALL_N = 1500
CHUNK_ROWS = 4096
KMEANS_EPOCHS = 3
ChunkSource = Callable[[], Iterable[np.ndarray]]  # yields the rows again, in the same chunks, each call


@dataclass(frozen=True, slots=True)
class Cluster:
    id: str
    members: tuple[int, ...]  # indices into the vectors given to ``discover``
    centroid: np.ndarray


@dataclass(frozen=True, slots=True)
class Discovered:
    """Clusters of rows given chunk by chunk: a label and a similarity per row, no member lists."""

    ids: tuple[str, ...]  # largest cluster first
    sizes: tuple[int, ...]
    centroids: np.ndarray  # one unit row per cluster
    labels: np.ndarray  # int32 per row: index into ``ids``, -1 when unassigned
    sims: np.ndarray  # float32 per row: cosine to its cluster's centroid (0 when unassigned)


class ClusterIdDigest:
    """Stable cluster id from its members' text hashes, whatever their order, without keeping them.

    The sum of the hashes (as 256-bit numbers) and their count are order-free and add up chunk by chunk.
    """

    __slots__ = ("count", "total")

    def __init__(self) -> None:
        self.total = 0
        self.count = 0

    def add(self, text_hash: str) -> None:
        self.total = (self.total + int(text_hash[:64], 16)) % (1 << 256)
        self.count += 1

    def id(self) -> str:
        h = hashlib.sha256(f"{self.count}:{self.total:064x}".encode("ascii")).hexdigest()
        return "d-" + h[:10]


def cluster_id(member_hashes: Sequence[str]) -> str:
    """Stable id from the members' text hashes, whatever their order: "d-" + 10 hex digits."""
    digest = ClusterIdDigest()
    for h in member_hashes:
        digest.add(h)
    return digest.id()


def _agglomerate(x: np.ndarray, threshold: float) -> np.ndarray:
    if len(x) < 2:
        return np.zeros(len(x), dtype=np.int64)
    model = AgglomerativeClustering(n_clusters=None, distance_threshold=threshold, metric="cosine", linkage="average")
    return np.asarray(model.fit_predict(x), dtype=np.int64)


def _in_chunks(x: np.ndarray, rows: int = CHUNK_ROWS) -> ChunkSource:
    return lambda: (x[i : i + rows] for i in range(0, len(x), rows))


def raw_labels_chunked(
    chunks: ChunkSource, n: int, threshold: float, *, random_state: int = 0, small_n: int = SMALL_N
) -> np.ndarray:
    """A cluster label per row (before the size filter); only the small path holds all rows at once."""
    if n <= small_n:
        parts = list(chunks())
        return _agglomerate(np.concatenate(parts) if parts else np.zeros((0, 1), np.float32), threshold)
    k = int(min(small_n, max(64, n // 40)))
    km = MiniBatchKMeans(n_clusters=k, random_state=random_state, n_init=3, batch_size=2048)
    step = min(n, max(k, 2048))  # rows per partial_fit; the first call needs at least k
    for _ in range(KMEANS_EPOCHS):
        pending: list[np.ndarray] = []
        for chunk in chunks():
            pending.append(np.asarray(chunk, dtype=np.float32))
            if sum(len(c) for c in pending) >= step:
                km.partial_fit(np.concatenate(pending))
                pending = []
        if pending:  # the epoch's tail (the model is fitted by now: a whole epoch is at least ``step`` rows)
            km.partial_fit(np.concatenate(pending))
    micro = np.concatenate([km.predict(np.asarray(c, dtype=np.float32)) for c in chunks()]).astype(np.int64)
    centroids = unit_rows(np.asarray(km.cluster_centers_, dtype=np.float32))
    merged = _agglomerate(centroids, threshold)
    return merged[micro]


def discover_chunked(
    chunks: ChunkSource,
    keys: Callable[[], Iterable[tuple[str, str]]],
    n: int,
    *,
    distance_threshold: float,
    min_size: int = 3,
    min_docs: int = 2,
    random_state: int = 0,
    small_n: int = SMALL_N,
) -> Discovered:
    """Clusters of ``n`` centred unit rows read through ``chunks``; ``keys`` gives (doc id, text hash) per row."""
    if n == 0:
        empty = np.zeros(0, dtype=np.int32)
        return Discovered((), (), np.zeros((0, 0), np.float32), empty, empty.astype(np.float32))
    labels = raw_labels_chunked(chunks, n, distance_threshold, random_state=random_state, small_n=small_n)
    n_raw = int(labels.max()) + 1
    counts = np.bincount(labels, minlength=n_raw)
    sums: np.ndarray | None = None
    digests = [ClusterIdDigest() for _ in range(n_raw)]
    docs: list[set[str]] = [set() for _ in range(n_raw)]  # at most min_docs ids each: enough to judge
    all_docs: set[str] = set()
    row = 0
    key_iter = iter(keys())
    for chunk in chunks():
        chunk = np.asarray(chunk, dtype=np.float32)
        if sums is None:
            sums = np.zeros((n_raw, chunk.shape[1]), dtype=np.float64)
        lab = labels[row : row + len(chunk)]
        np.add.at(sums, lab, chunk)
        for r in lab:
            doc_id, text_hash = next(key_iter)
            digests[r].add(text_hash)
            if len(docs[r]) < min_docs:
                docs[r].add(doc_id)
            if len(all_docs) < min_docs:
                all_docs.add(doc_id)
        row += len(chunk)
    close = getattr(key_iter, "close", None)
    if close is not None:
        close()  # a generator over a spool holds its file open until closed
    assert sums is not None
    needed_docs = min(min_docs, len(all_docs))
    kept = [c for c in range(n_raw) if counts[c] >= min_size and len(docs[c]) >= needed_docs]
    kept.sort(key=lambda c: (-int(counts[c]), digests[c].id()))
    index = np.full(n_raw, -1, dtype=np.int32)
    index[kept] = np.arange(len(kept), dtype=np.int32)
    centroids = unit_rows(sums[kept] / counts[kept][:, None]) if kept else np.zeros((0, sums.shape[1]), np.float32)
    final = index[labels]
    sims = np.zeros(n, dtype=np.float32)
    row = 0
    for chunk in chunks():
        lab = final[row : row + len(chunk)]
        hit = lab >= 0
        if hit.any():
            sims[row : row + len(chunk)][hit] = np.einsum("ij,ij->i", np.asarray(chunk)[hit], centroids[lab[hit]])
        row += len(chunk)
    return Discovered(
        tuple(digests[c].id() for c in kept), tuple(int(counts[c]) for c in kept), centroids, final, sims
    )


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
    x = unit_rows(np.asarray(x, dtype=np.float32)) if len(x) else np.asarray(x, dtype=np.float32)
    found = discover_chunked(
        _in_chunks(x), lambda: zip(doc_ids, text_hashes, strict=True), len(x),
        distance_threshold=distance_threshold, min_size=min_size, min_docs=min_docs,
        random_state=random_state, small_n=small_n,
    )
    return [
        Cluster(cid, tuple(int(i) for i in np.flatnonzero(found.labels == k)), found.centroids[k])
        for k, cid in enumerate(found.ids)
    ]


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
