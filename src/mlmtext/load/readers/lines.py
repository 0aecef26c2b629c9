"""Line-by-line decoding of a big export with bounded memory: no line longer than the cap is held."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from mlmtext.load.decode import Encoding

_DRAIN = 1 << 20


def iter_lines(f: BinaryIO, enc: Encoding, limit: int) -> Iterator[tuple[int, str | None, str | None]]:
    """Yield (line number, text, problem) per physical line; text is None when ``problem`` says why.

    Problems are "too-large" (a line over ``limit`` bytes/characters, skipped without being held
    whole) and "undecodable" (bytes invalid in the file's encoding).
    """
    f.seek(enc.bom)
    if enc.codec.startswith(("utf-16", "utf-32")):
        yield from _wide_lines(f, enc, limit)
        return
    lineno = 0
    while True:
        line = f.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = f.readline(_DRAIN)
            yield lineno, None, "too-large"
            continue
        try:
            yield lineno, line.decode(enc.codec, errors=enc.errors), None
        except UnicodeDecodeError:
            yield lineno, None, "undecodable"


def _wide_lines(f: BinaryIO, enc: Encoding, limit: int) -> Iterator[tuple[int, str | None, str | None]]:
    # newline="" keeps "\r\n" inside quoted CSV fields intact; broken pairs become U+FFFD.
    text = io.TextIOWrapper(f, encoding=enc.codec, errors="replace", newline="")
    lineno = 0
    while True:
        line = text.readline(limit + 1)
        if not line:
            text.detach()
            return
        lineno += 1
        if len(line) > limit and not line.endswith("\n"):
            while line and not line.endswith("\n"):
                line = text.readline(_DRAIN)
            yield lineno, None, "too-large"
            continue
        yield lineno, line, None
