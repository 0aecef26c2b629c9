"""ClaimFlagger: rules and classifier merged into one list of explained flags per document."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, Span

from mlmtext.claims.categories import AUTHORITIES, CATEGORIES, SEVERITY_ORDER, severity
from mlmtext.claims.classifier import EXTRA_NAMES, ClaimClassifier, combine, extra_features
from mlmtext.claims.engine import doc_text, parse, span_text
from mlmtext.claims.mentions import Mention, find_mentions
from mlmtext.claims.money import find_money
from mlmtext.claims.rules import builtin_rules
from mlmtext.claims.stance import builtin_detector, enclosing_quote, sentence_cues
from mlmtext.claims.stance_model import context
from mlmtext.claims.texts import explanation, model_explanation, rewrite
from mlmtext.config import AnalyzeConfig
from mlmtext.resources import MODELS_DIR
from mlmtext.types import LANGS, Document, Flag, Passage, Stance

MODEL_ENV = "MLMTEXT_CLAIMS_MODEL"
DEFAULT_MODEL = MODELS_DIR / "claims" / "claims-lr.json"


def default_model_path() -> Path:
    env = os.environ.get(MODEL_ENV)
    return Path(env) if env else DEFAULT_MODEL


def risk_summary(flags: Sequence[Flag]) -> dict[str, int]:
    """Asserted flags counted by severity (negated and reported mentions never count)."""
    out = {"high": 0, "medium": 0, "low": 0}
    for f in flags:
        if f.stance == "asserted":
            out[f.severity] += 1
    return out


@dataclass(frozen=True, slots=True)
class _Scores:
    """The classifier's view of a document's sentences, keyed by (unit index, sentence index)."""

    probs: dict[tuple[int, int], np.ndarray]
    sents: dict[int, list[Span]]
    feats: dict[tuple[int, int], np.ndarray]
    cues: dict[tuple[int, int], dict[str, bool]]  # sentence_cues, computed once for features and the gate


@dataclass(frozen=True, slots=True)
class _Unit:
    passage: Passage
    base: int  # offset of passage.text in the document text
    lang: str
    doc: Doc
    mentions: tuple[Mention, ...]


def _sentences(doc: Doc) -> list[Span]:
    text = doc_text(doc)
    return [s for s in doc.sents if len(span_text(s, text).strip()) >= 3]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class ClaimFlagger:
    """``ClaimFlagger(config).flag(document, passages)`` -> flags sorted by start.

    A model-only flag needs its category's threshold and at least ``threshold_pitch`` (more likely than not) in
    a document where the rules found an asserted claim, and at least ``threshold_alone`` elsewhere. The category
    thresholds come from cross-validation on labelled sentences, most of which make a claim; real posts make
    far fewer, so the same probability means less there. The floors were chosen on the development posts
    (``corpora/claims/dev-posts``) and the sample corpus: document F1 with no more stance confusion.
    ``use_classifier=None`` uses the saved model when there is one (``$MLMTEXT_CLAIMS_MODEL`` or
    ``mlmtext/models/claims/claims-lr.json``); rules alone otherwise.
    ``embedder`` and ``classifier`` may be injected (tests, bench).
    """

    def __init__(
        self,
        config: AnalyzeConfig | None = None,
        *,
        model_path: str | Path | None = None,
        use_rules: bool = True,
        use_classifier: bool | None = None,
        embedder: Any = None,
        classifier: ClaimClassifier | None = None,
        threshold_alone: float = 0.6,
        threshold_pitch: float = 0.5,
    ) -> None:
        self.config = config or AnalyzeConfig()
        self.use_rules = use_rules
        self._model_path = Path(model_path) if model_path else default_model_path()
        self._clf = classifier
        if use_classifier is None:
            use_classifier = classifier is not None or self._model_path.is_file()
        self.use_classifier = use_classifier
        self._embedder = embedder
        self.threshold_alone = threshold_alone
        self.threshold_pitch = threshold_pitch

    # -- lazy parts -----------------------------------------------------------------------------
    def classifier(self) -> ClaimClassifier:
        if self._clf is None:
            self._clf = ClaimClassifier.load(self._model_path)
        return self._clf

    def embedder(self) -> Any:
        if self._embedder is None:
            from mlmtext.embed import get_embedder

            meta = getattr(self.classifier(), "meta_", {})
            spec = str(meta.get("embedder_spec", "use"))
            self._embedder = get_embedder(spec, cache_dir=self.config.cache_dir)
        return self._embedder

    def info(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rules": {lang: builtin_rules(lang).version for lang in LANGS},
            "categories": list(CATEGORIES),
            "classifier": None,
        }
        if self.use_classifier:
            clf = self.classifier()
            meta = getattr(clf, "meta_", {})
            out["classifier"] = getattr(clf, "model_id_", "claims-lr@unsaved")
            out["classifier_training_data_sha256"] = meta.get("training", {}).get("data_sha256")
            out["classifier_embedder"] = meta.get("embedder_model_id")
            out["classifier_threshold"] = clf.threshold
            # the floors; a model-only flag needs the larger of its category's threshold and the floor
            out["classifier_threshold_alone"] = self.threshold_alone
            out["classifier_threshold_pitch"] = self.threshold_pitch
            out["classifier_thresholds"] = {c: clf.threshold_for(c) for c in CATEGORIES}
        return out

    # -- flagging -------------------------------------------------------------------------------
    def _lang(self, document: Document, passage: Passage) -> str | None:
        if passage.lang in LANGS:
            return passage.lang
        if document.lang in LANGS:
            return document.lang
        return "en" if document.lang == "und" else None

    def _units(self, document: Document, passages: Sequence[Passage]) -> list[_Unit]:
        units = []
        for p in passages:
            lang = self._lang(document, p)
            if lang is None or not p.text.strip():
                continue
            base = p.start
            if document.text[p.start : p.start + len(p.text)] != p.text:
                found = document.text.find(p.text, max(0, p.start - 50))
                if found < 0:
                    continue  # passage text not in the document: cannot give exact offsets
                base = found
            doc = parse(p.text, lang)
            mentions = tuple(find_mentions(doc, lang)) if self.use_rules or self.use_classifier else ()
            units.append(_Unit(p, base, lang, doc, mentions))
        return units

    def flag(self, document: Document, passages: Sequence[Passage]) -> list[Flag]:
        units = self._units(document, passages)
        doc_lang = document.lang if document.lang in LANGS else None
        scores = _Scores({}, {}, {}, {})
        if self.use_classifier and units:
            scores = self._score(units)
            units = self._restance(units, scores.sents, scores.feats)
        probs, sents = scores.probs, scores.sents
        flags: list[Flag] = []
        # The model alone is trusted at "more likely than not" in a document where the rules already found an
        # asserted claim (a pitch is a pitch in every paragraph); elsewhere (greetings, recipes, event logistics)
        # it must be surer.
        pitch = self.use_rules and any(
            m.stance == "asserted" for u in units if not u.passage.is_boilerplate for m in u.mentions
        )  # a footer repeated on every post is no pitch
        for ui, u in enumerate(units):
            lang = doc_lang or u.lang
            unit_sents = sents.get(ui) or _sentences(u.doc)
            for m in u.mentions if self.use_rules else ():
                p = self._prob(probs, ui, unit_sents, m.start, m.category)
                flags.append(self._rule_flag(document, u, m, lang, p))
            if not self.use_classifier:
                continue
            clf = self.classifier()
            for si, sent in enumerate(unit_sents):
                pv = probs.get((ui, si))
                if pv is None:
                    continue
                inside = [m for m in u.mentions if sent.start_char <= m.start < sent.end_char]
                for j, cat in enumerate(CATEGORIES):
                    cut = clf.threshold_for(cat)
                    if pv[j] < max(cut, self.threshold_pitch if pitch else self.threshold_alone):
                        continue
                    if self.use_rules and any(m.category == cat for m in inside):
                        continue  # the rule flag already carries the model's agreement
                    cues = scores.cues[(ui, si)]
                    if (
                        any(m.stance != "asserted" for m in inside)
                        or cues["report"]
                        or cues["quote"]
                        or cues["marker"]
                        or enclosing_quote(doc_text(u.doc), sent.start_char, sent.end_char)
                    ):
                        continue  # negated/reported mention, reporting verb, quote or critique: never assert
                    flags.append(self._model_flag(document, u, sent, cat, float(pv[j]), lang))
        flags.sort(key=lambda f: (f.start, f.end, CATEGORIES.index(f.category)))
        return flags

    def _restance(
        self, units: list[_Unit], sents: dict[int, list[Span]], feats: dict[tuple[int, int], np.ndarray]
    ) -> list[_Unit]:
        """The stance model's second opinion: a rule mention called asserted whose words around it read as a
        denial or an attribution (P(asserted) below the model's cut) becomes negated or reported.

        One model call for the whole document: rows are scored independently, and the fixed cost of a call
        (the TF-IDF transforms' input validation) outweighed the arithmetic when it ran passage by passage."""
        model = self.classifier().stance_
        if model is None:
            return units
        picked: list[tuple[int, int, Mention, np.ndarray, str, str]] = []
        for ui, u in enumerate(units):
            if not any(m.stance == "asserted" for m in u.mentions):
                continue
            unit_sents = sents[ui]
            for k, m in enumerate(u.mentions):
                si = next((i for i, s in enumerate(unit_sents) if s.start_char <= m.start < s.end_char), None)
                if m.stance != "asserted" or si is None or (ui, si) not in feats:
                    continue
                s = unit_sents[si]
                text = u.passage.text[s.start_char : s.end_char]
                lead = len(text) - len(text.lstrip())  # sentence text is stripped, as in training
                left, right = context(
                    text.strip(), m.start - s.start_char - lead, m.end - s.start_char - lead, u.lang
                )
                picked.append((ui, k, m, feats[(ui, si)], left, right))
        if not picked:
            return units
        k_ext = len(EXTRA_NAMES)
        rows = np.vstack([f for *_x, f, _l, _r in picked])
        p = model.predict(
            rows[:, :-k_ext], rows[:, -4:], [m.category for _u, _k, m, *_ in picked],
            [lf for *_x, lf, _r in picked], [r for *_x, r in picked],
        )
        mentions = {ui: list(units[ui].mentions) for ui, *_ in picked}
        for (ui, k, m, *_rest), (pa, pn) in zip(picked, p, strict=True):
            if pa < model.cut:
                stance: Stance = "negated" if pn >= 0.5 else "reported"
                mentions[ui][k] = replace(m, stance=stance, cues=(*m.cues, f"stance-model:{pa:.2f}"))
        return [replace(u, mentions=tuple(mentions[ui])) if ui in mentions else u for ui, u in enumerate(units)]

    def _score(self, units: list[_Unit]) -> _Scores:
        keys: list[tuple[int, int]] = []
        texts: list[str] = []
        extras: list[np.ndarray] = []
        langs: list[str] = []
        sents: dict[int, list[Span]] = {}
        cues: dict[tuple[int, int], dict[str, bool]] = {}
        for ui, u in enumerate(units):
            sents[ui] = _sentences(u.doc)
            detector = builtin_detector(u.lang)
            text = doc_text(u.doc)
            for si, sent in enumerate(sents[ui]):
                inside = [m for m in u.mentions if sent.start_char <= m.start < sent.end_char]
                keys.append((ui, si))
                texts.append(u.passage.text[sent.start_char : sent.end_char].strip())
                cues[(ui, si)] = sentence_cues(detector, span_text(sent, text), list(sent))
                extras.append(extra_features(sent, inside, u.lang, cues[(ui, si)]))
                langs.append(u.lang)
        if not texts:
            return _Scores({}, sents, {}, cues)
        emb = np.asarray(self.embedder().embed(texts), dtype=np.float32)
        X = combine(emb, np.vstack(extras))
        p = self.classifier().predict_proba(X, texts, langs)
        return _Scores({k: p[i] for i, k in enumerate(keys)}, sents, {k: X[i] for i, k in enumerate(keys)}, cues)

    @staticmethod
    def _prob(
        probs: dict[tuple[int, int], np.ndarray], ui: int, sents: list[Span], start: int, category: str
    ) -> float | None:
        for si, s in enumerate(sents):
            if s.start_char <= start < s.end_char and (ui, si) in probs:
                return float(probs[(ui, si)][CATEGORIES.index(category)])
        return None

    def _rule_flag(self, document: Document, u: _Unit, m: Mention, lang: str, p: float | None) -> Flag:
        s, e = _trim(u.passage.text, m.start, m.end)
        start, end = u.base + s, u.base + e
        figure = m.figure if m.category == "earnings" else False
        sev = severity(m.category, m.stance, figure=figure)
        sources = tuple(f"rule:{r}" for r in m.rule_ids)
        expl = explanation(m.category, m.stance, lang)
        explanations: tuple[str, ...] = (expl,)
        score = m.score
        if p is not None and m.stance == "asserted" and p >= self.classifier().agree:
            sources += (f"model:{getattr(self.classifier(), 'model_id_', 'claims-lr@unsaved')}",)
            explanations += (model_explanation(m.category, p, lang),)
            score = max(score, p)
        return Flag(
            category=m.category,
            stance=m.stance,
            severity=sev,  # type: ignore[arg-type]
            score=round(score, 4),
            start=start,
            end=end,
            text=document.text[start:end],
            source=sources[0],
            explanation=expl,
            authorities=AUTHORITIES[m.category],
            rewrite=rewrite(m.category, lang),
            passage_index=u.passage.index,
            in_boilerplate=u.passage.is_boilerplate,
            stance_cues=m.cues,
            sources=sources,
            explanations=explanations,
        )

    def _model_flag(self, document: Document, u: _Unit, sent: Span, cat: str, p: float, lang: str) -> Flag:
        s, e = _trim(u.passage.text, sent.start_char, sent.end_char)
        start, end = u.base + s, u.base + e
        text = document.text[start:end]
        figure = cat == "earnings" and bool(find_money(text))
        source = f"model:{getattr(self.classifier(), 'model_id_', 'claims-lr@unsaved')}"
        expl = model_explanation(cat, p, lang)
        return Flag(
            category=cat,
            stance="asserted",
            severity=severity(cat, "asserted", figure=figure),  # type: ignore[arg-type]
            score=round(p, 4),
            start=start,
            end=end,
            text=text,
            source=source,
            explanation=explanation(cat, "asserted", lang),
            authorities=AUTHORITIES[cat],
            rewrite=rewrite(cat, lang),
            passage_index=u.passage.index,
            in_boilerplate=u.passage.is_boilerplate,
            stance_cues=(),
            sources=(source,),
            explanations=(explanation(cat, "asserted", lang), expl),
        )


def at_or_above(flag: Flag, threshold: str) -> bool:
    return SEVERITY_ORDER[flag.severity] >= SEVERITY_ORDER[threshold]
