from __future__ import annotations

from itertools import pairwise

import pytest

from mlmtext.segment import MAX_PASSAGE_CHARS, boilerplate_reason, paragraphs, segment
from mlmtext.types import Document


def _doc(text: str) -> Document:
    return Document(id="d", path="d.txt", format="txt", encoding="utf-8", text=text, content_hash="h")


def test_paragraph_offsets_are_exact_and_trimmed() -> None:
    text = "  First para.\nstill first.\n\n\n   Second.  \n \n\tThird\n"
    spans = list(paragraphs(text))
    assert [text[s:e] for s, e in spans] == ["First para.\nstill first.", "Second.", "Third"]


@pytest.mark.parametrize("lang", ["fr", "ru", "en"])
def test_long_paragraph_splits_on_sentence_boundaries(lang: str) -> None:
    sentence = {"fr": "Les prospects promettent de venir.", "ru": "Кандидаты обещают прийти на встречу.",
                "en": "Prospects promise to come to the meeting."}[lang]
    text = "Intro.\n\n" + " ".join([sentence] * 80)
    passages = segment(_doc(text), lang=lang)
    assert len(passages) > 3
    for p in passages:
        assert text[p.start:p.end] == p.text
        assert len(p.text) <= MAX_PASSAGE_CHARS
    # every group after the intro starts a sentence and ends one
    for p in passages[1:]:
        assert p.text.startswith(sentence.split()[0]) and p.text.endswith(".")
    assert [p.index for p in passages] == list(range(len(passages)))


def test_comment_thread_and_chrome_are_marked_not_deleted() -> None:
    text = (
        "Why prospects do not show up\n\n"
        "Most people who say yes to a presentation never come. Confirm the day before.\n\n"
        "Partager  Imprimer  Envoyer par e-mail\n\n"
        "À propos de l'auteur : Claire anime une équipe depuis huit ans.\n\n"
        "14 commentaires\n\n"
        "Sophie — 12 mars 2024 à 10:15\nMerci, tellement vrai !\n\n"
        "Répondre\n\n"
        "A longer comment that talks about prospects as well, still part of the thread."
    )
    passages = segment(_doc(text), lang="fr")
    reasons = [p.boilerplate_reason for p in passages]
    assert reasons[:2] == [None, None]
    assert reasons[2] == "share-buttons"
    assert reasons[3] == "author-box"
    assert set(reasons[4:]) == {"comment-thread"}
    # nothing dropped: every non-blank character of the text is inside exactly one passage
    covered = sorted((p.start, p.end) for p in passages)
    assert all(a[1] <= b[0] for a, b in pairwise(covered))
    outside = "".join(text[e:s] for (_, e), (s, _) in zip([(0, 0), *covered], [*covered, (len(text), 0)],
                                                            strict=True))
    assert outside.strip() == ""


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Поделиться  ВКонтакте  Одноклассники  Telegram", "share-buttons"),
        ("Об авторе: Ирина, лидер команды, 10 лет в сетевом бизнесе.", "author-box"),
        ("37 комментариев", "comment-thread"),
        ("Home | About | Blog | Contact", "navigation"),
        ("This post is sponsored by our partner. Contest rules apply.", "sponsor-notice"),
        ("Reply · Delete", "comment-controls"),
    ],
)
def test_boilerplate_reasons(text: str, reason: str) -> None:
    assert boilerplate_reason(text, in_comment_thread=False) == reason


@pytest.mark.parametrize(
    "text",
    [
        "Share your story with your upline: it helps more than you think.",  # advice, not a button row
        "I printed my goals and put them on the fridge. Every morning I read them and call three people.",
        "Спасибо всем, кто пришёл на вчерашнюю встречу команды! Следующая — в четверг.",
    ],
)
def test_content_is_not_boilerplate(text: str) -> None:
    assert boilerplate_reason(text, in_comment_thread=False) is None


def test_empty_document_has_no_passages() -> None:
    assert segment(_doc("  \n\n \n")) == []


@pytest.mark.parametrize(
    "text",
    [
        "3 replies to my twenty invitations, and all of them said no.",
        "My weekly routine:\nCall ten prospects\nSend the report",
        "5 commentaires sous ma vidéo, et pas un seul prospect sérieux.",
    ],
)
def test_content_never_opens_a_comment_thread(text: str) -> None:
    doc = _doc(f"{text}\n\nThe rest of the post is the author's own advice about prospects.")
    assert [p.is_boilerplate for p in segment(doc, lang="en")] == [False, False]


def test_paragraph_longer_than_spacy_max_length() -> None:
    text = "Prospects promise to come and then they do not. " * 25_000  # 1.2 M characters, no blank line
    passages = segment(_doc(text), lang="en")
    assert len(passages) > 1000
    assert all(text[p.start:p.end] == p.text and len(p.text) <= MAX_PASSAGE_CHARS for p in passages)
    assert passages[-1].end == len(text.rstrip())
