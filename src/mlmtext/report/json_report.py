"""``report.json``: the stable, versioned serialisation of a Report, written atomically."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from mlmtext.errors import ReportError
from mlmtext.shares import is_mixed
from mlmtext.types import DocumentReport, Passage, Report

REPORT_NAME = "report.json"
SCHEMA_NAME = "mlmtext.report"
SCHEMA_VERSION = "1.0"


def document_record(d: DocumentReport) -> dict[str, Any]:
    doc = d.document
    return {
        "id": doc.id,
        "path": doc.path,
        "row": doc.row,
        "format": doc.format,
        "encoding": doc.encoding,
        "content_hash": doc.content_hash,
        "chars": len(doc.text),
        "lang": doc.lang,
        "lang_code": doc.lang_code,
        "lang_confidence": doc.lang_confidence,
        "lang_shares": doc.lang_shares,
        "mixed": is_mixed(doc),
        "passage_count": d.passage_count,
        "duplicate_of": doc.duplicate_of,
        "mlm_relevance": d.mlm_relevance,
        "themes": [{"id": t.id, "score": t.score} for t in d.themes],
        "risk": d.risk,
        "flags": [asdict(f) for f in d.flags],
    }


def passage_record(p: Passage) -> dict[str, Any]:
    return {
        "doc_id": p.doc_id,
        "index": p.index,
        "start": p.start,
        "end": p.end,
        "lang": p.lang,
        "lang_confidence": p.lang_confidence,
        "is_boilerplate": p.is_boilerplate,
        "boilerplate_reason": p.boilerplate_reason,
        "themes": [{"id": t.id, "score": t.score} for t in p.themes],
        "text": p.text,
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """A plain dict with a stable key order (the same report always serialises to the same bytes).

    The reference for :mod:`mlmtext.report.stream`, which writes the same bytes without holding the dict.
    """
    return {
        **report.meta,
        "documents": [document_record(d) for d in report.documents],
        "passages": [passage_record(p) for p in report.passages],
        "themes": [asdict(t) for t in report.themes],
        "skipped": [{"path": s.path, "reason": s.reason, "code": s.code} for s in report.skipped],
    }


def write_report(report: Report, out_dir: str | os.PathLike[str]) -> Path:
    """Write ``out_dir/report.json`` atomically (a temp file in the same folder, then rename).

    The file name is fixed: nothing derived from an input ever names a file, so output stays inside ``out_dir``.
    """
    from mlmtext.pipeline import Batch, Ending
    from mlmtext.report.stream import ReportWriter

    with ReportWriter(out_dir) as writer:
        writer.add(Batch(report.documents, report.passages, (False,) * len(report.passages), {}), resolved=True)
        writer.close(Ending(report.meta, report.themes, report.skipped, None))
    return Path(out_dir) / REPORT_NAME


def read_report(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load a report.json (or the report.json inside a folder) and check its schema name."""
    p = Path(path)
    if p.is_dir():
        p = p / REPORT_NAME
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ReportError(f"{p}: no such report; run `mlmtext analyze PATH --out DIR` first") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportError(f"{p}: not a readable report.json ({exc})") from exc
    if not isinstance(data, dict) or data.get("schema", {}).get("name") != SCHEMA_NAME:
        raise ReportError(f"{p}: not an mlmtext report (schema name is not {SCHEMA_NAME!r})")
    return data
