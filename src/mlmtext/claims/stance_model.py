"""A learned second opinion on the stance of a rule mention.

The cue lists of :mod:`mlmtext.claims.stance` miss negations and attributions they were not written for, and a
missed cue turns a denial into an asserted flag. This model reads what the cue lists cannot: character 2-5-grams
of the words just before and just after the claim (tagged with the language), the sentence embedding, the
sentence's cue kinds and the category. It is trained on the stances of the labelled claim spans (never on the
rules' decisions, so it is independent evidence) and only ever demotes: a rule mention the detector calls
asserted becomes negated or reported when P(asserted) falls below a cut chosen by cross-validation.
State is plain numbers (canonical JSON in the classifier file), so training is byte-reproducible.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

from mlmtext.claims.categories import CATEGORIES

LEFT_CHARS = 60
RIGHT_CHARS = 40
NGRAMS = (2, 5)
EMB_WEIGHT = 2.0
LEFT_WEIGHT = 2.0


def _num(x: float) -> float:
    return float(f"{x:.7g}")


def context(text: str, start: int, end: int, lang: str) -> tuple[str, str]:
    """The words before and after a claim in its sentence, lower-cased and tagged with the language."""
    return f"<{lang}>" + text[:start].lower()[-LEFT_CHARS:], text[end:].lower()[:RIGHT_CHARS] + f"<{lang}>"


def _vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char", ngram_range=NGRAMS, min_df=2, sublinear_tf=True, dtype=np.float64, vocabulary=vocabulary
    )


def transform(vec: TfidfVectorizer, texts: Sequence[str]) -> sparse.csr_matrix:
    """``vec.transform(texts)`` for a fitted vectorizer of :func:`_vectorizer`, step for step as scikit-learn
    computes it (counts with sorted columns, 1 + log tf, times idf, then the row scaling ``normalize`` calls),
    without the input validation of its transform calls, which cost more than the arithmetic on a document's
    few rows. tests/test_claims_stance_model.py checks it against ``vec.transform``."""
    analyze, vocab, idf = vec.build_analyzer(), vec.vocabulary_, vec.idf_
    indptr, indices, counts = [0], list[int](), list[int]()
    for text in texts:
        row = sorted((k, n) for gram, n in Counter(analyze(text)).items() if (k := vocab.get(gram)) is not None)
        indices.extend(k for k, _n in row)
        counts.extend(n for _k, n in row)
        indptr.append(len(indices))
    X = sparse.csr_matrix(
        (np.asarray(counts, dtype=np.float64), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int32)),
        shape=(len(texts), len(vocab)),
    )
    np.log(X.data, X.data)
    X.data += 1.0
    X.data *= idf[X.indices]
    inplace_csr_row_normalize_l2(X)
    return X


class StanceModel:
    """Two logistic regressions over the same features: asserted vs not, and (when not) negated vs reported."""

    def __init__(self, *, C: float = 2.0, cut: float = 0.2) -> None:
        self.C = C
        self.cut = cut  # a rule's "asserted" is overridden below this P(asserted)
        self._vecs: list[TfidfVectorizer] = []
        # (coef_, coef_.T made contiguous): the sparse product would copy the transposed view on every call
        self._coef_t: tuple[np.ndarray, np.ndarray] | None = None

    def _design(
        self, emb: np.ndarray, cues: np.ndarray, cats: Sequence[str], lefts: Sequence[str], rights: Sequence[str]
    ) -> sparse.csr_matrix:
        onehot = np.zeros((len(cats), len(CATEGORIES)))
        onehot[np.arange(len(cats)), [CATEGORIES.index(c) for c in cats]] = 1.0
        dense = np.hstack([np.round(np.asarray(emb, dtype=np.float64), 5) * EMB_WEIGHT, cues, onehot])
        left = transform(self._vecs[0], lefts) * LEFT_WEIGHT
        right = transform(self._vecs[1], rights)
        return sparse.hstack([sparse.csr_matrix(dense), left, right], format="csr")

    def fit(
        self,
        emb: np.ndarray,
        cues: np.ndarray,
        cats: Sequence[str],
        lefts: Sequence[str],
        rights: Sequence[str],
        stances: Sequence[str],
    ) -> StanceModel:
        self._vecs = [_vectorizer().fit(list(lefts)), _vectorizer().fit(list(rights))]
        # round idf like every saved number, so a fitted model and its reloaded copy agree exactly
        for v in self._vecs:
            v.idf_ = np.array([_num(x) for x in v.idf_])
        D = self._design(emb, cues, cats, lefts, rights)
        st = np.asarray(stances)
        self.coef_ = np.zeros((2, D.shape[1]))
        self.intercept_ = np.zeros(2)
        for k, (mask, y) in enumerate(
            ((np.ones(len(st), bool), st == "asserted"), (st != "asserted", st[st != "asserted"] == "negated"))
        ):
            if 0 < y.sum() < len(y):
                lr = LogisticRegression(C=self.C, max_iter=5000).fit(D[np.nonzero(mask)[0]], y.astype(int))
                self.coef_[k], self.intercept_[k] = lr.coef_[0], lr.intercept_[0]
        self.coef_ = np.vectorize(_num)(self.coef_)
        self.intercept_ = np.array([_num(v) for v in self.intercept_])
        return self

    def predict(
        self, emb: np.ndarray, cues: np.ndarray, cats: Sequence[str], lefts: Sequence[str], rights: Sequence[str]
    ) -> np.ndarray:
        """Rows of (P(asserted), P(negated | not asserted))."""
        if self._coef_t is None or self._coef_t[0] is not self.coef_:
            self._coef_t = (self.coef_, np.ascontiguousarray(self.coef_.T))
        z = self._design(emb, cues, cats, lefts, rights) @ self._coef_t[1] + self.intercept_
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -50, 50))))

    def to_dict(self) -> dict[str, Any]:
        return {
            "params": {"C": self.C, "cut": self.cut, "left_chars": LEFT_CHARS, "right_chars": RIGHT_CHARS},
            "tfidf": [
                {
                    "analyzer": "char",
                    "ngrams": list(NGRAMS),
                    "vocabulary": sorted(v.vocabulary_, key=lambda g: v.vocabulary_[g]),
                    "idf": [_num(x) for x in v.idf_],
                }
                for v in self._vecs
            ],
            "coef": [[_num(v) for v in row] for row in self.coef_],
            "intercept": [_num(v) for v in self.intercept_],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StanceModel:
        m = cls(C=float(data["params"]["C"]), cut=float(data["params"]["cut"]))
        for t in data["tfidf"]:
            vec = _vectorizer({g: k for k, g in enumerate(t["vocabulary"])})
            vec.idf_ = np.asarray(t["idf"], dtype=np.float64)
            m._vecs.append(vec)
        m.coef_ = np.asarray(data["coef"], dtype=np.float64)
        m.intercept_ = np.asarray(data["intercept"], dtype=np.float64)
        return m
