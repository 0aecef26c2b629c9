"""``report.json`` written as a run goes: records spooled batch by batch, the file assembled at the end.

The meta block comes first in the file but its counts are known only at the end, and discovered themes
reach back into earlier passages and documents. So records go to two work files as batches arrive (final
ones already rendered, the few that wait for discovery as compact JSON) and ``close`` streams them into
the report in one pass each. The bytes are those of ``json.dump(report_to_dict(report), indent=1)``.
Work files live in a hidden folder inside the output folder (nothing is written elsewhere) and are
removed whatever happens; the report itself is replaced atomically.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from mlmtext.errors import ReportError
from mlmtext.report.json_report import REPORT_NAME, document_record, passage_record
from mlmtext.report.summary import Summary
from mlmtext.themes.stage import DocTally, settle_document

if TYPE_CHECKING:
    from types import TracebackType

    from mlmtext.pipeline import Batch, Ending
    from mlmtext.types import ThemeScore


def _new_temp(folder: Path) -> tuple[str, int]:
    """A new file beside the report, created with the mode an ordinary file gets (0o666 less the umask; mkstemp
    would make it owner-only, and a report is meant to be passed on)."""
    for _ in range(100):
        path = folder / f".report-{secrets.token_hex(8)}.json.tmp"
        try:
            return str(path), os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def render(value: Any, level: int) -> str:
    """``value`` as ``json.dump(..., indent=1)`` prints it ``level`` levels deep (strings hold no raw newline)."""
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * level)


def _themes(scores: tuple[ThemeScore, ...]) -> list[dict[str, Any]]:
    return [{"id": t.id, "score": t.score} for t in scores]


class ReportWriter:
    """``with ReportWriter(out) as w: w.add(batch) ...; summary = w.close(ending)``."""

    def __init__(self, out_dir: str | os.PathLike[str]) -> None:
        self.out = Path(out_dir)
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            self.scratch = Path(tempfile.mkdtemp(prefix=".mlmtext-run-", dir=self.out))
        except OSError as exc:
            raise ReportError(f"cannot write the report in {str(self.out)!r}: {exc.strerror or exc}") from exc
        try:
            self._docs: IO[bytes] = open(self.scratch / "documents.part", "w+b")  # noqa: SIM115 (closed in _cleanup)
            self._passages: IO[bytes] = open(self.scratch / "passages.part", "w+b")  # noqa: SIM115
        except OSError as exc:
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise ReportError(f"cannot write the report in {str(self.out)!r}: {exc.strerror or exc}") from exc
        self._copies: Counter[str] = Counter()  # original id -> duplicates still to write: its record is kept till then
        self.summary = Summary()

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._cleanup()

    def _cleanup(self) -> None:
        for fh in (self._docs, self._passages):
            fh.close()
        shutil.rmtree(self.scratch, ignore_errors=True)

    # ------------------------------------------------------------------------------------------
    def add(self, batch: Batch, *, resolved: bool = False) -> None:
        """Spool a batch; ``resolved``: duplicates already carry their findings (a whole Report being written)."""
        try:
            for dr in batch.documents:
                doc = dr.document
                if doc.duplicate_of is not None and not resolved:
                    self._copies[doc.duplicate_of] += 1
                    identity = {k: getattr(doc, k) for k in ("id", "path", "row", "format", "encoding")}
                    _put(self._docs, b"D", {**identity, "duplicate_of": doc.duplicate_of})
                elif doc.id in batch.pending:
                    t = batch.pending[doc.id]
                    _put(self._docs, b"T", [document_record(dr), [t.rows, t.counts, t.mass, t.waiting]])
                else:
                    record = document_record(dr)
                    if doc.duplicate_of is None:
                        self.summary.add_document(record)
                    else:
                        self.summary.duplicates += 1
                    _put(self._docs, b"F", render(record, 2), doc.id)
            for p, waits in zip(batch.passages, batch.waiting, strict=True):
                if waits:
                    _put(self._passages, b"W", passage_record(p))
                else:
                    _put(self._passages, b"F", render(passage_record(p), 2))
            self.summary.passages += len(batch.passages)
        except OSError as exc:
            raise ReportError(f"cannot write the report in {str(self.out)!r}: {exc.strerror or exc}") from exc

    def close(self, end: Ending) -> Summary:
        """Assemble ``report.json`` (atomically) and return the run's summary."""
        self.summary.claims = bool(end.meta.get("config", {}).get("claims"))
        self.summary.skipped = list(end.skipped)
        self.summary.duplicates = int(end.meta.get("counts", {}).get("duplicates", self.summary.duplicates))
        target = self.out / REPORT_NAME
        tmp, fd = _new_temp(self.out)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write("{\n")
                for key, value in end.meta.items():
                    fh.write(f" {json.dumps(key)}: {render(value, 1)},\n")
                self._list(fh, "documents", self._documents(end), last=False)
                self._list(fh, "passages", self._final_passages(end), last=False)
                self._list(fh, "themes", (render(asdict(t), 2) for t in end.themes), last=False)
                skipped = ({"path": s.path, "reason": s.reason, "code": s.code} for s in end.skipped)
                self._list(fh, "skipped", (render(s, 2) for s in skipped), last=True)
                fh.write("}\n")
            os.replace(tmp, target)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise ReportError(f"cannot write the report in {str(self.out)!r}: {exc.strerror or exc}") from exc
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.summary.path = str(target)
        return self.summary

    @staticmethod
    def _list(fh: IO[str], key: str, items: Iterator[str], *, last: bool) -> None:
        fh.write(f' "{key}": [')
        first = True
        for item in items:
            fh.write("\n  " if first else ",\n  ")
            fh.write(item)
            first = False
        fh.write("]" if first else "\n ]")
        fh.write("\n" if last else ",\n")

    def _documents(self, end: Ending) -> Iterator[str]:
        assigned = end.discovery.assignments() if end.discovery else iter(())
        final: dict[str, dict[str, Any]] = {}  # records of originals whose duplicates are still to come
        for kind, payload, doc_id in _records(self._docs):
            if kind == b"F":
                if doc_id is not None and doc_id in self._copies:
                    final[doc_id] = json.loads(payload)
                yield payload
                continue
            data = json.loads(payload)
            if kind == b"T":
                record, (rows, counts, mass, waiting) = data
                tally = DocTally(rows, counts, mass, waiting)
                record["themes"] = _themes(settle_document(tally, assigned, record["id"]))
                self.summary.add_document(record)
                if record["id"] in self._copies:
                    final[record["id"]] = record
            else:  # a duplicate: its original's record under its own identity
                original = data["duplicate_of"]
                record = {**final[original], **data}
                self._copies[original] -= 1
                if not self._copies[original]:
                    del final[original], self._copies[original]
            yield render(record, 2)

    def _final_passages(self, end: Ending) -> Iterator[str]:
        assigned = end.discovery.assignments() if end.discovery else iter(())
        for kind, payload, _ in _records(self._passages):
            if kind == b"F":
                yield payload
            else:
                record = json.loads(payload)
                doc_id, theme = next(assigned)
                if doc_id != record["doc_id"]:
                    raise RuntimeError(f"discovered themes out of step: {doc_id!r} vs {record['doc_id']!r}")
                record["themes"] = _themes((theme,)) if theme else []
                yield render(record, 2)


def _put(fh: IO[bytes], kind: bytes, payload: Any, doc_id: str | None = None) -> None:
    """One work record: a header line (kind, byte length, id as JSON) and the payload."""
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    data = text.encode("utf-8")
    fh.write(kind + b" %d " % len(data) + json.dumps(doc_id).encode("ascii") + b"\n" + data)


def _records(fh: IO[bytes]) -> Iterator[tuple[bytes, str, str | None]]:
    fh.flush()
    fh.seek(0)
    while header := fh.readline():
        kind, size, doc_id = header.rstrip(b"\n").split(b" ", 2)
        yield kind, fh.read(int(size)).decode("utf-8"), json.loads(doc_id)
