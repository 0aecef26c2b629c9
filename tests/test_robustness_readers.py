"""Property-based tests over the readers: hostile bytes and text never raise and are always accounted for.

Invariants checked on every example: no exception escapes ``iter_inputs``; every file written is
reported as document(s) or skipped; document text is NFC, free of control characters other than
newline and tab, encodable as UTF-8, and hashed correctly; ids are unique.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mlmtext.load.clean import clean_text
from mlmtext.load.decode import looks_binary
from mlmtext.types import Document, Skipped
from tests.loadkit import docx_bytes, pdf_bytes, read

# tests/fuzz/fuzz_readers.py raises the example count through this variable for the fuzzing campaign.
EXAMPLES = int(os.environ.get("MLMTEXT_FUZZ_EXAMPLES", "50"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
ROW_SUFFIX = re.compile(r"#(line|row)=\d+$")
EXTENSIONS = [".txt", ".md", ".html", ".pdf", ".docx", ".csv", ".tsv", ".jsonl", ".json"]
HOSTILE = [
    "\u202e",
    "\u200f",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\x00",
    "\x07",
    "\x1b",
    "а",
    "о",
    "е",
    "ѕ",
    "😀",
    "👨\u200d👩\u200d👧",
    "e\u0301",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\u2028",
    "\u2029",
    "\x85",
    "é",
    "ё",
    "\ufffd",
    "<",
    ">",
    "&amp;",
    "&#0;",
    '"',
    ",",
    ";",
    "{",
    "\\",
    "ש",
    "مرحبا",
]
hostile_text = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(HOSTILE)), max_size=25).map("".join)
RECORD_FORMATS = [".txt", ".md", ".csv", ".tsv", ".jsonl", ".json"]


def check_invariants(files: list[str], docs: list[Document], skipped: list[Skipped]) -> None:
    seen = {d.path for d in docs} | {ROW_SUFFIX.sub("", s.path) for s in skipped}
    assert set(files) <= seen, f"not accounted for: {set(files) - seen}"
    assert len({d.id for d in docs}) == len(docs)
    for d in docs:
        assert d.text and d.text == d.text.strip()
        assert unicodedata.is_normalized("NFC", d.text)
        assert not any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in d.text)
        assert "\r" not in d.text
        d.text.encode("utf-8")
        assert d.content_hash == hashlib.sha256(d.text.encode("utf-8")).hexdigest()
    for s in skipped:
        assert s.code and s.reason
        s.path.encode("utf-8")
        s.reason.encode("utf-8")


def wrap(text: str, ext: str) -> str:
    if ext == ".html":
        return f"<p>{text}</p>"
    if ext in (".csv", ".tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t" if ext == ".tsv" else ",")  # quotes \r and \n
        writer.writerow(["id", "text"])
        writer.writerow(["1", text])
        return out.getvalue()
    if ext == ".jsonl":
        return json.dumps({"id": 1, "text": text}) + "\n"
    if ext == ".json":
        return json.dumps([{"id": 1, "text": text}])
    return text


@SETTINGS
@given(data=st.binary(max_size=3000), ext=st.sampled_from(EXTENSIONS))
def test_random_bytes_in_every_format(data: bytes, ext: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "f" + ext).write_bytes(data)
        docs, skipped = read(tmp)
        check_invariants(["f" + ext], docs, skipped)


@SETTINGS
@given(text=hostile_text, ext=st.sampled_from(RECORD_FORMATS))
# Regressions found by the fuzz campaign (see TESTING.md).
@example(text="0\x1f\x1f\x07", ext=".txt")  # was read as BOM-less UTF-16 (Greek/Syriac)
@example(text="\u202e\x00", ext=".txt")  # likewise, via the NUL
@example(text=";;;,", ext=".csv")  # delimiter sniffed as ";"
@example(text="\ufeff\ufeff", ext=".txt")  # second BOM kept
@example(text="\r0", ext=".csv")
def test_hostile_unicode_round_trips_in_utf8(text: str, ext: str) -> None:
    data = wrap(text, ext).encode("utf-8", "surrogatepass")
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "f" + ext).write_bytes(data)
        docs, skipped = read(tmp)
        check_invariants(["f" + ext], docs, skipped)
        expected = clean_text(text)
        if [s.code for s in skipped] == ["binary"]:
            assert looks_binary(data[:65536])  # refused only when over 5% of the bytes are controls
        elif expected:
            assert [d.text for d in docs] == [expected]
        else:
            assert docs == [] and all(s.code == "empty" for s in skipped)


@SETTINGS
@given(
    text=hostile_text,
    ext=st.sampled_from([".txt", ".html", ".csv", ".jsonl", ".json"]),
    codec=st.sampled_from(["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1251", "koi8-r", "cp1252"]),
)
def test_hostile_unicode_in_other_encodings(text: str, ext: str, codec: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "f" + ext).write_bytes(wrap(text, ext).encode(codec, "replace"))
        docs, skipped = read(tmp)
        check_invariants(["f" + ext], docs, skipped)


@SETTINGS
@given(
    kind=st.sampled_from(["pdf", "docx"]),
    cut=st.floats(0.0, 1.0),
    flips=st.lists(st.tuples(st.floats(0.0, 0.999), st.integers(0, 255)), max_size=8),
)
def test_damaged_pdf_and_docx(kind: str, cut: float, flips: list[tuple[float, int]]) -> None:
    data = bytearray(
        pdf_bytes(["Gagnez 5000 par mois", "Page two"]) if kind == "pdf" else docx_bytes(["Un", "Deux"])
    )
    for where, value in flips:
        data[int(where * len(data))] = value
    data = data[: max(1, int(len(data) * cut))]
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "f." + kind).write_bytes(bytes(data))
        docs, skipped = read(tmp)
        check_invariants(["f." + kind], docs, skipped)
        assert all(s.code in ("corrupt", "empty", "encrypted", "unsupported") for s in skipped)


@settings(
    max_examples=max(25, EXAMPLES // 2),
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(
    files=st.lists(
        st.tuples(
            st.lists(st.sampled_from(["a", "b b", "ж", "new\nline"]), max_size=2),
            st.text(
                st.characters(exclude_categories=["Cs"], exclude_characters="/\x00"),
                min_size=1,
                max_size=8,
            ),
            st.sampled_from([*EXTENSIONS, ".bin", ""]),
            st.one_of(hostile_text.map(lambda t: t.encode("utf-8")), st.binary(max_size=300)),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_random_folders_every_file_accounted(files: list[tuple[list[str], str, str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        written: set[str] = set()
        for folders, stem, ext, content in files:
            name = stem + ext
            if name in (".", "..") or any(name == f for f in folders):
                continue
            rel = "/".join([*folders, name])
            target = Path(tmp, *folders, name)
            if any(rel.startswith(w + "/") or w.startswith(rel + "/") for w in written):
                continue  # a file where a folder is wanted (or the reverse)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            written.add(rel)
        docs, skipped = read(tmp)
        check_invariants([os.fsdecode(w) for w in written], docs, skipped)
