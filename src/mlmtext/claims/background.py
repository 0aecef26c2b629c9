"""Background negatives drawn from the theme corpus: the ordinary advice sentences real posts are made of.

The labelled claim sentences are nearly all claim-like, so a model fitted on them alone meets "I send a short
reminder the day before" in a real post and calls it urgency. The theme corpus (``corpora/themes``, written by
the team) is full of such sentences. Passages of the themes where claims live (income, products and health)
are left out, and so is any sentence in which a claim rule finds a mention, whatever its stance: what is left
is advice, stories and logistics, used as negatives with no label.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mlmtext.claims.engine import parse
from mlmtext.claims.mentions import find_mentions
from mlmtext.nlp import get_nlp
from mlmtext.themes.corpus import PASSAGES_FILE

CLAIM_THEMES = frozenset({"income-compensation", "products-health"})
MIN_WORDS = 3


def advice_sentences(path: str | Path = PASSAGES_FILE, *, skip_rule_hits: bool = True) -> list[dict[str, Any]]:
    """Sentences of the theme corpus that make no claim, as unlabelled rows ``{id, lang, text, labels: []}``.
    ``skip_rule_hits=False`` keeps the sentences a claim rule finds something in (to see what new rules fire on)."""
    p = Path(path)
    if not p.is_file():
        return []
    rows = []
    for line in p.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        passage = json.loads(line)
        lang = passage.get("lang")
        if lang not in ("fr", "ru", "en") or CLAIM_THEMES & set(passage.get("themes", [])):
            continue
        for k, sent in enumerate(get_nlp(lang)(passage["text"]).sents):
            text = sent.text.strip()
            if len(text.split()) < MIN_WORDS or (skip_rule_hits and find_mentions(parse(text, lang), lang)):
                continue
            rows.append({"id": f"bgt-{passage['id']}-{k:02d}", "lang": lang, "text": text, "labels": []})
    return rows
