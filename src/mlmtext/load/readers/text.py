"""Plain text and Markdown: the decoded file, markup kept as written."""

from __future__ import annotations

from mlmtext.load.decode import decode_bytes
from mlmtext.load.readers.files import read_bounded


def read_text(path: str, cap: int) -> tuple[str, str | None]:
    return decode_bytes(read_bounded(path, cap))
