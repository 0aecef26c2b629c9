"""Word .docx: paragraphs and table rows (python-docx), each a blank-line separated block.

A .docx is a zip archive, so its central directory is checked first: the sum of the members' declared
uncompressed sizes must fit the size cap, which refuses a zip bomb before anything is decompressed
(zipfile never inflates a member past its declared size, so the declaration bounds memory).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import Any

from mlmtext.load.problems import ReadProblem
from mlmtext.load.readers.files import os_problem, too_large

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_MEMBERS = 10_000
_MAX_TABLE_DEPTH = 8


def check_zip(path: str, cap: int) -> None:
    """Refuse archives that are not .docx, hold too many members or would inflate past ``cap``."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
            if head.startswith(_OLE):
                f.seek(0)
                blob = f.read(min(cap, 4 * 1024 * 1024))
                if "EncryptedPackage".encode("utf-16-le") in blob:
                    raise ReadProblem("encrypted", "password-protected Word document")
                raise ReadProblem("unsupported", "old binary Word (.doc) named .docx: re-save it as .docx")
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except ReadProblem:
        raise
    except OSError as exc:
        raise os_problem(exc) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise ReadProblem("corrupt", f"damaged .docx (not a readable zip archive: {exc})") from None
    if len(infos) > _MAX_MEMBERS:
        raise ReadProblem("corrupt", f"damaged .docx: {len(infos):,} archive members")
    declared = sum(i.file_size for i in infos)
    if declared > cap:
        raise too_large(declared, cap, "uncompressed content (declared in the zip directory)")
    if not any(i.filename == "word/document.xml" for i in infos):
        raise ReadProblem("corrupt", "not a Word document: the archive has no word/document.xml")


def _cell_text(cell: Any, depth: int) -> str:
    parts: list[str] = []
    for item in cell.iter_inner_content():
        if hasattr(item, "rows"):
            if depth < _MAX_TABLE_DEPTH:
                parts.extend(_table_rows(item, depth + 1))
        else:
            parts.append(item.text)
    return "\n".join(p for p in parts if p.strip())


def _table_rows(table: Any, depth: int) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        last = None
        for cell in row.cells:
            if cell._tc is last:  # a merged cell is repeated for every grid column it spans
                continue
            last = cell._tc
            text = _cell_text(cell, depth)
            if text:
                cells.append(text)
        if cells:
            yield " | ".join(cells)


def read_docx(path: str, cap: int) -> tuple[str, str | None]:
    check_zip(path, cap)
    import docx

    try:
        document = docx.Document(path)
        blocks: list[str] = []
        for item in document.iter_inner_content():
            if hasattr(item, "rows"):
                blocks.extend(_table_rows(item, 1))
            else:
                blocks.append(item.text)
    except ReadProblem:
        raise
    except Exception as exc:  # python-docx/lxml/zipfile raise many types on damaged packages
        raise ReadProblem("corrupt", f"damaged .docx: {type(exc).__name__}: {str(exc)[:160]}") from None
    text = "\n\n".join(b.strip() for b in blocks if b.strip())
    if not text:
        raise ReadProblem("empty", "the Word document has no text")
    return text, None
