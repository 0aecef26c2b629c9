"""The theme stage: passages -> built-in and discovered themes, documents -> theme shares and relevance."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mlmtext.config import AnalyzeConfig
from mlmtext.embed import CachedEmbedder, get_embedder, parse_spec
from mlmtext.errors import ModelNotFittedError
from mlmtext.hashing import text_hash
from mlmtext.themes import artifacts
from mlmtext.themes.artifacts import FittedThemes
from mlmtext.themes.corpus import models_dir
from mlmtext.themes.discover import discover
from mlmtext.themes.lexical import content_lemmas_many, norm_lang
from mlmtext.themes.model import unit_rows
from mlmtext.themes.taxonomy import Taxonomy, load_taxonomy
from mlmtext.themes.terms import labels_from_terms, top_terms_by_lang
from mlmtext.types import Document, Passage, Theme, ThemeScore

CHUNK = 2048  # passages embedded and scored at a time: bounds peak memory of features
EXAMPLES = 3
EXAMPLE_CHARS = 200
_fitted_cache: dict[tuple[str, str], FittedThemes] = {}


@dataclass(frozen=True, slots=True)
class ThemeResult:
    passages: tuple[Passage, ...]  # same order as given, themes filled
    document_themes: dict[str, tuple[ThemeScore, ...]]  # doc id -> sorted by score desc
    relevance: dict[str, float]  # doc id -> mlm_relevance in [0, 1]
    themes: tuple[Theme, ...]  # built-in (and user) themes, then discovered ones
    info: dict[str, Any]


def load_fitted(spec: str, model_id: str, cache_dir: str | None) -> FittedThemes:
    """The shipped models for an embedder; for one without (e.g. st:<path>), fit them from the corpora."""
    key = artifacts.artefact_key(spec)
    if (key, model_id) in _fitted_cache:
        return _fitted_cache[(key, model_id)]
    fitted = artifacts.load(models_dir(), key)
    if fitted is None:
        from mlmtext.themes.train import train

        try:
            fitted = train(spec, cache_dir=cache_dir, save=False)
        except ModelNotFittedError as exc:
            raise ModelNotFittedError(
                f"no theme model for embedder {spec!r} in {models_dir()} and no training data to fit one: "
                f"run `python -m mlmtext.themes.train --embedder {spec}` in a source checkout"
            ) from exc
        fitted.meta["id"] = f"{key}@fitted-at-run-time"
    _fitted_cache[(key, model_id)] = fitted
    return fitted


class ThemeStage:
    """``ThemeStage(config).run(documents, passages) -> ThemeResult``.

    The embedder and fitted models can be injected (tests, benchmarks); by default they come from
    ``config.embedder`` and the shipped ``models/themes/<embedder>.*``.
    """

    def __init__(
        self,
        config: AnalyzeConfig | None = None,
        *,
        embedder: CachedEmbedder | None = None,
        fitted: FittedThemes | None = None,
        taxonomy: Taxonomy | None = None,
    ) -> None:
        self.config = config or AnalyzeConfig()
        parse_spec(self.config.embedder)  # a bad --embedder fails here, before any work
        self.taxonomy = taxonomy or load_taxonomy(self.config.taxonomy_file, self.config.taxonomy_mode)
        self._embedder = embedder
        self._fitted = fitted

    @property
    def embedder(self) -> CachedEmbedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.config.embedder, cache_dir=self.config.cache_dir)
        return self._embedder

    @property
    def fitted(self) -> FittedThemes:
        if self._fitted is None:
            emb = self.embedder
            self._fitted = load_fitted(self.config.embedder, emb.model_id, self.config.cache_dir)
        return self._fitted

    # ------------------------------------------------------------------------------------------
    def run(self, documents: Sequence[Document], passages: Sequence[Passage]) -> ThemeResult:
        fitted, emb, tax = self.fitted, self.embedder, self.taxonomy
        model = fitted.themes
        doc_ids = [d.id for d in documents]
        known_docs = set(doc_ids)
        active = [
            i for i, p in enumerate(passages) if not p.is_boilerplate and p.text.strip() and p.doc_id in known_docs
        ]
        texts = [passages[i].text for i in active]
        langs = [norm_lang(passages[i].lang) for i in active]

        # Which taxonomy themes the supervised heads serve, and which are judged zero-shot.
        head_of = {t: k for k, t in enumerate(model.theme_ids_)}
        columns = [t.id for t in tax.themes]
        supervised = [t.builtin and t.id in head_of for t in tax.themes]
        zs_defs = [t for t, s in zip(tax.themes, supervised, strict=True) if not s]
        zs_protos = (
            np.stack([model.prototype(emb.embed([x for _, x in t.prototype_texts()])) for t in zs_defs])
            if zs_defs
            else None
        )
        thresholds = np.array(
            [
                model.thresholds_[head_of[t.id]] if s else model.zero_shot_threshold_
                for t, s in zip(tax.themes, supervised, strict=True)
            ],
            dtype=np.float32,
        )

        n, dim = len(active), emb.dim
        vectors = np.zeros((n, dim), dtype=np.float32)
        probs = np.zeros((n, len(columns)), dtype=np.float32)
        lemmas: list[list[str]] = []
        for start in range(0, n, CHUNK):
            sl = slice(start, min(n, start + CHUNK))
            vec = emb.embed(texts[sl])
            lem = content_lemmas_many(texts[sl], langs[sl])
            vectors[sl] = vec
            lemmas.extend(lem)
            sup = model.predict_proba(vec, lem)
            zs = model.zero_shot_proba(model.centre(vec), zs_protos) if zs_protos is not None else None
            zk = 0
            for c, (t, s) in enumerate(zip(tax.themes, supervised, strict=True)):
                if s:
                    probs[sl, c] = sup[:, head_of[t.id]]
                else:
                    assert zs is not None
                    probs[sl, c] = zs[:, zk]
                    zk += 1

        # Document relevance from the mean vector of its passages and its MLM vocabulary.
        rows_of: dict[str, list[int]] = defaultdict(list)
        for r, i in enumerate(active):
            rows_of[passages[i].doc_id].append(r)
        rel_model = fitted.relevance
        doc_vecs = (
            np.stack([vectors[rows_of[d]].mean(axis=0) if rows_of.get(d) else rel_model.mean_ for d in doc_ids])
            if doc_ids
            else np.zeros((0, dim), dtype=np.float32)
        )
        doc_lemmas = [[w for r in rows_of.get(d, []) for w in lemmas[r]] for d in doc_ids]
        rel_scores = rel_model.predict_proba(doc_vecs, [d.text for d in documents], doc_lemmas)
        relevance = {d: round(float(s), 4) for d, s in zip(doc_ids, rel_scores, strict=True)}
        relevant_doc = {d: relevance[d] >= 0.5 for d in doc_ids}

        # Built-in assignments: every theme at or above its calibrated threshold, in relevant documents.
        scores: list[list[ThemeScore]] = [[] for _ in range(n)]
        for r, i in enumerate(active):
            if not relevant_doc[passages[i].doc_id]:
                continue
            hits = np.flatnonzero(probs[r] >= thresholds)
            scores[r] = [ThemeScore(columns[c], round(float(probs[r, c]), 4)) for c in hits]

        # Discovered themes from what is left.
        free = [r for r in range(n) if not scores[r] and relevant_doc[passages[active[r]].doc_id]]
        clusters = discover(
            model.centre(vectors[free]) if free else np.zeros((0, dim), dtype=np.float32),
            [passages[active[r]].doc_id for r in free],
            [text_hash(texts[r]) for r in free],
            distance_threshold=float(fitted.meta.get("discovery", {}).get("distance_threshold", 0.8)),
            random_state=self.config.random_state,
        )
        discovered_members: list[list[int]] = []
        kept = []
        for cl in clusters:
            members = [free[m] for m in cl.members]
            if not any(lemmas[r] for r in members):  # no content word to name it by ("Thanks!!", emoji)
                continue
            kept.append(cl)
            discovered_members.append(members)
            sims = unit_rows(model.centre(vectors[members])) @ cl.centroid
            for r, s in zip(members, sims, strict=True):
                scores[r] = [ThemeScore(cl.id, round(float(np.clip(s, 0.0, 1.0)), 4))]
        clusters = kept

        # Passages out, in the order given.
        out = list(passages)
        for r, i in enumerate(active):
            ranked = tuple(sorted(scores[r], key=lambda s: (-s.score, s.id)))
            if ranked or out[i].themes:
                out[i] = dataclasses.replace(out[i], themes=ranked)
        for i, p in enumerate(out):  # boilerplate and foreign passages carry no theme
            if p.themes and (p.is_boilerplate or p.doc_id not in known_docs):
                out[i] = dataclasses.replace(p, themes=())

        document_themes = self._document_themes(doc_ids, rows_of, scores)
        themes = self._themes(columns, clusters, discovered_members, scores, lemmas, langs, active, passages)
        info = {
            "embedder": emb.info(),
            "model": fitted.id,
            "model_id_trained": fitted.meta.get("model_id"),
            "model_id_matches": fitted.meta.get("model_id") == emb.model_id,
            "training_hash": fitted.meta.get("training_hash"),
            "taxonomy": {"source": tax.source, "digest": tax.digest, "themes": len(tax.themes)},
            "thresholds": {c: round(float(t), 4) for c, t in zip(columns, thresholds, strict=True)},
            "zero_shot_themes": [t.id for t in zs_defs],
            "relevance_threshold": 0.5,
            "discovery": {
                **fitted.meta.get("discovery", {}),
                "clusters": len(clusters),
                "unassigned": len(free) - sum(len(m) for m in discovered_members),
            },
            "passages_scored": n,
        }
        return ThemeResult(tuple(out), document_themes, relevance, themes, info)

    @staticmethod
    def _document_themes(
        doc_ids: Sequence[str], rows_of: dict[str, list[int]], scores: list[list[ThemeScore]]
    ) -> dict[str, tuple[ThemeScore, ...]]:
        """Share of a document's non-boilerplate passages in each theme; ties broken by summed score."""
        result: dict[str, tuple[ThemeScore, ...]] = {}
        for d in doc_ids:
            rows = rows_of.get(d, [])
            count: Counter[str] = Counter()
            mass: defaultdict[str, float] = defaultdict(float)
            for r in rows:
                for s in scores[r]:
                    count[s.id] += 1
                    mass[s.id] += s.score
            ranked = sorted(count, key=lambda t: (-count[t], -mass[t], t))
            result[d] = tuple(ThemeScore(t, round(count[t] / len(rows), 4)) for t in ranked)
        return result

    def _themes(
        self,
        columns: list[str],
        clusters: Sequence[Any],
        discovered_members: list[list[int]],
        scores: list[list[ThemeScore]],
        lemmas: list[list[str]],
        langs: list[str],
        active: list[int],
        passages: Sequence[Passage],
    ) -> tuple[Theme, ...]:
        members_of: dict[str, list[int]] = {c: [] for c in columns}
        best: dict[str, list[tuple[float, int]]] = {c: [] for c in columns}
        for r, ss in enumerate(scores):
            for s in ss:
                if s.id in members_of:
                    members_of[s.id].append(r)
                    best[s.id].append((s.score, r))
        groups = [members_of[c] for c in columns] + discovered_members
        terms = top_terms_by_lang(groups, lemmas, langs)

        def examples(ranked: list[int]) -> list[dict[str, Any]]:
            out = []
            for r in ranked[:EXAMPLES]:
                p = passages[active[r]]
                text = " ".join(p.text.split())
                out.append(
                    {
                        "doc_id": p.doc_id,
                        "passage_index": p.index,
                        "text": text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1] + "…",
                    }
                )
            return out

        themes: list[Theme] = []
        for k, c in enumerate(columns):
            d = self.taxonomy.get(c)
            ranked = [r for _, r in sorted(best[c], key=lambda x: (-x[0], x[1]))]
            themes.append(
                Theme(
                    c,
                    d.builtin,
                    dict(d.labels),
                    len(members_of[c]),
                    terms[k],
                    examples(ranked),
                    dict(d.descriptions),
                )
            )
        for j, (cl, members) in enumerate(zip(clusters, discovered_members, strict=True)):
            t = terms[len(columns) + j]
            counts = Counter(langs[r] for r in members)
            # Closest to the centroid first: the most typical passages are the best examples.
            ranked = [r for _, r in sorted((-scores[r][0].score, r) for r in members)]
            themes.append(Theme(cl.id, False, labels_from_terms(t, dict(counts)), len(members), t, examples(ranked)))
        return tuple(themes)
