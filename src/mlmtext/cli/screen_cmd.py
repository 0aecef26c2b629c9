"""Placeholder: the claims helper replaces this module."""

import click


@click.command("screen")
def screen_cmd() -> None:
    """Screen files for hype claims (not built yet)."""
    raise click.ClickException("not built yet")


@click.command("train-claims")
def train_claims_cmd() -> None:
    """Rebuild the claim classifier (not built yet)."""
    raise click.ClickException("not built yet")
