"""The learned layer: one logistic regression per category over sentence features.

Features of a sentence: its embedding (``mlmtext.embed``), which rule categories fired in it and with
which stance, which kinds of stance cue it holds, and character 2-5-gram TF-IDF of its lower-cased text
(one vocabulary per language; 5-fold CV on the training part: combined F1 0.81 -> 0.83). The target is
"this sentence asserts a claim of category c". Each probability is averaged with a nearest-neighbour vote over
the training sentences (:mod:`mlmtext.claims.neighbours`). The fitted state (coefficients, TF-IDF vocabulary + idf) is
plain numbers saved as canonical JSON, so the same training data gives a byte-identical model file (no pickle).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Span

from mlmtext.claims.categories import CATEGORIES
from mlmtext.claims.mentions import Mention
from mlmtext.claims.neighbours import NeighbourVote
from mlmtext.claims.stance import builtin_detector, sentence_cues
from mlmtext.claims.stance_model import StanceModel
from mlmtext.errors import ModelNotFittedError

FORMAT = "mlmtext-claims-lr/2"
NGRAMS = (2, 5)
LANG_ORDER = ("en", "fr", "ru")
_WORD_CACHE_MAX = 50_000  # words per language whose n-gram columns are kept (a few MB; then it starts over)
CUE_NAMES = ("negation", "report", "quote", "marker")
EXTRA_NAMES = tuple(
    [f"rule:{c}:asserted" for c in CATEGORIES]
    + [f"rule:{c}:other" for c in CATEGORIES]
    + [f"cue:{n}" for n in CUE_NAMES]
)


def extra_features(
    sent: Span, mentions: Sequence[Mention], lang: str, cues: dict[str, bool] | None = None
) -> np.ndarray:
    """Rule and cue features of one sentence; ``mentions`` are those inside it; ``cues``: the sentence's
    :func:`~mlmtext.claims.stance.sentence_cues` when the caller has them already."""
    out = np.zeros(len(EXTRA_NAMES), dtype=np.float32)
    n = len(CATEGORIES)
    for m in mentions:
        j = CATEGORIES.index(m.category)
        out[j if m.stance == "asserted" else n + j] = 1.0
    if cues is None:
        cues = sentence_cues(builtin_detector(lang), sent.text, list(sent))
    for k, name in enumerate(CUE_NAMES):
        out[2 * n + k] = 1.0 if cues[name] else 0.0
    return out


def combine(embeddings: np.ndarray, extras: np.ndarray) -> np.ndarray:
    # Rounding makes the features (and so the fitted model) immune to last-bit differences between
    # embedding batches.
    return np.hstack([np.round(embeddings.astype(np.float64), 5), extras.astype(np.float64)])


def _num(x: float) -> float:
    return float(f"{x:.7g}")


def _vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=NGRAMS,
        min_df=2,
        sublinear_tf=True,
        lowercase=True,
        dtype=np.float64,
        vocabulary=vocabulary,
    )


class ClaimClassifier:
    """Estimator in the scikit-learn manner: parameters in ``__init__``, fitted state ends in ``_``.

    ``fit``/``predict_proba`` take the dense features of :func:`combine` plus each row's text and language
    (for the TF-IDF block); without texts the TF-IDF block is zero.
    """

    model_id_: str
    meta_: dict[str, Any]
    stance_: StanceModel | None = None  # second opinion on the stance of rule mentions (optional)
    neighbours_: NeighbourVote | None = None  # nearest-neighbour vote blended in (optional)

    def __init__(
        self,
        *,
        C: float = 2.0,
        threshold: float = 0.8,
        agree: float = 0.5,
        emb_weight: float = 3.0,
        tfidf_weight: float = 2.0,
        thresholds: Sequence[float] | None = None,
        balanced: bool = False,
        knn_weight: float = 0.5,
    ) -> None:
        self.C = C
        self.knn_weight = knn_weight  # share of the nearest-neighbour vote in each probability (0: none)
        # class_weight="balanced" lifts the rare positives, and with them the scores of ordinary sentences
        self.balanced = balanced
        self.threshold = threshold  # a model-only flag needs this probability
        # per category (order of CATEGORIES), chosen by cross-validation; None: ``threshold`` for all
        self.thresholds = [float(t) for t in thresholds] if thresholds is not None else None
        self.agree = agree  # a rule flag gets the model as a second source from this probability
        # Embedding rows are unit vectors of 512 small numbers: scaling them loosens their regularisation.
        self.emb_weight = emb_weight
        self.tfidf_weight = tfidf_weight
        self._vectorizers: dict[str, TfidfVectorizer] = {}
        self._word_columns: dict[str, dict[str, tuple[int, ...]]] = {}  # per language: word -> gram columns

    def threshold_for(self, category: str) -> float:
        """The probability a model-only flag of ``category`` needs."""
        if self.thresholds is None:
            return self.threshold
        return self.thresholds[CATEGORIES.index(category)]

    def _vectorizer(self, lang: str) -> TfidfVectorizer:
        vec = self._vectorizers.get(lang)
        if vec is None:  # built once per language: the vocabulary check is the slow part
            vocab, idf = self.tfidf_[lang]
            vec = _vectorizer({g: k for k, g in enumerate(vocab)})
            vec.idf_ = np.asarray(idf, dtype=np.float64)
            self._vectorizers[lang] = vec
        return vec

    def _text_logits(self, text: str, lang: str, block: np.ndarray) -> np.ndarray:
        """``tfidf(text) @ block.T * tfidf_weight`` for one text, as the vectorizer computes it (sublinear tf,
        idf, l2 norm) without its per-call validation, which costs more than the arithmetic."""
        vec = self._vectorizer(lang)
        # The char_wb analyzer makes the grams of each whitespace-separated word on its own, in text order, so
        # a word's vocabulary columns (-1: not in the vocabulary) are computed once and reused: words repeat,
        # and making and looking up grams was most of the cost. Counter keeps first-occurrence order, so the
        # columns, and with them the order of the sums below, are those of a loop over the analyzer's grams.
        known = self._word_columns.setdefault(lang, {})
        columns = []
        for word in text.strip().lower().split():
            of_word = known.get(word)
            if of_word is None:
                if len(known) >= _WORD_CACHE_MAX:
                    known.clear()
                of_word = known[word] = self._columns(vec, word)
            columns.append(of_word)
        counts = Counter(chain.from_iterable(columns))
        counts.pop(-1, None)
        if not counts:
            return np.zeros(block.shape[0])
        cols = np.fromiter(counts, dtype=np.int64, count=len(counts))
        w = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * vec.idf_[cols]
        w /= np.sqrt(np.dot(w, w))
        return np.asarray(block[:, cols] @ w) * self.tfidf_weight

    @staticmethod
    def _columns(vec: TfidfVectorizer, word: str) -> tuple[int, ...]:
        """The vocabulary column of each gram the analyzer makes of ``word`` (-1 when not in the vocabulary)."""
        vocab = vec.vocabulary_
        return tuple(vocab.get(gram, -1) for gram in vec.build_analyzer()(word))

    def _tfidf(self, texts: Sequence[str] | None, langs: Sequence[str] | None, n: int) -> sparse.csr_matrix:
        blocks = []
        for lang in LANG_ORDER:
            vocab = self.tfidf_.get(lang, ([], []))[0]
            if not vocab:
                continue
            m = sparse.csr_matrix((n, len(vocab)))
            idx = [i for i in range(n) if texts is not None and langs is not None and langs[i] == lang]
            if idx:
                assert texts is not None
                part = self._vectorizer(lang).transform([texts[i].strip().lower() for i in idx]).tocsr()
                rows = sparse.csr_matrix((np.ones(len(idx)), (idx, range(len(idx)))), shape=(n, len(idx)))
                m = (rows @ part).tocsr()
            blocks.append(m)
        if not blocks:
            return sparse.csr_matrix((n, 0))
        return sparse.csr_matrix(sparse.hstack(blocks, format="csr") * self.tfidf_weight)

    def _design(self, X: np.ndarray, texts: Sequence[str] | None, langs: Sequence[str] | None) -> sparse.csr_matrix:
        k = len(EXTRA_NAMES)
        dense = np.hstack([X[:, :-k] * self.emb_weight, X[:, -k:]]) if X.shape[1] >= k else X
        return sparse.hstack([sparse.csr_matrix(dense), self._tfidf(texts, langs, X.shape[0])], format="csr")

    def fit(
        self, X: np.ndarray, Y: np.ndarray, texts: Sequence[str] | None = None, langs: Sequence[str] | None = None
    ) -> ClaimClassifier:
        self.tfidf_: dict[str, tuple[list[str], list[float]]] = {}
        self._vectorizers = {}
        self._word_columns = {}
        if texts is not None and langs is not None:
            for lang in LANG_ORDER:
                own = [t.strip().lower() for t, g in zip(texts, langs, strict=True) if g == lang]
                if len(own) < 2:
                    continue
                try:
                    vec = _vectorizer().fit(own)
                except ValueError:  # too few documents for min_df
                    continue
                vocab = sorted(vec.vocabulary_, key=lambda g: vec.vocabulary_[g])
                self.tfidf_[lang] = (vocab, [_num(v) for v in vec.idf_])
        D = self._design(X, texts, langs)
        coef = np.zeros((Y.shape[1], D.shape[1]))
        intercept = np.full(Y.shape[1], -20.0)  # a category never seen asserted is never predicted
        for j in range(Y.shape[1]):
            y = Y[:, j].astype(int)
            if 0 < y.sum() < len(y):
                lr = LogisticRegression(C=self.C, max_iter=5000, class_weight="balanced" if self.balanced else None)
                lr.fit(D, y)
                coef[j], intercept[j] = lr.coef_[0], lr.intercept_[0]
        self.coef_ = np.vectorize(_num)(coef) if coef.size else coef
        self.intercept_ = np.array([_num(v) for v in intercept])
        k = len(EXTRA_NAMES)
        self.neighbours_ = NeighbourVote().fit(X[:, :-k], Y) if self.knn_weight > 0 and X.shape[1] > k else None
        return self

    def _check(self) -> None:
        if not hasattr(self, "coef_"):
            raise ModelNotFittedError("the claim classifier is not fitted: call fit() or ClaimClassifier.load()")

    def predict_proba(
        self, X: np.ndarray, texts: Sequence[str] | None = None, langs: Sequence[str] | None = None
    ) -> np.ndarray:
        """Probability per (row, category), in the order of ``CATEGORIES``."""
        self._check()
        if not hasattr(self, "tfidf_"):
            self.tfidf_ = {}
        # Block by block (dense part, then each language's TF-IDF rows): the same logits as the design
        # matrix of ``fit`` without building it, which would dominate the cost of flagging a passage.
        k = len(EXTRA_NAMES)
        dense = np.hstack([X[:, :-k] * self.emb_weight, X[:, -k:]]) if X.shape[1] >= k else X
        z = dense @ self.coef_[:, : dense.shape[1]].T + self.intercept_
        col = dense.shape[1]
        for lang in LANG_ORDER:
            vocab = self.tfidf_.get(lang, ([], []))[0]
            if not vocab:
                continue
            block = self.coef_[:, col : col + len(vocab)]
            for i, g in enumerate(langs or ()):
                if g == lang and texts is not None:
                    z[i] += self._text_logits(texts[i], lang, block)
            col += len(vocab)
        p = np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -50, 50))))
        if self.neighbours_ is not None and self.knn_weight > 0 and X.shape[1] > k:
            p = (1.0 - self.knn_weight) * p + self.knn_weight * self.neighbours_.predict(X[:, :-k])
        return p

    def to_dict(self, **meta: Any) -> dict[str, Any]:
        self._check()
        body = {
            "format": FORMAT,
            "categories": list(CATEGORIES),
            "extra_features": list(EXTRA_NAMES),
            "params": {
                "C": self.C,
                "threshold": self.threshold,
                "agree": self.agree,
                "emb_weight": self.emb_weight,
                "tfidf_weight": self.tfidf_weight,
                "thresholds": self.thresholds,
                "balanced": self.balanced,
                "knn_weight": self.knn_weight,
            },
            "tfidf": {
                lang: {"analyzer": "char_wb", "ngrams": list(NGRAMS), "vocabulary": v, "idf": idf}
                for lang, (v, idf) in sorted(getattr(self, "tfidf_", {}).items())
            },
            "coef": [[_num(v) for v in row] for row in self.coef_],
            "intercept": [_num(v) for v in self.intercept_],
        }
        if self.stance_ is not None:
            body["stance_model"] = self.stance_.to_dict()
        if self.neighbours_ is not None:
            body["neighbours"] = self.neighbours_.to_dict()
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]
        return {"id": f"claims-lr@{digest}", **meta, **body}

    def save(self, path: str | Path, **meta: Any) -> str:
        """Write canonical JSON (one line per array: the file stays a few MB); returns the model id."""
        data = self.to_dict(**meta)
        Path(path).write_text(
            json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n",
            encoding="utf-8",
        )
        return str(data["id"])

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClaimClassifier:
        if data.get("format") != FORMAT or data.get("categories") != list(CATEGORIES):
            raise ModelNotFittedError(f"not a {FORMAT} model for categories {', '.join(CATEGORIES)}")
        if data.get("extra_features") != list(EXTRA_NAMES):
            raise ModelNotFittedError(
                "the model was trained with other features: rebuild it with `mlmtext train-claims`"
            )
        params = data["params"]
        clf = cls(
            C=float(params["C"]),
            threshold=float(params["threshold"]),
            agree=float(params["agree"]),
            emb_weight=float(params["emb_weight"]),
            tfidf_weight=float(params["tfidf_weight"]),
            thresholds=params.get("thresholds"),
            balanced=bool(params.get("balanced", True)),
            knn_weight=float(params.get("knn_weight", 0.0)),
        )
        clf.tfidf_ = {
            lang: (list(t["vocabulary"]), [float(v) for v in t["idf"]]) for lang, t in data.get("tfidf", {}).items()
        }
        clf.coef_ = np.asarray(data["coef"], dtype=np.float64)
        clf.intercept_ = np.asarray(data["intercept"], dtype=np.float64)
        clf.stance_ = StanceModel.from_dict(data["stance_model"]) if "stance_model" in data else None
        clf.neighbours_ = NeighbourVote.from_dict(data["neighbours"]) if "neighbours" in data else None
        clf.model_id_ = str(data["id"])
        bulky = ("coef", "intercept", "tfidf", "stance_model", "neighbours")
        clf.meta_ = {k: v for k, v in data.items() if k not in bulky}
        return clf

    @classmethod
    def load(cls, path: str | Path) -> ClaimClassifier:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelNotFittedError(f"cannot read claim model {path}: {exc}") from None
        return cls.from_dict(data)
