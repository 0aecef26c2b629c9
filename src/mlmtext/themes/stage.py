"""The theme stage: passages -> built-in and discovered themes, documents -> theme shares and relevance.

A run scores batches as they come (:meth:`ThemeRun.score`: built-in themes and relevance are per passage
and per document) and keeps only running tallies, plus, in a spool, the passages no built-in theme
fits. :meth:`ThemeRun.finish` clusters those into discovered themes; a batch's passages waiting for it
and the documents that hold them are settled afterwards with :func:`settle_passage` and
:func:`settle_document`. ``ThemeStage.run`` does both for one in-memory batch.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mlmtext.config import AnalyzeConfig
from mlmtext.embed import CachedEmbedder, get_embedder, parse_spec
from mlmtext.errors import ModelNotFittedError
from mlmtext.hashing import text_hash
from mlmtext.spool import RowSpool
from mlmtext.themes import artifacts
from mlmtext.themes.artifacts import FittedThemes
from mlmtext.themes.corpus import models_dir
from mlmtext.themes.discover import Discovered, discover_chunked
from mlmtext.themes.lexical import content_lemmas_many, norm_lang
from mlmtext.themes.taxonomy import Taxonomy, load_taxonomy
from mlmtext.themes.terms import TermTally, labels_from_terms, top_terms
from mlmtext.types import Document, Passage, Theme, ThemeScore

CHUNK = 2048  # passages embedded and scored at a time: bounds peak memory of features
EXAMPLES = 3
EXAMPLE_CHARS = 200
_fitted_cache: dict[tuple[str, str], FittedThemes] = {}


@dataclass(frozen=True, slots=True)
class DocTally:
    """A document's theme counts over its scored passages, before discovered themes are known."""

    rows: int  # scored (non-boilerplate, non-empty) passages
    counts: dict[str, int] = field(default_factory=dict)
    mass: dict[str, float] = field(default_factory=dict)  # summed scores: breaks ties between equal counts
    waiting: int = 0  # passages waiting for discovery


def rank_document_themes(tally: DocTally, extra: Iterable[ThemeScore] = ()) -> tuple[ThemeScore, ...]:
    """Share of a document's scored passages in each theme; ties broken by summed score, then id."""
    count, mass = Counter(tally.counts), defaultdict(float, tally.mass)
    for s in extra:
        count[s.id] += 1
        mass[s.id] += s.score
    ranked = sorted(count, key=lambda t: (-count[t], -mass[t], t))
    return tuple(ThemeScore(t, round(count[t] / tally.rows, 4)) for t in ranked)


@dataclass(frozen=True, slots=True)
class ScoredBatch:
    passages: tuple[Passage, ...]  # same order as given, built-in themes filled
    document_themes: dict[str, tuple[ThemeScore, ...]]  # final, except for the documents in ``pending``
    relevance: dict[str, float]  # doc id -> mlm_relevance in [0, 1]
    waiting: tuple[bool, ...]  # per passage: its theme comes from discovery (settle_passage)
    pending: dict[str, DocTally]  # documents with waiting passages (settle_document)


Assigned = tuple[str, ThemeScore | None]  # (doc id, discovered theme) of one waiting passage


@dataclass(frozen=True, slots=True)
class ThemeFinish:
    themes: tuple[Theme, ...]  # built-in (and user) themes, then discovered ones
    info: dict[str, Any]
    ids: tuple[str, ...]  # discovered theme ids
    labels: Any  # np.ndarray int32 per waiting passage (run order): index into ids, -1 unassigned
    sims: Any  # np.ndarray float32 per waiting passage
    waiting: RowSpool  # the waiting passages (their doc ids keep consumers in step)

    def assignments(self) -> Iterator[Assigned]:
        """(doc id, discovered theme or None) of each waiting passage, in the order the run saw them."""
        for meta, lab, sim in zip(self.waiting.metas(), self.labels.tolist(), self.sims.tolist(), strict=True):
            yield meta[0], ThemeScore(self.ids[lab], _sim_score(sim)) if lab >= 0 else None


def _sim_score(sim: float) -> float:
    return round(float(np.clip(sim, 0.0, 1.0)), 4)


def _in_step(assigned: Assigned, doc_id: str) -> ThemeScore | None:
    if assigned[0] != doc_id:  # consumers must walk the passages in the order the run scored them
        raise RuntimeError(f"discovered themes out of step: {assigned[0]!r} reached {doc_id!r}")
    return assigned[1]


