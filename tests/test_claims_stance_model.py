"""The learned stance layer and per-category thresholds: deterministic, saved as plain numbers, reloadable."""

from __future__ import annotations

import json

import numpy as np

from mlmtext.claims.categories import CATEGORIES
from mlmtext.claims.classifier import ClaimClassifier
from mlmtext.claims.stance_model import StanceModel, context


def _data() -> tuple[np.ndarray, np.ndarray, list[str], list[str], list[str], list[str]]:
    rng = np.random.default_rng(0)
    n = 60
    emb = rng.normal(size=(n, 8))
    cues = np.zeros((n, 4))
    stances = ["asserted", "negated", "reported"] * (n // 3)
    lead = {"asserted": "i really ", "negated": "i never ", "reported": "they promise "}
    lefts, rights = zip(*(context(f"{lead[s]}made money {k}", len(lead[s]), len(lead[s]) + 10, "en")
                          for k, s in enumerate(stances)), strict=True)
    cats = [CATEGORIES[k % 3] for k in range(n)]
    return emb, cues, cats, list(lefts), list(rights), stances


def test_stance_model_round_trips_and_separates() -> None:
    emb, cues, cats, lefts, rights, stances = _data()
    a = StanceModel(cut=0.2).fit(emb, cues, cats, lefts, rights, stances)
    b = StanceModel(cut=0.2).fit(emb, cues, cats, lefts, rights, stances)
    assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())
    c = StanceModel.from_dict(json.loads(json.dumps(a.to_dict())))
    p, q = a.predict(emb, cues, cats, lefts, rights), c.predict(emb, cues, cats, lefts, rights)
    assert np.allclose(p, q)
    asserted = np.array(stances) == "asserted"
    assert p[asserted, 0].min() > p[~asserted, 0].max()


def test_per_category_thresholds_are_saved() -> None:
    clf = ClaimClassifier(threshold=0.5, thresholds=[0.5 + 0.01 * j for j in range(len(CATEGORIES))])
    clf.coef_ = np.zeros((len(CATEGORIES), 3))
    clf.intercept_ = np.zeros(len(CATEGORIES))
    back = ClaimClassifier.from_dict(clf.to_dict())
    assert back.threshold_for(CATEGORIES[3]) == 0.53
    assert ClaimClassifier(threshold=0.7).threshold_for(CATEGORIES[0]) == 0.7


def test_transform_equals_the_vectorizers_own() -> None:
    """The stance model's TF-IDF shortcut gives exactly what scikit-learn's transform gives."""
    from mlmtext.claims.stance_model import transform

    emb, cues, cats, lefts, rights, stances = _data()
    model = StanceModel().fit(emb, cues, cats, lefts, rights, stances)
    texts = [*lefts, *rights, "", "  ", "x", "<en>never made a dime", "promised\n\nincome<fr>", "Доход<ru>"]
    for vec in model._vecs:
        want, got = vec.transform(texts), transform(vec, texts)
        want.sort_indices()
        assert got.shape == want.shape
        assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
        assert np.array_equal(got.data, want.data)
