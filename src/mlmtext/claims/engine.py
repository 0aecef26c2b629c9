"""The rule engine: compiles one language's rule set into spaCy matchers and finds raw hits.

Matching runs on a lower-cased copy of the text (same length, so offsets hold) through the language's
blank pipeline from :func:`mlmtext.nlp.get_nlp`; LEMMA patterns therefore match inflected French and
Russian forms. Stance is not decided here (see :mod:`mlmtext.claims.stance`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.attrs import LEMMA, LOWER, ORTH
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token

from mlmtext.claims.literals import Needs, may_match, required_literals, upper_if_lower
from mlmtext.claims.money import find_money
from mlmtext.claims.rules import Rule, RuleSet, builtin_rules
from mlmtext.errors import RuleError
from mlmtext.nlp import get_nlp

_CLAUSE_PUNCT = {",", ";", ":", "—", "–", "(", ")", "!", "?", "."}
# Token attributes whose values a pattern may require, as columns of ``Doc.to_array`` (the values the Matcher
# compares: string hashes); TEXT is ORTH for the Matcher too.
_NEED_ATTRS = {"LEMMA": 0, "LOWER": 1, "ORTH": 2, "TEXT": 2}
_AT_LEAST_ONE = re.compile(r"\+|\{[1-9]\d*(?:,\d*)?\}")  # OP values that match one token or more


def _token_needs(pattern: list[dict[str, Any]], strings: Any) -> tuple[tuple[int, frozenset[int]], ...]:
    """(column, values) pairs such that every match of the token ``pattern`` has, for each pair, a token whose
    attribute value is one of ``values``: its non-optional tokens' plain LEMMA/LOWER/ORTH/TEXT constraints."""
    needs = []
    for spec in pattern:
        op = spec.get("OP")
        if op is not None and not _AT_LEAST_ONE.fullmatch(op):
            continue  # optional ("?", "*", "{0,3}") or negated ("!"): requires nothing
        for attr, value in spec.items():
            col = _NEED_ATTRS.get(attr)
            if col is None:
                continue
            if isinstance(value, str):
                needs.append((col, frozenset({strings.add(value)})))
            elif isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
                needs.append((col, frozenset(strings.add(v) for v in value["IN"])))
    return tuple(needs)


@dataclass(frozen=True, slots=True)
class RuleHit:
    category: str
    start: int  # character offsets into the text given to :meth:`RuleEngine.find`
    end: int
    rule_id: str
    score: float
    figure: bool  # an amount or magnitude is part of the claim


_TEXT_KEY = "mlmtext.claims.text"


def parse(text: str, lang: str) -> Doc:
    """The lower-cased doc matching runs on (token offsets equal those of ``text``)."""
    low = text.lower()
    source = low if len(low) == len(text) else text
    doc = get_nlp(lang)(source)
    # spaCy rebuilds Doc.text (and Span.text) from the tokens on every access, which showed up in profiles;
    # tokenisation is lossless, so the input string is that text: keep it for :func:`doc_text`.
    doc.user_data[_TEXT_KEY] = source
    return doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, without rebuilding it when ``doc`` comes from :func:`parse`."""
    text = doc.user_data.get(_TEXT_KEY)
    return text if isinstance(text, str) else doc.text


def span_text(span: Span, text: str) -> str:
    """``span.text`` sliced from its doc's text (``text``, from :func:`doc_text`) instead of joined from tokens."""
    return text[span.start_char : span.end_char]


