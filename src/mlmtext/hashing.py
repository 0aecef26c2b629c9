"""The one text hash of the project: document content hashes, vector-cache keys, discovered-theme ids."""

from __future__ import annotations

import hashlib


def text_hash(text: str) -> str:
    """SHA-256 hex digest of the UTF-8 bytes of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
