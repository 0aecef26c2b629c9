"""Which column or field of a social-media export holds the post text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# Priority order: "full_text" beats "text" (Twitter truncates "text"), then common export names in our
# three languages.
KNOWN_FIELDS = (
    "full_text",
    "text",
    "message",
    "content",
    "body",
    "post",
    "post_text",
    "message_text",
    "caption",
    "description",
    "tweet",
    "comment",
    "texte",
    "contenu",
    "publication",
    "текст",
    "сообщение",
    "содержание",
    "пост",
    "публикация",
    "комментарий",
    "описание",
)


def norm(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().lower().replace(" ", "_").replace("-", "_")


def text_value(value: Any) -> str | None:
    """A field's text: a string, or a list of fragments (Telegram exports split text around links)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = [v if isinstance(v, str) else v.get("text") if isinstance(v, dict) else None for v in value]
        strings = [p for p in parts if isinstance(p, str)]
        return "".join(strings) if strings else None
    return None


def choose_field(
    names: Sequence[str], samples: Sequence[Mapping[str, Any]], explicit: str | None
) -> str | None:
    """The name (as spelled in ``names``) of the text field, or None when there is none.

    ``explicit`` (the user's option) is matched exactly, then ignoring case, spaces and dashes. Otherwise a
    well-known name wins; failing that, the field whose string values are longest on average.
    """
    by_norm: dict[str, str] = {}
    for name in names:
        by_norm.setdefault(norm(name), name)
    if explicit is not None:
        if explicit in names:
            return explicit
        return by_norm.get(norm(explicit))
    for known in KNOWN_FIELDS:
        if known in by_norm:
            return by_norm[known]
    best: tuple[float, str] | None = None
    for name in names:
        values = [text_value(s.get(name)) for s in samples]
        strings = [v for v in values if v and any(c.isalpha() for c in v)]
        if not strings:
            continue
        mean = sum(len(v) for v in strings) / len(samples)
        if best is None or mean > best[0]:
            best = (mean, name)
    return best[1] if best else None
