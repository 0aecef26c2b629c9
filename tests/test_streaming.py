"""Streaming analysis: batches written as they come give the same report as the in-memory run."""

from __future__ import annotations

import json
import os
import stat
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import mlmtext
from mlmtext import pipeline
from mlmtext.config import AnalyzeConfig
from mlmtext.pipeline import analyze_to
from mlmtext.report import report_to_dict
from mlmtext.spool import RowSpool
from mlmtext.themes.discover import discover, discover_chunked
from mlmtext.types import Document, Passage

FAST = AnalyzeConfig(themes=False, claims=False)
FR = "Mes prospects promettent de venir à la présentation, puis ils ne viennent jamais. Je les relance la veille."
EN = "My prospects promise to come to the presentation and then never show up. I call them the day before."
RU = "Кандидаты обещают прийти на встречу, а потом не приходят и не берут трубку. Я звоню им накануне."


def _reference_bytes(report: Any) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=1) + "\n"


@pytest.fixture(scope="module")
def vector_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("vectors"))


def test_streamed_full_run_is_the_in_memory_report_byte_for_byte(
    sample_dir: Path, tmp_path: Path, vector_cache: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = AnalyzeConfig(cache_dir=vector_cache)
    reference = mlmtext.analyze([sample_dir], config)  # 47 documents: one batch
    monkeypatch.setattr(pipeline, "BATCH_DOCUMENTS", 4)  # the same corpus in 12 batches
    out = tmp_path / "out"
    summary = analyze_to([sample_dir], out, config)
    assert (out / "report.json").read_text(encoding="utf-8") == _reference_bytes(reference)
    # what only the run's end knows reached back into earlier batches: a discovered theme on its passages
    discovered = [t.id for t in reference.themes if not t.builtin]
    assert discovered
    assert any(s.id in discovered for p in reference.passages for s in p.themes)
    assert any(s.id in discovered for d in reference.documents for s in d.themes)
    assert summary.documents == 47 and summary.passages == len(reference.passages)
    assert summary.flagged == sum(1 for d in reference.documents if any(f.stance == "asserted" for f in d.flags))
    assert sorted(p.name for p in out.iterdir()) == ["report.json"]  # the work folder is gone


def test_duplicates_in_later_batches_carry_their_original_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name, text in [("a.txt", FR), ("b.txt", RU), ("c.txt", FR), ("d.txt", EN), ("e.txt", RU)]:
        (src / name).write_text(text, encoding="utf-8")
    reference = mlmtext.analyze([src], FAST)
    monkeypatch.setattr(pipeline, "BATCH_DOCUMENTS", 1)
    analyze_to([src], tmp_path / "out", FAST)
    written = (tmp_path / "out" / "report.json").read_text(encoding="utf-8")
    assert written == _reference_bytes(reference)
    docs = {d["id"]: d for d in json.loads(written)["documents"]}
    assert docs["c.txt"]["duplicate_of"] == "a.txt" and docs["e.txt"]["duplicate_of"] == "b.txt"
    assert docs["c.txt"]["lang"] == "fr" and docs["c.txt"]["passage_count"] == docs["a.txt"]["passage_count"]
    assert json.loads(written)["counts"] == {"documents": 5, "duplicates": 2, "passages": 3, "skipped": 0}


def test_a_run_that_fails_leaves_no_report_and_no_work_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i, text in enumerate([FR, EN, RU]):
        (src / f"{i}.txt").write_text(text, encoding="utf-8")

    class BreaksOnSecondBatch:
        calls = 0

        def flag(self, doc: Document, passages: list[Passage]) -> list[Any]:
            self.calls += 1
            if self.calls == 2:
                raise RuntimeError("stage failed")
            return []

        def info(self) -> dict[str, Any]:
            return {}

    monkeypatch.setattr(pipeline, "BATCH_DOCUMENTS", 1)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="stage failed"):
        analyze_to([src], out, AnalyzeConfig(themes=False, claims=True), claim_flagger=BreaksOnSecondBatch())
    assert list(out.iterdir()) == []


def test_output_folder_equal_to_input_never_reads_its_work_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(FR, encoding="utf-8")
    config = AnalyzeConfig(themes=False, claims=False, exclude=(str(tmp_path / "report.json"),))
    analyze_to([tmp_path], tmp_path, config)
    analyze_to([tmp_path], tmp_path, config)  # the first run's report is there now: still not read
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in report["documents"]] == ["a.txt"]
    assert [s["path"] for s in report["skipped"]] == ["report.json"]  # the work folder is not listed: not input
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "report.json"]


