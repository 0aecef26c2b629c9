"""``analyze``: the only place that knows the order of the stages.

load -> dedupe -> language -> segment -> passage language -> themes -> claims -> Report.
Every stage object is built once per run (models load once) and can be injected for tests.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from mlmtext import __version__
from mlmtext.config import AnalyzeConfig
from mlmtext.langid import get_identifier, language_shares
from mlmtext.load import iter_inputs
from mlmtext.load.walk import display_path
from mlmtext.report.json_report import SCHEMA_NAME, SCHEMA_VERSION
from mlmtext.segment import segment
from mlmtext.types import LANGS, Document, DocumentReport, Flag, Passage, Report, Skipped, ThemeScore

DOC_LANGID_CHARS = 2000  # enough text to pick the sentencizer before passages have their own languages

ProgressFn = Callable[[str, int, int | None], None]


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


def analyze(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    config: AnalyzeConfig | None = None,
    *,
    progress: ProgressFn | None = None,
    theme_stage: Any = None,
    claim_flagger: Any = None,
) -> Report:
    """Analyse files and folders and return the report as objects (what ``report.json`` serialises)."""
    config = config or AnalyzeConfig()
    progress = progress or _no_progress
    path_list = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    identifier = get_identifier(config.langid)
    # Stages are built before any file is read, so a bad --embedder or --themes file fails at once.
    if config.themes and theme_stage is None:
        from mlmtext.themes import ThemeStage

        theme_stage = ThemeStage(config)
    if config.claims and claim_flagger is None:
        from mlmtext.claims import ClaimFlagger

        claim_flagger = ClaimFlagger(config)

    documents: list[Document] = []
    skipped: list[Skipped] = []
    for item in iter_inputs(
        path_list, max_file_bytes=config.max_file_bytes, text_field=config.text_field,
        exclude=config.exclude,
    ):
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            documents.append(item)
        progress("read", len(documents) + len(skipped), None)

    documents = _mark_duplicates(documents)
    originals = [d for d in documents if d.duplicate_of is None]

    # Language of the opening text picks the sentencizer; passage languages then give the document's shares.
    heads = identifier.identify_many([d.text[:DOC_LANGID_CHARS] for d in originals])
    passages_by_doc: dict[str, list[Passage]] = {}
    for i, (doc, head) in enumerate(zip(originals, heads, strict=True)):
        passages_by_doc[doc.id] = segment(doc, lang=head.lang)
        progress("segment", i + 1, len(originals))
    all_passages = [p for d in originals for p in passages_by_doc[d.id]]
    results = identifier.identify_many([p.text for p in all_passages])
    all_passages = [
        replace(p, lang=r.lang, lang_confidence=round(r.confidence, 4))
        for p, r in zip(all_passages, results, strict=True)
    ]
    passages_by_doc = _group(originals, all_passages)
    originals = [_with_language(d, passages_by_doc[d.id], head) for d, head in zip(originals, heads, strict=True)]

    theme_info: dict[str, Any] = {}
    doc_themes: dict[str, tuple[ThemeScore, ...]] = {}
    relevance: dict[str, float] = {}
    themes: tuple[Any, ...] = ()
    if theme_stage is not None:
        progress("themes", 0, 1)
        result = theme_stage.run(originals, all_passages)
        all_passages = list(result.passages)
        doc_themes, relevance, themes, theme_info = (
            result.document_themes, result.relevance, result.themes, result.info
        )
        progress("themes", 1, 1)
        passages_by_doc = _group(originals, all_passages)

    flags: dict[str, tuple[Flag, ...]] = {}
    claims_info: dict[str, Any] = {}
    risk_summary: Callable[[Sequence[Flag]], dict[str, int]] | None = None
    if claim_flagger is not None:
        from mlmtext.claims import risk_summary

        for i, doc in enumerate(originals):
            flags[doc.id] = tuple(claim_flagger.flag(doc, passages_by_doc[doc.id]))
            progress("claims", i + 1, len(originals))
        claims_info = claim_flagger.info()

    by_id = {d.id: d for d in originals}
    reports: list[DocumentReport] = []
    for doc in documents:
        source = by_id[doc.duplicate_of] if doc.duplicate_of else by_id[doc.id]
        if not doc.duplicate_of:
            doc = source
        else:  # analysed once: a duplicate carries its original's findings under its own path
            doc = replace(
                doc, lang=source.lang, lang_confidence=source.lang_confidence,
                lang_code=source.lang_code, lang_shares=source.lang_shares,
            )
        doc_flags = flags.get(source.id, ())
        reports.append(
            DocumentReport(
                document=doc,
                passage_count=len(passages_by_doc[source.id]),
                themes=doc_themes.get(source.id, ()),
                mlm_relevance=relevance.get(source.id),
                flags=doc_flags,
                risk=risk_summary(doc_flags) if risk_summary else {},
            )
        )

    meta = {
        "schema": {"name": SCHEMA_NAME, "version": SCHEMA_VERSION},
        "tool": {"name": "mlmtext", "version": __version__, "python": platform.python_version()},
        "inputs": [_display_path(p) for p in path_list],
        "config": {
            "langid": config.langid, "embedder": config.embedder if config.themes else None,
            "themes": config.themes, "claims": config.claims, "taxonomy_file": config.taxonomy_file,
            "taxonomy_mode": config.taxonomy_mode, "max_file_bytes": config.max_file_bytes,
            "text_field": config.text_field,
        },
        "backends": {"langid": identifier.info(), "themes": theme_info, "claims": claims_info},
        "counts": {
            "documents": len(documents), "duplicates": len(documents) - len(originals),
            "passages": len(all_passages), "skipped": len(skipped),
        },
    }
    return Report(
        meta=meta,
        documents=tuple(reports),
        passages=tuple(all_passages),
        themes=tuple(themes),
        skipped=tuple(skipped),
    )


def _display_path(path: str | os.PathLike[str]) -> str:
    # a folder name that is not UTF-8 must still serialise: same escaping as the loader's paths
    return display_path(Path(os.fsdecode(path)).as_posix())


def _group(documents: Sequence[Document], passages: Iterable[Passage]) -> dict[str, list[Passage]]:
    """Passages per document id, in order (every document present, even one without passages)."""
    grouped: dict[str, list[Passage]] = {d.id: [] for d in documents}
    for p in passages:
        grouped[p.doc_id].append(p)
    return grouped


def _mark_duplicates(documents: Iterable[Document]) -> list[Document]:
    first_by_hash: dict[str, str] = {}
    out: list[Document] = []
    for doc in documents:
        first = first_by_hash.setdefault(doc.content_hash, doc.id)
        out.append(doc if first == doc.id else replace(doc, duplicate_of=first))
    return out


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
