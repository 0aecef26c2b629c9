"""lingua-language-detector: n-gram models in Rust, the most accurate on short text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mlmtext.errors import BackendUnavailableError
from mlmtext.langid.base import UND, dedupe_map, package_version, result_for
from mlmtext.langid.script import profile
from mlmtext.types import LangResult

# Our three languages plus the neighbours each is mistaken for. Restricted to fr/ru/en alone, lingua calls
# Ukrainian "Russian" with confidence 1.0: a closed world has no better answer to give.
# Not Kazakh: with it in the set, lingua 2.1.1 gives Kazakh 1.0 (every other language 0.0) to plain
# Ukrainian such as "Ми зустрічаємося щочетверга" (its letter rules misfire); Kazakh letters are
# handled before lingua (see mlmtext.langid.combined).
CYRILLIC_NEIGHBOURS = ("uk", "be", "bg", "sr", "mk")
LATIN_NEIGHBOURS = ("es", "it", "pt", "ca", "de", "nl", "ro")
WITH_NEIGHBOURS = ("fr", "ru", "en", *CYRILLIC_NEIGHBOURS, *LATIN_NEIGHBOURS)


def build_detector(codes: Sequence[str], *, preload: bool = True, low_accuracy: bool = False) -> Any:
    """A lingua detector for ISO 639-1 ``codes`` (models preloaded so the first batch is not slow)."""
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise BackendUnavailableError(
            "lingua-language-detector is not installed: pip install lingua-language-detector"
        ) from exc
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*(getattr(IsoCode639_1, c.upper()) for c in codes))
    if preload:
        builder = builder.with_preloaded_language_models()
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    return builder.build()


def iso_code(language: Any) -> str:
    return str(language.iso_code_639_1.name).lower()


class LinguaIdentifier:
    """lingua over a fixed set of languages, batched with its parallel API in ``identify_many``."""

    def __init__(
        self, codes: Sequence[str] = WITH_NEIGHBOURS, *, name: str = "lingua", low_accuracy: bool = False
    ) -> None:
        self.name = name
        self.codes = tuple(codes)
        self.low_accuracy = low_accuracy
        self._detector = build_detector(self.codes, low_accuracy=low_accuracy)

    def identify(self, text: str) -> LangResult:
        return self.identify_many([text])[0]

    def identify_many(self, texts: Sequence[str]) -> list[LangResult]:
        return dedupe_map(texts, self._run)

    def _run(self, texts: list[str]) -> list[LangResult]:
        out: list[LangResult] = [UND] * len(texts)
        todo: list[int] = []
        clean: list[str] = []
        for i, text in enumerate(texts):
            prof = profile(text)
            if prof.script != "und":
                todo.append(i)
                clean.append(prof.text)
        for i, values in zip(todo, self._detector.compute_language_confidence_values_in_parallel(clean),
                             strict=True):
            if values and values[0].value > 0.0:
                out[i] = result_for(iso_code(values[0].language), values[0].value)
            else:  # letters, but in a script none of its languages use (Greek, Han...): not ours, not und
                out[i] = LangResult(lang="other", confidence=0.0, code=None)
        return out

    def info(self) -> dict[str, str]:
        return {
            "backend": self.name,
            "lingua-language-detector": package_version("lingua-language-detector"),
            "languages": ",".join(self.codes),
            "mode": "low-accuracy" if self.low_accuracy else "high-accuracy",
        }
