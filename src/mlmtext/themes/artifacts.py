"""Fitted theme + relevance models on disk: ``<key>.npz`` (arrays) and ``<key>.json`` (everything else).

One pair per embedder, because vectors of different models live in different spaces. The .npz is written
with fixed zip timestamps so a retrain on the same data gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mlmtext.embed import parse_spec
from mlmtext.themes.model import ThemeModel
from mlmtext.themes.relevance import RelevanceModel

FORMAT = "mlmtext-themes-model/1"


def artefact_key(spec: str) -> str:
    """File stem for an embedder spec: "use", "e5", "st-<model name>"."""
    kind, name = parse_spec(spec)
    if kind != "st":
        return kind
    stem = Path(name.rstrip("/")).name or name
    return "st-" + re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-").lower()


@dataclass
class FittedThemes:
    themes: ThemeModel
    relevance: RelevanceModel
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.meta.get("id", ""))


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600 files; models are meant to be read by anyone
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            arr = io.BytesIO()
            np.lib.format.write_array(arr, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            zf.writestr(info, arr.getvalue())
    return buf.getvalue()


def save(fitted: FittedThemes, directory: Path, key: str) -> tuple[Path, Path]:
    t_arrays, t_meta = fitted.themes.state()
    r_arrays, r_meta = fitted.relevance.state()
    arrays = {**t_arrays, **r_arrays}
    blob = _npz_bytes(arrays)
    meta = {"format": FORMAT, **fitted.meta, "themes": t_meta, "relevance": r_meta}
    meta.pop("id", None)
    digest = hashlib.sha256(blob + json.dumps(meta, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    meta["id"] = f"{key}@{digest[:12]}"
    fitted.meta["id"] = meta["id"]
    npz, js = directory / f"{key}.npz", directory / f"{key}.json"
    _atomic_write(npz, blob)
    _atomic_write(js, (json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return npz, js


def load(directory: Path, key: str) -> FittedThemes | None:
    """The fitted models for ``key``, or None when there are none."""
    npz, js = directory / f"{key}.npz", directory / f"{key}.json"
    if not (npz.is_file() and js.is_file()):
        return None
    meta = json.loads(js.read_text("utf-8"))
    with np.load(npz, allow_pickle=False) as arrays:
        themes = ThemeModel.from_state(arrays, meta["themes"])
        relevance = RelevanceModel.from_state(arrays, meta["relevance"])
    rest = {k: v for k, v in meta.items() if k not in ("themes", "relevance")}
    return FittedThemes(themes, relevance, rest)
