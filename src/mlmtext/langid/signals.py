"""Letters and words that tell Russian from its Cyrillic neighbours, and French/English from other Latin text.

Plain linguistic facts about alphabets, used as cheap evidence before (or as limits on) a model:
- ``і ї є ґ`` (Ukrainian), ``ў`` (Belarusian), ``ђ ј љ њ ћ џ ѓ ќ ѕ`` (Serbian, Macedonian), ``ѝ`` (Bulgarian)
  and the Kazakh letters never occur in Russian; neither does ``ъ`` before a consonant (Bulgarian "във",
  "България") nor the Belarusian infinitive ending "-ць".
- ``ы э ё`` rule out Ukrainian, Bulgarian, Serbian and Macedonian; Belarusian has them too but has no
  ``и`` (nor ``щ``, ``ъ``), so ``ы``/``э``/``ё`` together with ``и`` mean Russian.
"""

from __future__ import annotations

import re

NOT_RUSSIAN = re.compile(
    "[іїєґўђјљњћџѓќѕѝәғқңөұүһІЇЄҐЎЂЈЉЊЋЏЃЌЅӘҒҚҢӨҰҮҺ]|[ъЪ](?![еёюяЕЁЮЯ])|ць\\b"
)
RUSSIAN_ONLY = re.compile("[ыэёЫЭЁ]")
HAS_I = re.compile("[иИ]")  # Belarusian writes і where Russian writes и: Russian with ы/э/ё and и is Russian
KAZAKH = re.compile("[әғқңөұүһӘҒҚҢӨҰҮҺ]")

# Very frequent Bulgarian/Ukrainian function words that are not Russian words (Russian: "мы", "это",
# "этот", "что"...; "та", "тому", "зараз", "як" are left out because Russian has them too). They only send
# a text to the neighbour model; they never decide alone.
NEIGHBOUR_WORDS = frozenset(
    [
        "ми", "сте", "съм", "сме", "ще", "това", "този", "тази", "тези", "които", "който", "която", "което",
        "днес", "вкъщи", "със", "във", "към", "като", "защо", "какво", "здравейте", "няма", "има", "беше",
        "бъде", "нещо",
        "що", "це", "ця", "цей", "він", "вона", "дуже",
    ]
)

# Letters a language's alphabet lacks: a model's vote for that language is void when the text has them.
_LACKS = {
    "uk": "ыэёъўђјљњћџѓќѕ",
    "be": "ищъїєґђјљњћџѓќѕ",
    "bg": "ыэёіїєґўђјљњћџѓќѕ",
    "sr": "ыэёъьйщяюіїєґўѓќѕ",
    "mk": "ыэёъьйщяюіїєґўђћ",
}
FORBIDDEN = {code: re.compile(f"[{letters}]", re.IGNORECASE) for code, letters in _LACKS.items()}

# Latin letters French and English do not use (names aside): a reason to look for another language.
OTHER_LATIN = re.compile("[ñßäöãõąęłśźżćńčšžřůěýáíóúőűåøğşțșăÑÄÖÃÕĄĘŁŚŹŻĆŃČŠŽŘŮĚÝÁÍÓÚŐŰÅØĞŞȚȘĂ]")


def has_neighbour_word(words: tuple[str, ...]) -> bool:
    return any(w.lower() in NEIGHBOUR_WORDS for w in words)


def allowed(code: str, text: str) -> bool:
    """Whether ``text`` can be in language ``code`` as far as its letters go."""
    forbidden = FORBIDDEN.get(code)
    return forbidden is None or forbidden.search(text) is None
