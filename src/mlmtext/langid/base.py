"""The protocol every language identifier follows, and the mapping from detector codes to our labels."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import metadata
from typing import Protocol, runtime_checkable

from mlmtext.types import LANGS, LangResult

UND = LangResult(lang="und", confidence=0.0, code=None)


@runtime_checkable
class LanguageIdentifier(Protocol):
    """text -> LangResult. ``lang`` is fr | ru | en | other (``code`` = the detector's ISO code) | und."""

    name: str

    def identify(self, text: str) -> LangResult: ...

    def identify_many(self, texts: Sequence[str]) -> list[LangResult]: ...

    def info(self) -> dict[str, str]: ...


def result_for(code: str | None, confidence: float) -> LangResult:
    """Map a detector's ISO 639-1 code to our label: fr/ru/en stay, anything else is ``other``."""
    if not code:
        return UND
    code = code.lower()
    lang = code if code in LANGS else "other"
    return LangResult(lang=lang, confidence=round(min(max(confidence, 0.0), 1.0), 4), code=code)


def dedupe_map(texts: Sequence[str], run: Callable[[list[str]], list[LangResult]]) -> list[LangResult]:
    """Run ``run`` once per distinct text (passages repeat: share buttons, "Reply") and fan results out."""
    unique = list(dict.fromkeys(texts))
    if len(unique) == len(texts):
        return run(unique)
    found = dict(zip(unique, run(unique), strict=True))
    return [found[t] for t in texts]


def package_version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"
