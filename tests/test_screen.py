"""`mlmtext screen` and `mlmtext train-claims` through click's CliRunner, on temporary files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlmtext.cli import main

CLAIM = "Hello friends!\n\nI quit my job last spring and now I make $5k/month with this team."
CLEAN = "We met at the café on Tuesday and talked about the new skin cream samples."
NEGATED = "Honestly, I don't make $5,000 a month, and nobody on my team does."


@pytest.fixture(autouse=True)
def _no_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # rules only: the CLI contract does not depend on the saved classifier, and tests stay fast
    monkeypatch.setenv("MLMTEXT_CLAIMS_MODEL", str(tmp_path / "no-model.json"))


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_screen_fails_on_asserted_claim_with_location(tmp_path: Path) -> None:
    p = _write(tmp_path, "post.txt", CLAIM)
    res = CliRunner().invoke(main, ["screen", str(p)])
    assert res.exit_code == 1, res.output
    lines = [ln for ln in res.stdout.splitlines() if ln.strip()]
    assert any(ln.startswith('post.txt:3:3 job-replacement high "quit my job" The author') for ln in lines), (
        lines
    )
    money = next(ln for ln in lines if " earnings " in ln)
    col = CLAIM.split("\n")[2].index("$5k/month") + 1
    assert money.startswith(f'post.txt:3:{col} earnings high "$5k/month"')


def test_screen_passes_clean_text(tmp_path: Path) -> None:
    p = _write(tmp_path, "clean.txt", CLEAN)
    res = CliRunner().invoke(main, ["screen", str(p)])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == ""


def test_negated_claims_pass_and_show_only_with_all(tmp_path: Path) -> None:
    p = _write(tmp_path, "neg.txt", NEGATED)
    res = CliRunner().invoke(main, ["screen", str(p)])
    assert res.exit_code == 0 and res.stdout.strip() == ""
    res = CliRunner().invoke(main, ["screen", "--all", str(p)])
    assert res.exit_code == 0
    assert "[negated]" in res.stdout and "earnings low" in res.stdout


def test_fail_on_threshold(tmp_path: Path) -> None:
    p = _write(tmp_path, "ff.txt", "Financial freedom is waiting for you this year!")
    assert CliRunner().invoke(main, ["screen", "--fail-on", "high", str(p)]).exit_code == 0
    assert CliRunner().invoke(main, ["screen", "--fail-on", "medium", str(p)]).exit_code == 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["screen", str(tmp_path / "missing.txt")]).exit_code == 2
    p = _write(tmp_path, "x.txt", CLEAN)
    assert CliRunner().invoke(main, ["screen", "--fail-on", "extreme", str(p)]).exit_code == 2
    assert CliRunner().invoke(main, ["screen"]).exit_code == 2


def test_json_and_csv_formats(tmp_path: Path) -> None:
    p = _write(tmp_path, "post.txt", CLAIM)
    res = CliRunner().invoke(main, ["screen", "--format", "json", str(p)])
    data = json.loads(res.stdout)
    assert data["failed"] is True and data["risk"]["high"] == 2
    for row in data["flags"]:
        assert CLAIM[row["start"] : row["end"]] == row["text"]
        assert row["authorities"]
    res = CliRunner().invoke(main, ["screen", "--format", "csv", str(p)])
    header, *rows = res.stdout.strip().splitlines()
    assert header.startswith("path,line,col,category,stance,severity")
    assert len(rows) == 2


def test_train_claims_command_writes_model(tmp_path: Path) -> None:
    data = tmp_path / "s.jsonl"
    rows = [
        {"id": f"x-{i}", "lang": "en", "text": t, "labels": lab}
        for i, (t, lab) in enumerate(
            [
                (
                    "I quit my job.",
                    [{"category": "job-replacement", "stance": "asserted", "text": "I quit my job"}],
                ),
                ("We met on Tuesday.", []),
                (
                    "Financial freedom now!",
                    [{"category": "financial-freedom", "stance": "asserted", "text": "Financial freedom"}],
                ),
                ("The kit costs $99.", []),
            ]
            * 3
        )
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    res = CliRunner().invoke(main, ["train-claims", "--data", str(data), "--out", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert Path(summary["path"]).is_file() and summary["model_id"].startswith("claims-lr@")


def test_line_col_is_one_based() -> None:
    from mlmtext.claims.screen import line_col

    assert line_col("abc", 0) == (1, 1)
    assert line_col("a\nbc", 3) == (2, 2)
    assert line_col("a\n\nxyz", 5) == (3, 3)


def test_rows_of_an_export_are_reported_by_document_id(tmp_path: Path) -> None:
    p = _write(tmp_path, "posts.csv", 'id,text\n1,"We met on Tuesday."\n2,"Financial freedom this year!"\n')
    res = CliRunner().invoke(main, ["screen", "--text-field", "text", str(p)])
    assert res.exit_code == 1, res.output
    assert res.stdout.startswith("posts.csv#row=2:1:1 financial-freedom medium"), res.stdout


def test_screen_fails_when_nothing_could_be_read(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mlmtext.cli import main

    (tmp_path / "x.bin").write_bytes(bytes(range(256)) * 8)
    result = CliRunner().invoke(main, ["screen", str(tmp_path)])
    assert result.exit_code == 1
    assert "nothing could be screened" in result.stderr
