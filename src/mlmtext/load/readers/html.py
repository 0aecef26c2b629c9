"""HTML: the visible text only, one blank-line separated block per paragraph-like element.

Scripts, styles, templates, navigation and hidden elements are dropped; header, footer and aside are
kept (the segmenter marks them as boilerplate, it never deletes). The tree is walked iteratively, and a
page nested deeper than browsers allow (lexbor's parser is quadratic in depth: 40,000 nested divs take
seconds, 200,000 take minutes) is read by a linear tag-stripping scanner instead.
"""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from mlmtext.load.decode import decode_bytes
from mlmtext.load.readers.files import read_bounded

_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "head",
        "title",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "canvas",
        "select",
        "datalist",
        "audio",
        "video",
        "map",
    }
)
_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_SPACES = re.compile(r"[^\S\n]+")
# One token per tag or comment delimiter; "[^<>]*" keeps the scan linear on a flood of unclosed "<a".
_TAG = re.compile(r"<!--|-->|<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*>")
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
MAX_DEPTH = 512  # Chromium's parser flattens the DOM below this depth too
_BREAK = "\n\n"


def _skipped(node: Any) -> bool:
    if node.tag in _SKIP:
        return True
    attrs = node.attributes
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    return (attrs.get("role") or "").lower() == "navigation"


def _too_deep(html: str) -> bool:
    depth = 0
    for match in _TAG.finditer(html):
        name = (match.group(2) or "").lower()
        if not name or name in _VOID or match.group(0).endswith("/>"):
            continue
        depth += -1 if match.group(1) else 1
        if depth > MAX_DEPTH:
            return True
    return False


def _scan_text(html: str) -> str:
    """Linear fallback: strip tags, skip hidden elements' content, blocks become blank lines."""
    parts: list[str] = []
    pos = 0
    skipping: list[str] = []
    in_comment = False
    for match in _TAG.finditer(html):
        if not skipping and not in_comment:
            parts.append(html[pos : match.start()])
        pos = match.end()
        token = match.group(0)
        if token == "<!--":
            in_comment = True
            continue
        if token == "-->":
            in_comment = False
            continue
        if in_comment:
            continue
        name = match.group(2).lower()
        closing = bool(match.group(1))
        if name in _SKIP and name not in _VOID:
            if closing and skipping and skipping[-1] == name:
                skipping.pop()
            elif not closing and not token.endswith("/>"):
                skipping.append(name)
        elif not skipping and name in _BLOCK:
            parts.append(_BREAK)
        elif not skipping and name == "br":
            parts.append("\n")
    if not skipping and not in_comment:
        parts.append(html[pos:])
    text = htmllib.unescape("".join(parts))
    return _tidy(_SPACES.sub(" ", text))


def visible_text(html: str) -> str:
    """Visible text of a page with paragraph structure kept as blank lines; entities decoded."""
    if _too_deep(html):
        return _scan_text(html)
    tree = LexborHTMLParser(html)
    root = tree.root
    if root is None:
        return ""
    parts: list[str] = []
    node = root.child
    root_id = root.mem_id
    while node is not None:
        tag = node.tag or ""
        entered = False
        if tag == "-text":
            parts.append(_SPACES.sub(" ", node.text_content or ""))
        elif not tag.startswith("-") and not _skipped(node):
            if tag in _BLOCK:
                parts.append(_BREAK)
            elif tag == "br":
                parts.append("\n")
            entered = node.child is not None
        if entered:
            node = node.child
            continue
        # Leave this node (and every ancestor that has no next sibling), closing their blocks.
        while node is not None:
            if node.tag in _BLOCK and node.child is not None:
                parts.append(_BREAK)
            if node.next is not None:
                node = node.next
                break
            node = node.parent
            if node is None or node.mem_id == root_id:
                node = None
    return _tidy("".join(parts))


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", _BREAK, text).strip()


def declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def read_html(path: str, cap: int) -> tuple[str, str | None]:
    data = read_bounded(path, cap)
    html, encoding = decode_bytes(data, declared=declared_charset(data))
    return visible_text(html), encoding