class RuleEngine:
    """All rules of one language, compiled once."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.lang = ruleset.lang
        nlp = get_nlp(self.lang)
        self._rules = {r.id: r for r in ruleset.rules}
        self._phrases = {
            "LEMMA": PhraseMatcher(nlp.vocab, attr="LEMMA"),
            "LOWER": PhraseMatcher(nlp.vocab, attr="LOWER"),
        }
        self._regex: list[tuple[Rule, re.Pattern[str], Needs]] = []  # + required_literals
        # one Matcher per pattern rule, with the _token_needs of each of its patterns: a Matcher tests every
        # token against every pattern it holds, so only the rules that can match a passage are run on it
        self._matchers: list[tuple[Matcher, tuple[tuple[tuple[int, frozenset[int]], ...], ...]]] = []
        self._money: list[Rule] = []
        for rule in ruleset.rules:
            try:
                self._add(rule)
            except (ValueError, KeyError) as exc:
                first = str(exc).strip().splitlines()
                raise RuleError(
                    f"{ruleset.path}, rule {rule.id!r}: invalid pattern: {first[0] if first else exc}"
                ) from None

    def _add(self, rule: Rule) -> None:
        nlp = get_nlp(self.lang)
        if rule.kind == "phrase":
            docs = [nlp(p.lower()) for p in rule.phrases]
            self._phrases[rule.attr].add(rule.id, docs)
        elif rule.kind == "pattern":
            matcher = Matcher(nlp.vocab, validate=True)
            matcher.add(rule.id, [list(p) for p in rule.patterns])
            self._matchers.append((matcher, tuple(_token_needs(list(p), nlp.vocab.strings) for p in rule.patterns)))
        elif rule.kind == "regex":
            assert rule.regex is not None
            rx = re.compile(rule.regex, re.IGNORECASE)
            self._regex.append((rule, rx, required_literals(rx)))
        else:
            self._money.append(rule)

    def find(self, doc: Doc) -> list[RuleHit]:
        """Every rule hit in ``doc`` (from :func:`parse`), longest first at equal start, deduplicated."""
        hits: list[RuleHit] = []
        vocab = doc.vocab
        found = []
        # Which token pattern rules can match (most passages: none); the order of ``found`` does not matter,
        # hits are sorted below on all they hold.
        present = self._token_values(doc) if self._matchers else None
        for matcher, pattern_needs in self._matchers:
            if present is None or any(
                all(not values.isdisjoint(present[col]) for col, values in pattern) for pattern in pattern_needs
            ):
                found.extend(matcher(doc))
        for pm in self._phrases.values():
            if len(pm):
                found.extend(pm(doc))
        for match_id, s, e in found:
            rule = self._rules[vocab.strings[match_id]]
            span = doc[s:e]
            hits.append(
                RuleHit(rule.category, span.start_char, span.end_char, rule.id, rule.score, rule.figure)
            )
        text = doc_text(doc)
        upper = upper_if_lower(text)
        for rule, rx, needs in self._regex:
            if not may_match(needs, upper):
                continue  # cannot match: saves the scan (see mlmtext.claims.literals)
            for m in rx.finditer(text):
                if m.end() > m.start():
                    hits.append(RuleHit(rule.category, m.start(), m.end(), rule.id, rule.score, rule.figure))
        if self._money:
            hits.extend(self._money_hits(doc, text))
        hits.sort(key=lambda h: (h.start, -h.end, h.category, h.rule_id))
        return hits

    @staticmethod
    def _token_values(doc: Doc) -> list[set[int]] | None:
        """The LEMMA, LOWER and ORTH values in ``doc`` (columns of _token_needs); None when ``doc`` has no
        lemmas, so that every Matcher runs and reports it as it always did."""
        if not doc.has_annotation("LEMMA"):
            return None
        table = doc.to_array([LEMMA, LOWER, ORTH])
        return [set(table[:, k].tolist()) for k in range(3)]

    def _money_hits(self, doc: Doc, text: str) -> list[RuleHit]:
        out: list[RuleHit] = []
        for mention in find_money(text):
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            before, after = _clause_window(span)
            if mention.period == "hour":
                continue  # hourly pay is wage talk, not an MLM earnings pitch
            for rule in self._money:
                if _words(before[-5:] + after[:4]) & set(rule.block_lemmas):
                    continue  # a price, a rent, a fee: money, but not income
                earn = bool(_words(before + after[:4]) & set(rule.earn_lemmas))
                ok = {
                    "any": True,
                    "earn": earn,
                    "period-or-earn": earn or mention.period is not None or mention.magnitude,
                }[rule.require]
                if ok:
                    out.append(RuleHit(rule.category, mention.start, mention.end, rule.id, rule.score, True))
                    break
        return out


def _words(tokens: list[Token]) -> set[str]:
    # lemma and surface form: lookup lemmatizers sometimes pick the wrong word ("rent" -> "rend")
    return {t.lemma_ for t in tokens} | {t.lower_ for t in tokens}


def _clause_window(span: Span) -> tuple[list[Token], list[Token]]:
    """Tokens of the span's sentence before and after it, cut at clause punctuation."""
    sent = span.sent
    before = []
    for tok in reversed(sent[: span.start - sent.start]):
        if tok.text in _CLAUSE_PUNCT and tok.text not in (",", "—", "–"):
            break
        before.append(tok)
    before.reverse()
    after = []
    for tok in sent[span.end - sent.start :]:
        if tok.text in _CLAUSE_PUNCT:
            break
        after.append(tok)
    return before, after


@cache
def builtin_engine(lang: str) -> RuleEngine:
    return RuleEngine(builtin_rules(lang if lang in ("fr", "ru", "en") else "en"))
