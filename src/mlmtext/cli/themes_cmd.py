"""``mlmtext themes REPORT``: the themes of a report (built-in, user and discovered), in one language."""

from __future__ import annotations

import json
from typing import Any

import click

from mlmtext.cli.common import run_guarded
from mlmtext.types import LANGS


def theme_rows(report: dict[str, Any], lang: str = "en", *, include_empty: bool = False) -> list[dict[str, Any]]:
    """One row per theme of a report.json dict: id, kind, label in ``lang``, size and top terms."""
    rows = []
    for t in report.get("themes", []):
        size = int(t.get("size", 0))
        if size == 0 and not include_empty:
            continue
        labels = t.get("labels") or {}
        terms = t.get("top_terms") or {}
        if t.get("builtin"):
            kind = "builtin"
        elif str(t.get("id", "")).startswith("d-"):
            kind = "discovered"
        else:
            kind = "user"
        # A theme may lack terms in the chosen language (none of its passages were in it): fall back.
        term_lang = lang if terms.get(lang) else next((x for x in LANGS if terms.get(x)), lang)
        rows.append(
            {
                "id": t.get("id"),
                "kind": kind,
                "label": labels.get(lang) or next((labels[x] for x in LANGS if labels.get(x)), ""),
                "size": size,
                "top_terms": list(terms.get(term_lang, [])),
                "top_terms_lang": term_lang,
                "examples": t.get("examples", []),
            }
        )
    rows.sort(key=lambda r: (r["kind"] == "discovered", -r["size"], r["id"]))
    return rows


@click.command("themes")
@click.argument("report", type=click.Path(dir_okay=True, path_type=str))
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True, help="Language of labels/terms.")
@click.option("--all", "include_empty", is_flag=True, help="Also list taxonomy themes no passage fell into.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def themes_cmd(report: str, lang: str, include_empty: bool, as_json: bool) -> None:
    """List the themes of REPORT (a report.json or its folder): id, kind, label, size, top terms."""

    def work() -> None:
        from mlmtext.report.json_report import read_report

        rows = theme_rows(read_report(report), lang, include_empty=include_empty)
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        if not rows:
            click.echo("no themes in this report (was it analysed with --no-themes?)")
            return
        width = max(len(str(r["id"])) for r in rows)
        for r in rows:
            terms = ", ".join(r["top_terms"][:6])
            click.echo(f"{r['id']:<{width}}  {r['kind']:<10}  {r['size']:>5}  {r['label']}  [{terms}]")

    run_guarded(work)
