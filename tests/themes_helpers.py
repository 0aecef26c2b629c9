"""Building Documents and Passages for theme tests (paragraphs = blank-line separated blocks)."""

from __future__ import annotations

import hashlib

from mlmtext.types import Document, Passage


def make_doc(
    doc_id: str, paragraphs: list[str], lang: str, boilerplate: tuple[int, ...] = ()
) -> tuple[Document, list[Passage]]:
    text = "\n\n".join(paragraphs)
    doc = Document(doc_id, doc_id, "txt", "utf-8", text, hashlib.sha256(text.encode()).hexdigest(), lang=lang)
    passages, pos = [], 0
    for k, para in enumerate(paragraphs):
        start = text.index(para, pos)
        pos = start + len(para)
        passages.append(
            Passage(
                doc_id,
                k,
                start,
                pos,
                para,
                lang=lang,
                is_boilerplate=k in boilerplate,
                boilerplate_reason="share_buttons" if k in boilerplate else None,
            )
        )
    return doc, passages


def corpus(*docs: tuple[Document, list[Passage]]) -> tuple[list[Document], list[Passage]]:
    return [d for d, _ in docs], [p for _, ps in docs for p in ps]
