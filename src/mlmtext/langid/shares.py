"""Per-passage language results -> each language's share of a document, by characters."""

from __future__ import annotations

from collections.abc import Iterable

from mlmtext.types import LangResult


def language_shares(
    weighted: Iterable[tuple[LangResult | str, int]], *, by_code: bool = False
) -> dict[str, float]:
    """Share of each language among a document's characters, from ``(result, length)`` pairs.

    ``und`` text (numbers, URLs, emoji) counts for nothing, so shares of the determined text sum to 1
    (up to rounding to 4 decimals); a document with no determined text gets ``{}``. Keys are
    fr/ru/en/other, or with ``by_code=True`` the detector's code for ``other`` text ("uk", "de"...).
    Sorted by share, then key.
    """
    totals: dict[str, int] = {}
    for result, size in weighted:
        if isinstance(result, LangResult):
            key = result.code if by_code and result.lang == "other" and result.code else result.lang
        else:
            key = result
        if key != "und" and size > 0:
            totals[key] = totals.get(key, 0) + size
    grand = sum(totals.values())
    if not grand:
        return {}
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    return {key: round(size / grand, 4) for key, size in ranked}
