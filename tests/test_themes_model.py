"""The estimators (theme model, relevance model), discovery and labelling, on small synthetic data."""

from __future__ import annotations

import numpy as np
import pytest

from mlmtext.errors import ModelNotFittedError
from mlmtext.themes import artifacts
from mlmtext.themes.artifacts import FittedThemes
from mlmtext.themes.discover import calibrate_threshold, cluster_id, discover
from mlmtext.themes.lexical import content_lemmas_many, stop_words
from mlmtext.themes.model import ThemeModel
from mlmtext.themes.relevance import RelevanceModel
from mlmtext.themes.terms import labels_from_terms, top_terms_by_lang

DIM = 16


def _basis(seed: int) -> np.ndarray:
    """DIM orthonormal directions: well separated centres (and loners) for every seed."""
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(DIM, DIM)))
    return q.T.astype(np.float32)


def _blobs(n_per: int, centres: int, seed: int = 0, spread: float = 0.15) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    c = _basis(seed)[:centres]
    x = np.concatenate([c[k] + spread * rng.normal(size=(n_per, DIM)) for k in range(centres)])
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32), np.repeat(np.arange(centres), n_per)


def _fit(seed: int = 0) -> tuple[ThemeModel, np.ndarray, list[list[str]], np.ndarray]:
    x, lab = _blobs(30, 3, seed=1)
    Y = np.eye(3, dtype=np.int8)[lab]
    words = [["alpha", "un"], ["beta", "deux"], ["gamma", "trois"]]
    lemmas = [words[k] for k in lab]
    protos = [x[lab == k][:5] for k in range(3)]
    model = ThemeModel(random_state=seed, cv_folds=3).fit(
        x,
        lemmas,
        Y,
        theme_ids=["a", "b", "c"],
        prototype_vectors=protos,
        groups=[str(i) for i in range(len(x))],
    )
    return model, x, lemmas, Y


def test_theme_model_not_fitted() -> None:
    with pytest.raises(ModelNotFittedError, match="not fitted"):
        ThemeModel().predict(np.zeros((1, DIM), dtype=np.float32), [[]])
    with pytest.raises(ModelNotFittedError):
        RelevanceModel().predict_proba(np.zeros((1, DIM), dtype=np.float32), ["x"], [[]])


def test_theme_model_learns_and_is_deterministic() -> None:
    model, x, lemmas, Y = _fit()
    pred = model.predict(x, lemmas)
    assert pred.shape == Y.shape
    assert (model.predict_proba(x, lemmas).argmax(axis=1) == Y.argmax(axis=1)).mean() > 0.95
    assert model.metrics_["oof_top1"] > 0.9  # calibrated out of fold
    assert all(0.05 <= t <= 0.95 for t in model.thresholds_)
    again, *_ = _fit()
    assert np.array_equal(model.coef_, again.coef_) and np.array_equal(model.thresholds_, again.thresholds_)
    assert model.get_params()["random_state"] == 0


def test_zero_shot_probability_rises_with_similarity() -> None:
    model, x, *_ = _fit()
    centred = model.centre(x[:3])
    p = model.zero_shot_proba(centred, np.stack([centred[0], -centred[0]]))
    assert p[0, 0] > p[0, 1]


def test_save_and_load_give_identical_predictions(tmp_path) -> None:
    model, x, lemmas, _Y = _fit()
    texts = ["network marketing team", "cake recipe"] * 45
    rel = RelevanceModel(cv_folds=3).fit(
        x, texts, lemmas, [i % 2 == 0 for i in range(len(x))], [str(i) for i in range(len(x))]
    )
    fitted = FittedThemes(model, rel, {"embedder": "fake", "discovery": {"distance_threshold": 0.7}})
    npz, _js = artifacts.save(fitted, tmp_path, "fake")
    first_bytes = npz.read_bytes()
    loaded = artifacts.load(tmp_path, "fake")
    assert loaded is not None and loaded.id == fitted.id and loaded.id.startswith("fake@")
    assert np.array_equal(loaded.themes.predict_proba(x, lemmas), model.predict_proba(x, lemmas))
    assert np.allclose(loaded.relevance.predict_proba(x, texts, lemmas), rel.predict_proba(x, texts, lemmas))
    artifacts.save(fitted, tmp_path, "fake")
    assert npz.read_bytes() == first_bytes  # reproducible files: fixed zip timestamps
    assert artifacts.load(tmp_path, "absent") is None


def test_artefact_keys() -> None:
    assert artifacts.artefact_key("use") == "use"
    assert artifacts.artefact_key("e5") == "e5"
    assert artifacts.artefact_key("st:/models/All-MiniLM-L6-v2/") == "st-all-minilm-l6-v2"


