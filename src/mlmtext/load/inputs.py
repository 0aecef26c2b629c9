"""The dispatcher: each file found goes to the reader of its format; refusals become ``Skipped``."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence

from mlmtext.load.document import make_document
from mlmtext.load.problems import ReadProblem
from mlmtext.load.readers import FORMATS, STREAMED
from mlmtext.load.readers.docx import read_docx
from mlmtext.load.readers.files import too_large
from mlmtext.load.readers.html import read_html
from mlmtext.load.readers.pdf import read_pdf
from mlmtext.load.readers.records import read_json, read_jsonl
from mlmtext.load.readers.tabular import read_table
from mlmtext.load.readers.text import read_text
from mlmtext.load.walk import FileEntry, check_paths, walk
from mlmtext.types import Document, Skipped

WholeReader = Callable[[str, int], tuple[str, str | None]]
RowReader = Callable[[str, str, str, int, str | None], Iterator[Document | Skipped]]

_WHOLE: dict[str, WholeReader] = {
    "txt": read_text,
    "md": read_text,
    "html": read_html,
    "pdf": read_pdf,
    "docx": read_docx,
}
_ROWS: dict[str, RowReader] = {
    "csv": read_table,
    "tsv": read_table,
    "jsonl": read_jsonl,
    "json": read_json,
}


def iter_inputs(
    paths: Sequence[str | os.PathLike[str]],
    *,
    max_file_bytes: int,
    text_field: str | None = None,
    exclude: Sequence[str | os.PathLike[str]] = (),
    private: Sequence[str | os.PathLike[str]] = (),
) -> Iterator[Document | Skipped]:
    """Documents from files and folders (recursively, stable sorted order), streaming.

    The size cap ``max_file_bytes`` applies to a whole file for txt/md/html/pdf/docx/json (from its size
    on disk, before reading; for .docx from the declared uncompressed size), and to each line of the
    streamed csv/tsv/jsonl exports, so memory stays bounded by the cap either way.

    Raises ``mlmtext.errors.InputError`` (before yielding anything) when a given path does not exist.
    """
    checked = check_paths(paths)
    for item in walk(checked, [os.fsdecode(d) for d in exclude], [os.fsdecode(d) for d in private]):
        if isinstance(item, Skipped):
            yield item
        else:
            yield from _read(item, max_file_bytes, text_field)


def _read(entry: FileEntry, cap: int, text_field: str | None) -> Iterator[Document | Skipped]:
    fmt = FORMATS.get(entry.ext)
    if fmt is None:
        shown = entry.ext or "(none)"
        yield Skipped(entry.rel, f"unsupported file type {shown!r} (read: {_supported()})", "unsupported")
        return
    if entry.size == 0:
        yield Skipped(entry.rel, "empty file (0 bytes)", "empty")
        return
    if fmt not in STREAMED and entry.size > cap:
        yield Skipped(entry.rel, too_large(entry.size, cap).reason, "too-large")
        return
    produced = 0
    try:
        if fmt in _WHOLE:
            text, encoding = _WHOLE[fmt](entry.path, cap)
            yield make_document(entry.rel, fmt, encoding, text)
            return
        for item in _ROWS[fmt](entry.rel, entry.path, fmt, cap, text_field):
            produced += isinstance(item, Document)
            yield item
        if not produced:
            yield Skipped(entry.rel, "no row or record held text", "empty")
    except ReadProblem as problem:
        yield Skipped(entry.rel, problem.reason, problem.code)
    except Exception as exc:  # the last guard of "one bad file never stops the batch"
        code = "corrupt" if fmt in ("pdf", "docx") else "unreadable"
        where = f" after {produced:,} documents" if produced else ""
        yield Skipped(entry.rel, f"reading stopped{where}: {type(exc).__name__}: {str(exc)[:160]}", code)


def _supported() -> str:
    return " ".join(sorted(set(FORMATS)))