def settle_passage(passage: Passage, assigned: Assigned) -> Passage:
    theme = _in_step(assigned, passage.doc_id)
    return dataclasses.replace(passage, themes=(theme,)) if theme else passage


def settle_document(tally: DocTally, assigned: Iterator[Assigned], doc_id: str) -> tuple[ThemeScore, ...]:
    """A pending document's themes, consuming its ``tally.waiting`` assignments from ``assigned``."""
    themes = [_in_step(next(assigned), doc_id) for _ in range(tally.waiting)]
    return rank_document_themes(tally, [t for t in themes if t is not None])


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
    """``ThemeStage(config).start()`` -> a :class:`ThemeRun`; ``.run(documents, passages)`` for one batch.

    The embedder and fitted models can be injected (tests, benchmarks); by default they come from
    ``config.embedder`` and the shipped ``mlmtext/models/themes/<embedder>.*``.
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

    def start(self, scratch: Path | None = None) -> ThemeRun:
        """A run over batches; passages waiting for discovery are spooled to ``scratch`` when given."""
        return ThemeRun(self, scratch)

    def run(self, documents: Sequence[Document], passages: Sequence[Passage]) -> ThemeResult:
        """Everything in one batch, discovered themes settled; passages may come in any order."""
        rank = {d.id: k for k, d in enumerate(documents)}
        order = sorted(range(len(passages)), key=lambda i: rank.get(passages[i].doc_id, len(rank)))
        theme_run = self.start()
        batch = theme_run.score(documents, [passages[i] for i in order])
        finish = theme_run.finish()
        assigned = finish.assignments()
        grouped = [
            settle_passage(p, next(assigned)) if w else p for p, w in zip(batch.passages, batch.waiting, strict=True)
        ]
        out = list(passages)
        for i, p in zip(order, grouped, strict=True):
            out[i] = p
        assigned = finish.assignments()
        document_themes = {
            d: settle_document(batch.pending[d], assigned, d) if d in batch.pending else themes
            for d, themes in batch.document_themes.items()
        }
        return ThemeResult(tuple(out), document_themes, batch.relevance, finish.themes, finish.info)


class ThemeRun:
    """Scores batches with a stage's models and keeps what the run's end needs (tallies, waiting passages)."""

    def __init__(self, stage: ThemeStage, scratch: Path | None) -> None:
        self.stage = stage
        fitted, emb, tax = stage.fitted, stage.embedder, stage.taxonomy
        self.model, self.emb, self.tax = fitted.themes, emb, tax
        model = self.model
        # Which taxonomy themes the supervised heads serve, and which are judged zero-shot.
        self.head_of = {t: k for k, t in enumerate(model.theme_ids_)}
        self.columns = [t.id for t in tax.themes]
        self.supervised = [t.builtin and t.id in self.head_of for t in tax.themes]
        self.zs_defs = [t for t, s in zip(tax.themes, self.supervised, strict=True) if not s]
        self.zs_protos = (
            np.stack([model.prototype(emb.embed([x for _, x in t.prototype_texts()])) for t in self.zs_defs])
            if self.zs_defs
            else None
        )
        self.thresholds = np.array(
            [
                model.thresholds_[self.head_of[t.id]] if s else model.zero_shot_threshold_
                for t, s in zip(tax.themes, self.supervised, strict=True)
            ],
            dtype=np.float32,
        )
        self.total = TermTally()  # every scored passage: the background of top terms
        self.groups = {c: TermTally() for c in self.columns}
        self.sizes: Counter[str] = Counter()
        self.best: dict[str, list[tuple[float, int, dict[str, Any]]]] = {c: [] for c in self.columns}  # min-heaps
        self.scored = 0  # passages scored so far: the order key of examples
        self.waiting = RowSpool(emb.dim, scratch, "waiting-passages")

    # ------------------------------------------------------------------------------------------
    def score(self, documents: Sequence[Document], passages: Sequence[Passage]) -> ScoredBatch:
        """Built-in themes of a batch's passages and relevance of its documents."""
        model, emb = self.model, self.emb
        doc_ids = [d.id for d in documents]
        known_docs = set(doc_ids)
        active = [
            i for i, p in enumerate(passages) if not p.is_boilerplate and p.text.strip() and p.doc_id in known_docs
        ]
        rank = {d: k for k, d in enumerate(doc_ids)}
        if any(rank[passages[a].doc_id] > rank[passages[b].doc_id] for a, b in itertools.pairwise(active)):
            # waiting passages are settled in this order, passage by passage and document by document
            raise ValueError("score() needs passages grouped by document, in the order of the documents")
        texts = [passages[i].text for i in active]
        langs = [norm_lang(passages[i].lang) for i in active]
        n, dim, columns = len(active), emb.dim, self.columns
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
            zs = model.zero_shot_proba(model.centre(vec), self.zs_protos) if self.zs_protos is not None else None
            zk = 0
            for c, is_head in enumerate(self.supervised):
                if is_head:
                    probs[sl, c] = sup[:, self.head_of[columns[c]]]
                else:
                    assert zs is not None
                    probs[sl, c] = zs[:, zk]
                    zk += 1

        # Document relevance from the mean vector of its passages and its MLM vocabulary.
        rows_of: dict[str, list[int]] = defaultdict(list)
        for r, i in enumerate(active):
            rows_of[passages[i].doc_id].append(r)
        rel_model = self.stage.fitted.relevance
        doc_vecs = (
            np.stack([vectors[rows_of[d]].mean(axis=0) if rows_of.get(d) else rel_model.mean_ for d in doc_ids])
            if doc_ids
            else np.zeros((0, dim), dtype=np.float32)
        )
        doc_lemmas = [[w for r in rows_of.get(d, []) for w in lemmas[r]] for d in doc_ids]
        rel_scores = rel_model.predict_proba(doc_vecs, [d.text for d in documents], doc_lemmas)
        relevance = {d: round(float(s), 4) for d, s in zip(doc_ids, rel_scores, strict=True)}

        # Built-in assignments: every theme at or above its calibrated threshold, in relevant documents;
        # what is left of relevant documents waits for discovery.
        scores: list[tuple[ThemeScore, ...]] = [() for _ in range(n)]
        waiting_rows: list[int] = []
        for r, i in enumerate(active):
            p = passages[i]
            self.total.add(lemmas[r], langs[r])
            self.scored += 1
            if relevance[p.doc_id] < 0.5:
                continue
            hits = np.flatnonzero(probs[r] >= self.thresholds)
            found = [ThemeScore(columns[c], round(float(probs[r, c]), 4)) for c in hits]
            scores[r] = tuple(sorted(found, key=lambda s: (-s.score, s.id)))
            for s in scores[r]:
                self._keep(s, lemmas[r], langs[r], p)
            if not scores[r]:
                waiting_rows.append(r)
        if waiting_rows:
            self.waiting.append(
                model.centre(vectors[waiting_rows]),
                [
                    [passages[active[r]].doc_id, text_hash(texts[r]), langs[r], lemmas[r], passages[active[r]].index,
                     _example_text(texts[r])]
                    for r in waiting_rows
                ],
            )

        # Passages out, in the order given; boilerplate and foreign passages carry no theme.
        out = list(passages)
        waits = [False] * len(passages)
        for r, i in enumerate(active):
            if scores[r] or out[i].themes:
                out[i] = dataclasses.replace(out[i], themes=scores[r])
        for r in waiting_rows:
            waits[active[r]] = True
        for i, p in enumerate(out):
            if p.themes and (p.is_boilerplate or p.doc_id not in known_docs):
                out[i] = dataclasses.replace(p, themes=())

        document_themes: dict[str, tuple[ThemeScore, ...]] = {}
        pending: dict[str, DocTally] = {}
        waiting_set = set(waiting_rows)
        for d in doc_ids:
            rows = rows_of.get(d, [])
            count: Counter[str] = Counter()
            mass: defaultdict[str, float] = defaultdict(float)
            for r in rows:
                for s in scores[r]:
                    count[s.id] += 1
                    mass[s.id] += s.score
            tally = DocTally(len(rows), dict(count), dict(mass), sum(1 for r in rows if r in waiting_set))
            document_themes[d] = rank_document_themes(tally)
            if tally.waiting:
                pending[d] = tally
        return ScoredBatch(tuple(out), document_themes, relevance, tuple(waits), pending)

    def _keep(self, s: ThemeScore, words: list[str], lang: str, p: Passage) -> None:
        """Count a built-in theme hit and keep it among the theme's best examples (highest score, then earliest)."""
        self.sizes[s.id] += 1
        self.groups[s.id].add(words, lang)
        item = (s.score, -self.scored, {"doc_id": p.doc_id, "passage_index": p.index, "text": _example_text(p.text)})
        heap = self.best[s.id]
        if len(heap) < EXAMPLES:
            heapq.heappush(heap, item)
        elif item[:2] > heap[0][:2]:
            heapq.heapreplace(heap, item)

    # ------------------------------------------------------------------------------------------
    def finish(self) -> ThemeFinish:
        """Discovered themes from the waiting passages, and every theme's size, terms and examples."""
        fitted, spool = self.stage.fitted, self.waiting
        spool.close()
        found = discover_chunked(
            spool.chunks,
            lambda: ((m[0], m[1]) for m in spool.metas()),
            len(spool),
            distance_threshold=float(fitted.meta.get("discovery", {}).get("distance_threshold", 0.8)),
            random_state=self.stage.config.random_state,
        )
        ids, labels, sims, clusters = self._discovered(found)
        themes: list[Theme] = []
        for c in self.columns:
            d = self.tax.get(c)
            examples = [e for *_, e in sorted(self.best[c], key=lambda x: (-x[0], -x[1]))]
            themes.append(
                Theme(c, d.builtin, dict(d.labels), self.sizes[c], top_terms(self.groups[c], self.total), examples,
                      dict(d.descriptions))
            )
        for cid, (size, tally, examples) in zip(ids, clusters, strict=True):
            terms = top_terms(tally, self.total)
            themes.append(Theme(cid, False, labels_from_terms(terms, dict(tally.n)), size, terms, examples))
        info = {
            "embedder": self.emb.info(),
            "model": fitted.id,
            "model_id_trained": fitted.meta.get("model_id"),
            "model_id_matches": fitted.meta.get("model_id") == self.emb.model_id,
            "training_hash": fitted.meta.get("training_hash"),
            "taxonomy": {"source": self.tax.source, "digest": self.tax.digest, "themes": len(self.tax.themes)},
            "thresholds": {c: round(float(t), 4) for c, t in zip(self.columns, self.thresholds, strict=True)},
            "zero_shot_themes": [t.id for t in self.zs_defs],
            "relevance_threshold": 0.5,
            "discovery": {
                **fitted.meta.get("discovery", {}),
                "clusters": len(ids),
                "unassigned": int((labels < 0).sum()),
            },
            "passages_scored": self.scored,
        }
        return ThemeFinish(tuple(themes), info, ids, labels, sims, self.waiting)

    def _discovered(
        self, found: Discovered
    ) -> tuple[tuple[str, ...], np.ndarray, np.ndarray, list[tuple[int, TermTally, list[dict[str, Any]]]]]:
        """Discovered clusters with their terms and examples; clusters without a content word are dropped."""
        k = len(found.ids)
        tallies = [TermTally() for _ in range(k)]
        named = [False] * k
        best: list[list[tuple[float, int, dict[str, Any]]]] = [[] for _ in range(k)]
        for row, (meta, lab, sim) in enumerate(
            zip(self.waiting.metas(), found.labels.tolist(), found.sims.tolist(), strict=True)
        ):
            if lab < 0:
                continue
            doc_id, _, lang, words, index, example = meta
            tallies[lab].add(words, lang)
            named[lab] = named[lab] or bool(words)
            item = (_sim_score(sim), -row, {"doc_id": doc_id, "passage_index": index, "text": example})
            if len(best[lab]) < EXAMPLES:
                heapq.heappush(best[lab], item)
            elif item[:2] > best[lab][0][:2]:
                heapq.heapreplace(best[lab], item)
        keep = [c for c in range(k) if named[c]]  # no content word to name it by ("Thanks!!", emoji)
        index = np.full(k + 1, -1, dtype=np.int32)  # the last slot maps -1 to -1
        index[keep] = np.arange(len(keep), dtype=np.int32)
        labels = index[found.labels]
        sims = np.where(labels >= 0, found.sims, 0.0).astype(np.float32)
        clusters = [
            (found.sizes[c], tallies[c], [e for *_, e in sorted(best[c], key=lambda x: (-x[0], -x[1]))]) for c in keep
        ]
        return tuple(found.ids[c] for c in keep), labels, sims, clusters


def _example_text(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1] + "…"
