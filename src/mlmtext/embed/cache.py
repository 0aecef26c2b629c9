"""A disk cache of vectors: one SQLite table of float32 blobs keyed by (model id, sha256 of text).

SQLite gives atomic batched writes and safe concurrent readers for free; each batch of new vectors is
written in one transaction, so an interrupted run leaves either the whole batch or none of it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL,
    hash TEXT NOT NULL,
    vec BLOB NOT NULL,
    PRIMARY KEY (model, hash)
) WITHOUT ROWID
"""
_CHUNK = 500  # bound on SQL parameters per lookup



class VectorCache:
    """Vectors of one or more models in ``<cache_dir>/vectors.sqlite``."""

    def __init__(self, cache_dir: str | Path) -> None:
        self.path = Path(cache_dir) / "vectors.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(self.path), timeout=60, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(_SCHEMA)
        self._conn.commit()

    def get_many(self, model_id: str, hashes: Sequence[str], dim: int) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(hashes), _CHUNK):
            chunk = list(hashes[i : i + _CHUNK])
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT hash, vec FROM vectors WHERE model = ? AND hash IN ({marks})", [model_id, *chunk]
            )
            for h, blob in rows:
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape[0] == dim:  # a stale entry of another shape is ignored, then overwritten
                    found[h] = vec
        return found

    def put_many(self, model_id: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        rows = [(model_id, h, np.ascontiguousarray(v, dtype=np.float32).tobytes()) for h, v in items]
        with self._conn:  # one transaction: all or nothing
            self._conn.executemany("INSERT OR REPLACE INTO vectors (model, hash, vec) VALUES (?, ?, ?)", rows)

    def count(self, model_id: str | None = None) -> int:
        if model_id is None:
            return int(self._conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
        row = self._conn.execute("SELECT COUNT(*) FROM vectors WHERE model = ?", (model_id,)).fetchone()
        return int(row[0])

    def close(self) -> None:
        self._conn.close()
