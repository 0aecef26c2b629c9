"""Check corpora/claims/sentences.jsonl: schema, label spans, ids, duplicates and minimum counts; and the
background negatives (background_negatives.jsonl): schema, no labels, ids, no (near-)duplicate of each other or of
a labelled sentence.

Usage: python corpora/claims/validate.py [path/to/sentences.jsonl]
Exit status 0 when every check passes, 1 otherwise (each problem printed with its line and id).
Stdlib only so it runs before the package is installed.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LANGS = ("en", "fr", "ru")
# The category ids and stances of CLAIMS.md (also src/mlmtext/claims/categories.py and types.Stance).
CATEGORIES = (
    "earnings",
    "lifestyle",
    "job-replacement",
    "passive-income",
    "financial-freedom",
    "guaranteed-easy",
    "recruitment-rewards",
    "health-cure",
    "urgency",
    "pyramid-denial",
)
STANCES = ("asserted", "negated", "reported")
MIN_SENTENCES = 200
MIN_PER_CELL = {"asserted": 8, "negated": 3, "reported": 3}
MIN_NEGATIVES = 50
ID_RE = re.compile(r"^(en|fr|ru)-\d{4}$")
BACKGROUND_ID_RE = re.compile(r"^bg-(en|fr|ru)-\d{3,4}$")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
# Two sentences of one language this similar (after normalisation) count as near-duplicates.
NEAR_DUP_RATIO = 0.85
# Quotes and sentence punctuation belong outside a label ('.' is allowed: "60 тыс.", "p.m.").
EDGE_PUNCT = frozenset(",;:!?«»“”„\"'()…—–-")
OPENERS = {"«": "»", "“": "”", "„": "“", '"': '"', "(": ")"}
CLOSERS = {"»": "«", "”": "“", '"': '"', ")": "("}


def _loose_edge(span: str) -> bool:
    """True when the label starts or ends with punctuation that belongs outside it. A quoted name may
    close (or open) the span when its partner quote is inside: 'Поменяли «Солярис» на «Крузак»'."""
    first, last = span[0], span[-1]
    if len(span) > 1 and OPENERS.get(first) == last:
        return True  # the whole label wrapped in quotes or brackets
    if first in EDGE_PUNCT and not (first in OPENERS and OPENERS[first] in span[1:]):
        return True
    return last in EDGE_PUNCT and not (last in CLOSERS and CLOSERS[last] in span[:-1])


def normalise(text: str) -> str:
    """Lower-case letters and digits only, single spaces: what a reader sees as 'the same sentence'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(text.split())


