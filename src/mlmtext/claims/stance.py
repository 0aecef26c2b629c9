"""Stance of a claim mention: does the author assert it, negate it, or report someone else's claim?

Decided from cue words per language (``lang/<xx>/stance.yaml``), in this order:

1. inside quotation marks (« » “ ” „ “ " "), in its sentence or around it in the passage -> reported; governed
   by a set disclaimer of its sentence ("not intended to diagnose, treat, cure or prevent any disease",
   ``disclaimers``; not across "but" or ";") -> negated;
2. a reporting verb earlier in the sentence whose subject is not the author ("they promise", "обещают")
   -> reported; the same verb negated ("I won't promise", "никто не может обещать") -> negated;
3. a negation in the claim's clause before it ("ne … pas", "не", "never", "I can't boast of") -> negated;
4. a reporting marker or critical framing anywhere in the sentence ("so-called", "sur le papier",
   "мечта лузеров", "too good to be true") -> reported;
5. a denial after the claim in its clause, which ends at a condition or an emoji ("… doesn't exist", "… не
   бывает") -> negated, and so is a claim that is the subject of a negated predicate: "financial freedom is
   nowhere in sight", « l'indépendance financière c'est pas pour tout de suite », «миллионов я тут не
   заработала»: one or more auxiliaries (and in fr/ru subject or object pronouns, ``predicate_bridge``), and
   nothing else, between claim and negation; "has never been closer", "is no longer a dream" are exceptions
   (``not_negation``);
6. a rhetorical question -> negated: the claim right before "?" after "what"/« quel »/«какой» ("What passive
   income?"), or asked back on its own and answered in the next sentence with a negation or mockery
   ("Financially free? Never seen it", « Revenu passif ? Tu parles. »); "Why not you!" and a negation inside
   another claim ("Don't wait, join today!") are no answer;
7. otherwise asserted.

Cues that fall inside the claim's own span never count: "it's NOT a pyramid" and "no selling needed"
carry their negation as part of the claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc, Span, Token

from mlmtext.claims.engine import doc_text, span_text
from mlmtext.errors import RuleError
from mlmtext.types import Stance

SCHEMA = "mlmtext-stance-cues/1"
LANG_DIR = Path(__file__).resolve().parent.parent / "lang"
_LIST_KEYS = (
    "negation",
    "negation_multi",
    "not_negation",
    "negation_after",
    "reporting_verbs",
    "reporting_forms",
    "first_person",
    "passive_aux",
    "reported_markers",
    "framing",
    "clause_breaks",
)
# Lists added after schema 1 was published: optional, empty when a cue file predates them.
_OPTIONAL_KEYS = (
    "predicate_bridge",
    "echo_determiners",
    "echo_rebuttal",
    "first_person_verbs",
    "disclaimers",
)
_HARD_STOP = {";", "!", "?", ".", "…", "(", ")"}
_SOFT_STOP = {",", ":", "—", "–"}
_SUBORDINATORS = {"что", "чтобы", "que", "qu'", "qu’", "that", "как", "où", "где", "будто", "if", "si"}
_CLOSERS = {"«": "»", "„": "“", "“": "”", "‘": "’", '"': '"'}
_NEG_WINDOW = 12
_RESUMPTIVE = {"c'", "c’", "это"}  # « X, c'est pas … », «X, это не …» (not «ça ne se refuse pas»)
_WHY = {"why", "pourquoi", "почему"}  # "Why not you!", « Pourquoi pas toi ? », «Почему бы и нет?»
_WHILE = {"while", "пока", "lorsque", "tant"}
_QUOTE_CHARS = frozenset("«»“”„‘’\"")
_CONDITIONS = {"если", "когда", "раз", "si", "quand", "if", "when"}
_BRIDGE_MAX = 4  # pronouns/auxiliaries between a claim and the negation of its predicate


@dataclass(frozen=True, slots=True)
class StanceCues:
    lang: str
    negation: frozenset[str]
    negation_multi: tuple[str, ...]
    not_negation: tuple[str, ...]
    negation_after: tuple[str, ...]
    reporting_verbs: frozenset[str]
    reporting_forms: frozenset[str]
    first_person: frozenset[str]
    passive_aux: frozenset[str]
    reported_markers: tuple[str, ...]
    framing: tuple[str, ...]
    clause_breaks: frozenset[str]
    predicate_bridge: frozenset[str] = frozenset()
    echo_determiners: frozenset[str] = frozenset()
    echo_rebuttal: tuple[str, ...] = ()
    first_person_verbs: frozenset[str] = frozenset()  # reporting verbs in the first person, pronoun dropped
    disclaimers: tuple[str, ...] = ()  # set phrases that deny the claims of their clause


@dataclass(frozen=True, slots=True)
class StanceDecision:
    stance: Stance
    cues: tuple[str, ...]  # the cue(s) that decided, e.g. ("quote:«»",) or ("negation:never",)


def load_cues(path: str | Path) -> StanceCues:
    p = Path(path)
    try:
        data: Any = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RuleError(f"{p}: cannot load stance cues: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise RuleError(f"{p}: schema must be {SCHEMA!r}")
    lists: dict[str, tuple[str, ...]] = {}
    for key in (*_LIST_KEYS, *_OPTIONAL_KEYS):
        value = data.get(key, [] if key in _OPTIONAL_KEYS else None)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise RuleError(f"{p}, list {key!r}: must be a list of non-empty strings (quote yes/no/on/off)")
        lists[key] = tuple(v.lower() for v in value)
    return StanceCues(
        lang=str(data.get("lang")),
        negation=frozenset(lists["negation"]),
        negation_multi=lists["negation_multi"],
        not_negation=lists["not_negation"],
        negation_after=lists["negation_after"],
        reporting_verbs=frozenset(lists["reporting_verbs"]),
        reporting_forms=frozenset(lists["reporting_forms"]),
        first_person=frozenset(lists["first_person"]),
        passive_aux=frozenset(lists["passive_aux"]),
        reported_markers=lists["reported_markers"],
        framing=lists["framing"],
        clause_breaks=frozenset(lists["clause_breaks"]),
        predicate_bridge=frozenset(lists["predicate_bridge"]),
        echo_determiners=frozenset(lists["echo_determiners"]),
        echo_rebuttal=lists["echo_rebuttal"],
        first_person_verbs=frozenset(lists["first_person_verbs"]),
        disclaimers=lists["disclaimers"],
    )


@cache
def builtin_cues(lang: str) -> StanceCues:
    return load_cues(LANG_DIR / (lang if lang in ("fr", "ru", "en") else "en") / "stance.yaml")


@lru_cache(maxsize=4096)
def _phrase_rx(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + re.escape(phrase) + r"(?![\w])")


def _any_phrase_rx(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern that matches wherever one of ``phrases`` matches as with :func:`_phrase_rx` (the alternation
    backtracks into every phrase under the same lookarounds): one scan of a text instead of one per phrase.
    Used to tell whether any phrase occurs; which one comes first in list order is still asked phrase by phrase."""
    if not phrases:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![\w])")


