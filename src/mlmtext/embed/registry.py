"""``get_embedder(spec)``: one backend object per spec per process (models load once), a cache per call."""

from __future__ import annotations

import sqlite3
import threading
import warnings

from mlmtext.config import default_cache_dir
from mlmtext.embed.base import Backend
from mlmtext.embed.cache import VectorCache
from mlmtext.embed.cached import CachedEmbedder
from mlmtext.errors import ConfigError

SPECS = ("use", "e5", "st:<name-or-path>")

_backends: dict[str, Backend] = {}
_lock = threading.Lock()


def parse_spec(spec: str) -> tuple[str, str]:
    """("use", ""), ("e5", "") or ("st", name); anything else is a ConfigError."""
    spec = (spec or "").strip()
    if spec in ("use", "e5"):
        return spec, ""
    if spec.startswith("st:"):
        return "st", spec[3:].strip()
    raise ConfigError(f"unknown embedder {spec!r}: choose one of {', '.join(SPECS)}")


def _backend(spec: str) -> Backend:
    kind, name = parse_spec(spec)
    key = f"{kind}:{name}"
    with _lock:
        if key not in _backends:
            if kind == "use":
                from mlmtext.embed.use_backend import UseBackend

                _backends[key] = UseBackend()
            elif kind == "e5":
                from mlmtext.embed.e5_backend import E5Backend

                _backends[key] = E5Backend()
            else:
                from mlmtext.embed.st_backend import StBackend

                _backends[key] = StBackend(name)
        return _backends[key]


def get_embedder(spec: str = "use", *, cache_dir: str | None = None) -> CachedEmbedder:
    """An embedder for ``spec``; vectors cached under ``cache_dir`` (None: the default; "": no cache)."""
    backend = _backend(spec)
    if cache_dir == "":
        return CachedEmbedder(backend, None)
    folder = cache_dir if cache_dir is not None else default_cache_dir()
    try:
        cache = VectorCache(folder)
    except (OSError, sqlite3.Error) as exc:
        # a cache is an optimisation: an unwritable or corrupt one must not cost the user the run
        warnings.warn(f"vector cache {folder} unusable ({exc}); embedding without a cache", stacklevel=2)
        return CachedEmbedder(backend, None)
    return CachedEmbedder(backend, cache)
