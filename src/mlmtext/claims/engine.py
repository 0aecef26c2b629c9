"""The rule engine: compiles one language's rule set into spaCy matchers and finds raw hits.

Matching runs on a lower-cased copy of the text (same length, so offsets hold) through the language's
blank pipeline from :func:`mlmtext.nlp.get_nlp`; LEMMA patterns therefore match inflected French and
Russian forms. Stance is not decided here (see :mod:`mlmtext.claims.stance`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token

from mlmtext.claims.literals import may_match, required_literals, upper_if_lower
from mlmtext.claims.money import find_money
from mlmtext.claims.rules import Rule, RuleSet, builtin_rules
from mlmtext.errors import RuleError
from mlmtext.nlp import get_nlp

_CLAUSE_PUNCT = {",", ";", ":", "—", "–", "(", ")", "!", "?", "."}


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
        self._matcher = Matcher(nlp.vocab, validate=True)
        self._phrases = {
            "LEMMA": PhraseMatcher(nlp.vocab, attr="LEMMA"),
            "LOWER": PhraseMatcher(nlp.vocab, attr="LOWER"),
        }
        self._regex: list[tuple[Rule, re.Pattern[str], tuple[str, ...]]] = []  # + required_literals
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
            self._matcher.add(rule.id, [list(p) for p in rule.patterns])
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
        found = list(self._matcher(doc)) if len(self._matcher) else []
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
        for rule, rx, needles in self._regex:
            if not may_match(needles, upper):
                continue  # cannot match: saves the scan (see mlmtext.claims.literals)
            for m in rx.finditer(text):
                if m.end() > m.start():
                    hits.append(RuleHit(rule.category, m.start(), m.end(), rule.id, rule.score, rule.figure))
        if self._money:
            hits.extend(self._money_hits(doc, text))
        hits.sort(key=lambda h: (h.start, -h.end, h.category, h.rule_id))
        return hits

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
