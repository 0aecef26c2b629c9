"""Each reader: what text comes out of each format, ids, rows, formats."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path

import pytest

from mlmtext.load import iter_inputs
from mlmtext.types import Document
from tests.loadkit import docx_bytes, pdf_bytes, read


def one_doc(path: Path, **kw: object) -> Document:
    docs, skipped = read(path, **kw)  # type: ignore[arg-type]
    assert skipped == []
    assert len(docs) == 1
    return docs[0]


def test_txt_newlines_controls_and_hash(tmp_path: Path) -> None:
    p = tmp_path / "post.txt"
    p.write_bytes(b"Gagnez plus\r\nsans effort\rfin\x00 \x07ok\n")
    doc = one_doc(p)
    assert doc.text == "Gagnez plus\nsans effort\nfin ok"
    assert doc.id == doc.path == "post.txt"
    assert doc.format == "txt"
    assert doc.content_hash == hashlib.sha256(doc.text.encode()).hexdigest()
    assert doc.row is None and doc.lang == "und"


def test_text_is_nfc(tmp_path: Path) -> None:
    p = tmp_path / "nfd.txt"
    p.write_text(unicodedata.normalize("NFD", "Élève déçu"), encoding="utf-8")
    doc = one_doc(p)
    assert doc.text == "Élève déçu"
    assert unicodedata.is_normalized("NFC", doc.text)


def test_markdown_kept_as_written(tmp_path: Path) -> None:
    p = tmp_path / "note.MD"  # extensions are case-insensitive
    p.write_text("# Titre\n\n*Liberté* financière", encoding="utf-8")
    doc = one_doc(p)
    assert doc.format == "md"
    assert doc.text == "# Titre\n\n*Liberté* financière"


def test_html_visible_text_only(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(
        "<html><head><title>T</title><style>.a{color:red}</style><script>var x='secret';</script></head>"
        "<body><nav><a href='/'>Accueil</a><a>Contact</a></nav><div role='navigation'>Menu</div>"
        "<article><h1>Mon parcours &amp; mes r&eacute;sultats</h1><p>Premier   paragraphe, <b>gras</b>.</p>"
        "<p>Deuxième<br>ligne</p><noscript>Activez JS</noscript><template>tpl</template>"
        "<div hidden>caché</div></article><footer>© 2024</footer></body></html>",
        encoding="utf-8",
    )
    doc = one_doc(p)
    assert doc.text == (
        "Mon parcours & mes résultats\n\nPremier paragraphe, gras.\n\nDeuxième\nligne\n\n© 2024"
    )
    for hidden in ("secret", "color", "Accueil", "Menu", "Activez", "tpl", "caché", "T\n"):
        assert hidden not in doc.text


def test_html_meta_charset_cp1251(tmp_path: Path) -> None:
    p = tmp_path / "ru.htm"
    p.write_bytes("<meta charset='windows-1251'><p>Доход без вложений</p>".encode("cp1251"))
    doc = one_doc(p)
    assert doc.text == "Доход без вложений"
    assert doc.encoding == "cp1251"


def test_pdf_pages_joined_by_blank_line(tmp_path: Path) -> None:
    p = tmp_path / "flyer.pdf"
    p.write_bytes(pdf_bytes(["Earn 5000 a month", "Join my team (today)"]))
    doc = one_doc(p)
    assert doc.format == "pdf"
    assert doc.text == "Earn 5000 a month\n\nJoin my team (today)"


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    p = tmp_path / "pitch.docx"
    p.write_bytes(
        docx_bytes(["Rejoins l'équipe", "", "Liberté financière"], [["Niveau", "Bonus"], ["Or", "20 %"]])
    )
    doc = one_doc(p)
    assert doc.text == "Rejoins l'équipe\n\nLiberté financière\n\nNiveau | Bonus\n\nOr | 20 %"


def test_csv_rows_with_autodetected_column(tmp_path: Path) -> None:
    p = tmp_path / "export.csv"
    p.write_text(
        'id,author,message,likes\n1,ann,"Hello, world",3\n2,bob,"Multi\nline post",4\n\n3,cat,,0\n',
        encoding="utf-8",
    )
    docs, skipped = read(p)
    assert [(d.id, d.row, d.text) for d in docs] == [
        ("export.csv#row=1", 1, "Hello, world"),
        ("export.csv#row=2", 2, "Multi\nline post"),
    ]
    assert all(d.path == "export.csv" and d.format == "csv" for d in docs)
    assert [(s.path, s.code) for s in skipped] == [("export.csv#row=3", "empty")]


def test_csv_semicolon_and_russian_header(tmp_path: Path) -> None:
    p = tmp_path / "vk.csv"
    p.write_text("дата;текст\n2024-01-01;Пассивный доход каждый день\n", encoding="utf-8")
    docs, _ = read(p)
    assert [d.text for d in docs] == ["Пассивный доход каждый день"]


def test_csv_longest_column_when_no_known_name(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text(
        "a,b,c\n1,short,a much longer sentence here\n2,tiny,another long sentence\n", encoding="utf-8"
    )
    assert [d.text for d in read(p)[0]] == ["a much longer sentence here", "another long sentence"]


def test_text_field_option_beats_autodetection(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("text,Note Perso\nignored,chosen one\n", encoding="utf-8")
    assert [d.text for d in read(p, text_field="note perso")[0]] == ["chosen one"]
    docs, skipped = read(p, text_field="missing")
    assert docs == [] and [s.code for s in skipped] == ["no-text-field"]
    assert "missing" in skipped[0].reason and "Note Perso" in skipped[0].reason


def test_tsv(tmp_path: Path) -> None:
    p = tmp_path / "x.tsv"
    p.write_text("user\tcaption\nbob\tsalut, ça va ; oui\n", encoding="utf-8")
    assert [d.text for d in read(p)[0]] == ["salut, ça va ; oui"]


def test_jsonl_row_is_line_number(tmp_path: Path) -> None:
    p = tmp_path / "posts.jsonl"
    p.write_text(
        '{"id": 1, "full_text": "first", "text": "fir"}\n\n{"id": 2, "full_text": "second"}\n',
        encoding="utf-8",
    )
    docs, skipped = read(p)
    assert [(d.id, d.row, d.text) for d in docs] == [
        ("posts.jsonl#row=1", 1, "first"),
        ("posts.jsonl#row=3", 3, "second"),
    ]
    assert skipped == []


def test_json_list_and_object_holding_records(tmp_path: Path) -> None:
    p = tmp_path / "list.json"
    p.write_text(json.dumps([{"body": "un"}, {"body": "deux"}]), encoding="utf-8")
    assert [(d.id, d.text) for d in read(p)[0]] == [("list.json#row=1", "un"), ("list.json#row=2", "deux")]
    q = tmp_path / "telegram.json"
    q.write_text(
        json.dumps(
            {
                "name": "chan",
                "type": "public_channel",
                "messages": [
                    {
                        "id": 1,
                        "type": "message",
                        "text": ["Voir ", {"type": "link", "text": "https://x.fr"}, " !"],
                    },
                    {"id": 2, "type": "service", "text": ""},
                ],
            }
        ),
        encoding="utf-8",
    )
    docs, skipped = read(q)
    assert [d.text for d in docs] == ["Voir https://x.fr !"]
    assert [(s.path, s.code) for s in skipped] == [("telegram.json#row=2", "empty")]


def test_folder_recursive_sorted_relative_posix_paths(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("z", encoding="utf-8")
    (tmp_path / "b" / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "c.txt").write_text("c", encoding="utf-8")
    (tmp_path / "a.md").write_text("a", encoding="utf-8")
    docs, _ = read(tmp_path)
    assert [d.id for d in docs] == ["a.md", "c.txt", "b/a.txt", "b/z.txt"]
    again, _ = read(tmp_path)
    assert again == docs


def test_file_given_directly_uses_its_name_and_ids_stay_unique(tmp_path: Path) -> None:
    for sub in ("x", "y"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "post.txt").write_text(sub, encoding="utf-8")
    docs, _ = read(tmp_path / "x" / "post.txt", tmp_path / "y" / "post.txt")
    assert [d.id for d in docs] == ["post.txt", "y/post.txt"]
    assert len({d.id for d in docs}) == 2


def test_iter_inputs_is_lazy(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"text {i}", encoding="utf-8")
    it = iter_inputs([tmp_path], max_file_bytes=100)
    first = next(it)
    assert isinstance(first, Document) and first.id == "0.txt"


@pytest.mark.parametrize("ext", [".txt", ".md", ".html", ".csv", ".jsonl", ".json"])
def test_every_text_format_reads_utf8_cyrillic(tmp_path: Path, ext: str) -> None:
    text = "Бизнес мечты: свобода и доход"
    body = {
        ".csv": f"text\n{text}\n",
        ".jsonl": json.dumps({"text": text}, ensure_ascii=False) + "\n",
        ".json": json.dumps([{"text": text}], ensure_ascii=False),
        ".html": f"<p>{text}</p>",
    }.get(ext, text)
    p = tmp_path / f"f{ext}"
    p.write_text(body, encoding="utf-8")
    docs, skipped = read(p)
    assert skipped == [] and [d.text for d in docs] == [text]
    assert docs[0].encoding == "utf-8"


def test_json_object_with_several_lists_reports_the_one_left_out(tmp_path: Path) -> None:
    import json as _json

    from mlmtext.load import iter_inputs
    from mlmtext.types import Document, Skipped

    data = {"posts": [{"text": f"Post numéro {i} sur la prospection."} for i in range(3)],
            "comments": [{"text": f"Commentaire {i} sur les lapins."} for i in range(5)]}
    (tmp_path / "export.json").write_text(_json.dumps(data, ensure_ascii=False), encoding="utf-8")
    items = list(iter_inputs([tmp_path], max_file_bytes=10**6))
    assert sum(isinstance(i, Document) for i in items) == 5
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [(s.path, s.code) for s in skipped] == [("export.json#posts", "ignored")]


@pytest.mark.parametrize("name", ["posts.csv", "posts.jsonl"])
def test_carriage_return_only_line_endings(tmp_path: Path, name: str) -> None:
    from mlmtext.load import iter_inputs
    from mlmtext.types import Document

    rows = ["Bonjour, je relance mes prospects la veille.", "Они не пришли на встречу."]
    if name.endswith(".csv"):
        body = "id,text\r" + "".join(f'{i},"{t}"\r' for i, t in enumerate(rows, 1))
    else:
        body = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\r" for t in rows)
    (tmp_path / name).write_bytes(body.encode("utf-8"))
    docs = [i for i in iter_inputs([tmp_path], max_file_bytes=10**6) if isinstance(i, Document)]
    assert [d.text for d in docs] == rows