def check_row(row: object, lineno: int, problems: list[str], id_re: re.Pattern[str] = ID_RE) -> None:
    where = f"line {lineno}"
    if not isinstance(row, dict):
        problems.append(f"{where}: not a JSON object")
        return
    if set(row) != {"id", "lang", "text", "labels"}:
        problems.append(f"{where}: keys must be id, lang, text, labels; got {sorted(row)}")
        return
    rid, lang, text, labels = row["id"], row["lang"], row["text"], row["labels"]
    where = f"line {lineno} ({rid})"
    if not isinstance(rid, str) or not id_re.match(rid):
        problems.append(f"{where}: id must look like {'en-0001' if id_re is ID_RE else 'bg-en-001'}")
    elif lang != rid.removeprefix("bg-")[:2]:
        problems.append(f"{where}: id prefix does not match lang {lang!r}")
    if lang not in LANGS:
        problems.append(f"{where}: lang must be one of {LANGS}")
    if not isinstance(text, str) or not text.strip():
        problems.append(f"{where}: empty text")
        return
    if text != text.strip() or "  " in text:
        problems.append(f"{where}: stray whitespace in text")
    if unicodedata.normalize("NFC", text) != text:
        problems.append(f"{where}: text is not NFC")
    if "[[" in text or "]]" in text:
        problems.append(f"{where}: source markup left in text")
    cyr, lat = len(CYRILLIC.findall(text)), len(LATIN.findall(text))
    if lang == "ru" and cyr <= lat:
        problems.append(f"{where}: Russian sentence is not mostly Cyrillic")
    if lang in ("en", "fr") and cyr > 0:
        problems.append(f"{where}: Cyrillic letters in a {lang} sentence")
    if not isinstance(labels, list):
        problems.append(f"{where}: labels must be a list")
        return
    taken: list[tuple[int, int]] = []
    for i, label in enumerate(labels):
        lw = f"{where} label {i}"
        if not isinstance(label, dict) or set(label) != {"category", "stance", "text"}:
            problems.append(f"{lw}: label keys must be category, stance, text")
            continue
        if label["category"] not in CATEGORIES:
            problems.append(f"{lw}: unknown category {label['category']!r}")
        if label["stance"] not in STANCES:
            problems.append(f"{lw}: unknown stance {label['stance']!r}")
        span = label["text"]
        if not isinstance(span, str) or not span or span != span.strip():
            problems.append(f"{lw}: label text empty or padded with spaces")
            continue
        if _loose_edge(span):
            problems.append(f"{lw}: label text {span!r} starts or ends with punctuation; keep it tight")
        # Take the first occurrence not already used by an earlier label, so spans never overlap.
        start = text.find(span)
        while start >= 0 and any(s < start + len(span) and start < e for s, e in taken):
            start = text.find(span, start + 1)
        if start < 0:
            problems.append(f"{lw}: label text {span!r} is not a (free) substring of the text")
            continue
        taken.append((start, start + len(span)))


