"""The ``mlmtext`` command: a thin click layer over the library (one module per command)."""

from __future__ import annotations

import click

from mlmtext import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mlmtext")
def main() -> None:
    """Mine network-marketing posts in French, Russian and English: language, passages, themes, hype claims."""


def _register() -> None:
    from mlmtext.cli.analyze_cmd import analyze_cmd
    from mlmtext.cli.screen_cmd import screen_cmd, train_claims_cmd
    from mlmtext.cli.themes_cmd import themes_cmd

    main.add_command(analyze_cmd)
    main.add_command(themes_cmd)
    main.add_command(screen_cmd)
    main.add_command(train_claims_cmd)


_register()
