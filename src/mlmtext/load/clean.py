"""Final text clean-up shared by every reader; character offsets are later taken on its output."""

from __future__ import annotations

import re
import unicodedata

# Line breaks of every flavour become "\n"; U+2029 (paragraph separator) becomes a blank line.
_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028]")
# C0/C1 controls except tab and newline; they carry no text and break terminals and XML.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """NFC text with "\\n" newlines, no NULs/control characters and no lone surrogates.

    Lone surrogates (possible from JSON "\\ud800" escapes) become U+FFFD so the text always encodes as
    UTF-8. Leading byte-order marks are dropped. Only surrounding blank lines are trimmed, so any text
    inside keeps its layout.
    """
    text = text.lstrip("\ufeff")  # byte-order marks (a second one is left by BOM-doubling editors)
    text = _SURROGATES.sub("\ufffd", text)
    text = _NEWLINES.sub("\n", text)
    text = text.replace("\u2029", "\n\n")
    text = _CONTROLS.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return text.strip()
