"""CSV and TSV exports: one document per data row, the text column found from the header.

Rows are parsed with the csv module in strict mode so broken quoting is reported on the row where it
happens instead of silently swallowing the rest of the file; a field over ``FIELD_LIMIT`` characters is
reported as too large. Good rows are kept either way.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from mlmtext.load.document import make_document
from mlmtext.load.problems import ReadProblem
from mlmtext.load.readers.fields import choose_field
from mlmtext.load.readers.lines import iter_lines
from mlmtext.load.readers.stream import line_problem, open_stream
from mlmtext.types import Document, Skipped

FIELD_LIMIT = 1024 * 1024  # characters in one cell; longer than any real post
_DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_ROWS = 200
_QUOTED = re.compile(r'"[^"]*"')


def sniff_delimiter(lines: list[str]) -> str:
    """The candidate in the header found the same number of times on most lines, quotes ignored."""
    bare = [_QUOTED.sub("", line) for line in lines if line.strip()]
    best: tuple[bool, int, int] = (False, 0, 0)
    chosen = ","
    for delim in _DELIMITERS:
        counts = [line.count(delim) for line in bare]
        if not counts:
            continue
        mode = max(set(counts), key=lambda c: (counts.count(c), c))
        score = (counts[0] > 0, counts.count(mode) if mode else 0, mode)
        if score > best:
            best, chosen = score, delim
    return chosen


def read_table(
    rel: str, path: str, fmt: str, cap: int, text_field: str | None
) -> Iterator[Document | Skipped]:
    f, enc = open_stream(path)
    limit = min(cap, FIELD_LIMIT)
    with f:
        problems: list[tuple[int, str, str]] = []
        physical = iter_lines(f, enc, cap)

        def good_lines() -> Iterator[str]:
            for lineno, text, problem in physical:
                if text is None:
                    problems.append((lineno, *line_problem(problem or "", cap, enc.label)))
                    yield "\n"  # keeps csv's line count equal to the file's
                else:
                    yield text.replace("\x00", "")  # csv refuses NULs; clean_text drops them anyway

        lines = good_lines()
        head: list[str] = []
        for line in lines:
            head.append(line)
            if len(head) >= 20:
                break
        delimiter = "\t" if fmt == "tsv" else sniff_delimiter(head)
        reader = csv.reader(_chain(head, lines), delimiter=delimiter, strict=True)

        def rows() -> Iterator[tuple[int, list[str] | None, str | None]]:
            while True:
                old = csv.field_size_limit(limit)  # module-wide: set only around our own parsing
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield reader.line_num, None, str(exc)
                    continue
                finally:
                    csv.field_size_limit(old)
                yield reader.line_num, row, None

        yield from _documents(rel, fmt, enc.label, rows(), problems, text_field)


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest


def _bad_row(rel: str, lineno: int, error: str) -> Skipped:
    if "field limit" in error:
        reason = f"a field is longer than {FIELD_LIMIT:,} characters"
        return Skipped(f"{rel}#line={lineno}", reason, "too-large")
    return Skipped(f"{rel}#line={lineno}", f"broken CSV row: {error}", "corrupt")


def _documents(
    rel: str,
    fmt: str,
    encoding: str,
    rows: Iterator[tuple[int, list[str] | None, str | None]],
    problems: list[tuple[int, str, str]],
    text_field: str | None,
) -> Iterator[Document | Skipped]:
    header: list[str] | None = None
    # Until the text column is known, rows and bad lines wait in ``pending`` so output stays in order.
    pending: list[tuple[int, list[str]] | Skipped] = []
    column = -1
    data_row = 0

    def emit(lineno: int, row: list[str]) -> Document | Skipped | None:
        nonlocal data_row
        if not any(cell.strip() for cell in row):
            return None  # blank line: not a record
        data_row += 1
        if column >= len(row):
            return Skipped(f"{rel}#line={lineno}", f"row has {len(row)} fields, no text column", "corrupt")
        return make_document(rel, fmt, encoding, row[column], row=data_row, where=f"row {data_row}")

    def flush() -> Iterator[Document | Skipped]:
        for item in pending:
            out = item if isinstance(item, Skipped) else emit(*item)
            if out is not None:
                yield out
        pending.clear()

    def bad_lines() -> Iterator[Skipped]:
        while problems:
            lineno, code, reason = problems.pop(0)
            yield Skipped(f"{rel}#line={lineno}", reason, code)

    for lineno, row, error in rows:
        found: list[Document | Skipped] = list(bad_lines())
        if row is None:
            found.append(_bad_row(rel, lineno, error or ""))
        if column >= 0:
            yield from found
            if row is not None:
                out = emit(lineno, row)
                if out is not None:
                    yield out
            continue
        pending.extend(f for f in found if isinstance(f, Skipped))
        if row is None:
            continue
        if header is None:
            if any(cell.strip() for cell in row):
                header = row
            continue
        pending.append((lineno, row))
        if sum(not isinstance(p, Skipped) for p in pending) >= _SAMPLE_ROWS:
            column = _pick_column(rel, header, _sample(pending), text_field)
            yield from flush()
    pending.extend(bad_lines())
    if column >= 0:
        yield from flush()
        return
    if header is None:
        yield from flush()
        raise ReadProblem("empty", "the table has no rows")
    sample = _sample(pending)
    if not sample:
        yield from flush()
        raise ReadProblem("empty", "the table has a header but no data rows")
    column = _pick_column(rel, header, sample, text_field)
    yield from flush()


def _sample(pending: list[tuple[int, list[str]] | Skipped]) -> list[list[str]]:
    return [p[1] for p in pending if not isinstance(p, Skipped)]


def _pick_column(_rel: str, header: list[str], rows: list[list[str]], text_field: str | None) -> int:
    names = [h if h.strip() else f"column {i + 1}" for i, h in enumerate(header)]
    records = [dict(zip(names, row, strict=False)) for row in rows]
    chosen = choose_field(names, records, text_field)
    if chosen is None:
        shown = ", ".join(repr(n) for n in names[:12])
        if text_field is not None:
            raise ReadProblem("no-text-field", f"no column named {text_field!r} (columns: {shown})")
        raise ReadProblem("no-text-field", f"no column holds text (columns: {shown}); pick one: text_field")
    return names.index(chosen)
