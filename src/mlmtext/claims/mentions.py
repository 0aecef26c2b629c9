"""Rule layer: raw rule hits merged per category, each with its stance."""

from __future__ import annotations

from dataclasses import dataclass, replace

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
        for h in [*group, None]:
            if h is not None and cur and h.start < end:
                cur.append(h)
                end = max(end, h.end)
                continue
            if cur:
                ids = tuple(
                    dict.fromkeys(x.rule_id for x in sorted(cur, key=lambda x: (-x.score, x.rule_id)))
                )
                out.append(
                    (cat, cur[0].start, end, max(x.score for x in cur), any(x.figure for x in cur), ids)
                )
            if h is not None:
                cur, end = [h], h.end
    return sorted(out, key=lambda m: (m[1], m[2], m[0]))


def find_mentions(doc: Doc, lang: str) -> list[Mention]:
    """Rule mentions in ``doc`` (from :func:`mlmtext.claims.engine.parse`), sorted by start."""
    detector = builtin_detector(lang)
    mentions = []
    merged = _merge(builtin_engine(lang).find(doc))
    recruit = [(m[1], m[2]) for m in merged if m[0] == "recruitment-rewards"]
    for cat, start, end, score, figure, ids in merged:
        if (
            cat == "earnings"
            and all(i.endswith("/earnings/money") for i in ids)
            and _near(start, end, recruit, doc)
        ):
            continue  # "$100 for every person you enroll": the amount belongs to the recruitment reward
        others = [
            (m[1], m[2]) for m in merged if (m[1], m[2]) != (start, end) and (m[2] <= start or m[1] >= end)
        ]
        decision = detector.decide(doc, start, end, others)
        mentions.append(Mention(cat, start, end, decision.stance, score, figure, ids, decision.cues))
    return _propagate(mentions, doc)


def _propagate(mentions: list[Mention], doc: Doc) -> list[Mention]:
    """Within one sentence, a category the author negates or reports is not asserted by another mention of it:
    "I did not double my paycheck, I made $312 last year" is a denial, not an earnings claim."""
    out = []
    for m in mentions:
        if m.stance == "asserted":
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            sent = span.sent if span is not None else None
            other = next(
                (
                    o
                    for o in mentions
                    if o is not m
                    and o.category == m.category
                    and o.stance != "asserted"
                    and not any(c.startswith("disclaimer:") for c in o.cues)  # boilerplate, not the author's denial
                    and sent is not None
                    and sent.start_char <= o.start < sent.end_char
                ),
                None,
            )
            if other is not None:
                m = replace(m, stance=other.stance, cues=(*other.cues, "same-sentence"))
        out.append(m)
    return out


def _near(start: int, end: int, spans: list[tuple[int, int]], doc: Doc) -> bool:
    """Whether [start, end) lies in the same sentence as, and within 40 characters of, one of ``spans``."""
    tok = doc.char_span(start, end, alignment_mode="expand")
    if tok is None:
        return False
    sent = tok.sent
    return any(sent.start_char <= s < sent.end_char and (s - 40 <= end and start <= e + 40) for s, e in spans)
