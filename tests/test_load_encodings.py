"""Encodings: BOMs, UTF-16 without BOM, cp1251 vs KOI8-R on short Russian text, cp1252/latin-1 French."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from mlmtext.load.decode import decode_bytes, detect_encoding
from mlmtext.load.plausible import plausibility
from mlmtext.load.problems import ReadProblem
from tests.loadkit import read

RUSSIAN = [
    "Привет, как дела?",
    "Заработай миллион за месяц!",
    "СУПЕР ДОХОД БЕЗ ВЛОЖЕНИЙ",
    "Я вступила в компанию в прошлом году и уже купила машину.",
    "Бизнес мечты",
    "Это не пирамида.",
    "ДОХОД",
    "мама",
]
FRENCH = [
    "Café crème à la française, très été",
    "Gagnez 5000 € par mois sans effort !",
    "Élève",
    "Ça marche",
    "« Liberté financière »",
    "Réussite garantie à 100 %",
]


@pytest.mark.parametrize("text", RUSSIAN)
@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
def test_russian_8bit_tables_told_apart(text: str, codec: str) -> None:
    decoded, label = decode_bytes(text.encode(codec))
    assert decoded == text
    assert label == codec


@pytest.mark.parametrize("text", FRENCH)
def test_french_cp1252(text: str) -> None:
    decoded, label = decode_bytes(text.encode("cp1252"))
    assert decoded == text
    assert label == "cp1252"


def test_french_latin1_decodes_to_the_same_text() -> None:
    # Latin-1 and cp1252 agree on every letter; cp1252 is reported because it is the likelier source.
    text = "Très déçue par ce réseau"
    decoded, label = decode_bytes(text.encode("latin-1"))
    assert decoded == text and label in ("cp1252", "iso8859-1")


@pytest.mark.parametrize(
    ("codec", "label"),
    [
        ("utf-8-sig", "utf-8"),
        ("utf-16", None),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("utf-32", None),
    ],
)
@pytest.mark.parametrize("text", ["Hello world, join my team", "Доход без вложений, пиши в личку", "Café é"])
def test_unicode_with_and_without_bom(text: str, codec: str, label: str | None) -> None:
    decoded, got = decode_bytes(text.encode(codec))
    assert decoded.lstrip("\ufeff") == text
    if label:
        assert got == label
    else:
        assert got.startswith(codec)


def test_boms_recorded_on_documents(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(codecs.BOM_UTF16_LE + "Бонус".encode("utf-16-le"))
    (tmp_path / "b.txt").write_bytes(codecs.BOM_UTF8 + b"Bonus")
    docs, skipped = read(tmp_path)
    assert skipped == []
    assert [(d.text, d.encoding) for d in docs] == [("Бонус", "utf-16-le"), ("Bonus", "utf-8")]


def test_mostly_utf8_with_a_broken_byte_stays_utf8() -> None:
    data = "Доход каждый день, свобода и путешествия".encode() + b"\xff"
    text, label = decode_bytes(data)
    assert label == "utf-8"
    assert text.startswith("Доход каждый день") and text.endswith("\ufffd")


@pytest.mark.parametrize("codec", ["cp1251", "koi8-r", "utf-16"])
def test_streamed_csv_in_legacy_encodings(tmp_path: Path, codec: str) -> None:
    p = tmp_path / "vk.csv"
    p.write_bytes('id,текст\n1,Пассивный доход\n2,"Это не пирамида, а бизнес"\n'.encode(codec))
    docs, skipped = read(p)
    assert skipped == []
    assert [d.text for d in docs] == ["Пассивный доход", "Это не пирамида, а бизнес"]
    assert docs[0].encoding is not None and docs[0].encoding.startswith(codec)


def test_jsonl_cp1252(tmp_path: Path) -> None:
    p = tmp_path / "fr.jsonl"
    p.write_bytes('{"text": "Liberté financière dès demain"}\n'.encode("cp1252"))
    docs, _ = read(p)
    assert [(d.text, d.encoding) for d in docs] == [("Liberté financière dès demain", "cp1252")]


def test_plausibility_prefers_the_right_table() -> None:
    right = "Привет, как дела?"
    wrong = right.encode("cp1251").decode("koi8-r")
    latin = right.encode("cp1251").decode("cp1252")
    assert (plausibility(right) or 0) > (plausibility(wrong) or 0)
    assert (plausibility(right) or 0) > (plausibility(latin) or 0)
    assert plausibility("12345 !!!") is None


def test_binary_and_magic_numbers_refused() -> None:
    with pytest.raises(ReadProblem) as info:
        detect_encoding(b"%PDF-1.4 whatever")
    assert info.value.code == "binary"
    with pytest.raises(ReadProblem) as info:
        detect_encoding(bytes(range(256)) * 4)
    assert info.value.code == "binary"


def test_invalid_utf16_after_bom_is_undecodable() -> None:
    with pytest.raises(ReadProblem) as info:
        decode_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8a\x00")  # a lone high surrogate
    assert info.value.code == "undecodable"


def test_long_run_of_high_bytes_is_undecodable() -> None:
    rng = random.Random(3)
    noise = bytes(rng.randrange(0x80, 0x100) for _ in range(400))
    with pytest.raises(ReadProblem) as info:
        decode_bytes(noise)
    assert info.value.code == "undecodable"