def _similar(a: str, b: str) -> float:
    """SequenceMatcher ratio of two normalised texts, 0.0 when its cheap upper bounds already rule it out."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < NEAR_DUP_RATIO or matcher.quick_ratio() < NEAR_DUP_RATIO:
        return 0.0
    return matcher.ratio()


def near_duplicates(rows: list[dict[str, object]]) -> list[str]:
    problems: list[str] = []
    by_lang: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        by_lang[str(row["lang"])].append((str(row["id"]), normalise(str(row["text"]))))
    for items in by_lang.values():
        seen: dict[str, str] = {}
        for rid, norm in items:
            if norm in seen:
                problems.append(f"{rid}: duplicate of {seen[norm]}")
            seen.setdefault(norm, rid)
        for i, (rid_a, a) in enumerate(items):
            for rid_b, b in items[i + 1 :]:
                if a == b:
                    continue
                ratio = _similar(a, b)
                if ratio >= NEAR_DUP_RATIO:
                    problems.append(f"{rid_b}: near-duplicate of {rid_a} (similarity {ratio:.2f})")
    return problems


def minimum_counts(rows: list[dict[str, object]]) -> list[str]:
    problems: list[str] = []
    cells: Counter[tuple[str, str, str]] = Counter()
    sentences: Counter[str] = Counter()
    negatives: Counter[str] = Counter()
    for row in rows:
        lang = str(row["lang"])
        sentences[lang] += 1
        labels = row["labels"]
        assert isinstance(labels, list)
        negatives[lang] += not labels
        for label in labels:
            cells[(lang, label["category"], label["stance"])] += 1
    for lang in LANGS:
        if sentences[lang] < MIN_SENTENCES:
            problems.append(f"{lang}: {sentences[lang]} sentences, need {MIN_SENTENCES}")
        if negatives[lang] < MIN_NEGATIVES:
            problems.append(f"{lang}: {negatives[lang]} negatives, need {MIN_NEGATIVES}")
        for category in CATEGORIES:
            for stance, need in MIN_PER_CELL.items():
                got = cells[(lang, category, stance)]
                if got < need:
                    problems.append(f"{lang}/{category}/{stance}: {got} labels, need {need}")
    return problems


def _json_lines(content: str, problems: list[str]) -> Iterator[tuple[int, Any]]:
    """(line number, parsed object) for each non-empty line; a line that is not JSON becomes a problem."""
    for lineno, line in enumerate(content.split("\n"), start=1):
        if not line:
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {lineno}: invalid JSON ({exc.msg})")
            continue
        yield lineno, row


def validate(path: Path) -> list[str]:
    problems: list[str] = []
    rows: list[dict[str, object]] = []
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [f"{path}: not UTF-8 ({exc})"]
    if content.startswith("\ufeff"):
        problems.append(f"{path}: starts with a byte-order mark")
    ids: dict[str, int] = {}
    last_num: dict[str, int] = {}
    for lineno, row in _json_lines(content, problems):
        before = len(problems)
        check_row(row, lineno, problems)
        if len(problems) != before or not isinstance(row, dict):
            if isinstance(row, dict) and set(row) == {"id", "lang", "text", "labels"}:
                rows.append(row)
            continue
        rid = str(row["id"])
        if rid in ids:
            problems.append(f"line {lineno}: id {rid} already used on line {ids[rid]}")
        ids[rid] = lineno
        lang, num = rid[:2], int(rid[3:])
        if num <= last_num.get(lang, 0):
            problems.append(f"line {lineno}: id {rid} out of order")
        last_num[lang] = num
        rows.append(row)
    problems.extend(near_duplicates(rows))
    problems.extend(minimum_counts(rows))
    return problems


def validate_background(path: Path, sentences: Path) -> list[str]:
    """The background negatives: well-formed unlabelled rows with ids bg-<lang>-NNN in order, no (near-)duplicate
    of each other, and none of a labelled sentence (a claim sentence repeated as a negative would contradict its
    label; a held-out one would leak into training)."""
    problems: list[str] = []
    rows: list[dict[str, object]] = []
    last_num: dict[str, int] = {}
    for lineno, row in _json_lines(path.read_text(encoding="utf-8"), problems):
        before = len(problems)
        check_row(row, lineno, problems, BACKGROUND_ID_RE)
        if len(problems) != before:
            continue
        if row["labels"]:
            problems.append(f"line {lineno} ({row['id']}): a background negative must have no labels")
        lang, num = row["lang"], int(row["id"].rsplit("-", 1)[1])
        if num <= last_num.get(lang, 0):
            problems.append(f"line {lineno}: id {row['id']} repeated or out of order")
        last_num[lang] = num
        rows.append(row)
    problems.extend(near_duplicates(rows))
    labelled: dict[str, list[tuple[int, str, str]]] = defaultdict(list)  # (length, normalised text, id), sorted
    for line in sentences.read_text(encoding="utf-8").splitlines():
        if line.strip():
            s = json.loads(line)
            norm = normalise(s["text"])
            labelled[s["lang"]].append((len(norm), norm, s["id"]))
    for items in labelled.values():
        items.sort()
    for row in rows:
        norm = normalise(str(row["text"]))
        items = labelled[str(row["lang"])]
        # a ratio of at least NEAR_DUP_RATIO needs lengths within this window (ratio <= 2 * shorter / total)
        lo = bisect_left(items, (int(len(norm) * NEAR_DUP_RATIO / (2 - NEAR_DUP_RATIO)),))
        hi = bisect_right(items, (int(len(norm) * (2 - NEAR_DUP_RATIO) / NEAR_DUP_RATIO) + 1,))
        for _n, other, sid in items[lo:hi]:
            ratio = 1.0 if norm == other else _similar(norm, other)
            if ratio >= NEAR_DUP_RATIO:
                problems.append(f"{row['id']}: near-duplicate of labelled sentence {sid} (similarity {ratio:.2f})")
    return problems


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else HERE / "sentences.jsonl"
    problems = validate(path)
    background = path.parent / "background_negatives.jsonl"
    if background.is_file():
        problems += [f"{background.name}: {p}" for p in validate_background(background, path)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {path}", file=sys.stderr)
        return 1
    print(f"{path}: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
