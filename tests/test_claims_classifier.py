"""The learned layer: reproducible training, save/load, and how its flags merge with the rules'."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from mlmtext.claims import CATEGORIES, ClaimFlagger
from mlmtext.claims.classifier import EXTRA_NAMES, ClaimClassifier
from mlmtext.claims.train import DEFAULT_DATA, is_test, train_claims
from mlmtext.errors import ModelNotFittedError
from mlmtext.types import Document, Passage


class HashEmbedder:
    """Deterministic stand-in for a sentence embedder (keeps these tests fast and offline)."""

    model_id = "hash-8"
    dim = 8

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[:8], dtype=np.uint8) for t in texts]
        v = np.asarray(rows, dtype=np.float32) - 127.5
        return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.mark.skipif(not DEFAULT_DATA.is_file(), reason="labelled sentences not present")
def test_training_twice_gives_a_byte_identical_model(tmp_path: Path) -> None:
    a = train_claims(DEFAULT_DATA, tmp_path / "a", embedder=HashEmbedder(), limit=80, threshold=0.7)
    b = train_claims(DEFAULT_DATA, tmp_path / "b", embedder=HashEmbedder(), limit=80, threshold=0.7)
    assert a["sha256"] == b["sha256"]
    assert (tmp_path / "a/claims-lr.json").read_bytes() == (tmp_path / "b/claims-lr.json").read_bytes()
    assert a["model_id"] == b["model_id"] and a["data_sha256"] == hashlib.sha256(DEFAULT_DATA.read_bytes()).hexdigest()
    loaded = ClaimClassifier.load(tmp_path / "a/claims-lr.json")
    assert loaded.model_id_ == a["model_id"]
    assert loaded.meta_["training"]["split"].startswith("held out")


def test_split_is_by_id_hash_and_about_a_quarter() -> None:
    ids = [f"en-{i:04d}" for i in range(2000)]
    share = sum(is_test(i) for i in ids) / len(ids)
    assert 0.2 < share < 0.3
    assert [is_test(i) for i in ids] == [is_test(i) for i in ids]


def test_unfitted_classifier_raises() -> None:
    with pytest.raises(ModelNotFittedError):
        ClaimClassifier().predict_proba(np.zeros((1, 3)))


def _forced(category: str, p: float) -> ClaimClassifier:
    """A classifier whose probability for ``category`` is ``p`` on every sentence (others ~0)."""
    clf = ClaimClassifier(threshold=0.8, agree=0.5)
    clf.coef_ = np.zeros((len(CATEGORIES), HashEmbedder.dim + len(EXTRA_NAMES)))
    clf.intercept_ = np.full(len(CATEGORIES), -20.0)
    clf.intercept_[CATEGORIES.index(category)] = float(np.log(p / (1 - p)))
    clf.model_id_ = "claims-lr@test"
    return clf


def _run(flagger: ClaimFlagger, text: str, lang: str = "en") -> list:
    d = Document(id="d", path="d", format="txt", encoding=None, text=text, content_hash="x", lang=lang)
    return flagger.flag(d, [Passage(doc_id="d", index=0, start=0, end=len(text), text=text, lang=lang)])


def test_confident_model_adds_a_sentence_flag() -> None:
    text = "Hi all. Tonight is the night to decide, the doors will not open again."
    f = ClaimFlagger(classifier=_forced("urgency", 0.95), embedder=HashEmbedder())
    fs = [x for x in _run(f, text) if x.source.startswith("model:")]
    assert {x.category for x in fs} == {"urgency"}
    assert all(text[x.start : x.end] == x.text and x.stance == "asserted" for x in fs)
    assert any(x.text == "Tonight is the night to decide, the doors will not open again." for x in fs)


def test_unconfident_model_adds_nothing() -> None:
    f = ClaimFlagger(classifier=_forced("urgency", 0.6), embedder=HashEmbedder())
    assert _run(f, "Tonight is the night to decide.") == []


def test_rule_and_model_agreement_merges_into_one_flag() -> None:
    f = ClaimFlagger(classifier=_forced("financial-freedom", 0.9), embedder=HashEmbedder())
    fs = _run(f, "Financial freedom this year!")
    assert len(fs) == 1
    (flag,) = fs
    assert flag.sources == ("rule:en/financial-freedom/phrases", "model:claims-lr@test")
    assert len(flag.explanations) == 2 and flag.score == pytest.approx(0.9, abs=1e-3)


def test_model_never_asserts_where_rules_saw_a_negated_mention() -> None:
    f = ClaimFlagger(classifier=_forced("earnings", 0.99), embedder=HashEmbedder())
    fs = _run(f, "I don't make $5,000 a month.")
    assert [(x.category, x.stance) for x in fs] == [("earnings", "negated")]


def test_model_needs_more_confidence_outside_a_pitch() -> None:
    # threshold_alone given explicitly, above this fake model's 0.8
    f = ClaimFlagger(classifier=_forced("urgency", 0.8), embedder=HashEmbedder(), threshold_alone=0.9)
    assert _run(f, "We meet at the library tonight.") == []  # 0.8 < 0.9 with no rule claim around
    fs = _run(f, "Financial freedom this year! We meet at the library tonight.")
    assert [(x.category, x.source.split(":")[0]) for x in fs] == [
        ("financial-freedom", "rule"),
        ("urgency", "model"),
        ("urgency", "model"),
    ]


def test_a_pitch_in_one_passage_lowers_the_bar_in_the_whole_document() -> None:
    # a post is one pitch: the paragraph after the rule's claim is read with the pitch floor too
    f = ClaimFlagger(classifier=_forced("urgency", 0.8), embedder=HashEmbedder(), threshold_alone=0.9)
    first, second = "Financial freedom this year!", "We meet at the library tonight."
    text = f"{first}\n\n{second}"
    d = Document(id="d", path="d", format="txt", encoding=None, text=text, content_hash="x", lang="en")
    passages = [
        Passage(doc_id="d", index=0, start=0, end=len(first), text=first, lang="en"),
        Passage(doc_id="d", index=1, start=len(first) + 2, end=len(text), text=second, lang="en"),
    ]
    fs = f.flag(d, passages)
    assert ("urgency", "model", second) in {(x.category, x.source.split(":")[0], x.text) for x in fs}
    alone = f.flag(d, passages[1:])  # the same paragraph without the pitch: 0.8 < 0.9
    assert alone == []


def test_char_ngram_features_survive_save_and_load(tmp_path: Path) -> None:
    texts = [
        "earn while you sleep",
        "passive income forever",
        "we meet at the library",
        "the library opens at nine",
        "passive income while you sleep",
        "bring a book to the library",
    ]
    langs = ["en"] * len(texts)
    y = np.array([[1], [1], [0], [0], [1], [0]]) * np.eye(len(CATEGORIES), dtype=int)[0]
    X = np.zeros((len(texts), HashEmbedder.dim + len(EXTRA_NAMES)))  # identical dense features
    clf = ClaimClassifier(C=10.0).fit(X, y, texts, langs)
    p = clf.predict_proba(X, texts, langs)[:, 0]
    assert p[[0, 1, 4]].min() > p[[2, 3, 5]].max()  # only the text tells them apart
    clf.save(tmp_path / "m.json")
    loaded = ClaimClassifier.load(tmp_path / "m.json")
    assert np.allclose(loaded.predict_proba(X, texts, langs)[:, 0], p, atol=1e-6)
    assert loaded.tfidf_["en"][0] and "fr" not in loaded.tfidf_


def test_cv_folds_keep_near_identical_sentences_together_block_by_block(monkeypatch: pytest.MonkeyPatch) -> None:
    from mlmtext.claims import train as train_mod
    from mlmtext.claims.classifier import EXTRA_NAMES

    rng = np.random.default_rng(3)
    centres = rng.normal(size=(6, 12))
    groups = rng.integers(0, 6, 60)
    X = np.concatenate([centres[groups] + rng.normal(scale=0.05, size=(60, 12)), np.zeros((60, len(EXTRA_NAMES)))], 1)
    whole = train_mod.cv_folds(X)
    monkeypatch.setattr(train_mod, "_BLOCK", 7)  # pairs found across many blocks give the same folds
    assert (train_mod.cv_folds(X) == whole).all()
    for g in range(6):
        assert len(set(whole[groups == g])) <= 1  # each near-identical group sits in one fold


def test_model_needs_more_likely_than_not_inside_a_pitch() -> None:
    # the fake model's own threshold (0.3 here) is below the pitch floor: the floor decides
    text = "Financial freedom this year! We meet at the library tonight."
    low = ClaimFlagger(classifier=_forced("urgency", 0.45), embedder=HashEmbedder())
    low.classifier().thresholds = [0.3] * len(CATEGORIES)
    assert [x.category for x in _run(low, text)] == ["financial-freedom"]
    high = ClaimFlagger(classifier=_forced("urgency", 0.55), embedder=HashEmbedder())
    high.classifier().thresholds = [0.3] * len(CATEGORIES)
    assert {x.category for x in _run(high, text)} == {"financial-freedom", "urgency"}
    assert high.info()["classifier_threshold_pitch"] == 0.5 and high.info()["classifier_thresholds"]["urgency"] == 0.3


def test_model_never_asserts_inside_a_quotation_spanning_sentences() -> None:
    text = 'She sent me this: "Hi girl! We meet at the library tonight. Seats are going fast." Nope.'
    f = ClaimFlagger(classifier=_forced("urgency", 0.99), embedder=HashEmbedder())
    asserted = [x.text for x in _run(f, text) if x.stance == "asserted"]
    assert asserted == ["Nope."]  # the forced model flags every sentence outside the quote and free of quote marks
    unquoted = [x.text for x in _run(f, text.replace('"', "")) if x.stance == "asserted"]
    assert "We meet at the library tonight." in unquoted


def test_shipped_models_live_inside_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    # a wheel carries only the package: a model outside it would leave a pip-installed mlmtext without it
    from importlib.resources import files

    from mlmtext.claims.flagger import DEFAULT_MODEL
    from mlmtext.themes.corpus import models_dir

    monkeypatch.delenv("MLMTEXT_THEME_MODELS", raising=False)
    package = Path(str(files("mlmtext"))).resolve()
    assert DEFAULT_MODEL.is_file() and DEFAULT_MODEL.resolve().is_relative_to(package)
    assert (models_dir() / "use.npz").is_file() and models_dir().resolve().is_relative_to(package)


def test_neighbour_vote_reads_the_closest_labelled_sentences_and_survives_save_and_load() -> None:
    from mlmtext.claims.neighbours import NeighbourVote

    rng = np.random.default_rng(0)
    bank = rng.normal(size=(40, 16))
    Y = np.zeros((40, 3), dtype=np.int64)
    Y[:20, 0] = 1  # the first twenty rows assert category 0, the rest nothing
    vote = NeighbourVote(k=5, temperature=10.0).fit(bank, Y)
    near_first = bank[:3] + 0.01 * rng.normal(size=(3, 16))
    near_last = bank[-3:] + 0.01 * rng.normal(size=(3, 16))
    p = vote.predict(np.vstack([near_first, near_last]))
    assert (p[:3, 0] > 0.5).all() and (p[3:, 0] < 0.5).all() and (p[:, 1:] == 0).all()
    again = NeighbourVote.from_dict(vote.to_dict())
    assert np.array_equal(again.predict(near_first), vote.predict(near_first))
    many = np.vstack([near_first] * 100)  # a large batch (BLAS threads on) gives the same votes
    assert np.allclose(vote.predict(many)[:3], p[:3])


def test_classifier_blends_the_neighbour_vote_and_keeps_it_through_save_and_load(tmp_path: Path) -> None:
    texts = ["join now and earn big", "we meet at the library", "earn big from home now", "library hours change"] * 5
    X = np.hstack([HashEmbedder().embed(texts).astype(np.float64), np.zeros((len(texts), len(EXTRA_NAMES)))])
    Y = np.zeros((len(texts), len(CATEGORIES)), dtype=np.int64)
    Y[[i for i, t in enumerate(texts) if "earn" in t], 0] = 1
    blended = ClaimClassifier(knn_weight=0.5).fit(X, Y)
    alone = ClaimClassifier(knn_weight=0.0).fit(X, Y)
    assert blended.neighbours_ is not None and alone.neighbours_ is None
    assert not np.allclose(blended.predict_proba(X), alone.predict_proba(X))
    blended.save(tmp_path / "m.json")
    loaded = ClaimClassifier.load(tmp_path / "m.json")
    assert np.array_equal(loaded.predict_proba(X), blended.predict_proba(X))


def test_text_logits_equal_a_plain_loop_over_the_analyzer() -> None:
    """The per-word column cache gives bit-identical TF-IDF logits to counting the analyzer's grams one by one."""
    texts = [
        "Earn while you SLEEP",
        "passive income   forever\n\tand ever",
        "  we meet at the library ",
        "the library opens at nine, the library closes at five",
        "passive income while you sleep passive income",
        "",
        "ΟΔΟΣ ΣΟΦΟΣ à l'İstanbul",
    ]
    langs = ["en"] * len(texts)
    y = np.array([[1], [1], [0], [0], [1], [0], [0]]) * np.eye(len(CATEGORIES), dtype=int)[0]
    clf = ClaimClassifier(C=10.0).fit(np.zeros((len(texts), len(EXTRA_NAMES))), y, texts, langs)
    vec = clf._vectorizer("en")
    block = np.random.default_rng(0).normal(size=(len(CATEGORIES), len(vec.vocabulary_)))
    for text in texts * 2:  # the second round reads the word cache
        counts: dict[int, int] = {}
        for gram in vec.build_analyzer()(text.strip().lower()):
            if (k := vec.vocabulary_.get(gram)) is not None:
                counts[k] = counts.get(k, 0) + 1
        want = np.zeros(len(CATEGORIES))
        if counts:
            cols = np.fromiter(counts, dtype=np.int64, count=len(counts))
            w = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * vec.idf_[cols]
            w /= np.sqrt(np.dot(w, w))
            want = np.asarray(block[:, cols] @ w) * clf.tfidf_weight
        assert np.array_equal(clf._text_logits(text, "en", block), want), text


