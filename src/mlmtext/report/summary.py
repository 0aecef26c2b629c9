"""The terminal summary of a run: documents per language, themes, risk, skipped files with reasons.

A :class:`Summary` is tallied from document records as they are written (a streaming run never holds
them all) or from a whole Report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table

from mlmtext.types import Report, Skipped


@dataclass
class Summary:
    claims: bool = False
    originals: int = 0
    duplicates: int = 0
    passages: int = 0
    chars: int = 0  # characters of analysed (not duplicate) documents
    languages: Counter[str] = field(default_factory=Counter)
    mixed: int = 0
    off_topic: int = 0  # mlm_relevance < 0.5
    main_themes: Counter[str] = field(default_factory=Counter)
    flagged: int = 0  # documents with an asserted claim
    high: int = 0  # high-severity asserted flags
    skipped: list[Skipped] = field(default_factory=list)
    path: str | None = None

    @property
    def documents(self) -> int:
        return self.originals + self.duplicates

    def add_document(self, record: dict[str, Any]) -> None:
        """Count an analysed (not duplicate) document from its report.json record."""
        self.originals += 1
        self.chars += int(record["chars"])
        self.languages[record["lang"]] += 1
        self.mixed += bool(record["mixed"])
        relevance = record["mlm_relevance"]
        self.off_topic += relevance is not None and relevance < 0.5
        if record["themes"]:
            self.main_themes[record["themes"][0]["id"]] += 1
        self.flagged += any(f["stance"] == "asserted" for f in record["flags"])
        self.high += int(record["risk"].get("high", 0))

    @classmethod
    def from_report(cls, report: Report) -> Summary:
        from mlmtext.report.json_report import document_record

        summary = cls(claims=bool(report.meta.get("config", {}).get("claims")), passages=len(report.passages),
                      skipped=list(report.skipped))
        for d in report.documents:
            if d.document.duplicate_of is None:
                summary.add_document(document_record(d))
            else:
                summary.duplicates += 1
        return summary


def print_summary(summary: Summary | Report, console: Console, out_path: str | None = None) -> None:
    if isinstance(summary, Report):
        summary = Summary.from_report(summary)
    table = Table(title="Documents per language", show_edge=False)
    table.add_column("lang")
    table.add_column("documents", justify="right")
    for lang, n in sorted(summary.languages.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(lang, str(n))
    console.print(table)
    console.print(
        f"{summary.documents} documents ({summary.duplicates} duplicates, {summary.mixed} mixed-language), "
        f"{summary.passages} passages, {len(summary.skipped)} skipped"
    )
    if summary.off_topic:
        console.print(f"Not about network marketing (mlm_relevance < 0.5, no theme): {summary.off_topic}")
    if summary.main_themes:
        ranked = sorted(summary.main_themes.items(), key=lambda kv: (-kv[1], kv[0]))
        console.print("Main theme per document: " + ", ".join(f"{tid} {n}" for tid, n in ranked))
    if summary.claims:
        console.print(f"Documents with asserted hype claims: {summary.flagged} ({summary.high} high-severity flags)")
    if summary.skipped:
        skipped = Table(title="Skipped files", show_edge=False)
        skipped.add_column("path", overflow="fold")
        skipped.add_column("reason", overflow="fold")
        for s in summary.skipped:
            skipped.add_row(s.path, s.reason)
        console.print(skipped)
    if out_path or summary.path:
        console.print(f"Report: {out_path or summary.path}")
