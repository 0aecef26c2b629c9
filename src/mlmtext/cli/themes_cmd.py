"""Placeholder: the themes helper replaces this module."""

import click


@click.command("themes")
def themes_cmd() -> None:
    """List the themes of a report (not built yet)."""
    raise click.ClickException("not built yet")
