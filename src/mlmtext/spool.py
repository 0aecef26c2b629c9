"""Append-only rows (float32 vectors + JSON metadata) kept in memory or in files of a run's scratch folder.

What a run must see again at its end (the passages waiting for discovered themes) goes here, so a streaming
run holds one batch of text at a time. Reading gives the rows back in order, as often as needed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np

CHUNK_ROWS = 4096


class RowSpool:
    """``append(vectors, metas)`` then ``chunks()`` / ``metas()``; files live in ``folder`` when given."""

    def __init__(self, dim: int, folder: Path | None = None, name: str = "rows") -> None:
        self.dim = dim
        self.n = 0
        self._vectors: list[np.ndarray] = []
        self._metas: list[Any] = []
        self._files: tuple[Path, Path] | None = None
        self._writers: tuple[IO[bytes], IO[bytes]] | None = None
        if folder is not None:
            vec_path, meta_path = folder / f"{name}.f32", folder / f"{name}.jsonl"
            self._files = (vec_path, meta_path)
            self._writers = (open(vec_path, "wb"), open(meta_path, "wb"))  # noqa: SIM115 (closed in close())

    def __len__(self) -> int:
        return self.n

    def append(self, vectors: np.ndarray, metas: Sequence[Any]) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        if len(vectors) != len(metas):
            raise ValueError("one metadata entry per vector")
        if self._writers is None:
            self._vectors.append(vectors)
            self._metas.extend(metas)
        else:
            self._writers[0].write(vectors.tobytes())
            self._writers[1].write(b"".join(json.dumps(m, ensure_ascii=False).encode() + b"\n" for m in metas))
        self.n += len(vectors)

    def _flush(self) -> None:
        if self._writers is not None:
            for w in self._writers:
                w.flush()

    def chunks(self, rows: int = CHUNK_ROWS) -> Iterator[np.ndarray]:
        """The vectors again, ``rows`` at a time (the last chunk may be shorter)."""
        if self._files is None:
            whole = np.concatenate(self._vectors) if self._vectors else np.zeros((0, self.dim), np.float32)
            for i in range(0, len(whole), rows):
                yield whole[i : i + rows]
            return
        self._flush()
        width = self.dim * 4
        with open(self._files[0], "rb") as fh:
            while block := fh.read(rows * width):
                yield np.frombuffer(block, dtype=np.float32).reshape(-1, self.dim)

    def metas(self) -> Iterator[Any]:
        if self._files is None:
            yield from self._metas
            return
        self._flush()
        with open(self._files[1], "rb") as fh:
            for line in fh:
                yield json.loads(line)

    def close(self) -> None:
        if self._writers is not None:
            for w in self._writers:
                w.close()
            self._writers = None