def _first_phrase(any_rx: re.Pattern[str], phrases: tuple[str, ...], text: str) -> str | None:
    """The first of ``phrases``, in list order, found in ``text``; ``any_rx`` (their union) rules out most texts
    in one scan."""
    if any_rx.search(text) is None:
        return None
    return next((ph for ph in phrases if _phrase_rx(ph).search(text)), None)


def _find_phrases(text: str, phrases: tuple[str, ...], lo: int, hi: int) -> list[tuple[str, int, int]]:
    """Occurrences of ``phrases`` in ``text`` (lower-cased) outside the span [lo, hi)."""
    out = []
    for ph in phrases:
        for m in _phrase_rx(ph).finditer(text):
            if m.end() <= lo or m.start() >= hi:
                out.append((ph, m.start(), m.end()))
    return out


def _not_a_quote(text: str, i: int) -> bool:
    """A quote-like character that is no quote mark: "I’m" (between letters), "‘90s", 6'2" (after a digit)."""
    ch = text[i]
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if ch in "’‘" and prev.isalpha() and nxt.isalpha():
        return True
    return (ch == "‘" and nxt.isdigit()) or (ch == '"' and prev.isdigit())


def _quote_stack(text: str, lo: int, hi: int, stack: list[str]) -> list[str]:
    for i in range(lo, hi):
        ch = text[i]
        if ch not in _QUOTE_CHARS or _not_a_quote(text, i):
            continue
        top = stack[-1] if stack else None
        if top is not None and (ch == _CLOSERS[top] or (top == "„" and ch == "”")):
            stack.pop()
        elif ch in _CLOSERS:
            stack.append(ch)
    return stack


