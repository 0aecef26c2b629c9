"""``screen``: flag files for hype claims and decide whether a compliance gate fails.

A plain function returning a dict; the CLI (``mlmtext screen``) only formats it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from mlmtext.claims.categories import SEVERITY_ORDER
from mlmtext.claims.flagger import risk_summary
from mlmtext.config import AnalyzeConfig
from mlmtext.types import Flag, Report

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


def screen_report(report: Report, *, fail_on: str = "low", include_all: bool = False) -> dict[str, Any]:
    """Rows to print and the verdict: ``failed`` when an asserted flag is at or above ``fail_on``."""
    if fail_on not in SEVERITIES:
        raise ValueError(f"fail_on must be one of {SEVERITIES}")
    rows: list[dict[str, Any]] = []
    failing = 0
    all_flags: list[Flag] = []
    for dr in report.documents:
        if dr.document.duplicate_of:
            continue  # its original is screened (same text, same flags)
        for f in dr.flags:
            all_flags.append(f)
            if f.stance == "asserted" and SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[fail_on]:
                failing += 1
            if f.stance == "asserted" or include_all:
                rows.append(flag_row(dr.document.id, dr.document.text, f))
    return {
        "documents": len(report.documents),
        "skipped": [{"path": s.path, "code": s.code, "reason": s.reason} for s in report.skipped],
        "risk": risk_summary(all_flags),
        "fail_on": fail_on,
        "failing": failing,
        "failed": failing > 0,
        "flags": rows,
    }


def screen(
    paths: Sequence[str | os.PathLike[str]],
    *,
    config: AnalyzeConfig | None = None,
    fail_on: str = "low",
    include_all: bool = False,
) -> dict[str, Any]:
    """load -> langid -> segment -> flag (no themes), then :func:`screen_report`."""
    from mlmtext.pipeline import analyze

    config = config or AnalyzeConfig(themes=False)
    return screen_report(analyze(list(paths), config), fail_on=fail_on, include_all=include_all)
