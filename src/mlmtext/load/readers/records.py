"""JSON Lines and JSON exports: one document per record, the text field found from the first records.

JSON Lines is streamed line by line (a bad line is reported with its number, the good ones kept); a
.json file is read whole within the size cap and may be a list of records or an object holding one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from mlmtext.load.decode import decode_bytes
from mlmtext.load.document import make_document
from mlmtext.load.problems import ReadProblem
from mlmtext.load.readers.fields import choose_field, text_value
from mlmtext.load.readers.files import read_bounded
from mlmtext.load.readers.lines import iter_lines
from mlmtext.load.readers.stream import line_problem, open_stream
from mlmtext.types import Document, Skipped

_SAMPLE_RECORDS = 200
_SAMPLE_BYTES = 4 * 1024 * 1024


def _parse(line: str) -> tuple[Any, str | None]:
    try:
        return json.loads(line), None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}" if exc.lineno > 1 else f"column {exc.colno}"
        return None, f"invalid JSON: {exc.msg} at {where}"
    except (ValueError, RecursionError) as exc:  # 5,000-digit numbers, arrays nested 100,000 deep
        return None, f"invalid JSON: {type(exc).__name__}: {str(exc)[:120]}"


def _field_names(records: Sequence[Any]) -> list[str]:
    names: dict[str, None] = {}
    for rec in records:
        if isinstance(rec, dict):
            names.update(dict.fromkeys(k for k in rec if isinstance(k, str)))
    return list(names)


def _pick(records: Sequence[Any], text_field: str | None) -> str | None:
    """The text field name, "" when records are plain strings; raises when nothing holds text."""
    dicts = [r for r in records if isinstance(r, dict)]
    if not dicts:
        if any(isinstance(r, str) for r in records):
            return ""
        return None
    names = _field_names(dicts)
    chosen = choose_field(names, dicts, text_field)
    if chosen is None:
        shown = ", ".join(repr(n) for n in names[:12])
        if text_field is not None:
            raise ReadProblem("no-text-field", f"no field named {text_field!r} (fields: {shown})")
        raise ReadProblem("no-text-field", f"no field holds text (fields: {shown}); name one with text_field")
    return chosen


def _record_text(record: Any, field: str | None) -> tuple[str | None, str]:
    """(text, why-not) for one record."""
    if isinstance(record, str):
        return record, ""
    if not isinstance(record, dict):
        return None, f"record is a JSON {type(record).__name__}, not an object"
    if field is None or field == "":
        return None, "record has no text field"
    if field not in record:
        return None, f"record has no {field!r} field"
    text = text_value(record[field])
    if text is None:
        return None, f"field {field!r} is not text"
    return text, ""


def read_jsonl(
    rel: str, path: str, fmt: str, cap: int, text_field: str | None
) -> Iterator[Document | Skipped]:
    f, enc = open_stream(path)
    with f:
        # Until the text field is known, records and bad lines wait in ``pending`` so output stays in
        # line order.
        pending: list[tuple[int, Any] | Skipped] = []
        sample_bytes = 0
        field: str | None = None
        decided = False
        for lineno, line, problem in iter_lines(f, enc, cap):
            out: Skipped | None = None
            record: Any = None
            if line is None:
                code, reason = line_problem(problem or "", cap, enc.label)
                out = Skipped(f"{rel}#line={lineno}", reason, code)
            elif not line.strip():
                continue
            else:
                record, error = _parse(line)
                if error:
                    out = Skipped(f"{rel}#line={lineno}", error, "corrupt")
            if decided:
                yield out or _record_doc(rel, fmt, enc.label, record, field, lineno, "line")
                continue
            pending.append(out or (lineno, record))
            sample_bytes += len(line or "")
            records = [p for p in pending if not isinstance(p, Skipped)]
            if len(records) < _SAMPLE_RECORDS and sample_bytes < _SAMPLE_BYTES:
                continue
            field, decided = _pick([r for _, r in records], text_field), True
            yield from _flush(rel, fmt, enc.label, pending, field)
            pending = []
        if not decided:
            records = [p for p in pending if not isinstance(p, Skipped)]
            if not records:
                yield from (p for p in pending if isinstance(p, Skipped))
                raise ReadProblem("empty", "no JSON records in the file")
            field = _pick([r for _, r in records], text_field)
            yield from _flush(rel, fmt, enc.label, pending, field)


def _flush(
    rel: str, fmt: str, encoding: str, pending: list[tuple[int, Any] | Skipped], field: str | None
) -> Iterator[Document | Skipped]:
    for item in pending:
        yield (
            item
            if isinstance(item, Skipped)
            else _record_doc(rel, fmt, encoding, item[1], field, item[0], "line")
        )


def _record_doc(
    rel: str, fmt: str, encoding: str, record: Any, field: str | None, n: int, unit: str
) -> Document | Skipped:
    text, why = _record_text(record, field)
    if text is None:
        code = "no-text-field" if "field" in why else "corrupt"
        return Skipped(f"{rel}#{unit}={n}", why, code)
    return make_document(rel, fmt, encoding, text, row=n, where=f"record {n}")


def _records(data: Any) -> tuple[list[Any], list[tuple[str, int]]]:
    """A list of records, or the one list inside an object (the longest, if several), or the object;
    plus the (key, length) of every other list of records that was left out, so it can be reported."""
    if isinstance(data, list):
        return data, []
    if isinstance(data, dict):
        lists = [
            (str(k), v) for k, v in data.items()
            if isinstance(v, list) and any(isinstance(x, dict | str) for x in v)
        ]
        if lists:
            chosen = max(lists, key=lambda kv: len(kv[1]))
            return chosen[1], [(k, len(v)) for k, v in lists if k != chosen[0]]
        return [data], []
    if isinstance(data, str):
        return [data], []
    raise ReadProblem("no-text-field", f"the JSON holds a single {type(data).__name__}, not records")


def read_json(
    rel: str, path: str, fmt: str, cap: int, text_field: str | None
) -> Iterator[Document | Skipped]:
    text, encoding = decode_bytes(read_bounded(path, cap))
    data, error = _parse(text.lstrip("\ufeff"))
    if error:
        raise ReadProblem("corrupt", error)
    records, left_out = _records(data)
    for key, size in left_out:
        yield Skipped(f"{rel}#{key}", f"a second list of records ({key!r}, {size} items) was not read: "
                      "only the longest list is; export one list per file", "ignored")
    if not records:
        raise ReadProblem("empty", "the JSON holds no records")
    field = _pick(records[:_SAMPLE_RECORDS], text_field)
    for n, record in enumerate(records, start=1):
        yield _record_doc(rel, fmt, encoding, record, field, n, "row")
