"""``screen``: flag files for hype claims and decide whether a compliance gate fails.

A plain function returning a dict; the CLI (``mlmtext screen``) only formats it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

from mlmtext.claims.categories import SEVERITY_ORDER
from mlmtext.claims.flagger import risk_summary
from mlmtext.config import AnalyzeConfig
from mlmtext.types import DocumentReport, Flag, Report, Skipped

SEVERITIES = ("high", "medium", "low")


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def flag_row(doc_id: str, text: str, flag: Flag) -> dict[str, Any]:
    line, col = line_col(text, flag.start)
    return {
        "path": doc_id,
        "line": line,
        "col": col,
        "category": flag.category,
        "stance": flag.stance,
        "severity": flag.severity,
        "score": flag.score,
        "start": flag.start,
        "end": flag.end,
        "text": flag.text,
        "explanation": flag.explanation,
        "rewrite": flag.rewrite,
        "authorities": list(flag.authorities),
        "source": flag.source,
        "sources": list(flag.sources),
        "in_boilerplate": flag.in_boilerplate,
    }


class ScreenTally:
    """Rows and verdict, added to document by document (a screening run holds one batch at a time)."""

    def __init__(self, fail_on: str = "low", include_all: bool = False) -> None:
        if fail_on not in SEVERITIES:
            raise ValueError(f"fail_on must be one of {SEVERITIES}")
        self.fail_on, self.include_all = fail_on, include_all
        self.documents = 0
        self.failing = 0
        self.rows: list[dict[str, Any]] = []
        self.flags: list[Flag] = []

    def add(self, documents: Iterable[DocumentReport]) -> None:
        for dr in documents:
            self.documents += 1
            if dr.document.duplicate_of:
                continue  # its original is screened (same text, same flags)
            for f in dr.flags:
                self.flags.append(f)
                if f.stance == "asserted" and SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[self.fail_on]:
                    self.failing += 1
                if f.stance == "asserted" or self.include_all:
                    self.rows.append(flag_row(dr.document.id, dr.document.text, f))

    def result(self, skipped: Iterable[Skipped]) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "skipped": [{"path": s.path, "code": s.code, "reason": s.reason} for s in skipped],
            "risk": risk_summary(self.flags),
            "fail_on": self.fail_on,
            "failing": self.failing,
            "failed": self.failing > 0,
            "flags": self.rows,
        }


def screen_report(report: Report, *, fail_on: str = "low", include_all: bool = False) -> dict[str, Any]:
    """Rows to print and the verdict: ``failed`` when an asserted flag is at or above ``fail_on``."""
    tally = ScreenTally(fail_on, include_all)
    tally.add(report.documents)
    return tally.result(report.skipped)


def screen(
    paths: Sequence[str | os.PathLike[str]],
    *,
    config: AnalyzeConfig | None = None,
    fail_on: str = "low",
    include_all: bool = False,
) -> dict[str, Any]:
    """load -> langid -> segment -> flag (no themes), batch by batch, then the verdict of :class:`ScreenTally`."""
    from mlmtext.pipeline import Analysis

    tally = ScreenTally(fail_on, include_all)  # a bad fail_on fails before any work
    run = Analysis(list(paths), config or AnalyzeConfig(themes=False))
    for batch in run.batches():
        tally.add(batch.documents)
    return tally.result(run.skipped)
