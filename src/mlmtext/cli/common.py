"""What every command shares: turning user-caused errors into one clear line and the right exit code."""

from __future__ import annotations

from collections.abc import Callable

import click

from mlmtext.errors import ConfigError, InputError, MlmtextError, TaxonomyError


class UsageMlmtextError(click.UsageError):
    """A usage mistake (exit 2) reported with mlmtext's message and code."""


def run_guarded(work: Callable[[], None]) -> None:
    """Run a command body; MlmtextError becomes one line (exit 2 for usage mistakes, 1 otherwise)."""
    try:
        work()
    except (ConfigError, InputError, TaxonomyError) as exc:
        raise UsageMlmtextError(str(exc)) from exc
    except MlmtextError as exc:
        raise click.ClickException(str(exc)) from exc
