"""Top terms and labels of a theme, per language, from the lemmas of its passages (class-based TF-IDF)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from mlmtext.types import LANGS

TOP_TERMS = 8
LABEL_TERMS = 3


class TermTally:
    """Lemma counts of a group of passages per language (term and passage frequencies, passage count).

    Filled passage by passage, so a run never needs every passage's lemmas at once.
    """

    __slots__ = ("df", "n", "tf")

    def __init__(self) -> None:
        self.tf: dict[str, Counter[str]] = {}
        self.df: dict[str, Counter[str]] = {}
        self.n: Counter[str] = Counter()

    def add(self, words: Sequence[str], lang: str) -> None:
        if lang not in LANGS:
            return
        self.tf.setdefault(lang, Counter()).update(words)
        self.df.setdefault(lang, Counter()).update(set(words))
        self.n[lang] += 1


def top_terms(group: TermTally, total: TermTally, k: int = TOP_TERMS) -> dict[str, list[str]]:
    """A group's k most distinctive lemmas per language present in it, against ``total`` (every passage).

    Score of word w in group g: tf(w, g) * log(lift), lift = (tf(w, g) / words in g) / (f(w) / all words),
    over the passages of that language; only words more frequent in the group than overall count, so
    words common to every theme ("people", "month") sink. A word must occur in two of the group's
    passages when it has three or more in that language (one-off names stay out), unless that leaves
    nothing; a group that is the whole collection is described by plain frequency.
    """
    terms: dict[str, list[str]] = {}
    for lang in LANGS:
        tf, df, n = group.tf.get(lang), group.df.get(lang, Counter()), group.n[lang]
        size = sum(tf.values()) if tf else 0
        if not tf or not size:
            continue
        all_tf = total.tf[lang]
        all_words = sum(all_tf.values())
        scored: list[tuple[float, str]] = []
        for min_df in (2, 1) if n >= 3 else (1,):
            scored = []
            for w, c in tf.items():
                lift = (c / size) / (all_tf[w] / all_words)
                if df[w] >= min_df and lift > 1.0:
                    scored.append((c * math.log(lift), w))
            if scored:
                break
        if not scored:  # the group is the whole collection: nothing stands out, so plain frequency
            scored = [(float(c), w) for w, c in tf.items()]
        scored.sort(key=lambda s: (-s[0], s[1]))
        terms[lang] = [w for _, w in scored[:k]]
    return terms


def top_terms_by_lang(
    groups: Sequence[Sequence[int]], lemmas: Sequence[Sequence[str]], langs: Sequence[str], k: int = TOP_TERMS
) -> list[dict[str, list[str]]]:
    """:func:`top_terms` for groups of passage indices, the totals taken over all the passages given."""
    total = TermTally()
    for words, lang in zip(lemmas, langs, strict=True):
        total.add(words, lang)
    out = []
    for members in groups:
        group = TermTally()
        for i in members:
            group.add(lemmas[i], langs[i])
        out.append(top_terms(group, total, k))
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
