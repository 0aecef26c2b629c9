"""Top terms and labels of a theme, per language, from the lemmas of its passages (class-based TF-IDF)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from mlmtext.types import LANGS

TOP_TERMS = 8
LABEL_TERMS = 3


def top_terms_by_lang(
    groups: Sequence[Sequence[int]], lemmas: Sequence[Sequence[str]], langs: Sequence[str], k: int = TOP_TERMS
) -> list[dict[str, list[str]]]:
    """For each group of passage indices, its k most distinctive lemmas per language present in it.

    Score of word w in group g (c-TF-IDF): tf(w, g) * log(1 + A / f(w)), with f the word's frequency in
    all passages of that language and A the average words per group; a word must occur in two of the
    group's passages when the group has three or more in that language.
    """
    total: dict[str, Counter[str]] = {lang: Counter() for lang in LANGS}
    for words, lang in zip(lemmas, langs, strict=True):
        if lang in total:
            total[lang].update(words)
    per_group: list[dict[str, tuple[Counter[str], Counter[str], int]]] = []
    for members in groups:
        by_lang: dict[str, tuple[Counter[str], Counter[str], int]] = {}
        for i in members:
            lang = langs[i]
            if lang not in total:
                continue
            tf, df, n = by_lang.get(lang, (Counter(), Counter(), 0))
            tf.update(lemmas[i])
            df.update(set(lemmas[i]))
            by_lang[lang] = (tf, df, n + 1)
        per_group.append(by_lang)
    avg_words: dict[str, float] = {}
    for lang in LANGS:
        sizes = [sum(g[lang][0].values()) for g in per_group if lang in g]
        avg_words[lang] = sum(sizes) / max(1, len(sizes))
    out: list[dict[str, list[str]]] = []
    for by_lang in per_group:
        terms: dict[str, list[str]] = {}
        for lang in LANGS:
            if lang not in by_lang:
                continue
            tf, df, n = by_lang[lang]
            avg = avg_words[lang]
            min_df = 2 if n >= 3 else 1
            scored = [(c * math.log(1.0 + avg / total[lang][w]), w) for w, c in tf.items() if df[w] >= min_df]
            scored.sort(key=lambda s: (-s[0], s[1]))
            if scored:
                terms[lang] = [w for _, w in scored[:k]]
        out.append(terms)
    return out


def labels_from_terms(terms: dict[str, list[str]], counts: dict[str, int]) -> dict[str, str]:
    """A short label per language (its top terms); languages the group lacks borrow the main one's."""
    labels = {lang: ", ".join(ws[:LABEL_TERMS]) for lang, ws in terms.items() if ws}
    if not labels:
        return {}
    main = max(labels, key=lambda lang: (counts.get(lang, 0), lang))
    for lang in LANGS:
        labels.setdefault(lang, labels[main])
    return {lang: labels[lang] for lang in LANGS}
