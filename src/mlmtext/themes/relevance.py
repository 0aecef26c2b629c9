"""Document-level MLM relevance: is this text about network marketing at all?

The mean of two votes: a logistic regression (balanced class weights) over the document's centred mean
passage vector, a TF-IDF of its lemmas and counts of MLM vocabulary cues per language
(``data/mlm_cues.json``); and a similarity-weighted vote of the nearest labelled examples.
Similarity to the taxonomy alone cannot separate a party invitation or a job applicant who did not show
up from MLM text about no-shows; a classifier trained on relevant vs non-relevant texts can. The
reported score is shifted so that 0.5 is the threshold calibrated out of fold.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from mlmtext.errors import ModelNotFittedError
from mlmtext.themes.lexical import LemmaTfidf
from mlmtext.themes.model import GRID, knn_vote, sigmoid, unit_rows

CUES_PATH = Path(__file__).resolve().parent / "data" / "mlm_cues.json"


@cache
def _cue_pattern() -> re.Pattern[str]:
    """All languages' cues as one alternation: one scan of the text instead of one per cue."""
    data = json.loads(CUES_PATH.read_text("utf-8"))
    return re.compile("|".join(f"(?:{p})" for lang in ("en", "fr", "ru") for p in data[lang]), re.IGNORECASE)


def cue_features(texts: Sequence[str]) -> np.ndarray:
    """(n, 3): log(1 + cue hits), any hit, hits per 100 words (capped)."""
    out = np.zeros((len(texts), 3), dtype=np.float32)
    pattern = _cue_pattern()
    for i, text in enumerate(texts):
        hits = sum(1 for _ in pattern.finditer(text))
        words = max(1, len(text.split()))
        out[i] = (math.log1p(hits), float(hits > 0), min(3.0, 100.0 * hits / words) / 3.0)
    return out


