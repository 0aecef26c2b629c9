"""Every bad-input case ends as a Skipped record with a stable code, and never stops the batch."""

from __future__ import annotations

import builtins
import json
import os
import random
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from mlmtext.errors import InputError
from mlmtext.load import iter_inputs
from mlmtext.load.readers import tabular
from tests.loadkit import docx_bytes, encrypted_pdf_bytes, pdf_bytes, read, zip_bomb_docx


def codes(skipped: list[Any]) -> list[tuple[str, str]]:
    return [(s.path, s.code) for s in skipped]


def test_missing_path_raises_input_error_before_reading(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("fine", encoding="utf-8")
    it = iter_inputs([tmp_path / "ok.txt", tmp_path / "nope"], max_file_bytes=100)
    with pytest.raises(InputError) as info:
        next(it)
    assert "nope" in str(info.value) and info.value.code == "E001"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("zero.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\r\n ", "empty"),
        ("noise.txt", random.Random(1).randbytes(4096), "binary"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "binary"),
        ("data.bin", b"hello", "unsupported"),
        ("Makefile", b"all:", "unsupported"),
        ("fake.pdf", b"just some words, not a pdf", "corrupt"),
        ("fake.docx", b"just some words, not a zip", "corrupt"),
        ("cut.pdf", pdf_bytes(["Earn money"])[:40], "corrupt"),
        ("cut.docx", docx_bytes(["Bonjour"])[:500], "corrupt"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "unsupported"),
        (
            "locked.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "encrypted",
        ),
        ("locked.pdf", encrypted_pdf_bytes("Secret earnings"), "encrypted"),
        ("nums.csv", b"a,b\n1,2\n3,4\n", "no-text-field"),
        ("header.csv", b"text,likes\n", "empty"),
        ("nums.jsonl", b'{"a": 1}\n{"a": 2}\n', "no-text-field"),
        ("scalar.json", b"42", "no-text-field"),
        ("broken.json", b'{"text": "unterminated', "corrupt"),
    ],
)
def test_bad_file_is_skipped_with_code(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    (tmp_path / name).write_bytes(content)
    (tmp_path / "zz_good.txt").write_text("still read after the bad one", encoding="utf-8")
    docs, skipped = read(tmp_path)
    assert codes(skipped) == [(name, code)]
    assert skipped[0].reason and "\n" not in skipped[0].reason
    assert [d.id for d in docs] == ["zz_good.txt"]


def test_zip_without_word_document_is_corrupt(tmp_path: Path) -> None:
    p = tmp_path / "x.docx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("hello.txt", "hi")
    _, skipped = read(p)
    assert codes(skipped) == [("x.docx", "corrupt")] and "document.xml" in skipped[0].reason


@pytest.mark.parametrize("keep", [0.25, 0.5, 0.75, 0.95])
def test_truncated_pdf_and_docx_are_accounted_for(tmp_path: Path, keep: float) -> None:
    pdf = pdf_bytes(["Page one", "Page two", "Page three"])
    doc = docx_bytes(["Un", "Deux", "Trois"])
    (tmp_path / "t.pdf").write_bytes(pdf[: int(len(pdf) * keep)])
    (tmp_path / "t.docx").write_bytes(doc[: int(len(doc) * keep)])
    docs, skipped = read(tmp_path)
    # pypdf may recover the pages before the cut; whatever it cannot read is reported, never raised.
    assert sorted([d.id for d in docs] + [s.path for s in skipped]) == ["t.docx", "t.pdf"]
    assert all(s.code in ("corrupt", "empty") for s in skipped)
    assert [s.path for s in skipped if s.path == "t.docx"] == ["t.docx"]


def test_too_large_is_decided_from_stat_without_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = tmp_path / "big.txt"
    p.write_text("x" * 101, encoding="utf-8")
    real_open = builtins.open

    def guarded(file: Any, *args: Any, **kwargs: Any) -> Any:
        assert os.fspath(file) != str(p), "the over-cap file was opened"
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    _, skipped = read(p, cap=100)
    assert codes(skipped) == [("big.txt", "too-large")]
    assert "101" in skipped[0].reason and "100" in skipped[0].reason


def test_zip_bomb_docx_refused_before_decompressing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "bomb.docx"
    p.write_bytes(zip_bomb_docx(64 * 1024 * 1024))
    assert p.stat().st_size < 200_000  # small on disk, 64 MB declared inside

    def no_inflate(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a member was opened for decompression")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflate)
    _, skipped = read(p, cap=1_000_000)
    assert codes(skipped) == [("bomb.docx", "too-large")]
    assert "declared" in skipped[0].reason


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file_chmod(tmp_path: Path) -> None:
    p = tmp_path / "secret.txt"
    p.write_text("hidden", encoding="utf-8")
    p.chmod(0)
    try:
        _, skipped = read(tmp_path)
    finally:
        p.chmod(0o600)
    assert codes(skipped) == [("secret.txt", "unreadable")]


@pytest.mark.parametrize("name", ["p.txt", "p.csv", "p.jsonl", "p.pdf", "p.docx"])
def test_permission_error_on_open_is_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # Runs as root too (where chmod 000 proves nothing): the OS refusal is simulated at open().
    p = tmp_path / name
    p.write_bytes(b"some bytes")
    real_open = builtins.open

    def deny(file: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fspath(file) == str(p):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    _, skipped = read(p)
    assert codes(skipped) == [(name, "unreadable")]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX links")
def test_symlinks_outside_loop_broken_and_inside(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("private", encoding="utf-8")
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "real.txt").write_text("inside", encoding="utf-8")
    (root / "out.txt").symlink_to(outside)
    (root / "loop.txt").symlink_to(root / "loop.txt")
    (root / "sub" / "up").symlink_to(root, target_is_directory=True)
    (root / "dangling.txt").symlink_to(root / "missing.txt")
    (root / "inside.txt").symlink_to(root / "sub" / "real.txt")
    docs, skipped = read(root)
    assert [(d.id, d.text) for d in docs] == [("inside.txt", "inside")]
    assert codes(skipped) == [
        ("dangling.txt", "unreadable"),
        ("loop.txt", "link-loop"),
        ("out.txt", "link-outside"),
        ("sub/real.txt", "duplicate-input"),
        ("sub/up", "link-loop"),
    ]
    assert "private" not in json.dumps([d.text for d in docs])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs fifos")
def test_fifo_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block forever
    _, skipped = read(tmp_path)
    assert codes(skipped) == [("pipe.txt", "unsupported")]


def test_odd_file_names_are_valid_json_strings(tmp_path: Path) -> None:
    names = [b"with space.txt", b"new\nline.txt", b"caf\xe9-latin1.txt", b"\xff\xfe.txt", "été.txt".encode()]
    for raw in names:
        with open(os.path.join(os.fsencode(tmp_path), raw), "wb") as f:
            f.write(b"content " + raw.replace(b"\n", b" "))
    docs, skipped = read(tmp_path)
    assert skipped == []
    paths = [d.path for d in docs]
    assert "with space.txt" in paths and "new\nline.txt" in paths and "été.txt" in paths
    assert "caf\\xe9-latin1.txt" in paths and "\\xff\\xfe.txt" in paths
    json.dumps(paths, ensure_ascii=False).encode("utf-8")  # no lone surrogates left
    assert len(set(paths)) == len(names)


def test_jsonl_bad_lines_reported_good_lines_kept(tmp_path: Path) -> None:
    p = tmp_path / "export.jsonl"
    lines = [
        b'{"text": "first good"}',
        b"{not json",
        b'{"text": "third good"}',
        b"[" * 2000 + b"]" * 2000,  # nesting past the recursion limit
        b'{"text": 1' + b"0" * 5000 + b"}",  # over Python's int digits limit
        b'{"text": "' + "доход без вложений, свобода! ".encode() * 3 + b'bad byte \xff here"}',
        b'"a bare string record"',
        b"42",
        b'{"other": "no text"}',
        b'{"text": "' + b"x" * 9000 + b'"}',  # over the per-line cap below
        b'{"text": "last good"}',
    ]
    p.write_bytes(b"\n".join(lines) + b"\n")
    docs, skipped = read(p, cap=8000)
    assert [(d.id, d.text) for d in docs] == [
        ("export.jsonl#row=1", "first good"),
        ("export.jsonl#row=3", "third good"),
        ("export.jsonl#row=6", "доход без вложений, свобода! " * 3 + "bad byte \ufffd here"),
        ("export.jsonl#row=7", "a bare string record"),
        ("export.jsonl#row=11", "last good"),
    ]
    assert codes(skipped) == [
        ("export.jsonl#line=2", "corrupt"),
        ("export.jsonl#line=4", "corrupt"),
        ("export.jsonl#line=5", "corrupt"),
        ("export.jsonl#line=8", "corrupt"),
        ("export.jsonl#line=9", "no-text-field"),
        ("export.jsonl#line=10", "too-large"),
    ]


def test_jsonl_undecodable_line_after_the_sample(tmp_path: Path) -> None:
    p = tmp_path / "big.jsonl"
    good = '{"text": "Liberté financière"}\n'.encode()
    body = good * 3000  # past the 64 KB the encoding is decided on
    p.write_bytes(body + b'{"text": "caf\xe9 cp1252 here"}\n' + good)
    docs, skipped = read(p)
    assert len(docs) == 3001 and docs[-1].row == 3002
    assert codes(skipped) == [("big.jsonl#line=3001", "undecodable")]


def test_csv_broken_quoting_and_huge_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "FIELD_LIMIT", 100)
    p = tmp_path / "posts.csv"
    p.write_text(
        'id,text\n1,good one\n2,"broken "quote" here"\n3,' + "y" * 500 + '\n4,good again\n5,"never closed\n',
        encoding="utf-8",
    )
    docs, skipped = read(p)
    assert [(d.id, d.text) for d in docs] == [
        ("posts.csv#row=1", "good one"),
        ("posts.csv#row=2", "good again"),
    ]
    assert codes(skipped) == [
        ("posts.csv#line=3", "corrupt"),
        ("posts.csv#line=4", "too-large"),
        ("posts.csv#line=6", "corrupt"),
    ]


def test_csv_row_without_text_column(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("id,likes,text\n1,2,hello\n7\n", encoding="utf-8")
    docs, skipped = read(p)
    assert [d.text for d in docs] == ["hello"]
    assert codes(skipped) == [("x.csv#line=3", "corrupt")]


def test_csv_with_nul_bytes_keeps_rows(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_bytes(b"text\nhel\x00lo\nworld\n")
    assert [d.text for d in read(p)[0]] == ["hello", "world"]


def test_ten_megabyte_single_line(tmp_path: Path) -> None:
    p = tmp_path / "long.txt"
    line = ("Gagnez de l'argent sans effort, доход каждый день. " * 200_000)[: 10 * 1024 * 1024]
    p.write_text(line, encoding="utf-8")
    docs, skipped = read(p, cap=64 * 1024 * 1024)
    assert skipped == [] and len(docs) == 1
    assert docs[0].text == line.strip()


def test_deep_html_and_entity_flood(tmp_path: Path) -> None:
    (tmp_path / "deep.html").write_text("<div>" * 100_000 + "au fond" + "</div>" * 100_000, encoding="utf-8")
    (tmp_path / "flood.html").write_text("<p>" + "&amp;" * 200_000 + "fin</p>", encoding="utf-8")
    (tmp_path / "tags.html").write_text("<a" * 100_000, encoding="utf-8")
    docs, skipped = read(tmp_path, cap=4_000_000)
    by_id = {d.id: d.text for d in docs}
    assert by_id["deep.html"] == "au fond"
    assert by_id["flood.html"] == "&" * 200_000 + "fin"
    assert [s.path for s in skipped] == ["tags.html"] and skipped[0].code == "empty"


def test_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text("x", encoding="utf-8")
    real_scandir = os.scandir

    def deny(path: Any) -> Any:
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", deny)
    _, skipped = read(tmp_path)
    assert codes(skipped) == [("locked", "unreadable")]


def test_vcs_folder_is_one_entry(tmp_path: Path) -> None:
    (tmp_path / ".git" / "objects").mkdir(parents=True)
    (tmp_path / ".git" / "HEAD").write_text("ref", encoding="utf-8")
    (tmp_path / "post.txt").write_text("hello", encoding="utf-8")
    docs, skipped = read(tmp_path)
    assert [d.id for d in docs] == ["post.txt"]
    assert codes(skipped) == [(".git", "unsupported")]
