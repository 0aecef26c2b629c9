"""Reading input: files and folders to a stream of ``Document`` (or ``Skipped``, saying why not).

Every file found ends up as document(s) or ``Skipped`` records; one bad file never stops the batch and
no exception escapes except ``InputError`` for a user path that does not exist. See ``iter_inputs``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from mlmtext.load.inputs import iter_inputs
from mlmtext.types import Document, Skipped

__all__ = ["Document", "Skipped", "iter_inputs", "read_paths"]


def read_paths(
    paths: Sequence[str | os.PathLike[str]], *, max_file_bytes: int, text_field: str | None = None
) -> tuple[list[Document], list[Skipped]]:
    """``iter_inputs`` collected into two lists (small inputs, tests)."""
    docs: list[Document] = []
    skipped: list[Skipped] = []
    for item in iter_inputs(paths, max_file_bytes=max_file_bytes, text_field=text_field):
        (docs if isinstance(item, Document) else skipped).append(item)  # type: ignore[arg-type]
    return docs, skipped