def test_rule_dropout_blanks_only_the_rule_hit_columns_of_about_half_the_rows() -> None:
    from mlmtext.claims.train import drop_rule_hits

    rows = [{"id": f"en-{i:04d}"} for i in range(400)]
    X = np.ones((len(rows), HashEmbedder.dim + len(EXTRA_NAMES)))
    out = drop_rule_hits(X, rows, 0.5)
    first = HashEmbedder.dim
    hits = out[:, first : first + len(CATEGORIES)]
    blanked = (hits == 0).all(axis=1)
    assert 150 < blanked.sum() < 250 and (hits[~blanked] == 1).all()
    rest = np.delete(out, np.s_[first : first + len(CATEGORIES)], axis=1)
    assert (rest == 1).all() and (X == 1).all()  # other columns untouched, input not modified
    assert (drop_rule_hits(X, rows, 0.5) == out).all()  # the id decides, not chance
    assert (drop_rule_hits(X, rows, 0.0) == X).all()


def test_advice_negatives_skip_sentences_a_rule_fires_on_unless_asked(tmp_path: Path) -> None:
    from mlmtext.claims.background import advice_sentences

    passages = tmp_path / "passages.jsonl"
    text = "Send a short reminder the day before. I quit my job after three months with this team!"
    passages.write_text(json.dumps({"id": "p1", "lang": "en", "themes": ["no-shows"], "text": text}) + "\n", "utf-8")
    kept = [r["text"] for r in advice_sentences(passages)]
    assert kept == ["Send a short reminder the day before."]
    every = [r["text"] for r in advice_sentences(passages, skip_rule_hits=False)]
    assert every == ["Send a short reminder the day before.", "I quit my job after three months with this team!"]
