"""How much a decoded text looks like real French, English or Russian: used to choose between 8-bit guesses.

cp1251 and KOI8-R map the same bytes to different Cyrillic letters (KOI8-R puts lowercase where cp1251
puts uppercase), and French cp1252 bytes read as cp1251 turn "café" into "cafй". Statistical detectors
get short texts wrong, so every candidate decoding is scored on cheap signals per word: one script per
word, a plausible letter case pattern, and (for Cyrillic) common Russian bigrams and vowel share. Only
words with non-ASCII letters are scored when comparing 8-bit tables, since ASCII reads the same in all.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+")
_SYMBOL = re.compile(r"[^\w\s\x00-\x7f]")
_RU_VOWELS = frozenset("аеёиоуыэюяі")
# The most frequent letter pairs of Russian prose (case-folded); a wrong 8-bit table scrambles them.
_BIGRAM_TEXT = (
    "ст но то на ен ов ни ра во ко ал пр ро ре ос ли по ет ла не ер ол го ва ть ор ан ит ка ло ис ел од ск "
    "ес ом ри ль ле ин де та ат ак ам от ас ве ви ой ий ый ая ие ых ем ег сл ди ми ил ым ту тр за да "
    "об ог ед чт он ме лу им ны ну ся уч ющ ще дн зн ки бо бе мо ду ру че ев ез ей же ки ку ой ох уп ох "
    "хо вл ол ед ме ль ьн ин ие бы вы ди"
)
_RU_BIGRAMS = frozenset(_BIGRAM_TEXT.split())
_RU_ONE_LETTER = frozenset("авиксоуяАВИКСОУЯ")
_FR_EN_LATIN = frozenset("abcdefghijklmnopqrstuvwxyzàâæçéèêëîïôœùûüÿñ")
_FR_ONE_LETTER = frozenset("àÀ")
# Non-letter characters that real fr/ru/en posts use; a wrong table tends to produce rarer symbols.
_COMMON_SYMBOLS = frozenset("€«»–—‘’“”„…•°№©®™½¼§±×·")


def _script(ch: str) -> str:
    o = ord(ch)
    if ch.isascii() or 0xC0 <= o <= 0x24F:
        return "latin"
    if 0x400 <= o <= 0x4FF:
        return "cyrillic"
    return "other"


def _case_score(word: str) -> float:
    if word.islower() or word.istitle() or word.isupper():
        return 1.0
    return 0.0  # "пРИВЕТ": case flips inside a word are what a wrong table produces


def _word_score(word: str) -> float:
    scripts = {_script(c) for c in word}
    if len(scripts) > 1:
        return 0.0
    script = scripts.pop()
    low = word.lower()
    if len(low) == 1:
        return 1.0 if word in _RU_ONE_LETTER or word in _FR_ONE_LETTER else 0.3
    case = _case_score(word)
    if script == "cyrillic":
        pairs = [low[i : i + 2] for i in range(len(low) - 1)]
        bigram = sum(p in _RU_BIGRAMS for p in pairs) / len(pairs)
        vowels = sum(c in _RU_VOWELS for c in low) / len(low)
        vowel_ok = 1.0 if 0.2 <= vowels <= 0.7 or len(low) <= 3 else 0.0
        return 0.3 * case + 0.45 * min(1.0, bigram * 2.0) + 0.25 * vowel_ok
    if script == "latin":
        known = sum(c in _FR_EN_LATIN for c in low) / len(low)
        accented = sum(not c.isascii() for c in low)
        dense = accented > max(1, len(low) // 3)  # "Ïðèâåò": Russian cp1251 read as Latin-1
        return 0.35 * case + 0.4 * known + 0.25 * (0.0 if dense else 1.0)
    return 0.5


def plausibility(text: str, *, non_ascii_only: bool = False, max_words: int = 4000) -> float | None:
    """Mean score in [0, 1] over words (and non-ASCII symbols); None when there is nothing to judge.

    With ``non_ascii_only`` only words and symbols holding non-ASCII characters count.
    """
    total = 0.0
    n = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if non_ascii_only and word.isascii():
            continue
        total += _word_score(word)
        n += 1
        if n >= max_words:
            break
    for match in _SYMBOL.finditer(text):
        total += 1.0 if match.group() in _COMMON_SYMBOLS else 0.3
        n += 1
        if n >= 2 * max_words:
            break
    return total / n if n else None
