"""The terminal summary of a run: documents per language, themes, risk, skipped files with reasons."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from mlmtext.shares import is_mixed
from mlmtext.types import Report


def print_summary(report: Report, console: Console, out_path: str | None = None) -> None:
    docs = report.documents
    originals = [d for d in docs if d.document.duplicate_of is None]
    langs = Counter(d.document.lang for d in originals)
    mixed = sum(1 for d in originals if is_mixed(d.document))
    table = Table(title="Documents per language", show_edge=False)
    table.add_column("lang")
    table.add_column("documents", justify="right")
    for lang, n in sorted(langs.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(lang, str(n))
    console.print(table)
    dupes = len(docs) - len(originals)
    console.print(
        f"{len(docs)} documents ({dupes} duplicates, {mixed} mixed-language), "
        f"{len(report.passages)} passages, {len(report.skipped)} skipped"
    )
    off_topic = [d for d in originals if d.mlm_relevance is not None and d.mlm_relevance < 0.5]
    if off_topic:
        console.print(f"Not about network marketing (mlm_relevance < 0.5, no theme): {len(off_topic)}")
    theme_counts = Counter(t.id for d in originals for t in d.themes[:1])
    if theme_counts:
        top = ", ".join(f"{tid} {n}" for tid, n in sorted(theme_counts.items(), key=lambda kv: (-kv[1], kv[0])))
        console.print(f"Main theme per document: {top}")
    flagged = [d for d in originals if any(f.stance == "asserted" for f in d.flags)]
    if report.meta.get("config", {}).get("claims"):
        high = sum(d.risk.get("high", 0) for d in originals)
        console.print(f"Documents with asserted hype claims: {len(flagged)} ({high} high-severity flags)")
    if report.skipped:
        skipped = Table(title="Skipped files", show_edge=False)
        skipped.add_column("path", overflow="fold")
        skipped.add_column("reason", overflow="fold")
        for s in report.skipped:
            skipped.add_row(s.path, s.reason)
        console.print(skipped)
    if out_path:
        console.print(f"Report: {out_path}")
