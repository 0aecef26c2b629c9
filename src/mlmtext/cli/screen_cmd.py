"""``mlmtext screen PATH...`` (a compliance gate) and ``mlmtext train-claims``."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import click

from mlmtext.cli.common import run_guarded
from mlmtext.config import AnalyzeConfig

_CSV_FIELDS = (
    "path",
    "line",
    "col",
    "category",
    "stance",
    "severity",
    "score",
    "start",
    "end",
    "text",
    "explanation",
    "rewrite",
    "authorities",
    "source",
    "in_boilerplate",
)


def _text_line(row: dict[str, Any]) -> str:
    quoted = row["text"].replace("\n", " ").replace('"', '\\"')
    stance = "" if row["stance"] == "asserted" else f" [{row['stance']}]"
    return (
        f'{row["path"]}:{row["line"]}:{row["col"]} {row["category"]} {row["severity"]}{stance} "{quoted}" '
        f"{row['explanation']}"
    )


def _emit(result: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        writer = csv.DictWriter(
            sys.stdout, fieldnames=_CSV_FIELDS, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        for row in result["flags"]:
            writer.writerow({**row, "authorities": "; ".join(row["authorities"])})
        return
    for row in result["flags"]:
        click.echo(_text_line(row))


@click.command("screen")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--fail-on",
    default="low",
    show_default=True,
    type=click.Choice(["high", "medium", "low"]),
    help="Exit 1 when an asserted claim of this severity or above is found (asserted claims are never "
    "low, so 'low' and 'medium' both fail on any asserted claim).",
)
@click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json", "csv"]),
    help="text: one 'path:line:col category severity \"text\" explanation' line per flag.",
)
@click.option(
    "--all", "include_all", is_flag=True, help="Also show negated and reported mentions (never failing)."
)
@click.option(
    "--langid",
    default="default",
    show_default=True,
    type=click.Choice(["default", "lingua", "fasttext", "langdetect"]),
    help="Language identification backend.",
)
@click.option("--text-field", help="Column or field holding the text in csv/tsv/json/jsonl exports.")
@click.option(
    "--cache-dir", help="Vector cache folder (default: $MLMTEXT_CACHE or ~/.cache/mlmtext; '' disables)."
)
def screen_cmd(
    paths: tuple[Path, ...],
    fail_on: str,
    fmt: str,
    include_all: bool,
    langid: str,
    text_field: str | None,
    cache_dir: str | None,
) -> None:
    """Screen files for hype claims (CLAIMS.md), e.g. as a pre-publication gate.

    Exit codes: 0 no asserted claim at or above --fail-on, 1 at least one (or nothing could be read),
    2 usage error.
    """
    from mlmtext.claims.screen import screen

    config = AnalyzeConfig(themes=False, langid=langid, text_field=text_field, cache_dir=cache_dir)
    holder: dict[str, Any] = {}

    def work() -> None:
        holder["result"] = screen(list(paths), config=config, fail_on=fail_on, include_all=include_all)

    run_guarded(work)
    result = holder["result"]
    _emit(result, fmt)
    risk = result["risk"]
    for s in result["skipped"]:
        click.echo(f"skipped {s['path']}: {s['reason']}", err=True)
    if not result["documents"]:
        # a gate that read nothing must not pass: the material was not screened
        click.echo(f"nothing could be screened: {len(result['skipped'])} file(s) skipped; FAIL", err=True)
        sys.exit(1)
    click.echo(
        f"{result['documents']} document(s): {risk['high']} high, {risk['medium']} medium asserted claim(s); "
        f"{'FAIL' if result['failed'] else 'pass'} (--fail-on {fail_on})",
        err=True,
    )
    sys.exit(1 if result["failed"] else 0)


@click.command("train-claims")
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Labelled sentences (JSON lines); default corpora/claims/sentences.jsonl.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for claims-lr.json; default the package's models/claims.",
)
@click.option(
    "--limit", type=click.IntRange(1), help="Use only the first N sentences of each part (quick runs)."
)
@click.option(
    "--no-stance-model", is_flag=True, help="Leave out the learned stance layer (rules' cue words decide alone)."
)
def train_claims_cmd(data: Path | None, out_dir: Path | None, limit: int | None, no_stance_model: bool) -> None:
    """Rebuild the claim classifier reproducibly (same data -> byte-identical model file)."""
    from mlmtext.claims.train import DEFAULT_DATA, DEFAULT_OUT, train_claims

    holder: dict[str, Any] = {}

    def work() -> None:
        holder["summary"] = train_claims(
            data or DEFAULT_DATA, out_dir or DEFAULT_OUT, limit=limit, stance=not no_stance_model
        )

    run_guarded(work)
    click.echo(json.dumps(holder["summary"], ensure_ascii=False, indent=2))
