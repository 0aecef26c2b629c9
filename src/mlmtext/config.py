"""Options of an analysis run, shared by the library call and the CLI."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024


def default_cache_dir() -> Path:
    """Where vectors are cached: $MLMTEXT_CACHE, else $XDG_CACHE_HOME/mlmtext, else ~/.cache/mlmtext."""
    env = os.environ.get("MLMTEXT_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mlmtext"


@dataclass(frozen=True, slots=True)
class AnalyzeConfig:
    langid: str = "default"
    embedder: str = "use"
    themes: bool = True
    claims: bool = True
    taxonomy_file: str | None = None
    taxonomy_mode: str = "extend"  # extend | replace
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    text_field: str | None = None  # column/field holding the text in csv/tsv/json/jsonl exports
    cache_dir: str | None = None  # None: default_cache_dir(); "" disables the vector cache
    random_state: int = 0
    exclude: tuple[str, ...] = ()  # folders and files never read: the run's own output inside an input folder