def inside_quotes(text: str, pos: int) -> str | None:
    """The quote pair enclosing ``pos`` in ``text`` (a quote opened before it and not closed), if any."""
    stack = _quote_stack(text, 0, pos, [])
    if not stack:
        return None
    return stack[-1] + _CLOSERS[stack[-1]]


def enclosing_quote(text: str, start: int, end: int) -> str | None:
    """The quote pair around [start, end) of a passage, opened before it and closed after it: a slogan quoted
    over several sentences ("Hey girl! … Fire your boss … Only 2 spots left!") is reported as a whole. A quote
    left open (a stray mark) encloses nothing."""
    opened = _quote_stack(text, 0, start, [])
    if not opened:
        return None
    depth = len(opened)
    stack = list(opened)
    for i in range(start, len(text)):
        _quote_stack(text, i, i + 1, stack)
        if len(stack) < depth:
            return opened[-1] + _CLOSERS[opened[-1]] if i >= end else None
    return None


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(max(0, s), min(len(chars), e)):
            chars[i] = " "
    return "".join(chars)


def _pictograph(ch: str) -> bool:
    c = ord(ch)
    return c >= 0x1F000 or 0x2600 <= c <= 0x27BF or 0x2B00 <= c <= 0x2BFF


def _is_emoji(text: str) -> bool:
    """A token made of emoji (pictographs with their joiners, variation selectors and skin tones); not ® ™ №."""
    return any(_pictograph(ch) for ch in text) and all(
        _pictograph(ch) or ch in "\u200d\ufe0f\u20e3" for ch in text
    )


def _clause_initial(tokens: list[Token], i: int) -> bool:
    """An imperative opens its clause ("Say goodbye to your boss", "Скажи «пока»"): not reported speech."""
    return i == 0 or tokens[i - 1].text in _HARD_STOP | _SOFT_STOP


