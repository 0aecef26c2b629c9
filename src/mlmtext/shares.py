"""Language shares of a document from the languages of its passages."""

from __future__ import annotations

from collections.abc import Iterable

from mlmtext.types import Document

MIXED_MIN_SHARE = 0.2  # a second language with at least this share of the text makes a document mixed


def language_shares(weighted: Iterable[tuple[str, int]]) -> dict[str, float]:
    """Share of each language by characters; undetermined text counts for nothing. Sorted, rounded."""
    totals: dict[str, int] = {}
    for lang, size in weighted:
        if lang != "und" and size > 0:
            totals[lang] = totals.get(lang, 0) + size
    grand = sum(totals.values())
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    return {lang: round(size / grand, 4) for lang, size in ranked} if grand else {}


def is_mixed(doc: Document) -> bool:
    """A document whose second language holds at least MIXED_MIN_SHARE of its text."""
    ranked = sorted((v for k, v in doc.lang_shares.items() if k != "und"), reverse=True)
    return len(ranked) > 1 and ranked[1] >= MIXED_MIN_SHARE
