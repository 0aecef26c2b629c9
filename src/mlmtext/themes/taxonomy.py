"""The theme taxonomy: a JSON data file checked by a small schema, extended or replaced by a user's file.

Format (the built-in file ``data/taxonomy.json`` is an example)::

    {"themes": [{"id": "no-shows",
                 "labels": {"en": ..., "fr": ..., "ru": ...},
                 "descriptions": {"en": ..., "fr": ..., "ru": ...},
                 "seeds": {"en": [...], "fr": [...], "ru": [...]}}, ...]}

Every error names the file and the entry, e.g. ``themes.json: theme #3 'x': missing 'labels.fr'``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlmtext.errors import TaxonomyError
from mlmtext.types import LANGS

BUILTIN_PATH = Path(__file__).resolve().parent / "data" / "taxonomy.json"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
MODES = ("extend", "replace")


@dataclass(frozen=True, slots=True)
class ThemeDef:
    id: str
    labels: dict[str, str]
    descriptions: dict[str, str]
    seeds: dict[str, tuple[str, ...]]
    builtin: bool = True

    def prototype_texts(self) -> list[tuple[str, str]]:
        """(lang, text) pairs whose vectors make the theme's prototype: descriptions and seeds."""
        out = [(lang, self.descriptions[lang]) for lang in LANGS]
        out += [(lang, s) for lang in LANGS for s in self.seeds.get(lang, ())]
        return out


@dataclass(frozen=True, slots=True)
class Taxonomy:
    themes: tuple[ThemeDef, ...]
    source: str  # "builtin", "builtin+<file>" or "<file>"
    digest: str  # sha256 of the definitions, so a report says exactly which taxonomy it used

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.themes)

    def get(self, theme_id: str) -> ThemeDef:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)


def _lang_strings(where: str, entry: dict[str, Any], key: str) -> dict[str, str]:
    block = entry.get(key)
    if not isinstance(block, dict):
        raise TaxonomyError(f"{where}: missing '{key}' (an object with {', '.join(LANGS)})")
    out: dict[str, str] = {}
    for lang in LANGS:
        value = block.get(lang)
        if not isinstance(value, str) or not value.strip():
            raise TaxonomyError(f"{where}: missing '{key}.{lang}' (a non-empty string)")
        out[lang] = value.strip()
    return out


def _seeds(where: str, entry: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    block = entry.get("seeds", {})
    if not isinstance(block, dict):
        raise TaxonomyError(f"{where}: 'seeds' must be an object of lists per language")
    out: dict[str, tuple[str, ...]] = {}
    for lang, items in block.items():
        if lang not in LANGS:
            raise TaxonomyError(f"{where}: 'seeds.{lang}': unknown language (use {', '.join(LANGS)})")
        if not isinstance(items, list) or not all(isinstance(s, str) and s.strip() for s in items):
            raise TaxonomyError(f"{where}: 'seeds.{lang}' must be a list of non-empty strings")
        out[lang] = tuple(s.strip() for s in items)
    return out


def parse_taxonomy(data: Any, name: str, *, builtin: bool = False) -> list[ThemeDef]:
    """Validate decoded JSON; ``name`` (usually the file name) prefixes every error."""
    themes = data.get("themes") if isinstance(data, dict) else data
    if not isinstance(themes, list) or not themes:
        raise TaxonomyError(f'{name}: expected {{"themes": [...]}} with at least one theme')
    seen: set[str] = set()
    out: list[ThemeDef] = []
    for i, entry in enumerate(themes, start=1):
        if not isinstance(entry, dict):
            raise TaxonomyError(f"{name}: theme #{i}: expected an object, got {type(entry).__name__}")
        tid = entry.get("id")
        where = f"{name}: theme #{i} {tid!r}" if isinstance(tid, str) else f"{name}: theme #{i}"
        if not isinstance(tid, str) or not ID_RE.match(tid):
            raise TaxonomyError(f"{where}: 'id' must be lower-case letters, digits and '-' (e.g. 'no-shows')")
        if tid.startswith("d-"):
            raise TaxonomyError(f"{where}: ids starting with 'd-' are reserved for discovered themes")
        if tid in seen:
            raise TaxonomyError(f"{where}: duplicate id")
        seen.add(tid)
        unknown = set(entry) - {"id", "labels", "descriptions", "seeds"}
        if unknown:
            raise TaxonomyError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        out.append(
            ThemeDef(
                tid,
                _lang_strings(where, entry, "labels"),
                _lang_strings(where, entry, "descriptions"),
                _seeds(where, entry),
                builtin,
            )
        )
    return out


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TaxonomyError(f"{path}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise TaxonomyError(f"{path.name}: not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise TaxonomyError(f"{path.name}: invalid JSON at {where}: {exc.msg}") from exc


def _digest(themes: list[ThemeDef]) -> str:
    blob = json.dumps(
        [[t.id, t.labels, t.descriptions, {k: list(v) for k, v in sorted(t.seeds.items())}] for t in themes],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def load_taxonomy(file: str | Path | None = None, mode: str = "extend") -> Taxonomy:
    """The built-in taxonomy, extended (user themes added, same ids overridden) or replaced by ``file``."""
    if mode not in MODES:
        raise TaxonomyError(f"taxonomy mode {mode!r}: choose 'extend' or 'replace'")
    builtin = parse_taxonomy(_read(BUILTIN_PATH), BUILTIN_PATH.name, builtin=True)
    if file is None:
        return Taxonomy(tuple(builtin), "builtin", _digest(builtin))
    path = Path(file)
    user = parse_taxonomy(_read(path), path.name, builtin=False)
    if mode == "replace":
        return Taxonomy(tuple(user), str(path), _digest(user))
    by_id = {t.id: t for t in builtin}
    for t in user:  # a user's theme with a built-in id redefines it (and is then judged zero-shot)
        by_id[t.id] = t
    merged = list(by_id.values())
    return Taxonomy(tuple(merged), f"builtin+{path}", _digest(merged))
