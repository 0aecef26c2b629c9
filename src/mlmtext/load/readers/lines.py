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
    sample = f.read(_DRAIN)
    f.seek(enc.bom)
    if b"\r" in sample and b"\n" not in sample:
        yield from _cr_lines(f, enc, limit)  # old Mac exports ("CSV (Macintosh)") end lines with a bare CR
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


def _cr_lines(f: BinaryIO, enc: Encoding, limit: int) -> Iterator[tuple[int, str | None, str | None]]:
    """Lines ended by a bare carriage return, handed on with "\n" endings; same limits as iter_lines."""
    lineno = 0
    buffer = b""
    too_long = False
    while True:
        chunk = f.read(_DRAIN)
        buffer += chunk
        *complete, buffer = buffer.split(b"\r")
        if not chunk and buffer:
            complete, buffer = [*complete, buffer], b""
        for raw in complete:
            lineno += 1
            if too_long or len(raw) > limit:
                too_long = False
                yield lineno, None, "too-large"
                continue
            try:
                yield lineno, raw.decode(enc.codec, errors=enc.errors) + "\n", None
            except UnicodeDecodeError:
                yield lineno, None, "undecodable"
        if len(buffer) > limit:  # a line still growing past the cap is dropped, not held
            too_long, buffer = True, b""
        if not chunk:
            return
