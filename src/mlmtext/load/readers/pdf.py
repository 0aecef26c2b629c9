"""PDF: the text layer of each page (pypdf), pages separated by a blank line.

Encrypted files are opened with the empty password (many PDFs are only owner-protected); anything pypdf
cannot parse is reported as corrupt. pypdf's own warnings about damaged files are kept off the user's
terminal while reading, since the outcome is reported as a ``Skipped`` reason or a document.
"""

from __future__ import annotations

import logging
import warnings

from mlmtext.load.problems import ReadProblem
from mlmtext.load.readers.files import os_problem


def read_pdf(path: str, cap: int) -> tuple[str, str | None]:
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _read(path, cap), None
    finally:
        logger.setLevel(level)


def _read(path: str, cap: int) -> str:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError as exc:
        raise os_problem(exc) from None
    if b"%PDF-" not in head:
        raise ReadProblem("corrupt", "not a PDF file: no %PDF header")
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise ReadProblem("encrypted", f"encrypted PDF that cannot be opened here ({exc})") from None
            if not opened:
                raise ReadProblem("encrypted", "encrypted PDF: a password is needed to read it")
        pages = reader.pages
        texts: list[str] = []
        total = 0
        failed = 0
        for page in pages:
            try:
                text = page.extract_text() or ""
            except (FileNotDecryptedError, DependencyError) as exc:
                raise ReadProblem("encrypted", f"encrypted PDF: {exc}") from None
            except Exception:  # one damaged page should not lose the others
                failed += 1
                continue
            total += len(text)
            if total > cap:
                raise ReadProblem("too-large", f"the PDF's text layer exceeds the {cap:,}-character cap")
            texts.append(text.strip())
    except ReadProblem:
        raise
    except FileNotDecryptedError:
        raise ReadProblem("encrypted", "encrypted PDF: a password is needed to read it") from None
    except (PdfReadError, Exception) as exc:  # pypdf raises many types (ValueError, KeyError...) on damage
        raise ReadProblem("corrupt", f"damaged PDF: {type(exc).__name__}: {_short(exc)}") from None
    if failed and not any(texts):
        raise ReadProblem("corrupt", f"damaged PDF: none of its {failed} page(s) could be read")
    text = "\n\n".join(t for t in texts if t)
    if not text.strip():
        raise ReadProblem("empty", "the PDF has no text layer (a scan or images only?)")
    return text


def _short(exc: BaseException) -> str:
    msg = str(exc).replace("\n", " ")
    return msg[:160] + ("…" if len(msg) > 160 else "")
