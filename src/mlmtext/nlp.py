"""spaCy blank pipelines per language: tokenizer, sentencizer and a lemmatizer that needs no download.

fr/en lemmas come from the lookup tables of ``spacy-lookups-data``; ru lemmas from ``pymorphy3``.
Pipelines load lazily, once per process (they are read-only afterwards, so sharing them is safe).
"""

from __future__ import annotations

from functools import cache, lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

SUPPORTED = ("fr", "ru", "en")
_RU_LEMMATIZER = "mlmtext_ru_lemmatizer"


@lru_cache(maxsize=1)
def _morph():  # type: ignore[no-untyped-def]
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def _ru_lemmatizer(doc: Doc) -> Doc:
    # spaCy's pymorphy3 mode needs POS tags that a blank pipeline lacks; the most probable parse is
    # good enough for matching and for theme labels, and caching keeps it fast on repeated words.
    for token in doc:
        if token.is_alpha:
            token.lemma_ = _ru_lemma(token.lower_)
        else:
            token.lemma_ = token.lower_
    return doc


@lru_cache(maxsize=200_000)
def _ru_lemma(word: str) -> str:
    return str(_morph().parse(word)[0].normal_form)


def get_nlp(lang: str) -> Language:
    """A blank pipeline with sentencizer and lemmatizer for ``lang`` (fr, ru or en; anything else: en)."""
    return _build(lang if lang in SUPPORTED else "en")


@cache
def _build(code: str) -> Language:
    if code == "ru" and not Language.has_factory(_RU_LEMMATIZER):
        # registered on first use, not as an import side effect
        Language.component(_RU_LEMMATIZER, func=_ru_lemmatizer)
    nlp = spacy.blank(code)
    nlp.add_pipe("sentencizer")
    if code == "ru":
        nlp.add_pipe(_RU_LEMMATIZER)
    else:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup", "overwrite": True})
    nlp.initialize()
    return nlp


def lemmas(text: str, lang: str) -> list[str]:
    """Lower-cased lemmas of the word tokens of ``text``."""
    return [t.lemma_.lower() for t in get_nlp(lang)(text) if not (t.is_punct or t.is_space)]
