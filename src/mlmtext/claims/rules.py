"""Claim rule files: YAML per language, checked against a schema when loaded.

A bad file raises :class:`~mlmtext.errors.RuleError` naming the file and the rule id, so a rule author
learns exactly what to fix. Rules are plain frozen data; compiling them into spaCy matchers is
:mod:`mlmtext.claims.engine`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from mlmtext.claims.categories import CATEGORIES
from mlmtext.errors import RuleError

SCHEMA = "mlmtext-claim-rules/1"
LANG_DIR = Path(__file__).resolve().parent.parent / "lang"
KINDS = ("phrase", "pattern", "money", "regex")
_TOP_KEYS = {"schema", "lang", "version", "rules"}
_RULE_KEYS = {
    "id",
    "category",
    "kind",
    "score",
    "figure",
    "description",
    "phrases",
    "attr",
    "patterns",
    "regex",
    "earn_lemmas",
    "block_lemmas",
    "require",
    "examples",
}
_TOKEN_KEYS = {
    "LEMMA",
    "LOWER",
    "ORTH",
    "TEXT",
    "IS_DIGIT",
    "LIKE_NUM",
    "IS_PUNCT",
    "OP",
    "SHAPE",
    "IS_ALPHA",
}


@dataclass(frozen=True, slots=True)
class Rule:
    id: str  # "<lang>/<category>/<name>", unique across files
    lang: str
    category: str
    kind: str
    score: float
    figure: bool
    phrases: tuple[str, ...]
    attr: str
    patterns: tuple[tuple[dict[str, Any], ...], ...]
    regex: str | None
    earn_lemmas: tuple[str, ...]
    block_lemmas: tuple[str, ...]
    require: str  # money rules: "period-or-earn" | "earn" | "any"
    examples_match: tuple[str, ...]
    examples_no_match: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True, slots=True)
class RuleSet:
    lang: str
    version: str
    path: str
    rules: tuple[Rule, ...]


def _fail(path: Path, rule_id: str | None, msg: str) -> RuleError:
    where = f"{path}" + (f", rule {rule_id!r}" if rule_id else "")
    return RuleError(f"{where}: {msg}")


def _str_list(
    path: Path, rid: str, raw: dict[str, Any], key: str, *, required: bool = False
) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, rid, f"{key!r} must be a list of non-empty strings")
    if required and not value:
        raise _fail(path, rid, f"{key!r} must not be empty for kind {raw.get('kind')!r}")
    return tuple(value)


def _check_pattern(path: Path, rid: str, pattern: Any) -> tuple[dict[str, Any], ...]:
    if not isinstance(pattern, list) or not pattern:
        raise _fail(path, rid, "each entry of 'patterns' must be a non-empty list of token dicts")
    for tok in pattern:
        if not isinstance(tok, dict) or not tok:
            raise _fail(path, rid, f"token pattern {tok!r} must be a non-empty mapping")
        unknown = set(tok) - _TOKEN_KEYS
        if unknown:
            raise _fail(
                path, rid, f"unknown token attribute(s) {sorted(unknown)}; allowed: {sorted(_TOKEN_KEYS)}"
            )
        if tok.get("OP", "!") not in ("!", "?", "*", "+", "{0,2}", "{0,3}", "{0,4}", "{1,3}"):
            raise _fail(path, rid, f"unsupported OP {tok['OP']!r}")
    return tuple(pattern)


def _parse_rule(path: Path, lang: str, raw: Any, index: int) -> Rule:
    if not isinstance(raw, dict):
        raise _fail(path, None, f"rule #{index + 1} must be a mapping")
    rid = raw.get("id")
    if not isinstance(rid, str) or not re.fullmatch(r"[a-z-]+/[a-z0-9-]+", rid):
        raise _fail(path, str(rid) if rid else f"#{index + 1}", "'id' must look like '<category>/<name>'")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise _fail(path, rid, f"unknown key(s) {sorted(unknown)}")
    category = raw.get("category")
    if category not in CATEGORIES:
        raise _fail(path, rid, f"category {category!r} is not one of {', '.join(CATEGORIES)}")
    if not rid.startswith(f"{category}/"):
        raise _fail(path, rid, f"id must start with its category '{category}/'")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise _fail(path, rid, f"kind {kind!r} is not one of {', '.join(KINDS)}")
    score = raw.get("score", 0.8)
    if not isinstance(score, (int, float)) or not 0.0 < float(score) <= 1.0:
        raise _fail(path, rid, "score must be a number in (0, 1]")
    attr = raw.get("attr", "LEMMA")
    if attr not in ("LEMMA", "LOWER"):
        raise _fail(path, rid, "attr must be LEMMA or LOWER")
    phrases = _str_list(path, rid, raw, "phrases", required=kind == "phrase")
    patterns_raw = raw.get("patterns", [])
    if kind == "pattern" and (not isinstance(patterns_raw, list) or not patterns_raw):
        raise _fail(path, rid, "'patterns' must be a non-empty list for kind 'pattern'")
    patterns = tuple(_check_pattern(path, rid, p) for p in patterns_raw)
    regex = raw.get("regex")
    if kind == "regex":
        if not isinstance(regex, str) or not regex:
            raise _fail(path, rid, "'regex' must be a non-empty string for kind 'regex'")
        try:
            re.compile(regex)
        except re.error as exc:
            raise _fail(path, rid, f"invalid regex: {exc}") from None
    require = raw.get("require", "period-or-earn")
    if require not in ("period-or-earn", "earn", "any"):
        raise _fail(path, rid, "require must be period-or-earn, earn or any")
    examples = raw.get("examples")
    if not isinstance(examples, dict) or set(examples) != {"match", "no_match"}:
        raise _fail(path, rid, "'examples' must have exactly 'match' and 'no_match' lists")
    ex_match = _str_list(path, rid, examples, "match", required=True)
    ex_no = _str_list(path, rid, examples, "no_match", required=True)
    figure = raw.get("figure", False)
    if not isinstance(figure, bool):
        raise _fail(path, rid, "figure must be true or false")
    return Rule(
        id=f"{lang}/{rid}",
        lang=lang,
        category=category,
        kind=kind,
        score=float(score),
        figure=figure,
        phrases=phrases,
        attr=attr,
        patterns=patterns,
        regex=regex,
        earn_lemmas=_str_list(path, rid, raw, "earn_lemmas"),
        block_lemmas=_str_list(path, rid, raw, "block_lemmas"),
        require=require,
        examples_match=ex_match,
        examples_no_match=ex_no,
        description=str(raw.get("description", "")),
    )


def load_rule_file(path: str | Path) -> RuleSet:
    """Parse and validate one rule file."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _fail(p, None, f"cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise _fail(p, None, f"not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise _fail(p, None, "top level must be a mapping with schema, lang, version, rules")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise _fail(p, None, f"unknown top-level key(s) {sorted(unknown)}")
    if data.get("schema") != SCHEMA:
        raise _fail(p, None, f"schema must be {SCHEMA!r}")
    lang = data.get("lang")
    if lang not in ("fr", "ru", "en"):
        raise _fail(p, None, "lang must be fr, ru or en")
    rules_raw = data.get("rules")
    if not isinstance(rules_raw, list) or not rules_raw:
        raise _fail(p, None, "'rules' must be a non-empty list")
    rules = tuple(_parse_rule(p, lang, r, i) for i, r in enumerate(rules_raw))
    seen: set[str] = set()
    for r in rules:
        if r.id in seen:
            raise _fail(p, r.id, "duplicate rule id")
        seen.add(r.id)
    return RuleSet(lang=lang, version=str(data.get("version", "0")), path=str(p), rules=rules)


@cache
def builtin_rules(lang: str) -> RuleSet:
    """The rule file shipped for ``lang``."""
    return load_rule_file(LANG_DIR / lang / "claim_rules.yaml")
