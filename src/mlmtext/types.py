"""The data objects that flow between stages.

Frozen dataclasses, changed only with ``dataclasses.replace``. Character offsets always index the
document's decoded, NFC-normalised ``text`` so a span can be quoted back exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

LANGS = ("fr", "ru", "en")
"""The languages the toolkit analyses; anything else is ``other`` (with a detector code) or ``und``."""

Stance = Literal["asserted", "negated", "reported"]
Severity = Literal["high", "medium", "low"]


@dataclass(frozen=True, slots=True)
class LangResult:
    """What a language identifier says of one text."""

    lang: str  # "fr" | "ru" | "en" | "other" | "und"
    confidence: float
    code: str | None = None  # the detector's own code, e.g. "uk" when lang == "other"


@dataclass(frozen=True, slots=True)
class Document:
    """One analysable text: a file, or one row/record of a tabular export."""

    id: str  # stable: relative path, plus "#row=N" for rows of an export
    path: str  # relative to the input root it was found under
    format: str  # txt, md, html, pdf, docx, csv, tsv, jsonl, json
    encoding: str | None
    text: str
    content_hash: str  # sha256 of text (after decoding and NFC)
    row: int | None = None
    lang: str = "und"
    lang_confidence: float = 0.0
    lang_code: str | None = None
    lang_shares: dict[str, float] = field(default_factory=dict)
    duplicate_of: str | None = None


@dataclass(frozen=True, slots=True)
class ThemeScore:
    id: str
    score: float


@dataclass(frozen=True, slots=True)
class Passage:
    """A paragraph, or a group of sentences from a long paragraph, with offsets into its document."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str
    lang: str = "und"
    lang_confidence: float = 0.0
    is_boilerplate: bool = False
    boilerplate_reason: str | None = None
    themes: tuple[ThemeScore, ...] = ()


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input file that produced no document, and why."""

    path: str
    reason: str
    # stable machine code: empty, binary, unsupported, undecodable, too-large, unreadable, corrupt, link-outside, ...
    code: str


@dataclass(frozen=True, slots=True)
class Theme:
    """A built-in or discovered theme as reported in ``report.json``."""

    id: str
    builtin: bool
    labels: dict[str, str]
    size: int = 0
    top_terms: dict[str, list[str]] = field(default_factory=dict)
    examples: list[dict[str, Any]] = field(default_factory=list)
    description: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Flag:
    """One hype claim found in a document (see shared CLAIMS.md)."""

    category: str
    stance: Stance
    severity: Severity
    score: float
    start: int
    end: int
    text: str
    source: str  # rule id ("rule:en/earnings/money-period") or model id ("model:claims-lr@<hash>")
    explanation: str
    authorities: tuple[str, ...]
    rewrite: str
    passage_index: int | None = None
    in_boilerplate: bool = False
    stance_cues: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # every finder that agreed, when rules and model merged
    explanations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentReport:
    """Everything the pipeline learned about one document."""

    document: Document
    passage_count: int
    themes: tuple[ThemeScore, ...] = ()
    mlm_relevance: float | None = None
    flags: tuple[Flag, ...] = ()
    risk: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Report:
    """The result of ``mlmtext.analyze``: what ``report.json`` serialises."""

    meta: dict[str, Any]
    documents: tuple[DocumentReport, ...]
    passages: tuple[Passage, ...]
    themes: tuple[Theme, ...]
    skipped: tuple[Skipped, ...]