class RelevanceModel:
    def __init__(
        self,
        *,
        C: float = 1.0,
        cue_weight: float = 1.0,
        lexical_weight: float = 1.0,
        min_df: int = 2,
        k_neighbours: int = 10,
        knn_temperature: float = 0.05,
        cv_folds: int = 5,
        random_state: int = 0,
    ):
        self.k_neighbours = k_neighbours
        self.knn_temperature = knn_temperature
        self.C = C
        self.cue_weight = cue_weight
        self.lexical_weight = lexical_weight
        self.min_df = min_df
        self.cv_folds = cv_folds
        self.random_state = random_state

    def _design(self, X: np.ndarray, texts: Sequence[str], lemmas: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        centred = unit_rows(np.asarray(X, dtype=np.float32) - self.mean_)
        blocks = [
            sparse.csr_matrix(centred),
            sparse.csr_matrix(cue_features(texts) * self.cue_weight),
            self.tfidf_.transform(lemmas) * self.lexical_weight,
        ]
        return sparse.hstack(blocks, format="csr")

    def _lr(self) -> LogisticRegression:
        return LogisticRegression(
            C=self.C,
            solver="liblinear",
            class_weight="balanced",
            random_state=self.random_state,
            max_iter=500,
        )

    def fit(
        self,
        X: np.ndarray,
        texts: Sequence[str],
        lemmas: Sequence[Sequence[str]],
        y: Sequence[bool],
        groups: Sequence[str],
    ) -> RelevanceModel:
        """X: raw mean passage vectors of documents (n, d); lemmas: their content lemmas; y: relevant?"""
        yy = np.asarray(y, dtype=np.int8)
        self.mean_ = np.asarray(X, dtype=np.float32).mean(axis=0)
        self.tfidf_ = LemmaTfidf(min_df=self.min_df).fit(lemmas)
        design = self._design(X, texts, lemmas)
        centred = unit_rows(np.asarray(X, dtype=np.float32) - self.mean_)
        oof = np.zeros(len(yy), dtype=np.float32)
        folds = GroupKFold(n_splits=min(self.cv_folds, len(set(groups))))
        for tr, te in folds.split(design, yy, groups=list(groups)):
            lr_part = self._lr().fit(design[tr], yy[tr]).predict_proba(design[te])[:, 1]
            oof[te] = (lr_part + self._knn(centred[te], centred[tr], yy[tr])) / 2
        lr = self._lr().fit(design, yy)
        self.coef_ = lr.coef_[0].astype(np.float32)
        self.intercept_ = float(lr.intercept_[0])
        self.memory_ = centred.astype(np.float16)  # the labelled examples the neighbour vote reads
        self.memory_y_ = yy
        # The threshold maximising balanced accuracy out of fold: both kinds of error matter.
        best = (0.5, -1.0)
        for t in GRID:
            pred = oof >= t
            tpr = float(np.mean(pred[yy == 1])) if (yy == 1).any() else 0.0
            tnr = float(np.mean(~pred[yy == 0])) if (yy == 0).any() else 0.0
            if (tpr + tnr) / 2 > best[1] + 1e-9:
                best = (float(t), (tpr + tnr) / 2)
        self.threshold_ = best[0]
        pred = oof >= self.threshold_
        tp = float(np.sum(pred & (yy == 1)))
        neg_pred = ~pred
        self.metrics_ = {
            "oof_balanced_accuracy": round(best[1], 4),
            "oof_precision_relevant": round(tp / max(1.0, float(pred.sum())), 4),
            "oof_recall_relevant": round(tp / max(1.0, float((yy == 1).sum())), 4),
            "oof_precision_nonrelevant": round(
                float(np.sum(neg_pred & (yy == 0))) / max(1.0, float(neg_pred.sum())), 4
            ),
            "oof_recall_nonrelevant": round(float(np.sum(neg_pred & (yy == 0))) / max(1.0, float((yy == 0).sum())), 4),
            "n_documents": len(yy),
        }
        return self

    def predict_proba(self, X: np.ndarray, texts: Sequence[str], lemmas: Sequence[Sequence[str]]) -> np.ndarray:
        """Relevance in [0, 1], shifted so that 0.5 is the calibrated decision threshold."""
        if not hasattr(self, "coef_"):
            raise ModelNotFittedError("the relevance model is not fitted")
        if len(texts) == 0:
            return np.zeros(0, dtype=np.float32)
        lr_part = sigmoid(self._design(X, texts, lemmas) @ self.coef_ + self.intercept_)
        centred = unit_rows(np.asarray(X, dtype=np.float32) - self.mean_)
        p = (lr_part + self._knn(centred, self.memory_.astype(np.float32), self.memory_y_)) / 2
        # Piecewise-linear map that sends the calibrated threshold to 0.5 and keeps 0 and 1 in place.
        t = min(max(self.threshold_, 1e-3), 1 - 1e-3)
        out = np.where(p < t, 0.5 * p / t, 0.5 + 0.5 * (p - t) / (1 - t))
        return np.clip(out, 0.0, 1.0).astype(np.float32)

    def _knn(self, queries: np.ndarray, memory: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Similarity-weighted vote of the k nearest labelled examples, classes weighted to balance.

        A linear model on 500+ dimensions trained on a few hundred negatives draws a fragile boundary;
        the neighbour vote keeps a text that reads like known MLM talk, in any language, on the MLM side.
        """
        n_pos, n_neg = float((labels == 1).sum()), float((labels == 0).sum())
        class_w = np.where(labels == 1, 1.0, n_pos / max(1.0, n_neg)).astype(np.float32)
        votes = knn_vote(queries, memory, labels.reshape(-1, 1), k=self.k_neighbours,
                         temperature=self.knn_temperature, row_weights=class_w)
        return votes[:, 0]

    def state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays = {
            "rel_mean": self.mean_,
            "rel_coef": self.coef_,
            "rel_idf": self.tfidf_.idf_,
            "rel_memory": self.memory_,
            "rel_memory_y": self.memory_y_,
        }
        meta = {
            "params": {
                "C": self.C,
                "cue_weight": self.cue_weight,
                "lexical_weight": self.lexical_weight,
                "min_df": self.min_df,
                "k_neighbours": self.k_neighbours,
                "knn_temperature": self.knn_temperature,
                "cv_folds": self.cv_folds,
                "random_state": self.random_state,
            },
            "terms": self.tfidf_.terms,
            "intercept": self.intercept_,
            "threshold": self.threshold_,
            "metrics": self.metrics_,
        }
        return arrays, meta

    @classmethod
    def from_state(cls, arrays: Any, meta: dict[str, Any]) -> RelevanceModel:
        obj = cls(**meta["params"])
        obj.mean_ = np.asarray(arrays["rel_mean"], dtype=np.float32)
        obj.coef_ = np.asarray(arrays["rel_coef"], dtype=np.float32)
        obj.intercept_ = float(meta["intercept"])
        obj.tfidf_ = LemmaTfidf.from_state(meta["terms"], arrays["rel_idf"])
        obj.memory_ = np.asarray(arrays["rel_memory"], dtype=np.float16)
        obj.memory_y_ = np.asarray(arrays["rel_memory_y"], dtype=np.int8)
        obj.threshold_ = float(meta["threshold"])
        obj.metrics_ = meta.get("metrics", {})
        return obj
