"""``analyze``: the only place that knows the order of the stages.

load -> dedupe -> language -> segment -> passage language -> themes -> claims, batch by batch; then the run's
end (discovered themes, counts). :class:`Analysis` yields :class:`Batch` objects, so a caller can write them
out as they come (``analyze_to``: bounded memory) or collect them (``analyze``: a Report in memory).
Every stage object is built once per run (models load once) and can be injected for tests.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mlmtext import __version__
from mlmtext.config import AnalyzeConfig
from mlmtext.langid import get_identifier, language_shares
from mlmtext.load import iter_inputs
from mlmtext.load.walk import display_path
from mlmtext.report.json_report import SCHEMA_NAME, SCHEMA_VERSION
from mlmtext.report.summary import Summary
from mlmtext.seen import SeenHashes
from mlmtext.segment import segment
from mlmtext.themes.stage import DocTally, ThemeFinish, settle_document, settle_passage
from mlmtext.types import LANGS, Document, DocumentReport, Flag, Passage, Report, Skipped, Theme

DOC_LANGID_CHARS = 2000  # enough text to pick the sentencizer before passages have their own languages
# A batch closes at whichever comes first; only one batch of text is held at a time.
BATCH_DOCUMENTS = 256
BATCH_CHARS = 4_000_000

ProgressFn = Callable[[str, int, int | None], None]


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Batch:
    """Analysed documents in input order, and their passages.

    A duplicate comes as its own Document with ``duplicate_of`` set and no findings: its original (same
    batch or an earlier one) carries them, and whoever collects the batches copies them over.
    """

    documents: tuple[DocumentReport, ...]
    passages: tuple[Passage, ...]
    waiting: tuple[bool, ...]  # per passage: its theme comes from discovery at the run's end
    pending: dict[str, DocTally]  # documents whose themes wait for discovery


@dataclass(frozen=True, slots=True)
class Ending:
    """What is known only once every batch is through."""

    meta: dict[str, Any]
    themes: tuple[Theme, ...]
    skipped: tuple[Skipped, ...]
    discovery: ThemeFinish | None


class Analysis:
    """One run: ``for batch in run.batches(): ...`` then ``run.finish()``."""

    def __init__(
        self,
        paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
        config: AnalyzeConfig | None = None,
        *,
        progress: ProgressFn | None = None,
        theme_stage: Any = None,
        claim_flagger: Any = None,
        scratch: Path | None = None,
    ) -> None:
        self.config = config = config or AnalyzeConfig()
        self.progress = progress or _no_progress
        self.paths = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
        self.identifier = get_identifier(config.langid)
        # Stages are built before any file is read, so a bad --embedder or --themes file fails at once.
        if config.themes and theme_stage is None:
            from mlmtext.themes import ThemeStage

            theme_stage = ThemeStage(config)
        if config.claims and claim_flagger is None:
            from mlmtext.claims import ClaimFlagger

            claim_flagger = ClaimFlagger(config)
        self.claim_flagger = claim_flagger
        self.scratch = scratch
        self.theme_run = theme_stage.start(scratch) if theme_stage is not None else None
        self.skipped: list[Skipped] = []
        self.seen = SeenHashes(scratch)
        self.counts = {"documents": 0, "duplicates": 0, "passages": 0, "skipped": 0}

    def batches(self) -> Iterator[Batch]:
        config = self.config
        pending: list[Document] = []
        chars = 0
        for item in iter_inputs(
            self.paths, max_file_bytes=config.max_file_bytes, text_field=config.text_field, exclude=config.exclude,
            private=[self.scratch] if self.scratch else (),
        ):
            if isinstance(item, Skipped):
                self.skipped.append(item)
                self.counts["skipped"] += 1
                continue
            pending.append(item)
            chars += len(item.text)
            if len(pending) >= BATCH_DOCUMENTS or chars >= BATCH_CHARS:
                yield self._analyse(pending)
                pending, chars = [], 0
        if pending:
            yield self._analyse(pending)

    def _analyse(self, documents: list[Document]) -> Batch:
        documents = [
            d if first == d.id else replace(d, duplicate_of=first)
            for d, first in zip(documents, self.seen.first_ids(documents), strict=True)
        ]
        originals = [d for d in documents if d.duplicate_of is None]
        identifier = self.identifier

        # Language of the opening text picks the sentencizer; passage languages then give the document's shares.
        heads = identifier.identify_many([d.text[:DOC_LANGID_CHARS] for d in originals])
        passages = [p for doc, head in zip(originals, heads, strict=True) for p in segment(doc, lang=head.lang)]
        results = identifier.identify_many([p.text for p in passages])
        passages = [
            replace(p, lang=r.lang, lang_confidence=round(r.confidence, 4))
            for p, r in zip(passages, results, strict=True)
        ]
        by_doc = _group(originals, passages)
        originals = [_with_language(d, by_doc[d.id], head) for d, head in zip(originals, heads, strict=True)]

        waiting: tuple[bool, ...] = (False,) * len(passages)
        pending: dict[str, DocTally] = {}
        doc_themes: dict[str, Any] = {}
        relevance: dict[str, float] = {}
        if self.theme_run is not None:
            scored = self.theme_run.score(originals, passages)
            passages, waiting, pending = list(scored.passages), scored.waiting, scored.pending
            doc_themes, relevance = scored.document_themes, scored.relevance
            by_doc = _group(originals, passages)

        flags: dict[str, tuple[Flag, ...]] = {}
        risk_summary: Callable[[Sequence[Flag]], dict[str, int]] | None = None
        if self.claim_flagger is not None:
            from mlmtext.claims import risk_summary

            flags = {doc.id: tuple(self.claim_flagger.flag(doc, by_doc[doc.id])) for doc in originals}

        analysed = {d.id: d for d in originals}
        reports = []
        for doc in documents:
            if doc.duplicate_of is not None:
                reports.append(DocumentReport(document=doc, passage_count=0))
                continue
            doc = analysed[doc.id]
            doc_flags = flags.get(doc.id, ())
            reports.append(
                DocumentReport(
                    document=doc,
                    passage_count=len(by_doc[doc.id]),
                    themes=doc_themes.get(doc.id, ()),
                    mlm_relevance=relevance.get(doc.id),
                    flags=doc_flags,
                    risk=risk_summary(doc_flags) if risk_summary else {},
                )
            )
        self.counts["documents"] += len(documents)
        self.counts["duplicates"] += len(documents) - len(originals)
        self.counts["passages"] += len(passages)
        self.progress("documents", self.counts["documents"], None)
        return Batch(tuple(reports), tuple(passages), tuple(waiting), pending)

    def close(self) -> None:
        """Release the run's work files (also after a failure); ``finish`` has done it when it ran."""
        self.seen.close()
        if self.theme_run is not None:
            self.theme_run.waiting.close()

    def finish(self) -> Ending:
        config, identifier = self.config, self.identifier
        self.seen.close()
        discovery = self.theme_run.finish() if self.theme_run is not None else None
        meta = {
            "schema": {"name": SCHEMA_NAME, "version": SCHEMA_VERSION},
            "tool": {"name": "mlmtext", "version": __version__, "python": platform.python_version()},
            "inputs": [_display_path(p) for p in self.paths],
            "config": {
                "langid": config.langid, "embedder": config.embedder if config.themes else None,
                "themes": config.themes, "claims": config.claims, "taxonomy_file": config.taxonomy_file,
                "taxonomy_mode": config.taxonomy_mode, "max_file_bytes": config.max_file_bytes,
                "text_field": config.text_field,
            },
            "backends": {
                "langid": identifier.info(),
                "themes": discovery.info if discovery else {},
                "claims": self.claim_flagger.info() if self.claim_flagger is not None else {},
            },
            "counts": dict(self.counts),
        }
        return Ending(meta, discovery.themes if discovery else (), tuple(self.skipped), discovery)


