"""Build a ``Document`` (or an "empty" ``Skipped``) from decoded text."""

from __future__ import annotations

from mlmtext.hashing import text_hash
from mlmtext.load.clean import clean_text
from mlmtext.types import Document, Skipped


def make_document(
    rel: str, fmt: str, encoding: str | None, raw: str, *, row: int | None = None, where: str | None = None
) -> Document | Skipped:
    """``where`` names the unit for the skip reason ("row 7"); the id gains "#row=N" for rows."""
    text = clean_text(raw)
    if not text:
        what = where or "the file"
        skip_path = f"{rel}#row={row}" if row is not None else rel
        return Skipped(skip_path, f"{what} has no text", "empty")
    doc_id = f"{rel}#row={row}" if row is not None else rel
    return Document(
        id=doc_id,
        path=rel,
        format=fmt,
        encoding=encoding,
        text=text,
        content_hash=text_hash(text),
        row=row,
    )
