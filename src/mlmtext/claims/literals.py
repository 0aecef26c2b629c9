"""Required literals of a regex: substring tests that rule out most texts before the regex scans them.

Most claim regexes (rule files, the money recogniser's magnitude phrases) match in few passages, and scanning
for them was the bulk of rule matching. A regex can only match in a text that contains the literals every
match contains, and ``str.__contains__`` is far cheaper than a scan: :func:`may_match` says whether to run it.

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

# A group holds when the text contains one of its literals; a conjunction when all its groups hold.
Group = tuple[str, ...]
Needs = tuple[tuple[Group, ...], ...]  # one conjunction per top-level alternative; () when nothing is known


def required_literals(rx: re.Pattern[str]) -> Needs:
    """For each top-level alternative of ``rx``, groups of upper-cased literals such that wherever that
    alternative matches in a lower-case ``text``, ``text.upper()`` contains a literal of every group.

    Only literal runs every match must contain count: in sequence, in a group, in every branch of an inner
    alternation (one literal per branch), or in a repeat of at least one; lookarounds, classes and optional
    parts are gaps. () when some alternative has no such literal (then the regex always runs).
    """
    if _sre_p is None:
        return ()
    try:
        items = list(_sre_p.parse(rx.pattern, rx.flags))
        if len(items) == 1 and items[0][0] is _sre_c.BRANCH:
            alternatives = [_groups(alt) for alt in items[0][1][1]]
        else:
            alternatives = [_groups(items)]
    except Exception:  # a surprise from the private parser only costs the prefilter
        return ()
    needs = []
    for groups in alternatives:
        # a group with a literal the upper-case comparison cannot represent is left out (a weaker test)
        usable = [tuple(_upper(lit) for lit in g) for g in groups if all(_upper(lit) for lit in g)]
        if not usable:
            return ()
        needs.append(tuple(sorted(usable, key=lambda g: -min(map(len, g)))))  # most selective first
    return tuple(needs)


def _upper(lit: str) -> str:
    if any(len(ch.lower()) != 1 for ch in lit):
        return ""  # "İ": str.lower and the regex engine's per-character lower case differ
    return "".join(ch.lower() for ch in lit).upper()


def _groups(items: Any) -> list[list[str]]:
    """Groups of literals, each of which every match of the parsed sequence ``items`` contains one of."""
    c = _sre_c
    out: list[list[str]] = []
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            out.append(["".join(run)])
            run = []
        if op is c.SUBPATTERN and not av[1] and not av[2]:  # a group that changes no flag
            out += _groups(av[3])
        elif op is c.BRANCH:
            alternatives = [_groups(b) for b in av[1]]
            if all(alternatives):  # one literal from each branch's most selective group
                out.append(sorted({lit for alt in alternatives for lit in _best(alt)}))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)) and av[0] >= 1:
            out += _groups(av[2])
        elif op is getattr(c, "ATOMIC_GROUP", None):
            out += _groups(av)
    return out


def _best(groups: list[list[str]]) -> list[str]:
    """The group least likely to hold by chance: longest shortest literal, then fewest literals."""
    return max(groups, key=lambda g: (min(map(len, g)), -len(g)))


def upper_if_lower(text: str) -> str | None:
    """``text.upper()``, the key :func:`may_match` tests, when ``text`` is lower-case; None otherwise."""
    return text.upper() if text == text.lower() else None


def may_match(needs: Needs, upper: str | None) -> bool:
    """False only when a regex with required literals ``needs`` cannot match the text whose key is ``upper``."""
    if upper is None or not needs:
        return True
    return any(all(any(lit in upper for lit in group) for group in conj) for conj in needs)
