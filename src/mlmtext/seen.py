"""Which content hashes a run has met, and the id of the first document that had each.

Duplicates are analysed once. A streaming run keeps the table in SQLite inside its work folder, so
memory stays flat however many documents go by; without a work folder it is a dict.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from mlmtext.types import Document


def _key(doc: Document) -> bytes:
    return bytes.fromhex(doc.content_hash[:32])  # 128 bits of the sha256: collisions are not a practical concern


class SeenHashes:
    def __init__(self, folder: Path | None = None) -> None:
        self._dict: dict[bytes, str] = {}
        self._db: sqlite3.Connection | None = None
        if folder is not None:
            self._db = sqlite3.connect(folder / "seen.sqlite")
            self._db.executescript(
                "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                "CREATE TABLE seen (hash BLOB PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID;"
            )

    def first_ids(self, documents: Sequence[Document]) -> list[str]:
        """For each document, the id of the first document (this one when new) with the same text, in order."""
        keys = [_key(d) for d in documents]
        known = self._lookup(sorted(set(keys)))
        new: dict[bytes, str] = {}
        out = []
        for key, doc in zip(keys, documents, strict=True):
            first = known.get(key) or new.setdefault(key, doc.id)
            out.append(first)
        self._store(new)
        return out

    def _lookup(self, keys: list[bytes]) -> dict[bytes, str]:
        if self._db is None:
            return {k: self._dict[k] for k in keys if k in self._dict}
        found: dict[bytes, str] = {}
        for i in range(0, len(keys), 500):  # well under SQLite's bound-parameter limit
            part = keys[i : i + 500]
            rows = self._db.execute(f"SELECT hash, id FROM seen WHERE hash IN ({','.join('?' * len(part))})", part)
            found.update(rows.fetchall())
        return found

    def _store(self, new: dict[bytes, str]) -> None:
        if self._db is None:
            self._dict.update(new)
        elif new:
            self._db.executemany("INSERT INTO seen VALUES (?, ?)", new.items())

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
