"""Lemmatised content words per language, for lexical features and for theme labels.

Stop words come from spaCy's own lists per language; accents and Cyrillic are kept as they are (no ASCII
folding), so a French or Russian label reads as written.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any

import numpy as np
from scipy import sparse

from mlmtext.nlp import get_nlp
from mlmtext.types import LANGS

_EXTRA_STOP = {  # frequent function words the spaCy lists lack, and lemmatiser artefacts
    "en": {"get", "go", "say", "just", "really", "thing", "lot", "know", "want", "like"},
    "fr": {"faire", "avoir", "être", "aller", "dire", "chose", "vraiment", "ça", "cela", "tout"},
    "ru": {"это", "весь", "свой", "который", "такой", "мочь", "быть", "очень", "просто", "ещё", "кто-то"},
}


def norm_lang(lang: str) -> str:
    return lang if lang in LANGS else "en"


@cache
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop word list for ``lang`` plus a few project additions."""
    lang = norm_lang(lang)
    if lang == "fr":
        from spacy.lang.fr.stop_words import STOP_WORDS
    elif lang == "ru":
        from spacy.lang.ru.stop_words import STOP_WORDS
    else:
        from spacy.lang.en.stop_words import STOP_WORDS
    return frozenset(w.lower() for w in STOP_WORDS) | _EXTRA_STOP[lang]


def _lemmatiser(lang: str) -> Callable[[str], str]:
    """token text -> lower-cased lemma, the same as the ``mlmtext.nlp`` pipeline gives, memoised.

    Running only the tokenizer and looking lemmas up per distinct word is several times faster than
    the full pipeline on 50,000 passages (the lemmatiser is a pure lookup on the token text).
    """
    return _LEMMATISERS[lang] if lang in _LEMMATISERS else _make_lemmatiser(lang)


_LEMMATISERS: dict[str, Callable[[str], str]] = {}


def _make_lemmatiser(lang: str) -> Callable[[str], str]:
    nlp = get_nlp(lang)
    if lang == "ru":
        from mlmtext.nlp import _ru_lemma  # the pymorphy3 lemma the ru pipeline component uses

        def ru(text: str) -> str:
            return _ru_lemma(text.lower())

        fn: Callable[[str], str] = ru
    else:
        component: Any = nlp.get_pipe("lemmatizer")
        table = component.lookups.get_table("lemma_lookup", {})

        @lru_cache(maxsize=200_000)
        def lookup(text: str) -> str:
            found = table.get(text, text)
            return str(found if isinstance(found, str) else found[0]).lower()

        fn = lookup
    _LEMMATISERS[lang] = fn
    return fn


def content_lemmas_many(texts: Sequence[str], langs: Sequence[str]) -> list[list[str]]:
    """Content lemmas (lower-cased, alphabetic, 3+ letters, not stop words) of each text, in order."""
    out: list[list[str]] = [[] for _ in texts]
    by_lang: dict[str, list[int]] = {}
    for i, lang in enumerate(langs):
        by_lang.setdefault(norm_lang(lang), []).append(i)
    for lang in sorted(by_lang):
        idx = by_lang[lang]
        stops = stop_words(lang)
        lemma = _lemmatiser(lang)
        tokenizer: Any = get_nlp(lang).tokenizer  # a spacy Tokenizer (typed as a plain callable)
        for i, doc in zip(idx, tokenizer.pipe([texts[i] for i in idx], batch_size=256), strict=True):
            words = []
            for tok in doc:
                if not tok.is_alpha:
                    continue
                lower = tok.lower_
                if lower in stops:
                    continue
                lem = lemma(tok.text) or lower
                if len(lem) < 3 or lem in stops:
                    continue
                words.append(lem)
            out[i] = words
    return out


class LemmaTfidf:
    """A tiny TF-IDF over lemma lists whose state is two plain arrays (saved without pickle)."""

    def __init__(self, min_df: int = 2, max_features: int = 4000) -> None:
        self.min_df = min_df
        self.max_features = max_features

    def fit(self, docs: Sequence[Sequence[str]]) -> LemmaTfidf:
        df: Counter[str] = Counter()
        for words in docs:
            df.update(set(words))
        kept = sorted((w for w, c in df.items() if c >= self.min_df), key=lambda w: (-df[w], w))
        kept = sorted(kept[: self.max_features])
        n = len(docs)
        self.vocabulary_ = {w: i for i, w in enumerate(kept)}
        self.idf_ = np.array([math.log((1 + n) / (1 + df[w])) + 1.0 for w in kept], dtype=np.float32)
        return self

    @classmethod
    def from_state(cls, terms: Sequence[str], idf: np.ndarray) -> LemmaTfidf:
        obj = cls()
        obj.vocabulary_ = {w: i for i, w in enumerate(terms)}
        obj.idf_ = np.asarray(idf, dtype=np.float32)
        return obj

    def transform(self, docs: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """Sublinear TF-IDF rows, L2-normalised; sparse so 50,000 passages stay small."""
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for words in docs:
            counts = Counter(self.vocabulary_[w] for w in words if w in self.vocabulary_)
            cols = sorted(counts)
            vals = np.array([(1.0 + math.log(counts[c])) * self.idf_[c] for c in cols], dtype=np.float64)
            norm = float(np.linalg.norm(vals)) or 1.0
            indices.extend(cols)
            data.extend((vals / norm).tolist())
            indptr.append(len(indices))
        shape = (len(docs), len(self.vocabulary_))
        return sparse.csr_matrix((np.array(data, dtype=np.float32), indices, indptr), shape=shape)

    @property
    def terms(self) -> list[str]:
        return sorted(self.vocabulary_, key=self.vocabulary_.__getitem__)
