"""Validate corpora/themes/passages.jsonl and print its counts table (stdlib only).

    python corpora/themes/check_passages.py            # checks, then the tables; exit 1 on a problem
    python corpora/themes/check_passages.py --top 10   # also list the 10 most similar text pairs

Checks: one JSON object per line with the documented keys and types; ids "<lang>-<4 digits>" unique and
matching "lang"; NFC text of 1 to 5 sentences in the right script/language; theme ids from the taxonomy;
non-relevant rows carry no theme; no exact or near duplicate texts (word 5-gram overlap), also against the
taxonomy's seed phrasings; the per-language minimums of the brief.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSAGES = HERE / "passages.jsonl"
TAXONOMY = HERE.parents[1] / "src" / "mlmtext" / "themes" / "data" / "taxonomy.json"
LANGS = ("en", "fr", "ru")
# The twelve built-in theme ids of THEMES.md, in its order (the taxonomy file must agree).
THEMES = (
    "retention", "no-shows", "failure-feedback", "prospecting", "training-duplication", "honesty-quality",
    "customer-care", "income-compensation", "products-health", "mindset-motivation", "social-media",
    "events-meetings",
)
MIN_MAIN_PER_THEME = 12  # passages whose main (first) theme it is, per language
MIN_NEGATIVES = 30  # relevant false, per language
MIN_GENERIC = 20  # relevant true without a theme, per language
MAX_SENTENCES = 5
NEAR_DUP = 0.5  # share of the smaller text's word 5-grams found in the other text
KEYS = {"id", "lang", "text", "themes", "relevant"}
OPTIONAL_KEYS = {"group"}
_ID = re.compile(r"^(en|fr|ru)-\d{4}$")
_WORD = re.compile(r"\w+", re.UNICODE)
# A sentence ends at . ! ? … followed by a space and an upper-case letter, digit or quote, or at the end.
_SENT_END = re.compile(r"[.!?…]+[»\"')]*(?=\s+[«\"'(]?[A-ZÀ-ÖØ-ÞА-ЯЁ0-9]|\s*$)")
_FR_WORDS = {
    "le", "la", "les", "de", "des", "du", "et", "est", "un", "une", "pour", "que", "qui", "pas", "je", "tu",
    "vous", "ce", "ça", "mais", "ta", "ton", "tes", "ma", "mon", "mes", "on", "il", "elle", "au", "en",
}
_EN_WORDS = {
    "the", "and", "is", "to", "of", "you", "that", "for", "it", "with", "not", "my", "i", "a", "but", "your",
    "in", "on", "be", "are", "we", "they", "this",
}


def sentences(text: str) -> int:
    return max(1, len(_SENT_END.findall(text.strip())))


def script_lang(text: str) -> str:
    """Cyrillic share decides ru; otherwise function words decide fr vs en."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum("\u0400" <= c <= "\u04ff" for c in letters) / len(letters) > 0.5:
        return "ru"
    words = [w.lower() for w in _WORD.findall(text)]
    fr = sum(w in _FR_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    return "fr" if fr > en else "en"


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def overlap(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def load(path: Path, problems: list[str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {n}: invalid JSON ({exc})")
            continue
        if not isinstance(row, dict):
            problems.append(f"line {n}: not a JSON object")
            continue
        missing, extra = KEYS - row.keys(), row.keys() - KEYS - OPTIONAL_KEYS
        if missing or extra:
            problems.append(f"line {n}: missing keys {sorted(missing)}, unknown keys {sorted(extra)}")
            continue
        rows.append(row)
    return rows


def check_rows(rows: list[dict[str, object]], theme_ids: set[str], problems: list[str]) -> None:
    seen: set[str] = set()
    texts: dict[str, str] = {}
    for row in rows:
        rid, lang, text, themes, relevant = (row[k] for k in ("id", "lang", "text", "themes", "relevant"))
        where = f"{rid}"
        if not isinstance(rid, str) or not _ID.match(rid):
            problems.append(f"{where}: bad id")
            continue
        if rid in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(rid)
        if lang not in LANGS or not rid.startswith(f"{lang}-"):
            problems.append(f"{where}: lang {lang!r} does not match the id")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: empty text")
            continue
        if unicodedata.normalize("NFC", text) != text or text != text.strip():
            problems.append(f"{where}: text not NFC or not stripped")
        if not 1 <= sentences(text) <= MAX_SENTENCES:
            problems.append(f"{where}: {sentences(text)} sentences")
        if script_lang(text) != lang:
            problems.append(f"{where}: text looks like {script_lang(text)}, not {lang}")
        if not isinstance(relevant, bool) or not isinstance(themes, list):
            problems.append(f"{where}: relevant must be a bool and themes a list")
            continue
        if len(set(themes)) != len(themes) or not set(themes) <= theme_ids:
            problems.append(f"{where}: bad themes {themes}")
        if not relevant and themes:
            problems.append(f"{where}: a non-relevant passage cannot carry themes")
        key = " ".join(_WORD.findall(text.lower()))
        if key in texts:
            problems.append(f"{where}: same text as {texts[key]}")
        texts[key] = rid


def near_duplicates(
    rows: list[dict[str, object]], seeds: list[tuple[str, str]]
) -> list[tuple[float, str, str]]:
    """Every pair (passage-passage and passage-seed) with its 5-gram overlap, most similar first."""
    items = [(str(r["id"]), shingles(str(r["text"]))) for r in rows]
    pairs = [(overlap(a, b), ia, ib) for (ia, a), (ib, b) in itertools.combinations(items, 2)]
    seed_items = [(sid, shingles(text)) for sid, text in seeds]
    pairs += [(overlap(a, b), ia, sid) for ia, a in items for sid, b in seed_items]
    return sorted((p for p in pairs if p[0] > 0), reverse=True)


def taxonomy_seeds() -> tuple[set[str], list[tuple[str, str]]]:
    if not TAXONOMY.is_file():
        return set(THEMES), []
    data = json.loads(TAXONOMY.read_text(encoding="utf-8"))
    ids = {t["id"] for t in data["themes"]}
    seeds = [
        (f"seed:{t['id']}:{lang}:{k}", text)
        for t in data["themes"]
        for lang, texts in t.get("seeds", {}).items()
        for k, text in enumerate(texts)
    ]
    return ids, seeds


def tables(rows: list[dict[str, object]]) -> str:
    main: Counter[tuple[str, str]] = Counter()  # (lang, theme): passages whose first theme it is
    anyl: Counter[tuple[str, str]] = Counter()  # (lang, theme): passages carrying it at all
    kind: Counter[tuple[str, str]] = Counter()  # (lang, row kind)
    for r in rows:
        lang, themes = str(r["lang"]), [str(t) for t in r["themes"]]  # type: ignore[attr-defined]
        if themes:
            main[lang, themes[0]] += 1
            anyl.update((lang, t) for t in themes)
            kind[lang, "themed"] += 1
            kind[lang, "multi-label"] += len(themes) > 1
        else:
            kind[lang, "generic" if r["relevant"] else "negative"] += 1
        kind[lang, "total"] += 1
    out = ["| theme | " + " | ".join(f"{lang} main / any" for lang in LANGS) + " |", "|---|---|---|---|"]
    for t in THEMES:
        out.append(f"| `{t}` | " + " | ".join(f"{main[lang, t]} / {anyl[lang, t]}" for lang in LANGS) + " |")
    out += ["", "| | " + " | ".join(LANGS) + " | all |", "|---|---|---|---|---|"]
    for label, key in (
        ("MLM passages with a theme", "themed"),
        ("of which multi-label", "multi-label"),
        ("MLM-relevant, no theme (generic)", "generic"),
        ("not MLM (relevant false)", "negative"),
        ("total", "total"),
    ):
        vals = [kind[lang, key] for lang in LANGS]
        out.append(f"| {label} | " + " | ".join(map(str, vals)) + f" | {sum(vals)} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path, default=PASSAGES)
    ap.add_argument("--top", type=int, default=0, help="list the N most similar pairs")
    args = ap.parse_args(argv)
    problems: list[str] = []
    rows = load(args.path, problems)
    theme_ids, seeds = taxonomy_seeds()
    if theme_ids != set(THEMES):
        problems.append(f"taxonomy ids differ from THEMES.md: {sorted(theme_ids ^ set(THEMES))}")
    check_rows(rows, set(THEMES), problems)
    if [r["id"] for r in rows] != sorted((r["id"] for r in rows), key=lambda i: (LANGS.index(str(i)[:2]), i)):
        problems.append("lines are not in stable order (language, then id)")
    pairs = near_duplicates(rows, seeds)
    problems += [
        f"near-duplicate texts {a} / {b} (5-gram overlap {s:.2f})"
        for s, a, b in pairs if s >= NEAR_DUP
    ]
    for lang in LANGS:
        mine = [r for r in rows if r["lang"] == lang]
        mains = Counter(str(r["themes"][0]) for r in mine if r["themes"])  # type: ignore[index]
        for t in THEMES:
            if mains[t] < MIN_MAIN_PER_THEME:
                problems.append(f"{lang}: only {mains[t]} passages with main theme {t}")
        if sum(1 for r in mine if not r["relevant"]) < MIN_NEGATIVES:
            problems.append(f"{lang}: fewer than {MIN_NEGATIVES} non-relevant passages")
        if sum(1 for r in mine if r["relevant"] and not r["themes"]) < MIN_GENERIC:
            problems.append(f"{lang}: fewer than {MIN_GENERIC} generic relevant passages")
    print(f"{len(rows)} passages, {len(pairs)} pairs sharing a word 5-gram, max overlap "
          f"{pairs[0][0] if pairs else 0:.2f}")
    for s, a, b in pairs[: args.top]:
        print(f"  {s:.2f}  {a}  {b}")
    print()
    print(tables(rows))
    for p in problems:
        print("PROBLEM:", p, file=sys.stderr)
    print(f"\n{len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
