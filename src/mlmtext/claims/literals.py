"""Required literals of a regex: a substring test that rules out most texts before the regex scans them.

Most claim regexes (rule files, the money recogniser's magnitude phrases) match in few passages, and scanning
for them was the bulk of rule matching. A regex can only match in a text that contains one of its required
literals, and ``str.__contains__`` is far cheaper than a scan: :func:`may_match` says whether to run the regex.

The test is exact on lower-case texts (what :func:`mlmtext.claims.engine.parse` matches on), which it compares
upper-cased: under IGNORECASE a literal character matches the characters whose (simple) lower case is its lower
case or shares its upper case (``s`` and ``ſ``, ``i`` and ``ı``: the ``re`` module's extra cases), and
upper-casing maps every one of them to the same string. Any other text always runs the regex.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

try:  # the standard library's regex parser: private, so the prefilter it enables is optional
    _sre_c: Any = importlib.import_module("re._constants")
    _sre_p: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - a Python without them runs every regex on every text
    _sre_c = _sre_p = None


def required_literals(rx: re.Pattern[str]) -> tuple[str, ...]:
    """Upper-cased strings one of which occurs in ``text.upper()`` wherever ``rx`` matches in a lower-case
    ``text``; () when none can be told (then the regex always runs).

    Only literal runs every match must contain count: in sequence, in a group, in every branch of an
    alternation, or in a repeat of at least one; lookarounds, classes and optional parts are gaps.
    """
    if _sre_p is None:
        return ()
    try:
        found = _required(_sre_p.parse(rx.pattern, rx.flags))
    except Exception:  # a surprise from the private parser only costs the prefilter
        return ()
    out = []
    for lit in found or ():
        if any(len(ch.lower()) != 1 for ch in lit):
            return ()  # "İ": str.lower and the regex engine's per-character lower case differ
        out.append("".join(ch.lower() for ch in lit).upper())
    return tuple(out)


def _required(items: Any) -> list[str] | None:
    """Literals one of which every match of the parsed ``items`` contains (the most selective set found)."""
    c = _sre_c
    best: list[str] | None = None

    def keep(cands: list[str] | None) -> None:
        nonlocal best
        if cands and (best is None or (min(map(len, cands)), -len(cands)) > (min(map(len, best)), -len(best))):
            best = cands

    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            keep(["".join(run)])
            run = []
        if op is c.SUBPATTERN and not av[1] and not av[2]:  # a group that changes no flag
            keep(_required(av[3]))
        elif op is c.BRANCH:
            alternatives = [_required(b) for b in av[1]]
            if all(alternatives):
                keep(sorted({lit for alt in alternatives if alt for lit in alt}))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)) and av[0] >= 1:
            keep(_required(av[2]))
        elif op is getattr(c, "ATOMIC_GROUP", None):
            keep(_required(av))
    return best


def upper_if_lower(text: str) -> str | None:
    """``text.upper()``, the key :func:`may_match` tests, when ``text`` is lower-case; None otherwise."""
    return text.upper() if text == text.lower() else None


def may_match(needles: tuple[str, ...], upper: str | None) -> bool:
    """False only when a regex with required literals ``needles`` cannot match the text whose key is ``upper``."""
    return upper is None or not needles or any(n in upper for n in needles)
