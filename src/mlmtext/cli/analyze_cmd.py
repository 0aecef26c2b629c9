"""``mlmtext analyze PATH... --out DIR``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mlmtext.cli.common import run_guarded
from mlmtext.config import DEFAULT_MAX_FILE_BYTES, AnalyzeConfig
from mlmtext.pipeline import analyze_to
from mlmtext.report.summary import print_summary


@click.command("analyze")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for report.json (created if missing; nothing is written outside it).")
@click.option("--langid", default="default", show_default=True,
              type=click.Choice(["default", "lingua", "fasttext", "langdetect"]),
              help="Language identification backend.")
@click.option("--embedder", default="use", show_default=True,
              help="Sentence embedder for themes: use, e5, or st:<model name or path>.")
@click.option("--themes", "taxonomy_file", type=click.Path(exists=True, dir_okay=False),
              help="A taxonomy file of your own (same format as the built-in one).")
@click.option("--themes-mode", default="extend", show_default=True, type=click.Choice(["extend", "replace"]),
              help="Whether --themes extends or replaces the built-in taxonomy.")
@click.option("--no-themes", is_flag=True, help="Skip the theme stage (no embeddings).")
@click.option("--no-claims", is_flag=True, help="Skip hype-claim flagging.")
@click.option("--text-field", help="Column or field holding the text in csv/tsv/json/jsonl exports.")
@click.option("--max-file-mb", default=DEFAULT_MAX_FILE_BYTES / 2**20, show_default=True, type=click.FloatRange(0.001),
              help="Files larger than this are skipped, with a reason.")
@click.option("--cache-dir", help="Vector cache folder (default: $MLMTEXT_CACHE or ~/.cache/mlmtext; '' disables).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def analyze_cmd(paths: tuple[Path, ...], out_dir: Path, langid: str, embedder: str, taxonomy_file: str | None,
                themes_mode: str, no_themes: bool, no_claims: bool, text_field: str | None, max_file_mb: float,
                cache_dir: str | None, quiet: bool) -> None:
    """Analyse files and folders of posts: language, passages, themes and hype claims into OUT/report.json.

    Exit codes: 0 done (even with skipped files), 1 nothing could be analysed, 2 usage error.
    """
    config = AnalyzeConfig(
        langid=langid, embedder=embedder, themes=not no_themes, claims=not no_claims,
        taxonomy_file=taxonomy_file, taxonomy_mode=themes_mode,
        max_file_bytes=int(max_file_mb * 2**20), text_field=text_field, cache_dir=cache_dir,
    )  # analyze_to never reads its own output folder or report back as input
    console = Console(stderr=True)
    show_progress = not quiet and sys.stderr.isatty()

    try:  # the output folder is checked before the work, not after it
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.UsageError(f"cannot create the output folder {str(out_dir)!r}: {exc.strerror or exc}") from exc
    if not os.access(out_dir, os.W_OK):
        raise click.UsageError(f"the output folder {str(out_dir)!r} is not writable")

    def work() -> None:
        if show_progress:
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), console=console, transient=True) as bar:
                tasks: dict[str, Any] = {}

                def progress(stage: str, done: int, total: int | None) -> None:
                    if stage not in tasks:
                        tasks[stage] = bar.add_task(stage, total=total)
                    bar.update(tasks[stage], completed=done, total=total)

                summary = analyze_to(list(paths), out_dir, config, progress=progress)
        else:
            summary = analyze_to(list(paths), out_dir, config)
        if not quiet:
            print_summary(summary, console)
        if not summary.documents:
            raise click.ClickException(
                f"nothing could be analysed: {len(summary.skipped)} file(s) skipped (see {summary.path})"
            )

    run_guarded(work)
