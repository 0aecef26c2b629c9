"""An Embedder: a backend plus the vector cache, counting what was embedded and what was reused."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mlmtext.embed.base import Backend, l2_normalise
from mlmtext.embed.cache import VectorCache
from mlmtext.hashing import text_hash

BATCH = 64


class CachedEmbedder:
    """Embeds each distinct text once: first from the cache, else with the backend (then cached).

    ``hits`` and ``misses`` count distinct texts served from the cache and texts sent to the model.
    """

    def __init__(self, backend: Backend, cache: VectorCache | None = None) -> None:
        self.backend = backend
        self.cache = cache
        self.hits = 0
        self.misses = 0

    @property
    def model_id(self) -> str:
        return self.backend.model_id

    @property
    def dim(self) -> int:
        return self.backend.dim

    def info(self) -> dict[str, str]:
        out = dict(self.backend.info())
        out["cache"] = "on" if self.cache is not None else "off"  # no machine path: reports stay comparable
        return out

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Passage vectors: float32, L2-normalised, shape (len(texts), dim)."""
        return self._embed(list(texts), query=False)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Search-query vectors (models such as e5 embed queries differently from passages)."""
        return self._embed(list(texts), query=True)

    def _embed(self, texts: list[str], *, query: bool) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        key = self.model_id + ("#query" if query else "")
        hashes = [text_hash(t) for t in texts]
        unique: dict[str, str] = {}
        for h, t in zip(hashes, texts, strict=True):
            unique.setdefault(h, t)
        known = self.cache.get_many(key, list(unique), self.dim) if self.cache is not None else {}
        self.hits += len(known)
        # Embed misses in a canonical order (by hash) so batch composition, and thus float rounding,
        # does not depend on the order of the input.
        todo = sorted(h for h in unique if h not in known)
        encode = self.backend.encode_queries if query else self.backend.encode
        for i in range(0, len(todo), BATCH):
            batch = todo[i : i + BATCH]
            vecs = l2_normalise(encode([unique[h] for h in batch]))
            self.misses += len(batch)
            new = list(zip(batch, vecs, strict=True))
            known.update(new)
            if self.cache is not None:
                self.cache.put_many(key, new)
        for row, h in enumerate(hashes):
            out[row] = known[h]
        return out
