"""Hostile folders through the whole pipeline (themes and claims off): nothing raises, nothing is lost.

Every file written is reported as a document or as skipped, passage offsets index the document text,
and the report serialises to valid UTF-8 JSON even with hostile file names and text.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mlmtext
from mlmtext import pipeline
from mlmtext.config import AnalyzeConfig
from mlmtext.errors import InputError
from mlmtext.pipeline import analyze_to
from mlmtext.report.json_report import report_to_dict, write_report
from tests.loadkit import docx_bytes, pdf_bytes
from tests.test_robustness_readers import EXAMPLES, hostile_text, wrap

CONFIG = AnalyzeConfig(themes=False, claims=False, max_file_bytes=200_000)
ROW_SUFFIX = re.compile(r"#(line|row)=\d+$")
NAMES = ["post", "b b", "ж", "new\nline", "é", "x#1", "..."]
EXTS = [".txt", ".md", ".html", ".csv", ".tsv", ".jsonl", ".json", ".pdf", ".docx", ".bin", ""]


def _content(ext: str, text: str, raw: bytes, use_raw: bool) -> bytes:
    if use_raw:
        return raw
    if ext == ".pdf":
        return pdf_bytes([text.encode("cp1252", "replace").decode("cp1252")])
    if ext == ".docx":
        return docx_bytes([re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", text)])
    return wrap(text, ext).encode("utf-8", "surrogatepass")


folder = st.lists(
    st.tuples(
        st.sampled_from(["", "sub", "sub/deeper", "ж папка"]),
        st.sampled_from(NAMES),
        st.sampled_from(EXTS),
        hostile_text,
        st.binary(max_size=400),
        st.booleans(),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=max(20, EXAMPLES // 3),
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(files=folder)
def test_whole_pipeline_accounts_for_every_file(files: list[tuple[str, str, str, str, bytes, bool]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        written: set[str] = set()
        for sub, stem, ext, text, raw, use_raw in files:
            rel = f"{sub}/{stem}{ext}" if sub else f"{stem}{ext}"
            if rel in written or rel.endswith("/..."):
                continue
            target = Path(tmp, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_content(ext, text, raw, use_raw))
            written.add(rel)

        report = mlmtext.analyze([tmp], CONFIG)

        seen = {r.document.path for r in report.documents} | {
            ROW_SUFFIX.sub("", s.path) for s in report.skipped
        }
        assert written <= seen, f"not accounted for: {written - seen}"
        texts = {r.document.id: r.document.text for r in report.documents}
        for p in report.passages:
            assert texts[p.doc_id][p.start : p.end] == p.text
        encoded = json.dumps(report_to_dict(report), ensure_ascii=False).encode("utf-8")
        assert json.loads(encoded)["counts"]["skipped"] == len(report.skipped)

        # the streaming run the CLI makes, two documents per batch, writes exactly this report
        with tempfile.TemporaryDirectory() as out:
            batch_size, pipeline.BATCH_DOCUMENTS = pipeline.BATCH_DOCUMENTS, 2
            try:
                analyze_to([tmp], out, CONFIG)
            finally:
                pipeline.BATCH_DOCUMENTS = batch_size
            written = Path(out, "report.json").read_text(encoding="utf-8")
            assert written == json.dumps(report_to_dict(report), ensure_ascii=False, indent=1) + "\n"
            assert os.listdir(out) == ["report.json"]


def test_report_written_inside_out_dir_with_hostile_names(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for raw in [b"..%2f..%2fescape.txt", b"new\nline.txt", b"\xff\xfe.txt", b"-rf.txt"]:
        with open(os.path.join(os.fsencode(src), raw), "wb") as f:
            f.write(b"Rejoins mon equipe et gagne ta liberte financiere.")
    out = tmp_path / "out"
    report = mlmtext.analyze([src], CONFIG)
    assert len(report.documents) == 4
    path = write_report(report, out)
    assert Path(path).resolve().parent == out.resolve()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    assert {d["path"] for d in data["documents"]} >= {"new\nline.txt", "\\xff\\xfe.txt"}


def test_missing_input_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        mlmtext.analyze([tmp_path / "does-not-exist"], CONFIG)
    assert "does-not-exist" in str(info.value) and "\n" not in str(info.value)
