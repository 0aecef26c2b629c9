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

    Score of word w in group g: tf(w, g) * log(lift), lift = (tf(w, g) / words in g) / (f(w) / all words),
    over the passages of that language; only words more frequent in the group than overall count, so
    words common to every theme ("people", "month") sink. A word must occur in two of the group's
    passages when it has three or more in that language (one-off names stay out), unless that leaves
    nothing; a group that is the whole collection is described by plain frequency.
    """
    total: dict[str, Counter[str]] = {lang: Counter() for lang in LANGS}
    for words, lang in zip(lemmas, langs, strict=True):
        if lang in total:
            total[lang].update(words)
    all_words = {lang: sum(c.values()) for lang, c in total.items()}
    out: list[dict[str, list[str]]] = []
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
        terms: dict[str, list[str]] = {}
        for lang in LANGS:
            if lang not in by_lang:
                continue
            tf, df, n = by_lang[lang]
            size = sum(tf.values())
            if not size:
                continue
            for min_df in (2, 1) if n >= 3 else (1,):
                scored = []
                for w, c in tf.items():
                    lift = (c / size) / (total[lang][w] / all_words[lang])
                    if df[w] >= min_df and lift > 1.0:
                        scored.append((c * math.log(lift), w))
                if scored:
                    break
            if not scored:  # the group is the whole collection: nothing stands out, so plain frequency
                scored = [(float(c), w) for w, c in tf.items()]
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