class StanceDetector:
    """Stance per claim mention for one language."""

    def __init__(self, cues: StanceCues) -> None:
        self.cues = cues
        # unions of the phrase lists, compiled once per language (see _any_phrase_rx)
        self._negation_multi_rx = _any_phrase_rx(cues.negation_multi)
        self._negation_after_rx = _any_phrase_rx(cues.negation_after)
        self._markers_rx = _any_phrase_rx(cues.reported_markers + cues.framing)
        self._echo_rebuttal_rx = _any_phrase_rx(cues.echo_rebuttal)
        self._disclaimers_rx = _any_phrase_rx(cues.disclaimers)

    def _is_negator(self, tokens: list[Token], i: int) -> bool:
        tok = tokens[i]
        if tok.lower_ not in self.cues.negation:
            return False
        tail = " ".join(t.lower_ for t in tokens[i : i + 6])
        glued = "".join(t.text_with_ws for t in tokens[i : i + 6]).lower()
        return not any(tail.startswith(x) or glued.startswith(x) for x in self.cues.not_negation)

    def _negated_predicate(self, after: list[Token]) -> str | None:
        """The negator of a predicate whose subject is the claim: at least one word of ``predicate_bridge``
        (auxiliaries; fr/ru pronouns too), and only those, between the claim and a negation ("… is not", "… я
        тут не"). A negator right after the claim ("income without lifting a finger", "sans prospection")
        modifies it instead."""
        if not after or (after[0].i > 0 and after[0].nbor(-1).lower_ in _SUBORDINATORS | _CONDITIONS | _WHILE):
            return None  # the span ends on "si", "когда", "while": what follows is another clause's subject
        # a dislocated claim taken up by a demonstrative: « La liberté financière, c'est pas pour moi »
        first = 1 if len(after) > 1 and after[0].text == "," and after[1].lower_ in _RESUMPTIVE else 0
        for j in range(first, min(len(after), first + _BRIDGE_MAX + 1)):
            if j > first and self._is_negator(after, j):
                return after[j].text
            if after[j].lower_ not in self.cues.predicate_bridge and not (j == first == 1):
                return None
        return None

    def _disclaimer(self, text: str, lo: int, hi: int) -> str | None:
        """A set disclaimer of the sentence ``text`` (lower case) that governs the claim at [lo, hi): none when a
        clause break ("but", « mais », ";") stands between them ("not intended to treat disease, but it cured
        my eczema" asserts the cure)."""
        for m in self._disclaimers_rx.finditer(text):  # matches nothing when the language has no disclaimers
            between = text[m.end() : lo] if m.end() <= lo else text[hi : m.start()]
            if ";" not in between and not set(re.findall(r"[^\W\d_]+", between)) & self.cues.clause_breaks:
                return m.group(0)
        return None

    def _is_reporter(self, tok: Token) -> bool:
        return tok.lemma_ in self.cues.reporting_verbs or tok.lower_ in self.cues.reporting_forms

    def decide(
        self, doc: Doc, start: int, end: int, ignore: Sequence[tuple[int, int]] = ()
    ) -> StanceDecision:
        """Stance of the mention at [start, end) of ``doc`` (a doc from :func:`engine.parse`).

        Tokens inside ``ignore`` (the spans of other claims, e.g. "no selling needed") are not cues.
        """
        span = doc.char_span(start, end, alignment_mode="expand")
        sent = span.sent if span is not None else doc[:]
        s0 = sent.start_char
        full = doc_text(doc)
        text = span_text(sent, full).lower()
        lo, hi = start - s0, end - s0
        quote = inside_quotes(text, lo) or enclosing_quote(full, start, end)
        if quote:
            return StanceDecision("reported", (f"quote:{quote}",))
        # 1b: a set disclaimer denies the claims it governs ("not intended to diagnose, treat, cure …")
        disclaimer = self._disclaimer(text, lo, hi)
        if disclaimer is not None:
            return StanceDecision("negated", (f"disclaimer:{disclaimer}",))

        def free(t: Token) -> bool:
            return not any(a <= t.idx < b for a, b in ignore)

        before = [t for t in sent if t.idx + len(t.text) <= start]
        after = [t for t in sent if t.idx >= end]
        # 2-3: walk back from the claim
        negation: str | None = None
        clause_open = True
        clause_start = 0
        for i in range(len(before) - 1, -1, -1):
            tok = before[i]
            if tok.text in _HARD_STOP or tok.lower_ == ";" or _is_emoji(tok.text):
                if clause_open:  # nothing before it belongs to the claim's clause
                    clause_start = tok.idx + len(tok.text) - s0
                break  # posts end sentences with an emoji as often as with a full stop
            if tok.text in _SOFT_STOP or tok.lower_ in self.cues.clause_breaks:
                nxt = before[i + 1].lower_ if i + 1 < len(before) else ""
                if nxt not in _SUBORDINATORS and clause_open:
                    clause_open = False
                    clause_start = tok.idx + len(tok.text) - s0
            if not free(tok):
                continue
            if self._is_reporter(tok) and not _clause_initial(before, i):
                window = before[max(0, i - 4) : i]
                negated = any(self._is_negator(before, j) for j in range(max(0, i - 4), i))
                # the verb itself may be the first person: «Сразу скажу: …» drops the pronoun
                first = tok.lower_ in self.cues.first_person_verbs or any(
                    t.lower_ in self.cues.first_person for t in window
                )
                passive = any(t.lower_ in self.cues.passive_aux for t in before[max(0, i - 2) : i])
                if negated:
                    return StanceDecision("negated", (f"negated-report:{tok.text}",))
                if not first or passive:
                    return StanceDecision("reported", (f"report:{tok.text}",))
            if (
                negation is None
                and clause_open
                and len(before) - i <= _NEG_WINDOW
                and self._is_negator(before, i)
            ):
                negation = tok.text
        if negation is not None:
            return StanceDecision("negated", (f"negation:{negation}",))
        multi = _first_phrase(self._negation_multi_rx, self.cues.negation_multi, text[clause_start:lo])
        if multi is not None:
            return StanceDecision("negated", (f"negation:{multi}",))
        # a reporting participle right after the claim: "the freedom promised at the meeting"
        for tok in after[:2]:
            if tok.lower_ in self.cues.reporting_forms and free(tok):
                return StanceDecision("reported", (f"report:{tok.text}",))
        # 4: markers and critical framing anywhere in the sentence, unless themselves negated
        masked = _masked(text, [(lo, hi)] + [(a - s0, b - s0) for a, b in ignore])
        markers = (
            (("report", self.cues.reported_markers), ("framing", self.cues.framing))
            if self._markers_rx.search(masked)  # most sentences hold none: skip the per-phrase scans
            else ()
        )
        for kind, phrases in markers:
            for ph, ps, _pe in _find_phrases(masked, phrases, lo, hi):
                lead = masked[max(0, ps - 12) : ps].split()
                if lead and lead[-1] in self.cues.negation and kind == "framing":
                    continue  # "this is not a scam" is no critique
                return StanceDecision("reported", (f"{kind}:{ph}",))
        # 5: denial after the claim, up to the end of its sentence part
        tail = []
        for tok in after:
            if (
                tok.text in _HARD_STOP
                or tok.text in (";", ":")
                or tok.lower_ in self.cues.clause_breaks
                or tok.lower_ in _CONDITIONS
                or _is_emoji(tok.text)
            ):
                if tok.text in ("!", "…", "."):
                    tail.append(tok.text)  # the mark closing a mocking reply is part of it: « tu parles… »
                break
            tail.append(tok.text_with_ws)
        denial = _first_phrase(self._negation_after_rx, self.cues.negation_after, "".join(tail).lower())
        if denial is not None:
            return StanceDecision("negated", (f"denial:{denial}",))
        own = after[: next((k for k, t in enumerate(after) if not free(t)), len(after))]
        negator = self._negated_predicate(own)
        if negator is not None:
            return StanceDecision("negated", (f"denial:{negator}",))
        # 6: a rhetorical question: "What passive income?", «Какой остаточный доход, если …?», or the claim
        # asked back on its own and answered in the next sentence ("Financially free? Never seen it.")
        echo = self._echo_question(doc, sent, before, own, free)
        if echo is not None:
            return StanceDecision("negated", (echo,))
        return StanceDecision("asserted", ())

    def _echo_question(
        self, doc: Doc, sent: Span, before: list[Token], after: list[Token], free: Callable[[Token], bool]
    ) -> str | None:
        """The cue of a rhetorical question about the claim (rule 6), if there is one."""
        marks = [t.text for t in after]
        asked_now = "?" in marks[:3]
        # "Какой остаточный доход, если люди уходят через два месяца?"
        asked_if = "?" in marks and marks[:1] == [","] and len(after) > 1 and after[1].lower_ in _CONDITIONS
        if before and before[-1].lower_ in self.cues.echo_determiners and (marks[:1] == ["?"] or asked_if):
            return f"rhetorical:{before[-1].text}"
        words_outside = [t for t in before if t.is_alpha and free(t)] + [t for t in after if t.is_alpha]
        if not asked_now or len(words_outside) > 2 or sent.end >= len(doc):
            return None
        nxt = doc[sent.end].sent
        toks = list(nxt)
        # a negator inside another claim ("Don't wait, join today!" is urgency) or in "why not" is no answer
        if any(
            free(t) and self._is_negator(toks, i) and not any(w.lower_ in _WHY for w in toks[max(0, i - 3) : i])
            for i, t in enumerate(toks)
        ):
            return "rhetorical:answered-negatively"
        hit = _first_phrase(self._echo_rebuttal_rx, self.cues.echo_rebuttal, span_text(nxt, doc_text(doc)).lower())
        return f"rhetorical:{hit}" if hit else None


@cache
def builtin_detector(lang: str) -> StanceDetector:
    return StanceDetector(builtin_cues(lang))


def sentence_cues(detector: StanceDetector, text: str, sent_tokens: list[Token]) -> dict[str, bool]:
    """Which kinds of stance cue occur anywhere in a sentence (classifier features, and the gate that keeps
    the classifier from adding an asserted flag to a sentence that negates or reports)."""
    low = text.lower()
    negation = any(detector._is_negator(sent_tokens, i) for i in range(len(sent_tokens)))
    negation = negation or detector._negation_multi_rx.search(low) is not None
    report = any(detector._is_reporter(t) for t in sent_tokens)
    quote = any(ch in low for ch in '«»“”„"')
    marker = detector._markers_rx.search(low) is not None
    return {"negation": negation, "report": report, "quote": quote, "marker": marker}
