"""langdetect (Nakatani's Java port), seeded and isolated from langdetect's global factory."""

from __future__ import annotations

from collections.abc import Sequence

from mlmtext.errors import BackendUnavailableError
from mlmtext.langid.base import UND, dedupe_map, package_version, result_for
from mlmtext.langid.script import profile
from mlmtext.types import LangResult

SEED = 0


class LangdetectIdentifier:
    """Seeded langdetect. Slow (a few hundred texts/second) but dependency-light; kept for comparison.

    langdetect's module-level ``detect`` shares one global factory whose seed anyone may change; we own a
    private factory with seed 0 and build a fresh detector per text (the detector re-seeds its random
    generator from the factory seed on every detection), so a result depends on the text alone, never on
    the order of calls or on other code touching ``langdetect.DetectorFactory``.
    """

    name = "langdetect"

    def __init__(self) -> None:
        try:
            from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
            from langdetect.lang_detect_exception import LangDetectException
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise BackendUnavailableError("langdetect is not installed: pip install langdetect") from exc
        factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        factory.set_seed(SEED)
        self._factory = factory
        self._error = LangDetectException

    def identify(self, text: str) -> LangResult:
        prof = profile(text)
        if prof.script == "und":
            return UND
        detector = self._factory.create()
        detector.append(prof.text)
        try:
            best = detector.get_probabilities()[0]
        except (self._error, IndexError):  # no usable n-grams
            return UND
        # langdetect says "zh-cn"/"zh-tw"; keep the language part as the ISO 639-1 code.
        return result_for(best.lang.split("-")[0], best.prob)

    def identify_many(self, texts: Sequence[str]) -> list[LangResult]:
        return dedupe_map(texts, lambda unique: [self.identify(t) for t in unique])

    def info(self) -> dict[str, str]:
        return {"backend": "langdetect", "langdetect": package_version("langdetect"), "seed": str(SEED)}
