"""What a text is made of before any model sees it: letters, words, script, distinctive letters.

Every backend uses :func:`profile` so that "no letters / too short" means ``und`` the same way for all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_LETTERS = 3
"""Fewer letters than this (after removing URLs, e-mails and @handles) is too short to say: ``und``."""

# URLs, e-mail addresses and @handles carry no language; the cheap `in` tests keep the regex off most texts.
_NOISE = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w+")
_LETTER_RUNS = re.compile(r"[^\W\d_]+")
_CYRILLIC_RUNS = re.compile(r"[\u0400-\u052F\u1C80-\u1C8F\u2DE0-\u2DFF\uA640-\uA69F]+")
_LATIN_RUNS = re.compile(r"[A-Za-z\u00AA\u00BA\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF]+")


@dataclass(frozen=True, slots=True)
class TextProfile:
    """Letter statistics of one text; ``text`` is the text with URLs, e-mails and handles blanked out."""

    text: str
    letters: int
    words: tuple[str, ...]  # runs of letters, in order (an apostrophe splits "l'homme" in two)
    cyrillic: int
    latin: int

    @property
    def script(self) -> str:
        """"und" (too few letters), "cyrl" or "latn" (more than half the letters), else "other"."""
        if self.letters < MIN_LETTERS:
            return "und"
        if self.cyrillic * 2 > self.letters:
            return "cyrl"
        if self.latin * 2 > self.letters:
            return "latn"
        return "other"

    @property
    def cyrillic_share(self) -> float:
        return self.cyrillic / self.letters if self.letters else 0.0


def strip_noise(text: str) -> str:
    """Blank out URLs, e-mail addresses and @handles (they are not language)."""
    if "@" in text or "://" in text or "www." in text:
        return _NOISE.sub(" ", text)
    return text


def profile(text: str) -> TextProfile:
    clean = strip_noise(text)
    words = tuple(_LETTER_RUNS.findall(clean))
    letters = sum(map(len, words))
    if clean.isascii():  # common, and every ASCII letter is Latin: skip two scans
        return TextProfile(text=clean, letters=letters, words=words, cyrillic=0, latin=letters)
    cyrillic = sum(map(len, _CYRILLIC_RUNS.findall(clean))) if letters else 0
    latin = sum(map(len, _LATIN_RUNS.findall(clean))) if letters > cyrillic else 0
    return TextProfile(text=clean, letters=letters, words=words, cyrillic=cyrillic, latin=latin)