def analyze(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    config: AnalyzeConfig | None = None,
    *,
    progress: ProgressFn | None = None,
    theme_stage: Any = None,
    claim_flagger: Any = None,
) -> Report:
    """Analyse files and folders and return the report as objects (what ``report.json`` serialises).

    Everything is held in memory; for large inputs write the report as it is made with ``analyze_to``.
    """
    run = Analysis(paths, config, progress=progress, theme_stage=theme_stage, claim_flagger=claim_flagger)
    reports: list[DocumentReport] = []
    passages: list[Passage] = []
    waiting: list[bool] = []
    pending: dict[str, DocTally] = {}
    for batch in run.batches():
        reports.extend(batch.documents)
        passages.extend(batch.passages)
        waiting.extend(batch.waiting)
        pending.update(batch.pending)
    end = run.finish()
    if end.discovery is not None:
        assigned = end.discovery.assignments()
        passages = [settle_passage(p, next(assigned)) if w else p for p, w in zip(passages, waiting, strict=True)]
        assigned = end.discovery.assignments()
        reports = [
            replace(r, themes=settle_document(pending[r.document.id], assigned, r.document.id))
            if r.document.id in pending
            else r
            for r in reports
        ]
    originals = {r.document.id: r for r in reports if r.document.duplicate_of is None}
    reports = [copy_findings(r, originals[r.document.duplicate_of]) if r.document.duplicate_of else r for r in reports]
    return Report(meta=end.meta, documents=tuple(reports), passages=tuple(passages), themes=end.themes,
                  skipped=end.skipped)


