"""Explanations and compliant rewrites per category, stance and language (``lang/<xx>/claim_text.yaml``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from mlmtext.claims.categories import CATEGORIES
from mlmtext.errors import RuleError

LANG_DIR = Path(__file__).resolve().parent.parent / "lang"


@cache
def _texts(lang: str) -> dict[str, Any]:
    path = LANG_DIR / (lang if lang in ("fr", "ru", "en") else "en") / "claim_text.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("names", "asserted", "rewrite"):
        missing = [c for c in CATEGORIES if c not in data.get(key, {})]
        if missing:
            raise RuleError(f"{path}: {key!r} lacks {', '.join(missing)}")
    for key in ("negated", "reported", "model"):
        if not isinstance(data.get(key), str):
            raise RuleError(f"{path}: {key!r} must be a string template")
    return dict(data)


def explanation(category: str, stance: str, lang: str) -> str:
    t = _texts(lang)
    if stance == "asserted":
        return str(t["asserted"][category])
    return str(t[stance]).format(name=t["names"][category])


def model_explanation(category: str, probability: float, lang: str) -> str:
    t = _texts(lang)
    return str(t["model"]).format(name=t["names"][category], p=f"{probability:.2f}")


def rewrite(category: str, lang: str) -> str:
    return str(_texts(lang)["rewrite"][category])
