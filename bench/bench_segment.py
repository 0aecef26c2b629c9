"""Boilerplate marking against the sample corpus labels: precision and recall of `is_boilerplate`.

Run: python -m bench.bench_segment  (writes bench/results/segment.md)
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import mlmtext
from mlmtext.config import AnalyzeConfig

ROOT = Path(__file__).resolve().parent.parent


def main() -> str:
    labels = [
        json.loads(x) for x in (ROOT / "corpora/labels/sample.jsonl").read_text("utf-8").splitlines() if x
    ]
    report = mlmtext.analyze([ROOT / "corpora/sample"], AnalyzeConfig(themes=False, claims=False))
    by_doc: dict[str, list] = {}
    for p in report.passages:
        by_doc.setdefault(p.doc_id, []).append(p)
    counts: Counter[tuple[bool, bool]] = Counter()
    misses = []
    for lab in labels:
        passages = by_doc.get(lab["path"], [])
        for lp in lab["passages"]:
            found = [p for p in passages if lp["anchor"] in p.text]
            if not found:
                continue
            got = found[0].is_boilerplate
            counts[(lp["boilerplate"], got)] += 1
            if got != lp["boilerplate"]:
                misses.append(
                    f"| {lab['path']} | {lp['boilerplate']} | {found[0].boilerplate_reason} | "
                    f"{found[0].text[:70].replace('|', '/').replace(chr(10), ' ')} |"
                )
    tp, fp, fn = counts[(True, True)], counts[(False, True)], counts[(True, False)]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    lines = [
        "## Boilerplate marking (sample corpus, labelled paragraphs)",
        "",
        "| paragraphs | labelled boilerplate | precision | recall |",
        "|---|---|---|---|",
        f"| {sum(counts.values())} | {tp + fn} | {precision:.3f} | {recall:.3f} |",
        "",
        "Disagreements (label, our reason, text):",
        "",
        "| doc | labelled boilerplate | our reason | text |",
        "|---|---|---|---|",
        *misses,
    ]
    out = "\n".join(lines) + "\n"
    (ROOT / "bench/results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench/results/segment.md").write_text(out, encoding="utf-8")
    return out


if __name__ == "__main__":
    print(main())
