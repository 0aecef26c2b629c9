"""The supervised multi-label theme model, in the style of a scikit-learn estimator.

Features of a passage: its embedding centred on a reference mean (all MLM text shares one direction in
embedding space; removing it separates themes), its similarity to each theme prototype (centred mean of
the theme's descriptions and seeds in three languages), and a TF-IDF of its lemmas. One logistic
regression per theme, blended with a similarity-weighted vote of the nearest labelled passages.
Per-theme thresholds are chosen on out-of-fold predictions (never on the data a head was fitted on).
A pooled Platt scaling of prototype similarity serves themes that have no labelled data (a user's
``--themes`` file): zero-shot, but still with a threshold calibrated per embedder.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from mlmtext.errors import ModelNotFittedError
from mlmtext.themes.lexical import LemmaTfidf

GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


def unit_rows(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32)


def knn_vote(
    queries: np.ndarray,
    memory: np.ndarray,
    labels: np.ndarray,
    *,
    k: int,
    temperature: float,
    row_weights: np.ndarray | None = None,
) -> np.ndarray:
    """(n, t) softmax-weighted vote of the ``k`` most similar memory rows' label vectors ``labels`` (m, t).

    ``row_weights`` (m,) scales each memory row's vote (e.g. to balance classes). Queries are read in chunks
    of 2,048 so memory stays O(chunk x m), never O(n x m).
    """
    out = np.zeros((len(queries), labels.shape[1]), dtype=np.float32)
    if len(memory) == 0 or len(queries) == 0:
        return out
    k = min(k, len(memory))
    for start in range(0, len(queries), 2048):
        sims = queries[start : start + 2048] @ memory.T
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        s = np.take_along_axis(sims, top, axis=1)
        w = np.exp((s - s.max(axis=1, keepdims=True)) / temperature)
        if row_weights is not None:
            w = w * row_weights[top]
        votes = np.einsum("nk,nkt->nt", w, labels[top].astype(np.float32))
        out[start : start + 2048] = votes / w.sum(axis=1, keepdims=True)
    return out


def sigmoid(z: np.ndarray) -> np.ndarray:
    return (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).astype(np.float32)


def best_threshold(prob: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """The grid threshold with the best F1 on (out-of-fold) probabilities, and that F1."""
    best = (0.5, -1.0)
    for t in GRID:
        pred = prob >= t
        tp = float(np.sum(pred & truth))
        denom = float(np.sum(pred) + np.sum(truth))
        f1 = 2 * tp / denom if denom else 0.0
        if f1 > best[1] + 1e-9:
            best = (float(t), f1)
    return best


class ThemeModel:
    """Multi-label passage -> theme probabilities. ``fit`` then ``predict_proba`` / ``predict``."""

    def __init__(
        self,
        *,
        C: float = 2.0,
        similarity_weight: float = 5.0,
        lexical_weight: float = 2.0,
        cv_folds: int = 5,
        min_df: int = 2,
        k_neighbours: int = 20,
        knn_temperature: float = 0.05,
        knn_weight: float = 0.5,
        random_state: int = 0,
    ) -> None:
        self.k_neighbours = k_neighbours
        self.knn_temperature = knn_temperature
        self.knn_weight = knn_weight
        self.C = C
        self.similarity_weight = similarity_weight
        self.lexical_weight = lexical_weight
        self.cv_folds = cv_folds
        self.min_df = min_df
        self.random_state = random_state

    # ---- fitted-state helpers -------------------------------------------------------------------
    def _check(self) -> None:
        if not hasattr(self, "coef_"):
            raise ModelNotFittedError(
                "the theme model is not fitted: run `python -m mlmtext.themes.train --embedder <name>`"
            )

    def centre(self, x: np.ndarray) -> np.ndarray:
        """Vectors minus the reference mean, re-normalised (the shared 'MLM direction' removed)."""
        return unit_rows(np.asarray(x, dtype=np.float32) - self.mean_)

    def prototype(self, vectors: np.ndarray) -> np.ndarray:
        """A theme prototype from the raw vectors of its descriptions and seeds."""
        return unit_rows(self.centre(vectors).mean(axis=0, keepdims=True))[0]

    def similarities(self, centred: np.ndarray, prototypes: np.ndarray | None = None) -> np.ndarray:
        protos = self.prototypes_ if prototypes is None else prototypes
        return (centred @ protos.T).astype(np.float32)

    def _design(self, centred: np.ndarray, sims: np.ndarray, lex: sparse.csr_matrix) -> sparse.csr_matrix:
        blocks = [
            sparse.csr_matrix(centred),
            sparse.csr_matrix(sims * self.similarity_weight),
            lex * self.lexical_weight,
        ]
        return sparse.hstack(blocks, format="csr")

    def _fit_heads(self, design: sparse.csr_matrix, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        coef = np.zeros((y.shape[1], design.shape[1]), dtype=np.float32)
        intercept = np.zeros(y.shape[1], dtype=np.float32)
        for k in range(y.shape[1]):
            if y[:, k].min() == y[:, k].max():  # no positives (or all): a constant head
                intercept[k] = 10.0 if y[0, k] else -10.0
                continue
            lr = LogisticRegression(C=self.C, solver="liblinear", random_state=self.random_state, max_iter=500)
            lr.fit(design, y[:, k])
            coef[k] = lr.coef_[0]
            intercept[k] = lr.intercept_[0]
        return coef, intercept

    # ---- estimator API -----------------------------------------------------------------------
    def fit(
        self,
        X: np.ndarray,
        lemmas: Sequence[Sequence[str]],
        Y: np.ndarray,
        *,
        theme_ids: Sequence[str],
        prototype_vectors: Sequence[np.ndarray],
        groups: Sequence[str],
        reference: np.ndarray | None = None,
    ) -> ThemeModel:
        """X: raw passage vectors (n, d); Y: 0/1 labels (n, k); prototype_vectors[k]: raw seed vectors."""
        X = np.asarray(X, dtype=np.float32)
        Y = np.asarray(Y, dtype=np.int8)
        self.theme_ids_ = list(theme_ids)
        self.mean_ = (X.mean(axis=0) if reference is None else np.asarray(reference)).astype(np.float32)
        self.prototypes_ = np.stack([self.prototype(v) for v in prototype_vectors]).astype(np.float32)
        self.tfidf_ = LemmaTfidf(min_df=self.min_df).fit(lemmas)
        centred = self.centre(X)
        sims = self.similarities(centred)
        design = self._design(centred, sims, self.tfidf_.transform(lemmas))

        # Out-of-fold probabilities (folds keep a post's paragraphs together) calibrate the thresholds.
        oof = np.zeros(Y.shape, dtype=np.float32)
        n_groups = len(set(groups))
        folds = GroupKFold(n_splits=min(self.cv_folds, n_groups))
        for train_idx, test_idx in folds.split(design, Y, groups=list(groups)):
            coef, intercept = self._fit_heads(design[train_idx], Y[train_idx])
            lr_part = sigmoid(design[test_idx] @ coef.T + intercept)
            knn_part = self._knn(centred[test_idx], centred[train_idx], Y[train_idx])
            oof[test_idx] = (1 - self.knn_weight) * lr_part + self.knn_weight * knn_part
        self.coef_, self.intercept_ = self._fit_heads(design, Y)
        self.memory_ = centred.astype(np.float16)  # labelled passages the neighbour vote reads
        self.memory_Y_ = Y

        truth = Y.astype(bool)
        global_t, _ = best_threshold(oof.ravel(), truth.ravel())
        thresholds, f1s = [], []
        for k in range(Y.shape[1]):
            t, f1 = best_threshold(oof[:, k], truth[:, k]) if truth[:, k].sum() >= 5 else (global_t, 0.0)
            thresholds.append(t)
            f1s.append(f1)
        self.thresholds_ = np.array(thresholds, dtype=np.float32)

        # Zero-shot calibration: one logistic curve of similarity -> P(theme), pooled over all themes.
        zs = LogisticRegression(C=10.0, solver="liblinear", random_state=self.random_state)
        zs.fit(sims.reshape(-1, 1), truth.ravel())
        self.zero_shot_ = np.array([zs.coef_[0, 0], zs.intercept_[0]], dtype=np.float32)
        zs_prob = sigmoid(sims * self.zero_shot_[0] + self.zero_shot_[1])
        self.zero_shot_threshold_, zs_f1 = best_threshold(zs_prob.ravel(), truth.ravel())

        has_label = truth.any(axis=1)
        top1 = float(np.mean(truth[has_label, oof[has_label].argmax(axis=1)])) if has_label.any() else 0.0
        zs_top1 = float(np.mean(truth[has_label, sims[has_label].argmax(axis=1)])) if has_label.any() else 0.0
        self.metrics_ = {
            "oof_top1": round(top1, 4),
            "oof_f1_per_theme": {t: round(f, 4) for t, f in zip(self.theme_ids_, f1s, strict=True)},
            "oof_f1_global_threshold": global_t,
            "zero_shot_top1": round(zs_top1, 4),
            "zero_shot_f1": round(zs_f1, 4),
            "n_passages": len(X),
        }
        return self

    def decision_function(self, X: np.ndarray, lemmas: Sequence[Sequence[str]]) -> np.ndarray:
        self._check()
        centred = self.centre(X)
        design = self._design(centred, self.similarities(centred), self.tfidf_.transform(lemmas))
        return np.asarray(design @ self.coef_.T + self.intercept_, dtype=np.float32)

    def predict_proba(self, X: np.ndarray, lemmas: Sequence[Sequence[str]]) -> np.ndarray:
        """(n, k) scores in [0, 1], one column per ``theme_ids_``: the logistic heads blended with the
        label vote of the nearest labelled passages (which carries meaning across languages well)."""
        lr_part = sigmoid(self.decision_function(X, lemmas))
        knn_part = self._knn(self.centre(X), self.memory_.astype(np.float32), self.memory_Y_)
        return ((1 - self.knn_weight) * lr_part + self.knn_weight * knn_part).astype(np.float32)

    def _knn(self, queries: np.ndarray, memory: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Similarity-weighted mean of the label vectors of the k nearest labelled passages."""
        return knn_vote(queries, memory, labels, k=self.k_neighbours, temperature=self.knn_temperature)

    def predict(self, X: np.ndarray, lemmas: Sequence[Sequence[str]]) -> np.ndarray:
        """(n, k) 0/1 multi-label assignments at the calibrated per-theme thresholds."""
        return (self.predict_proba(X, lemmas) >= self.thresholds_).astype(np.int8)

    def zero_shot_proba(self, centred: np.ndarray, prototypes: np.ndarray) -> np.ndarray:
        self._check()
        return sigmoid(self.similarities(centred, prototypes) * self.zero_shot_[0] + self.zero_shot_[1])

    # ---- persistence (plain arrays + JSON: no pickle) -------------------------------------------
    def state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        self._check()
        arrays = {
            "mean": self.mean_,
            "prototypes": self.prototypes_,
            "coef": self.coef_,
            "intercept": self.intercept_,
            "thresholds": self.thresholds_,
            "zero_shot": self.zero_shot_,
            "idf": self.tfidf_.idf_,
            "memory": self.memory_,
            "memory_Y": self.memory_Y_,
        }
        meta = {
            "params": self.get_params(),
            "theme_ids": self.theme_ids_,
            "thresholds": {t: float(v) for t, v in zip(self.theme_ids_, self.thresholds_, strict=True)},
            "zero_shot_threshold": self.zero_shot_threshold_,
            "metrics": self.metrics_,
            "terms": self.tfidf_.terms,
        }
        return arrays, meta

    def get_params(self) -> dict[str, Any]:
        return {
            "C": self.C,
            "similarity_weight": self.similarity_weight,
            "lexical_weight": self.lexical_weight,
            "cv_folds": self.cv_folds,
            "min_df": self.min_df,
            "k_neighbours": self.k_neighbours,
            "knn_temperature": self.knn_temperature,
            "knn_weight": self.knn_weight,
            "random_state": self.random_state,
        }

    @classmethod
    def from_state(cls, arrays: Any, meta: dict[str, Any]) -> ThemeModel:
        model = cls(**meta["params"])
        model.theme_ids_ = list(meta["theme_ids"])
        model.mean_ = np.asarray(arrays["mean"], dtype=np.float32)
        model.prototypes_ = np.asarray(arrays["prototypes"], dtype=np.float32)
        model.coef_ = np.asarray(arrays["coef"], dtype=np.float32)
        model.intercept_ = np.asarray(arrays["intercept"], dtype=np.float32)
        model.thresholds_ = np.asarray(arrays["thresholds"], dtype=np.float32)
        model.zero_shot_ = np.asarray(arrays["zero_shot"], dtype=np.float32)
        model.zero_shot_threshold_ = float(meta["zero_shot_threshold"])
        model.tfidf_ = LemmaTfidf.from_state(meta["terms"], arrays["idf"])
        model.memory_ = np.asarray(arrays["memory"], dtype=np.float16)
        model.memory_Y_ = np.asarray(arrays["memory_Y"], dtype=np.int8)
        model.metrics_ = meta.get("metrics", {})
        return model