def test_relevance_scores_are_centred_on_the_threshold() -> None:
    x, lab = _blobs(40, 2, seed=3)
    texts = ["my upline and downline in network marketing" if k == 0 else "bake the cake" for k in lab]
    lemmas = content_lemmas_many(texts, ["en"] * len(texts))
    rel = RelevanceModel(cv_folds=4).fit(x, texts, lemmas, lab == 0, [str(i) for i in range(len(x))])
    p = rel.predict_proba(x, texts, lemmas)
    assert ((p >= 0.5) == (lab == 0)).mean() > 0.95
    assert p.min() >= 0.0 and p.max() <= 1.0


def test_discover_small_is_deterministic_and_drops_small_groups() -> None:
    x, lab = _blobs(6, 3, seed=2, spread=0.05)
    extra = _basis(2)[3:5]  # two loners, orthogonal to every group
    xs = np.concatenate([x, extra])
    docs = [f"doc{i % 4}" for i in range(len(xs))]
    hashes = [f"{i:064x}" for i in range(len(xs))]
    a = discover(xs, docs, hashes, distance_threshold=0.5, min_size=3)
    b = discover(xs, docs, hashes, distance_threshold=0.5, min_size=3)
    assert [(c.id, c.members) for c in a] == [(c.id, c.members) for c in b]
    assert len(a) == 3 and all(len(c.members) == 6 for c in a)
    assert all(c.id.startswith("d-") for c in a)
    clustered = {i for c in a for i in c.members}
    assert len(xs) - 1 not in clustered and len(xs) - 2 not in clustered  # loners stay unassigned
    for c in a:
        assert len({lab[i] for i in c.members}) == 1


def test_discover_needs_two_documents_when_there_are_several() -> None:
    x, _ = _blobs(5, 1, seed=4, spread=0.05)
    hashes = [f"{i:064x}" for i in range(5)]
    assert discover(x, ["one"] * 5, hashes, distance_threshold=0.5) != []  # a 1-document corpus
    mixed = discover(np.concatenate([x, -x]), ["one"] * 5 + ["two"] * 5, hashes * 2, distance_threshold=0.5)
    assert mixed == []  # each group comes from a single document of several


def test_discover_large_path_matches_the_structure() -> None:
    x, lab = _blobs(200, 5, seed=5, spread=0.1)
    docs = [f"d{i % 50}" for i in range(len(x))]
    hashes = [f"{i:064x}" for i in range(len(x))]
    clusters = discover(x, docs, hashes, distance_threshold=0.5, small_n=100, random_state=0)
    assert len(clusters) == 5
    for c in clusters:
        assert len({lab[i] for i in c.members}) == 1
    again = discover(x, docs, hashes, distance_threshold=0.5, small_n=100, random_state=0)
    assert [c.members for c in clusters] == [c.members for c in again]


def test_cluster_id_ignores_member_order() -> None:
    assert cluster_id(["b" * 64, "a" * 64]) == cluster_id(["a" * 64, "b" * 64])
    assert cluster_id(["a" * 64]) != cluster_id(["b" * 64])


def test_calibrated_threshold_recovers_known_groups() -> None:
    x, lab = _blobs(10, 3, seed=6, spread=0.05)
    t = calibrate_threshold(x, [str(k) for k in lab])
    assert [
        len(c.members) for c in discover(x, ["a", "b"] * 15, [f"{i:064x}" for i in range(30)], distance_threshold=t)
    ] == [10, 10, 10]


def test_top_terms_keep_accents_and_cyrillic_and_drop_stop_words() -> None:
    texts = [
        "Les prospects ne sont pas venus à la réunion de présentation.",
        "La réunion de présentation était prévue à l'hôtel, personne n'est venu.",
        "Ма́ленькая встреча: кандидаты не пришли на презентацию.",
        "Кандидаты обещали прийти на презентацию и не пришли.",
        "Le gâteau au chocolat cuit vingt minutes.",
        "Пирог с яблоками печётся сорок минут.",
    ]
    langs = ["fr", "fr", "ru", "ru", "fr", "ru"]
    lemmas = content_lemmas_many(texts, langs)
    terms = top_terms_by_lang([[0, 1, 2, 3], [4, 5]], lemmas, langs)
    assert "réunion" in terms[0]["fr"] and "présentation" in terms[0]["fr"]
    assert "презентация" in terms[0]["ru"] and "кандидат" in terms[0]["ru"]
    assert not set(terms[0]["fr"]) & stop_words("fr") and not set(terms[0]["ru"]) & stop_words("ru")
    assert "gâteau" in terms[1]["fr"]
    labels = labels_from_terms(terms[0], {"fr": 2, "ru": 2})
    assert set(labels) == {"en", "fr", "ru"} and "réunion" in labels["fr"]
