"""Bytes to text: byte-order marks, then strict UTF-8, then charset-normalizer checked by plausibility.

The encoding is decided on a sample (the whole file for whole-file readers, the first lines for streamed
exports) and reported with the text. Every refusal is a ``ReadProblem`` with code ``binary`` or
``undecodable``.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from mlmtext.load.plausible import plausibility
from mlmtext.load.problems import ReadProblem

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (docx/xlsx/odt?)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an MS Office binary or encrypted document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"7z\xbc\xaf", "a 7z archive"),
    (b"Rar!", "a RAR archive"),
)
# Bytes that never occur in text in any of our encodings (tab, newlines, form feed and ESC allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"
_CONTROL_TABLE = bytes.maketrans(_CONTROL_BYTES, b"\x00" * len(_CONTROL_BYTES))
_EIGHT_BIT = ("cp1251", "koi8-r", "cp1252", "iso8859-1")  # codecs.lookup(...).name spellings
_SAMPLE = 64 * 1024
_GUESS_MARGIN = 0.05
MIN_PLAUSIBLE = 0.3  # below this no decoding reads as text in any script we know


@dataclass(frozen=True, slots=True)
class Encoding:
    codec: str  # a Python codec name usable with bytes.decode
    errors: str = "strict"  # "replace" when a mostly valid UTF-8 file has a few broken bytes
    bom: int = 0  # bytes of byte-order mark to drop before decoding

    @property
    def label(self) -> str:
        return codecs.lookup(self.codec).name if self.codec != "ascii" else "ascii"


def looks_binary(sample: bytes) -> bool:
    """Over 5% control bytes (and more than a stray couple in a short text)."""
    controls = sample.translate(_CONTROL_TABLE).count(0)
    return controls > 2 and controls > 0.05 * len(sample)


def _printable_share(text: str) -> float:
    if not text:
        return 0.0
    return sum(c.isprintable() or c in "\n\r\t" for c in text) / len(text)


def _try_utf16(sample: bytes, partial: bool) -> Encoding | None:
    """UTF-16 without a BOM: ASCII and Cyrillic both leave runs of 0x00/0x04 bytes that look binary."""
    best: tuple[float, str] | None = None
    for codec, high_at in (("utf-16-le", 1), ("utf-16-be", 0)):
        data = sample[: len(sample) - len(sample) % 2] if partial else sample
        # Our languages put Latin (0x00xx) or Cyrillic (0x04xx) in most code units: demand that, so a
        # few control bytes are not read as Greek or Syriac.
        high = data[high_at::2]
        if len(high) < 2 or (high.count(0) + high.count(4)) < 0.5 * len(high):
            continue
        try:
            text = codecs.getincrementaldecoder(codec)().decode(data, final=not partial)
        except UnicodeDecodeError:
            continue
        if _printable_share(text) < 0.97:
            continue
        score = plausibility(text) or 0.0
        if score >= 0.5 and (best is None or score > best[0]):
            best = (score, codec)
    return Encoding(best[1]) if best else None


def _utf8(sample: bytes, partial: bool) -> Encoding | None:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=not partial)
    except UnicodeDecodeError:
        pass
    else:
        # ASCII so far: a streamed file may still hold UTF-8 further on, so only a whole file is "ascii".
        return Encoding("ascii" if sample.isascii() and not partial else "utf-8")
    # A few broken bytes (a truncated download, one pasted cp1252 quote) should not turn a UTF-8 file
    # into cp1251 mojibake: keep UTF-8 when valid multi-byte characters outnumber bad bytes 20 to 1.
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if ord(c) > 0x7F) - bad
    if good >= 1 and bad * 20 <= good:
        return Encoding("utf-8", errors="replace")
    return None


def _declared(sample: bytes, declared: str | None) -> str | None:
    """A charset the file names itself (HTML <meta>), if Python knows it and it decodes the bytes."""
    if not declared:
        return None
    try:
        codec = codecs.lookup(declared).name
        sample.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return None
    return codec


def _eight_bit(sample: bytes, declared: str | None = None) -> Encoding | None:
    """cp1251, KOI8-R, cp1252 and Latin-1, plus charset-normalizer's guess, ranked by plausibility.

    A charset declared by the file itself is tried first and wins ties; pages often declare
    iso-8859-1 while holding cp1251, so it is still checked against the usual tables.
    """
    from charset_normalizer import from_bytes

    # Prose in any 8-bit table keeps ASCII spaces, digits and punctuation; 32+ bytes almost all
    # above 0x7F are noise every table would "decode".
    if len(sample) >= 32 and sum(b < 0x80 for b in sample[:4096]) < 0.05 * min(len(sample), 4096):
        return None
    scored: list[tuple[float, str]] = []
    own = _declared(sample, declared)
    tables = ([own] if own else []) + [c for c in _EIGHT_BIT if c != own]
    for codec in tables:
        score = _score(sample, codec)
        if score is not None:
            scored.append((score, codec))
    best_guess = from_bytes(sample[:_SAMPLE]).best()
    guess = codecs.lookup(best_guess.encoding).name if best_guess is not None else None
    if guess is not None and guess not in tables:
        score = _score(sample, guess)
        if score is not None:
            # Short texts fool statistical detectors (French "Ça" came out as big5): the guess must win
            # clearly over the usual tables.
            scored.append((score - _GUESS_MARGIN, guess))
    if not scored:
        return None
    best = max(scored, key=lambda item: item[0])  # max keeps the first of equal scores: table order
    if best[0] < MIN_PLAUSIBLE:
        return None
    return Encoding(best[1])


def _score(sample: bytes, codec: str) -> float | None:
    try:
        text = sample.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    score = plausibility(text, non_ascii_only=True)
    # Nothing non-ASCII to judge (a lone control-free byte): any table that decodes will do.
    return MIN_PLAUSIBLE if score is None else score


def detect_encoding(sample: bytes, *, partial: bool = False, declared: str | None = None) -> Encoding:
    """Decide how to decode ``sample``; ``partial`` means more bytes follow (a multi-byte tail may be cut).

    Raises ``ReadProblem`` ("binary" or "undecodable").
    """
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            return Encoding(codec, bom=len(bom))
    for magic, what in _MAGIC:
        if sample.startswith(magic):
            raise ReadProblem("binary", f"binary content: looks like {what}")
    head = sample[:_SAMPLE]
    # Many control bytes: UTF-16 without a BOM (ASCII leaves 0x00 bytes, Cyrillic 0x04) or binary.
    # A stray NUL in valid UTF-8 is just dropped later with the other control characters.
    partial_head = partial or len(head) < len(sample)
    if looks_binary(head):
        found = _try_utf16(head, partial_head)
        if found:
            return found
        raise ReadProblem("binary", "binary content: control bytes where text was expected")
    found = _utf8(sample, partial)
    if found is None and b"\x00" in head:
        found = _try_utf16(head, partial_head)
    if found is None:
        found = _eight_bit(sample, declared)
    if found is None:
        raise ReadProblem(
            "undecodable",
            "no known encoding gives readable text (tried UTF-8, cp1251, KOI8-R, cp1252, charset-normalizer)",
        )
    return found


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode a whole file; returns (text, encoding label). Raises ``ReadProblem``."""
    enc = detect_encoding(data, declared=declared)
    try:
        text = data[enc.bom :].decode(enc.codec, errors=enc.errors)
    except UnicodeDecodeError as exc:
        raise ReadProblem(
            "undecodable", f"invalid {enc.label} at byte {exc.start + enc.bom}: the file mixes encodings"
        ) from None
    return text, enc.label