def analyze_to(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    config: AnalyzeConfig | None = None,
    *,
    progress: ProgressFn | None = None,
    theme_stage: Any = None,
    claim_flagger: Any = None,
) -> Summary:
    """Analyse and write ``out_dir/report.json`` batch by batch; returns the run's :class:`Summary`.

    Memory holds one batch of text and the run's tallies; what must be seen again waits in work files.
    Work files live in a hidden folder inside ``out_dir`` and are removed at the end, whatever happens.
    """
    from mlmtext.report.json_report import REPORT_NAME
    from mlmtext.report.stream import ReportWriter

    config = config or AnalyzeConfig()
    # a report left inside an input folder (or out_dir = the input folder) is never read back as input
    own = tuple(os.fspath(p) for p in (Path(out_dir), Path(out_dir) / REPORT_NAME))
    config = replace(config, exclude=tuple(dict.fromkeys(config.exclude + own)))
    with ReportWriter(out_dir) as writer:
        run = Analysis(paths, config, progress=progress, theme_stage=theme_stage, claim_flagger=claim_flagger,
                       scratch=writer.scratch)
        try:
            for batch in run.batches():
                writer.add(batch)
            return writer.close(run.finish())
        finally:
            run.close()


def copy_findings(duplicate: DocumentReport, original: DocumentReport) -> DocumentReport:
    """A duplicate carries its original's findings under its own path (it was analysed once)."""
    src = original.document
    doc = replace(
        duplicate.document, lang=src.lang, lang_confidence=src.lang_confidence, lang_code=src.lang_code,
        lang_shares=src.lang_shares,
    )
    return replace(original, document=doc)


def _display_path(path: str | os.PathLike[str]) -> str:
    # a folder name that is not UTF-8 must still serialise: same escaping as the loader's paths
    return display_path(Path(os.fsdecode(path)).as_posix())


def _group(documents: Sequence[Document], passages: Iterable[Passage]) -> dict[str, list[Passage]]:
    """Passages per document id, in order (every document present, even one without passages)."""
    grouped: dict[str, list[Passage]] = {d.id: [] for d in documents}
    for p in passages:
        grouped[p.doc_id].append(p)
    return grouped


def _with_language(doc: Document, passages: Sequence[Passage], head: Any) -> Document:
    """Document language from its passages' languages weighted by length; the opening text as fallback."""
    weighted = [(p.lang, p.end - p.start) for p in passages if not p.is_boilerplate] or [
        (p.lang, p.end - p.start) for p in passages
    ]
    shares = language_shares(weighted)
    if not shares:
        return replace(doc, lang=head.lang, lang_confidence=round(head.confidence, 4), lang_code=head.code)
    lang = max(shares, key=lambda k: (shares[k], k))
    confs = [p.lang_confidence * (p.end - p.start) for p in passages if p.lang == lang and not p.is_boilerplate]
    total = sum(p.end - p.start for p in passages if p.lang == lang and not p.is_boilerplate)
    confidence = round(sum(confs) / total, 4) if total else round(head.confidence, 4)
    code = head.code if head.lang == lang else (lang if lang in LANGS else None)
    return replace(doc, lang=lang, lang_confidence=confidence, lang_code=code, lang_shares=shares)
