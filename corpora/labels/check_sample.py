"""Validate corpora/labels/sample.jsonl against the files in corpora/sample (stdlib only).

Run:  python corpora/labels/check_sample.py        (exit code 1 and a list of problems if anything is off)

Checks that every file has exactly one label and every label a file, that the keys and values are
well formed, that every passage anchor is 20-60 characters, occurs exactly once in the decoded text
and, for plain-text files, lies inside the matching blank-line-separated paragraph (passages are in
order and cover every paragraph), and that every claim text occurs exactly as written.
It then prints counts per language, per theme and per claim category x stance.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "sample"
LABELS = HERE / "sample.jsonl"

THEMES = (
    "retention", "no-shows", "failure-feedback", "prospecting", "training-duplication", "honesty-quality",
    "customer-care", "income-compensation", "products-health", "mindset-motivation", "social-media",
    "events-meetings",
)
CATEGORIES = (
    "earnings", "lifestyle", "job-replacement", "passive-income", "financial-freedom", "guaranteed-easy",
    "recruitment-rewards", "health-cure", "urgency", "pyramid-denial",
)
STANCES = ("asserted", "negated", "reported")
LANGS = ("fr", "ru", "en", "mixed")
STYLES = ("blog", "social", "forum", "pitch", "newsletter", "html", "other")
KEYS = {"path", "lang", "lang_shares", "style", "relevant", "themes", "passages", "claims"}
CORPUS_SUFFIXES = {".txt", ".md", ".html"}


def decode(path: Path) -> str:
    """Decoded text as a reader would see it: cp1251 files by name, HTML reduced to its visible text."""
    raw = path.read_bytes()
    text = raw.decode("cp1251" if "cp1251" in path.name else "utf-8")
    if path.suffix == ".html":
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        text = re.sub(r"(?s)<!--.*?-->", " ", text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return text


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of blank-line-separated blocks."""
    spans, pos = [], 0
    for block in re.split(r"(\n[ \t]*\n)", text):
        if block.strip() and not re.fullmatch(r"\n[ \t]*\n", block):
            spans.append((pos, pos + len(block)))
        pos += len(block)
    return spans


def check_doc(label: dict[str, Any], problems: list[str]) -> None:
    where = label.get("path", "?")

    def bad(msg: str) -> None:
        problems.append(f"{where}: {msg}")

    if set(label) != KEYS:
        bad(f"keys {sorted(label)} != {sorted(KEYS)}")
        return
    if label["lang"] not in LANGS:
        bad(f"lang {label['lang']!r}")
    if label["style"] not in STYLES:
        bad(f"style {label['style']!r}")
    shares = label["lang_shares"]
    if abs(sum(shares.values()) - 1.0) > 0.02 or not set(shares) <= {"fr", "ru", "en"}:
        bad(f"lang_shares {shares}")
    if label["lang"] == "mixed" and (len(shares) < 2 or min(shares.values()) < 0.3):
        bad(f"mixed document needs two languages of at least 30%: {shares}")
    if label["lang"] != "mixed" and shares != {label["lang"]: 1.0}:
        bad(f"lang_shares {shares} disagree with lang {label['lang']}")
    for t in label["themes"]:
        if t not in THEMES:
            bad(f"unknown document theme {t!r}")
    if not label["relevant"] and (label["themes"] or label["claims"]):
        bad("non-relevant document with themes or claims")
    if label["relevant"] and not label["themes"]:
        bad("relevant document without themes")

    path = SAMPLE / where
    if not path.is_file():
        bad("labelled file does not exist")
        return
    text = decode(path)
    is_html = path.suffix == ".html"
    blocks = [] if is_html else paragraphs(text)
    if not is_html and len(blocks) != len(label["passages"]):
        bad(f"{len(blocks)} paragraphs in the file but {len(label['passages'])} passages labelled")

    last, passage_themes = -1, set()
    for i, p in enumerate(label["passages"]):
        anchor = p["anchor"]
        if set(p) != {"anchor", "themes", "boilerplate"}:
            bad(f"passage {i} keys {sorted(p)}")
            continue
        if not 20 <= len(anchor) <= 60:
            bad(f"anchor {anchor!r} is {len(anchor)} chars")
        n = text.count(anchor)
        if n != 1:
            bad(f"anchor {anchor!r} occurs {n} times")
            continue
        at = text.index(anchor)
        if at <= last:
            bad(f"passage {i} anchor {anchor!r} out of order")
        last = at
        if not is_html and i < len(blocks):
            start, end = blocks[i]
            if not (start <= at and at + len(anchor) <= end):
                bad(f"passage {i} anchor {anchor!r} is not inside paragraph {i}")
        if len(p["themes"]) > 3 or any(t not in THEMES for t in p["themes"]):
            bad(f"passage {i} themes {p['themes']}")
        if p["boilerplate"] and p["themes"]:
            bad(f"boilerplate passage {i} has themes")
        if not label["relevant"] and p["themes"]:
            bad(f"passage {i} of a non-relevant document has themes")
        passage_themes.update(p["themes"])
    for t in label["themes"]:
        if t not in passage_themes:
            bad(f"document theme {t} carried by no passage")

    for c in label["claims"]:
        if set(c) != {"category", "stance", "text"}:
            bad(f"claim keys {sorted(c)}")
            continue
        if c["category"] not in CATEGORIES or c["stance"] not in STANCES:
            bad(f"claim {c}")
        if c["text"] not in text:
            bad(f"claim text {c['text']!r} not found")


def main() -> int:
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    problems: list[str] = []
    paths = [lab.get("path") for lab in labels]
    for p, n in Counter(paths).items():
        if n > 1:
            problems.append(f"{p}: labelled {n} times")
    files = {f.relative_to(SAMPLE).as_posix() for f in SAMPLE.rglob("*") if f.suffix in CORPUS_SUFFIXES}
    for f in sorted(files - set(paths)):
        problems.append(f"{f}: file has no label")
    for lab in labels:
        check_doc(lab, problems)

    by_lang = Counter(lab["lang"] for lab in labels)
    relevant = Counter(lab["lang"] for lab in labels if lab["relevant"])
    print(f"{len(labels)} documents; per language (all / MLM): "
          + ", ".join(f"{k} {by_lang[k]}/{relevant[k]}" for k in LANGS))
    theme_lang = Counter((t, lab["lang"]) for lab in labels for t in lab["themes"])
    print("\ndocument themes per language:")
    print(f"  {'theme':22s} " + " ".join(f"{k:>5s}" for k in LANGS))
    for t in THEMES:
        print(f"  {t:22s} " + " ".join(f"{theme_lang[(t, k)]:5d}" for k in LANGS))
    claims = Counter((c["category"], c["stance"]) for lab in labels for c in lab["claims"])
    claim_langs: dict[tuple[str, str], set[str]] = {}
    for lab in labels:
        for c in lab["claims"]:
            claim_langs.setdefault((c["category"], c["stance"]), set()).add(lab["lang"])
    print("\nclaims per category x stance (languages):")
    print(f"  {'category':20s} " + " ".join(f"{s:>9s}" for s in STANCES))
    for cat in CATEGORIES:
        cells = []
        for s in STANCES:
            langs = ",".join(sorted(claim_langs.get((cat, s), ())))
            cells.append(f"{claims[(cat, s)]:3d} {langs:<9s}" if claims[(cat, s)] else f"{0:3d} {'':<9s}")
        print(f"  {cat:20s} " + " ".join(cells))
    print(f"  total {sum(claims.values())}")

    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    print("\nOK: every file labelled, every anchor and claim text found.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
