"""The CLI through click's CliRunner: exit codes, one-line errors, report written where asked."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from mlmtext.cli import main

FR = "Mes prospects promettent de venir à la présentation, puis ils ne viennent jamais."


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_help() -> None:
    for name, command in main.commands.items():
        assert command.help, f"{name} has no help text"
        code, out, _ = _run(name, "--help")
        assert code == 0 and "Usage" in out


def test_analyze_writes_report_and_exits_zero_with_skips(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(FR, encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = _run("analyze", str(src), "--out", str(out), "--no-themes", "--no-claims", "--quiet")
    assert code == 0, err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["schema"]["name"] == "mlmtext.report"
    assert [d["path"] for d in report["documents"]] == ["a.txt"]
    assert report["documents"][0]["lang"] == "fr"
    assert [s["path"] for s in report["skipped"]] == ["empty.txt"]
    assert sorted(p.name for p in out.iterdir()) == ["report.json"]  # no temp files left behind


def test_analyze_summary_names_skipped_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(FR, encoding="utf-8")
    (tmp_path / "b.bin").write_bytes(bytes(range(256)) * 4)
    code, _, err = _run("analyze", str(tmp_path), "--out", str(tmp_path / "o"), "--no-themes", "--no-claims")
    assert code == 0
    assert "b.bin" in err and "fr" in err


def test_nothing_analysable_exits_one(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    code, _, err = _run("analyze", str(tmp_path), "--out", str(tmp_path / "o"), "--no-themes", "--no-claims", "-q")
    assert code == 1
    assert "nothing could be analysed" in err
    assert "Traceback" not in err


def test_usage_errors_exit_two(tmp_path: Path) -> None:
    code, _, err = _run("analyze", str(tmp_path / "missing"), "--out", str(tmp_path / "o"))
    assert code == 2 and "does not exist" in err
    code, _, _ = _run("analyze", str(tmp_path))  # --out missing
    assert code == 2
    code, _, _ = _run("analyze", str(tmp_path), "--out", str(tmp_path / "o"), "--langid", "nope")
    assert code == 2


def test_out_must_not_be_a_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(FR, encoding="utf-8")
    clash = tmp_path / "report-file"
    clash.write_text("x", encoding="utf-8")
    code, _, err = _run("analyze", str(tmp_path / "a.txt"), "--out", str(clash), "--no-themes", "--no-claims")
    assert code == 2, err


def test_guarded_errors_are_one_line() -> None:
    from mlmtext.cli.common import run_guarded
    from mlmtext.errors import ConfigError, ReportError

    def bad_config() -> None:
        raise ConfigError("unknown backend 'x'; choose one of: default, lingua")

    def bad_report() -> None:
        raise ReportError("r.json: not an mlmtext report")

    for fn, exc_type in ((bad_config, click.UsageError), (bad_report, click.ClickException)):
        try:
            run_guarded(fn)
        except exc_type as exc:
            assert "\n" not in exc.format_message()
        else:  # pragma: no cover
            raise AssertionError("expected a click error")


def test_output_folder_inside_the_input_is_not_read_back(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(FR, encoding="utf-8")
    args = ["analyze", str(tmp_path), "--out", str(tmp_path / "out"), "--no-themes", "--no-claims", "-q"]
    assert _run(*args)[0] == 0
    assert _run(*args)[0] == 0  # the second run finds out/report.json inside the input folder
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [d["path"] for d in report["documents"]] == ["a.txt"]
    assert [(s["path"], s["code"]) for s in report["skipped"]] == [("out", "output-folder")]


def test_hostile_file_names_never_name_output_files(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("..report.txt", "a\nb.txt", "évil name ..txt", "-rf.txt"):
        (src / name).write_text(FR + " " + name, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = _run("analyze", str(src), "--out", str(out), "--no-themes", "--no-claims", "-q")
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["report.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert sorted(d["path"] for d in report["documents"]) == sorted(
        ["..report.txt", "a\nb.txt", "évil name ..txt", "-rf.txt"]
    )


def test_out_equal_to_the_input_folder_never_reads_the_report_back(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(FR, encoding="utf-8")
    args = ["analyze", str(tmp_path), "--out", str(tmp_path), "--no-themes", "--no-claims", "-q"]
    assert _run(*args)[0] == 0
    assert _run(*args)[0] == 0
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [d["path"] for d in report["documents"]] == ["a.txt"]
    assert [(s["path"], s["code"]) for s in report["skipped"]] == [("report.json", "output-folder")]


def test_unusable_output_folder_is_a_usage_error_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(FR, encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = _run("analyze", str(tmp_path / "a.txt"), "--out", str(blocker / "sub"), "--no-themes",
                        "--no-claims")
    assert code == 2 and "cannot create the output folder" in err and "Traceback" not in err


def test_bad_embedder_fails_before_reading(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(FR, encoding="utf-8")
    code, _, err = _run("analyze", str(tmp_path), "--out", str(tmp_path / "o"), "--embedder", "bert",
                        "--no-claims", "-q")
    assert code == 2 and "unknown embedder" in err
    assert not (tmp_path / "o" / "report.json").exists()


def test_non_utf8_input_folder_name_is_reported(tmp_path: Path) -> None:
    import os

    folder = os.path.join(os.fsencode(tmp_path), b"caf\xe9")
    os.mkdir(folder)
    with open(os.path.join(folder, b"a.txt"), "wb") as fh:
        fh.write(FR.encode("utf-8"))
    out = tmp_path / "o"
    code, _, err = _run("analyze", os.fsdecode(folder), "--out", str(out), "--no-themes", "--no-claims", "-q")
    assert code == 0, err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["inputs"][0].endswith("caf\\xe9")
