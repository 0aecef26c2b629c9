"""Split a document into passages with character offsets, marking text that is not the author's content.

Passages are paragraphs (blocks separated by blank lines); a paragraph longer than ``max_chars`` is cut into
groups of whole sentences with a spaCy sentencizer. Boilerplate (comment threads, share buttons, author boxes,
sponsor notices, navigation) is marked with a reason, never deleted, so offsets and quotes stay exact.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from mlmtext.nlp import get_nlp
from mlmtext.types import Document, Passage

MAX_PASSAGE_CHARS = 1000
TARGET_GROUP_CHARS = 600
SENTENCE_WINDOW = 100_000  # characters handed to spaCy at once (its max_length is 1,000,000)
SHORT = 160  # a paragraph this short may be chrome (buttons, menus, commenter lines)

_BLOCK_SEP = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*")
# "Marie L. — 12 mars 2024 à 10:15", "Ivan, 03.04.2023", "John says: March 3, 2024 at 9:12 pm"
_COMMENT_HEADER = re.compile(
    r"^[^\n.!?]{2,50}?\s*(?:—|–|-|,|\||·|says:?|a dit\s*:?|пишет:?)\s*"
    r"(?:\d{1,2}[./ ]\s?\w+\.?[./ ]\s?\d{2,4}|\w+ \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2}|"
    r"\d+ (?:hours?|days?|jours?|heures?|дн[яей]+|час[аов]*) )",
    re.IGNORECASE,
)


_MONTHS = (
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|janv|févr|fevr|mars|avr|mai|juin|juil|août|aout|sept|déc|"
    r"январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр"
)
_DATE = re.compile(
    rf"\b\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|"
    rf"\b(?:{_MONTHS})\w*\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}\b|\b\d{{1,2}}(?:er)? (?:{_MONTHS})\w*\.? \d{{4}}\b|"
    rf"\b(?:{_MONTHS})\w* \d{{4}}\b|\b\d+ (?:min|minutes?|мин)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Cues:
    thread_start: re.Pattern[str]
    controls: re.Pattern[str]
    reply_link: re.Pattern[str]
    share: re.Pattern[str]
    author: re.Pattern[str]
    sponsor: re.Pattern[str]
    navigation: re.Pattern[str]
    byline: re.Pattern[str]
    post_header: re.Pattern[str]
    subscription: re.Pattern[str]
    masthead: re.Pattern[str]


def _compile(groups: dict[str, list[str]]) -> re.Pattern[str]:
    alternatives = [p for lang in sorted(groups) for p in groups[lang]]
    # no MULTILINE: "^" anchors at the start of the paragraph's first line, which is what callers pass
    return re.compile("|".join(f"(?:{p})" for p in alternatives), re.IGNORECASE)


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    raw = json.loads(resources.files("mlmtext.lang").joinpath("boilerplate.json").read_text("utf-8"))
    return _Cues(
        thread_start=_compile(raw["comment_thread_start"]),
        controls=_compile(raw["comment_controls"]),
        reply_link=_compile(raw["reply_link"]),
        share=_compile(raw["share_buttons"]),
        author=_compile(raw["author_box"]),
        sponsor=_compile(raw["sponsor_contest"]),
        navigation=_compile(raw["navigation"]),
        byline=_compile(raw["byline"]),
        post_header=_compile(raw["post_header"]),
        subscription=_compile(raw["subscription"]),
        masthead=_compile(raw["masthead"]),
    )


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-empty blank-line-separated block, trimmed of surrounding whitespace."""
    pos = 0
    for match in _BLOCK_SEP.finditer(text):
        yield from _trimmed(text, pos, match.start())
        pos = match.end()
    yield from _trimmed(text, pos, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def _sentences(text: str, start: int, end: int, lang: str) -> Iterator[tuple[int, int]]:
    """Sentence spans of text[start:end], read in windows cut at whitespace so that a paragraph of any length
    stays under spaCy's max_length and memory stays bounded; only the sentencizer runs (no lemmas needed)."""
    nlp = get_nlp(lang)
    pos = start
    while pos < end:
        stop = min(end, pos + SENTENCE_WINDOW)
        if stop < end:  # cut at the last whitespace of the window, else hard at the window's end
            space = max(text.rfind(" ", pos, stop), text.rfind("\n", pos, stop))
            stop = space + 1 if space > pos else stop
        with nlp.select_pipes(enable=["sentencizer"]):
            doc = nlp(text[pos:stop])
        for sent in doc.sents:
            yield pos + sent.start_char, pos + sent.end_char
        pos = stop


def _sentence_groups(text: str, start: int, end: int, lang: str) -> Iterator[tuple[int, int]]:
    """Cut a long paragraph into groups of whole sentences of about TARGET_GROUP_CHARS."""
    group_start: int | None = None
    group_end = start
    for s, e in _sentences(text, start, end, lang):
        if group_start is not None and e - group_start > TARGET_GROUP_CHARS:
            yield from _trimmed(text, group_start, group_end)
            group_start = None
        if group_start is None:
            group_start = s
        group_end = e
    if group_start is not None:
        yield from _trimmed(text, group_start, end)


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def boilerplate_reason(text: str, in_comment_thread: bool) -> str | None:
    """Why a paragraph is not the author's content, or None. Pure function of the paragraph and its context.

    Only an explicit "N comments" line opens a comment thread (which then runs to the end of the page): a
    commenter or forum header alone does not, because in a forum the replies are the content.
    """
    cues = _cues()
    short = len(text) <= SHORT
    first_line = text.split("\n", 1)[0].strip()
    if in_comment_thread:
        return "comment-thread"
    if len(first_line) <= 40 and "," not in first_line and cues.thread_start.search(first_line):
        return "comment-thread"  # "12 comments on this post": the thread runs to the end of the page
    last_line = text.rsplit("\n", 1)[-1].strip()
    if len(text) <= 600 and "\n" in text and _word_count(last_line) <= 2 and cues.reply_link.search(last_line):
        return "comment"  # one comment block ending in its own "Reply" link; it does not open a thread
    if len(text) <= 600 and cues.author.search(first_line):
        return "author-box"
    if short and cues.post_header.search(first_line):
        return "post-header"
    if short and (_COMMENT_HEADER.search(first_line) or (cues.byline.search(text) and _DATE.search(text))):
        return "byline"
    if len(text) <= 300 and cues.subscription.search(text):
        return "newsletter-footer"
    words = _word_count(text)
    if short and words <= 12:
        if len(cues.controls.findall(text)) >= 1 and words <= 6:
            return "comment-controls"
        if len(cues.share.findall(text)) >= max(1, words // 4):
            return "share-buttons"
        if len(cues.navigation.findall(text)) >= max(2, words // 3):
            return "navigation"
        if len(text) <= 120 and cues.masthead.search(text) and _DATE.search(text):
            return "masthead"
    if len(text) <= 300 and cues.sponsor.search(text):
        return "sponsor-notice"
    return None


def segment(doc: Document, *, lang: str | None = None) -> list[Passage]:
    """Passages of ``doc`` in order, with offsets into ``doc.text``; ``lang`` picks the sentencizer."""
    text = doc.text
    sentencizer_lang = lang or doc.lang
    passages: list[Passage] = []
    in_thread = False
    for p_start, p_end in paragraphs(text):
        block = text[p_start:p_end]
        reason = boilerplate_reason(block, in_thread)
        if reason == "comment-thread":
            in_thread = True  # comment threads run to the end of the page
        spans = (
            list(_sentence_groups(text, p_start, p_end, sentencizer_lang))
            if p_end - p_start > MAX_PASSAGE_CHARS
            else [(p_start, p_end)]
        )
        for s, e in spans:
            passages.append(
                Passage(
                    doc_id=doc.id,
                    index=len(passages),
                    start=s,
                    end=e,
                    text=text[s:e],
                    is_boilerplate=reason is not None,
                    boilerplate_reason=reason,
                )
            )
    return passages
