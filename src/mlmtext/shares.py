"""Whether a document is mixed-language, from its language shares (see mlmtext.langid.language_shares)."""

from __future__ import annotations

from mlmtext.types import Document

MIXED_MIN_SHARE = 0.2  # a second language with at least this share of the text makes a document mixed


def is_mixed(doc: Document) -> bool:
    """A document whose second language holds at least MIXED_MIN_SHARE of its text."""
    ranked = sorted((v for k, v in doc.lang_shares.items() if k != "und"), reverse=True)
    return len(ranked) > 1 and ranked[1] >= MIXED_MIN_SHARE
