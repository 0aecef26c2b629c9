"""``mlmtext themes REPORT``: listing the themes of a report."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mlmtext.cli.themes_cmd import theme_rows, themes_cmd

REPORT = {
    "schema": {"name": "mlmtext.report", "version": "1.0"},
    "themes": [
        {
            "id": "no-shows",
            "builtin": True,
            "labels": {"en": "No-shows", "fr": "Absences aux rendez-vous", "ru": "Неявки"},
            "size": 4,
            "top_terms": {"fr": ["venir", "réunion"], "ru": ["прийти", "встреча"]},
            "examples": [],
        },
        {
            "id": "retention",
            "builtin": True,
            "labels": {"en": "Retention", "fr": "Fidélisation", "ru": "Удержание"},
            "size": 0,
            "top_terms": {},
            "examples": [],
        },
        {
            "id": "taxes-admin",
            "builtin": False,
            "labels": {"en": "Taxes", "fr": "Impôts", "ru": "Налоги"},
            "size": 2,
            "top_terms": {"fr": ["impôt"]},
            "examples": [],
        },
        {
            "id": "d-0123456789",
            "builtin": False,
            "labels": {"en": "gâteau, four", "fr": "gâteau, four", "ru": "gâteau, four"},
            "size": 7,
            "top_terms": {"fr": ["gâteau", "four"]},
            "examples": [{"doc_id": "a.txt", "passage_index": 2, "text": "Le gâteau…"}],
        },
    ],
}


def _write(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text(json.dumps(REPORT, ensure_ascii=False), "utf-8")
    return out


def test_theme_rows_kinds_order_and_language_fallback() -> None:
    rows = theme_rows(REPORT, "en")
    assert [(r["id"], r["kind"]) for r in rows] == [
        ("no-shows", "builtin"),
        ("taxes-admin", "user"),
        ("d-0123456789", "discovered"),
    ]
    assert rows[0]["label"] == "No-shows" and rows[0]["top_terms_lang"] == "fr"  # no English terms: fall back
    ru = theme_rows(REPORT, "ru", include_empty=True)
    assert ru[0]["label"] == "Неявки" and ru[0]["top_terms"] == ["прийти", "встреча"]
    assert "retention" in {r["id"] for r in ru}


def test_cli_table_and_json(tmp_path: Path) -> None:
    out = _write(tmp_path)
    runner = CliRunner()
    table = runner.invoke(themes_cmd, [str(out), "--lang", "fr"])
    assert table.exit_code == 0, table.output
    assert "Absences aux rendez-vous" in table.output and "gâteau" in table.output
    as_json = runner.invoke(themes_cmd, [str(out / "report.json"), "--json"])
    assert as_json.exit_code == 0
    data = json.loads(as_json.output)
    assert [r["id"] for r in data][-1] == "d-0123456789" and data[-1]["size"] == 7


def test_cli_missing_report_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(themes_cmd, [str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "no such report" in result.output and "Traceback" not in result.output


def test_cli_has_help() -> None:
    result = CliRunner().invoke(themes_cmd, ["--help"])
    assert result.exit_code == 0 and "--lang" in result.output and "--json" in result.output
