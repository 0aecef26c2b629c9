"""The labelled training data of the theme and relevance models, read from the repository's corpora/.

- ``corpora/themes/passages.jsonl``: {"id", "lang", "text", "themes": [...], "relevant": bool} per line.
- ``corpora/labels/sample.jsonl`` + ``corpora/sample/``: per-post labels with per-paragraph anchors
  (paragraphs are blank-line separated blocks of the post).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from mlmtext.resources import MODELS_DIR
from mlmtext.types import LANGS

REPO_ROOT = Path(__file__).resolve().parents[3]
CORPORA = REPO_ROOT / "corpora"
PASSAGES_FILE = CORPORA / "themes" / "passages.jsonl"
SAMPLE_LABELS = CORPORA / "labels" / "sample.jsonl"
SAMPLE_DIR = CORPORA / "sample"
_PARA_SPLIT = re.compile(r"\n[ \t]*\n+")
_PARALLEL_ID = re.compile(r"^(?:en|fr|ru)-(.+)$")


def models_dir() -> Path:
    """Where fitted theme models live: $MLMTEXT_THEME_MODELS, else the package's models/themes (a wheel carries
    them; the training data in corpora/ stays in the source checkout)."""
    env = os.environ.get("MLMTEXT_THEME_MODELS")
    return Path(env) if env else MODELS_DIR / "themes"


@dataclass(frozen=True, slots=True)
class LabelledPassage:
    id: str
    lang: str
    text: str
    themes: tuple[str, ...]
    relevant: bool
    group: str  # passages of one source document share a group (cross-validation folds keep them together)
    doc: str | None = None  # the sample post it comes from, if any


@dataclass(frozen=True, slots=True)
class LabelledDocument:
    id: str
    lang: str
    relevant: bool
    themes: tuple[str, ...]
    passages: tuple[int, ...]  # indices into the passage list returned alongside
    text: str


def guess_lang(text: str) -> str:
    """A crude fr/ru/en guess for labelled passages of mixed posts (the pipeline uses real langid)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "en"
    if sum("\u0400" <= c <= "\u04ff" for c in letters) / len(letters) > 0.3:
        return "ru"
    words = re.findall(r"[a-zà-ÿ']+", text.lower())
    fr = sum(
        w in {"le", "la", "les", "de", "des", "et", "est", "une", "pour", "que", "qui", "pas", "je"} for w in words
    )
    en = sum(w in {"the", "and", "is", "to", "of", "you", "that", "for", "it", "with", "not", "my"} for w in words)
    return "fr" if fr > en else "en"


def load_passages_file(path: Path = PASSAGES_FILE) -> list[LabelledPassage]:
    out: list[LabelledPassage] = []
    if not path.is_file():
        return out
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        text = unicodedata.normalize("NFC", str(row["text"]))
        lang = row.get("lang") if row.get("lang") in LANGS else guess_lang(text)
        pid = str(row.get("id", f"line{n}"))
        # "en-0001", "fr-0001", "ru-0001" may say the same thing in three languages: one group, so that
        # cross-validation never trains on a translation of a passage it evaluates.
        m = _PARALLEL_ID.match(pid)
        group = f"p:{m.group(1)}" if m else f"p:{pid}"
        out.append(
            LabelledPassage(
                pid,
                lang,
                text,
                tuple(row.get("themes") or ()),
                bool(row.get("relevant", True)),
                group=group,
            )
        )
    return out


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _PARA_SPLIT.split(text) if p.strip()]


def load_sample(
    labels: Path = SAMPLE_LABELS, root: Path = SAMPLE_DIR
) -> tuple[list[LabelledPassage], list[LabelledDocument]]:
    """Labelled non-boilerplate paragraphs of the sample posts, and the posts themselves."""
    passages: list[LabelledPassage] = []
    docs: list[LabelledDocument] = []
    if not labels.is_file():
        return passages, docs
    for line in labels.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        path = root / row["path"]
        if not path.is_file():
            continue
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8", errors="replace"))
        paras = paragraphs(text)
        relevant = bool(row.get("relevant", True))
        idx: list[int] = []
        used: set[int] = set()
        for j, item in enumerate(row.get("passages") or []):
            anchor = unicodedata.normalize("NFC", str(item.get("anchor", ""))).strip()
            if item.get("boilerplate") or not anchor:
                continue
            hit = next((k for k, p in enumerate(paras) if anchor in p and k not in used), None)
            if hit is None:
                continue
            used.add(hit)
            ptext = paras[hit]
            doc_lang = row.get("lang")
            lang = doc_lang if doc_lang in LANGS else guess_lang(ptext)
            idx.append(len(passages))
            passages.append(
                LabelledPassage(
                    f"{row['path']}#{j}",
                    lang,
                    ptext,
                    tuple(item.get("themes") or ()),
                    relevant,
                    group=f"s:{row['path']}",
                    doc=row["path"],
                )
            )
        doc_lang = row.get("lang") if row.get("lang") in LANGS else guess_lang(text)
        docs.append(LabelledDocument(row["path"], doc_lang, relevant, tuple(row.get("themes") or ()), tuple(idx), text))
    return passages, docs


def training_hash(paths: list[Path] | None = None) -> str:
    """sha256 (first 16 hex) of the training files, so a model says which data it was fitted on."""
    h = hashlib.sha256()
    files = paths if paths is not None else [PASSAGES_FILE, SAMPLE_LABELS, *sorted(SAMPLE_DIR.rglob("*"))]
    for p in files:
        if p.is_file():
            h.update(str(p.relative_to(REPO_ROOT) if p.is_relative_to(REPO_ROOT) else p.name).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]
