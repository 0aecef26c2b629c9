"""Document-level MLM relevance: is this text about network marketing at all?

A logistic regression (balanced class weights) over the document's centred mean passage vector, a
TF-IDF of its lemmas and counts of MLM vocabulary cues per language (``data/mlm_cues.json``). Similarity to the taxonomy alone cannot separate a party
invitation or a job applicant who did not show up from MLM text about no-shows; a classifier trained on
relevant vs non-relevant texts can. The reported score is shifted so that 0.5 is the calibrated
decision point.
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
from mlmtext.themes.model import GRID, sigmoid, unit_rows

CUES_PATH = Path(__file__).resolve().parent / "data" / "mlm_cues.json"


@cache
def _cue_patterns() -> tuple[re.Pattern[str], ...]:
    data = json.loads(CUES_PATH.read_text("utf-8"))
    return tuple(re.compile(p, re.IGNORECASE) for lang in ("en", "fr", "ru") for p in data[lang])


def cue_features(texts: Sequence[str]) -> np.ndarray:
    """(n, 3): log(1 + cue hits), any hit, hits per 100 words (capped)."""
    out = np.zeros((len(texts), 3), dtype=np.float32)
    for i, text in enumerate(texts):
        hits = sum(len(p.findall(text)) for p in _cue_patterns())
        words = max(1, len(text.split()))
        out[i] = (math.log1p(hits), float(hits > 0), min(3.0, 100.0 * hits / words) / 3.0)
    return out


class RelevanceModel:
    def __init__(self, *, C: float = 1.0, cue_weight: float = 1.0, cv_folds: int = 5, random_state: int = 0):
        self.C = C
        self.cue_weight = cue_weight
        self.cv_folds = cv_folds
        self.random_state = random_state

    def _design(self, X: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        centred = unit_rows(np.asarray(X, dtype=np.float32) - self.mean_)
        return np.hstack([centred, cue_features(texts) * self.cue_weight])

    def _lr(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, solver="liblinear", random_state=self.random_state, max_iter=500)

    def fit(
        self, X: np.ndarray, texts: Sequence[str], y: Sequence[bool], groups: Sequence[str]
    ) -> RelevanceModel:
        """X: raw mean passage vectors of documents (n, d); y: relevant or not."""
        yy = np.asarray(y, dtype=np.int8)
        self.mean_ = np.asarray(X, dtype=np.float32).mean(axis=0)
        design = self._design(X, texts)
        oof = np.zeros(len(yy), dtype=np.float32)
        folds = GroupKFold(n_splits=min(self.cv_folds, len(set(groups))))
        for tr, te in folds.split(design, yy, groups=list(groups)):
            oof[te] = self._lr().fit(design[tr], yy[tr]).predict_proba(design[te])[:, 1]
        lr = self._lr().fit(design, yy)
        self.coef_ = lr.coef_[0].astype(np.float32)
        self.intercept_ = float(lr.intercept_[0])
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
            "oof_recall_nonrelevant": round(
                float(np.sum(neg_pred & (yy == 0))) / max(1.0, float((yy == 0).sum())), 4
            ),
            "n_documents": len(yy),
        }
        return self

    def predict_proba(
        self, X: np.ndarray, texts: Sequence[str], lemmas: Sequence[Sequence[str]]
    ) -> np.ndarray:
        """Relevance in [0, 1], shifted so that 0.5 is the calibrated decision threshold."""
        if not hasattr(self, "coef_"):
            raise ModelNotFittedError("the relevance model is not fitted")
        if len(texts) == 0:
            return np.zeros(0, dtype=np.float32)
        logit = self._design(X, texts, lemmas) @ self.coef_ + self.intercept_
        t = min(max(self.threshold_, 1e-3), 1 - 1e-3)
        return sigmoid(logit - math.log(t / (1 - t)))

    def state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays = {"rel_mean": self.mean_, "rel_coef": self.coef_}
        meta = {
            "params": {
                "C": self.C,
                "cue_weight": self.cue_weight,
                "cv_folds": self.cv_folds,
                "random_state": self.random_state,
            },
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
        obj.threshold_ = float(meta["threshold"])
        obj.metrics_ = meta.get("metrics", {})
        return obj