def test_report_gets_the_mode_an_ordinary_file_would(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(FR, encoding="utf-8")
    old = os.umask(0o027)
    try:
        analyze_to([tmp_path / "a.txt"], tmp_path / "out", FAST)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out" / "report.json").stat().st_mode) == 0o640


def _export(path: Path, rows: int) -> None:
    texts = [FR, EN, RU]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(rows):  # every row distinct (a number in it), ~1 KB
            fh.write(json.dumps({"text": f"{texts[i % 3]} {i}. " + texts[(i + 1) % 3] * 6}, ensure_ascii=False) + "\n")


def _peak_bytes(src: Path, out: Path) -> int:
    tracemalloc.start()
    try:
        analyze_to([src], out, FAST)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_input(tmp_path: Path) -> None:
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    _export(small, 600)
    _export(large, 6000)  # ten times the text
    analyze_to([small], tmp_path / "warm", FAST)  # models and caches loaded before measuring
    peak_small = _peak_bytes(small, tmp_path / "o1")
    peak_large = _peak_bytes(large, tmp_path / "o2")
    report = json.loads((tmp_path / "o2" / "report.json").read_text(encoding="utf-8"))
    assert report["counts"]["documents"] == 6000
    # held all at once, ten times the text would need several times the memory; streamed it needs one batch
    assert peak_large < 1.5 * peak_small, (peak_small, peak_large)


def test_row_spool_on_disk_gives_back_what_memory_does(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(300, 8)).astype(np.float32)
    metas = [[f"doc{i % 7}", f"{i:064x}"] for i in range(300)]
    in_memory, on_disk = RowSpool(8), RowSpool(8, tmp_path, "rows")
    for spool in (in_memory, on_disk):
        for start in range(0, 300, 64):
            spool.append(vectors[start : start + 64], metas[start : start + 64])
        spool.close()
    assert len(on_disk) == 300
    for a, b in zip(in_memory.chunks(100), on_disk.chunks(100), strict=True):
        np.testing.assert_array_equal(a, b)
    assert list(on_disk.metas()) == metas
    with pytest.raises(ValueError):
        RowSpool(8).append(vectors[:2], metas[:1])


def test_discovery_from_a_spool_on_disk_matches_the_in_memory_clusters(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    centres = np.eye(16, dtype=np.float32)[:4]
    x = np.concatenate([c + rng.normal(scale=0.05, size=(60, 16)).astype(np.float32) for c in centres])
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    docs = [f"d{i % 30}" for i in range(len(x))]
    hashes = [f"{i:064x}" for i in range(len(x))]
    spool = RowSpool(16, tmp_path, "waiting")
    spool.append(x, [[d, h] for d, h in zip(docs, hashes, strict=True)])
    spool.close()
    found = discover_chunked(
        spool.chunks, lambda: ((m[0], m[1]) for m in spool.metas()), len(spool),
        distance_threshold=0.5, small_n=100,  # the chunked k-means path
    )
    clusters = discover(x, docs, hashes, distance_threshold=0.5, small_n=100)
    assert len(found.ids) == len(clusters) == 4
    assert list(found.ids) == [c.id for c in clusters]
    for k, c in enumerate(clusters):
        assert [int(i) for i in np.flatnonzero(found.labels == k)] == list(c.members)
    assert (found.sims[found.labels >= 0] > 0.9).all()


def test_analyze_to_never_reads_its_own_report_back(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(FR, encoding="utf-8")
    analyze_to([tmp_path], tmp_path / "out", FAST)
    analyze_to([tmp_path], tmp_path / "out", FAST)  # the report of the first run sits inside the input now
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in report["documents"]] == ["a.txt"]
    assert [(s["path"], s["code"]) for s in report["skipped"]] == [("out", "output-folder")]


def test_a_failed_run_releases_its_work_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(FR, encoding="utf-8")
    closed: list[str] = []
    real_close = pipeline.Analysis.close

    def close(self: pipeline.Analysis) -> None:
        closed.append("run")
        real_close(self)

    def broken(self: pipeline.Analysis, documents: list[Document]) -> Any:
        raise RuntimeError("stage failed")

    monkeypatch.setattr(pipeline.Analysis, "close", close)
    monkeypatch.setattr(pipeline.Analysis, "_analyse", broken)
    with pytest.raises(RuntimeError):
        analyze_to([tmp_path / "a.txt"], tmp_path / "out", FAST)
    assert closed == ["run"] and list((tmp_path / "out").iterdir()) == []
