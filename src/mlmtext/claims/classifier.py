"""The learned layer: one logistic regression per category over sentence features.

Features of a sentence: its embedding (``mlmtext.embed``), which rule categories fired in it and with
which stance, and which kinds of stance cue it holds. The target is "this sentence asserts a claim of
category c". The fitted state is plain numbers saved as canonical JSON, so the same training data gives a
byte-identical model file (no pickle).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Span

from mlmtext.claims.categories import CATEGORIES
from mlmtext.claims.mentions import Mention
from mlmtext.claims.stance import builtin_detector, sentence_cues
from mlmtext.errors import ModelNotFittedError

FORMAT = "mlmtext-claims-lr/1"
CUE_NAMES = ("negation", "report", "quote", "marker")
EXTRA_NAMES = tuple(
    [f"rule:{c}:asserted" for c in CATEGORIES]
    + [f"rule:{c}:other" for c in CATEGORIES]
    + [f"cue:{n}" for n in CUE_NAMES]
)


def extra_features(sent: Span, mentions: Sequence[Mention], lang: str) -> np.ndarray:
    """Rule and cue features of one sentence; ``mentions`` are those inside it."""
    out = np.zeros(len(EXTRA_NAMES), dtype=np.float32)
    n = len(CATEGORIES)
    for m in mentions:
        j = CATEGORIES.index(m.category)
        out[j if m.stance == "asserted" else n + j] = 1.0
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


class ClaimClassifier:
    """Estimator in the scikit-learn manner: parameters in ``__init__``, fitted state ends in ``_``."""

    model_id_: str
    meta_: dict[str, Any]

    def __init__(self, *, C: float = 2.0, threshold: float = 0.8, agree: float = 0.5) -> None:
        self.C = C
        self.threshold = threshold  # a model-only flag needs this probability
        self.agree = agree  # a rule flag gets the model as a second source from this probability

    def fit(self, X: np.ndarray, Y: np.ndarray) -> ClaimClassifier:
        coef = np.zeros((Y.shape[1], X.shape[1]))
        intercept = np.full(Y.shape[1], -20.0)  # a category never seen asserted is never predicted
        for j in range(Y.shape[1]):
            y = Y[:, j].astype(int)
            if 0 < y.sum() < len(y):
                lr = LogisticRegression(C=self.C, max_iter=5000, class_weight="balanced")
                lr.fit(X, y)
                coef[j], intercept[j] = lr.coef_[0], lr.intercept_[0]
        self.coef_ = np.vectorize(_num)(coef) if coef.size else coef
        self.intercept_ = np.array([_num(v) for v in intercept])
        return self

    def _check(self) -> None:
        if not hasattr(self, "coef_"):
            raise ModelNotFittedError(
                "the claim classifier is not fitted: call fit() or ClaimClassifier.load()"
            )

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probability per (row, category), in the order of ``CATEGORIES``."""
        self._check()
        z = X @ self.coef_.T + self.intercept_
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -50, 50))))

    def to_dict(self, **meta: Any) -> dict[str, Any]:
        self._check()
        body = {
            "format": FORMAT,
            "categories": list(CATEGORIES),
            "extra_features": list(EXTRA_NAMES),
            "params": {"C": self.C, "threshold": self.threshold, "agree": self.agree},
            "coef": [[_num(v) for v in row] for row in self.coef_],
            "intercept": [_num(v) for v in self.intercept_],
        }
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]
        return {"id": f"claims-lr@{digest}", **meta, **body}

    def save(self, path: str | Path, **meta: Any) -> str:
        """Write canonical JSON; returns the model id."""
        data = self.to_dict(**meta)
        Path(path).write_text(
            json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
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
        clf = cls(C=float(params["C"]), threshold=float(params["threshold"]), agree=float(params["agree"]))
        clf.coef_ = np.asarray(data["coef"], dtype=np.float64)
        clf.intercept_ = np.asarray(data["intercept"], dtype=np.float64)
        clf.model_id_ = str(data["id"])
        clf.meta_ = {k: v for k, v in data.items() if k not in ("coef", "intercept")}
        return clf

    @classmethod
    def load(cls, path: str | Path) -> ClaimClassifier:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelNotFittedError(f"cannot read claim model {path}: {exc}") from None
        return cls.from_dict(data)
