"""The pipeline end to end on small folders, with themes and claims off unless a test needs them."""

from __future__ import annotations

from pathlib import Path

import mlmtext
from mlmtext.config import AnalyzeConfig
from mlmtext.report import report_to_dict

FAST = AnalyzeConfig(themes=False, claims=False)

FR = ("Mes prospects promettent de venir à la présentation, puis ils ne viennent jamais. "
      "Je les relance la veille et je confirme l'heure par message.")
RU = ("Кандидаты обещают прийти на встречу, а потом не приходят и не берут трубку. "
      "Я звоню им накануне и напоминаю о времени.")
EN = ("My prospects promise to come to the presentation and then never show up. "
      "I call them the day before and confirm the time by text.")


def _write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def test_languages_offsets_and_duplicates(tmp_path: Path) -> None:
    _write(tmp_path, "fr.txt", FR)
    _write(tmp_path, "ru.txt", RU, "cp1251")
    _write(tmp_path, "en.md", EN)
    _write(tmp_path, "sub/en-copy.txt", EN)
    report = mlmtext.analyze([tmp_path], FAST)
    docs = {d.document.path: d.document for d in report.documents}
    assert {p: d.lang for p, d in docs.items()} == {
        "fr.txt": "fr", "ru.txt": "ru", "en.md": "en", "sub/en-copy.txt": "en"
    }
    assert docs["sub/en-copy.txt"].duplicate_of == "en.md"
    assert docs["en.md"].duplicate_of is None
    texts = {d.id: d.text for d in docs.values()}
    for p in report.passages:
        assert texts[p.doc_id][p.start:p.end] == p.text
    # a duplicate is analysed once: its passages are not repeated
    assert {p.doc_id for p in report.passages} == {"fr.txt", "ru.txt", "en.md"}


def test_mixed_document_reports_shares(tmp_path: Path) -> None:
    _write(tmp_path, "mixed.txt", f"{FR}\n\n{FR}\n\n{EN}\n\n{EN}")
    report = mlmtext.analyze([tmp_path], FAST)
    (doc,) = report.documents
    shares = doc.document.lang_shares
    assert set(shares) == {"fr", "en"}
    assert abs(sum(shares.values()) - 1.0) < 1e-3
    assert min(shares.values()) > 0.3
    assert report_to_dict(report)["documents"][0]["mixed"] is True
    assert [p.lang for p in report.passages] == ["fr", "fr", "en", "en"]


def test_same_input_same_report(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", FR)
    _write(tmp_path, "b.txt", RU)
    first = report_to_dict(mlmtext.analyze([tmp_path], FAST))
    second = report_to_dict(mlmtext.analyze([tmp_path], FAST))
    assert first == second


def test_nothing_but_skips_is_an_empty_report(tmp_path: Path) -> None:
    _write(tmp_path, "empty.txt", "")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    report = mlmtext.analyze([tmp_path], FAST)
    assert report.documents == ()
    assert sorted(s.path for s in report.skipped) == ["empty.txt", "image.png"]
    assert all(s.reason for s in report.skipped)


def test_undetermined_text(tmp_path: Path) -> None:
    _write(tmp_path, "numbers.txt", "12345 67890 !!! 2024-01-01")
    (doc,) = mlmtext.analyze([tmp_path], FAST).documents
    assert doc.document.lang == "und"


def test_full_pipeline_is_deterministic(sample_dir: Path) -> None:
    files = [sample_dir / "fr" / "05-pitch-recrutement.txt", sample_dir / "ru" / "03-forum-kritika.txt",
             sample_dir / "mixed" / "01-fr-en-slogans.txt"]
    config = AnalyzeConfig(cache_dir="")
    first = report_to_dict(mlmtext.analyze(files, config))
    second = report_to_dict(mlmtext.analyze(list(reversed(files)), config))
    assert first["documents"] and any(d["flags"] for d in first["documents"])
    by_id = {d["id"]: d for d in second["documents"]}
    for doc in first["documents"]:  # input order must not change any finding
        assert by_id[doc["id"]] == doc
