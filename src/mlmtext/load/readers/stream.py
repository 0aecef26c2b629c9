"""Opening a streamed export: encoding decided on the first 64 KB, binary files refused up front."""

from __future__ import annotations

from typing import BinaryIO

from mlmtext.load.decode import Encoding, detect_encoding
from mlmtext.load.problems import ReadProblem
from mlmtext.load.readers.files import os_problem

SAMPLE_BYTES = 64 * 1024


def open_stream(path: str) -> tuple[BinaryIO, Encoding]:
    try:
        f = open(path, "rb")  # noqa: SIM115 - the caller owns and closes it
    except OSError as exc:
        raise os_problem(exc) from None
    try:
        sample = f.read(SAMPLE_BYTES + 1)
        partial = len(sample) > SAMPLE_BYTES
        enc = detect_encoding(sample[:SAMPLE_BYTES], partial=partial)
    except ReadProblem:
        f.close()
        raise
    except OSError as exc:
        f.close()
        raise os_problem(exc) from None
    return f, enc


def line_problem(kind: str, limit: int, codec: str) -> tuple[str, str]:
    """(code, reason) for a line ``iter_lines`` could not give."""
    if kind == "too-large":
        return "too-large", f"line longer than the {limit:,}-byte cap: skipped"
    return "undecodable", f"line is not valid {codec}"
