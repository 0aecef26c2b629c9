"""Rule layer: raw rule hits merged per category, each with its stance."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from mlmtext.claims.engine import RuleHit, builtin_engine
from mlmtext.claims.stance import builtin_detector
from mlmtext.types import Stance


@dataclass(frozen=True, slots=True)
class Mention:
    """A claim found by the rules in one parsed text; offsets are into that text."""

    category: str
    start: int
    end: int
    stance: Stance
    score: float
    figure: bool
    rule_ids: tuple[str, ...]
    cues: tuple[str, ...]


def _merge(hits: list[RuleHit]) -> list[tuple[str, int, int, float, bool, tuple[str, ...]]]:
    """Overlapping hits of one category become one span (union) that keeps every rule id."""
    out: list[tuple[str, int, int, float, bool, tuple[str, ...]]] = []
    for cat in sorted({h.category for h in hits}):
        group = sorted((h for h in hits if h.category == cat), key=lambda h: (h.start, h.end))
        cur: list[RuleHit] = []
        end = -1
        for h in group + [None]:  # type: ignore[list-item]
            if h is not None and cur and h.start < end:
                cur.append(h)
                end = max(end, h.end)
                continue
            if cur:
                ids = tuple(dict.fromkeys(x.rule_id for x in sorted(cur, key=lambda x: (-x.score, x.rule_id))))
                out.append((cat, cur[0].start, end, max(x.score for x in cur), any(x.figure for x in cur), ids))
            if h is not None:
                cur, end = [h], h.end
    return sorted(out, key=lambda m: (m[1], m[2], m[0]))


def find_mentions(doc: Doc, lang: str) -> list[Mention]:
    """Rule mentions in ``doc`` (from :func:`mlmtext.claims.engine.parse`), sorted by start."""
    detector = builtin_detector(lang)
    mentions = []
    for cat, start, end, score, figure, ids in _merge(builtin_engine(lang).find(doc)):
        decision = detector.decide(doc, start, end)
        mentions.append(Mention(cat, start, end, decision.stance, score, figure, ids, decision.cues))
    return mentions
