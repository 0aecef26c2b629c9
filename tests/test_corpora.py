"""The team's corpora stay valid: each data set's own checker passes, and the sample meets its brief."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

LABELS = ROOT / "corpora" / "labels" / "sample.jsonl"


def _labels() -> list[dict]:
    return [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _load(relpath: str) -> Any:
    spec = importlib.util.spec_from_file_location(Path(relpath).stem, ROOT / relpath)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sample_labels_checker_passes() -> None:
    assert _load("corpora/labels/check_sample.py").main() == 0


def test_theme_passages_checker_passes() -> None:
    assert _load("corpora/themes/check_passages.py").main([]) == 0


def test_claim_sentences_validator_passes() -> None:
    module = _load("corpora/claims/validate.py")
    assert module.validate(ROOT / "corpora" / "claims" / "sentences.jsonl") == []


def test_claim_background_negatives_validator_passes() -> None:
    module = _load("corpora/claims/validate.py")
    claims = ROOT / "corpora" / "claims"
    assert module.validate_background(claims / "background_negatives.jsonl", claims / "sentences.jsonl") == []


def test_background_validator_finds_labels_and_copies(tmp_path: Path) -> None:
    module = _load("corpora/claims/validate.py")
    claims = ROOT / "corpora" / "claims"
    first = json.loads((claims / "sentences.jsonl").read_text(encoding="utf-8").splitlines()[0])
    claim = {"category": "job-replacement", "stance": "asserted", "text": "quit my job"}
    rows = [
        {"id": "bg-en-001", "lang": "en", "text": "See you at the team brunch.", "labels": []},
        {"id": "bg-en-002", "lang": "en", "text": "I quit my job.", "labels": [claim]},
        {"id": "bg-en-002", "lang": "en", "text": "See you at the team brunch!", "labels": []},
        {"id": f"bg-{first['lang']}-003", "lang": first["lang"], "text": first["text"], "labels": []},
    ]
    path = tmp_path / "bg.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    problems = module.validate_background(path, claims / "sentences.jsonl")
    assert any("must have no labels" in p for p in problems)
    assert any("bg-en-002" in p and "out of order" in p for p in problems)
    assert any("bg-en-002: duplicate of bg-en-001" in p for p in problems)
    assert any(f"labelled sentence {first['id']}" in p for p in problems)


def test_corpus_meets_its_brief(sample_dir: Path) -> None:
    labels = _labels()
    langs = [x["lang"] for x in labels if x["relevant"]]
    for lang in ("fr", "ru", "en"):
        assert langs.count(lang) >= 10
    assert langs.count("mixed") >= 2
    assert any(x["path"].endswith(".html") for x in labels)
    raw = [(sample_dir / x["path"]).read_bytes() for x in labels]
    cp1251 = [b for b in raw if not _is_utf8(b)]
    assert cp1251, "the corpus must hold a non-UTF-8 (cp1251) file"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
