"""Every rule's own examples: each `match` example is found by that rule, each `no_match` is not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mlmtext.claims.categories import CATEGORIES
from mlmtext.claims.engine import RuleEngine, builtin_engine, parse
from mlmtext.claims.rules import builtin_rules, load_rule_file
from mlmtext.errors import RuleError

LANGS = tuple(os.environ.get("CLAIM_TEST_LANGS", "en fr ru").split())


def _cases() -> list[tuple[str, str, str, bool]]:
    out = []
    for lang in LANGS:
        for rule in builtin_rules(lang).rules:
            out += [(lang, rule.id, ex, True) for ex in rule.examples_match]
            out += [(lang, rule.id, ex, False) for ex in rule.examples_no_match]
    return out


@pytest.mark.parametrize(("lang", "rule_id", "text", "should_match"), _cases())
def test_rule_examples(lang: str, rule_id: str, text: str, should_match: bool) -> None:
    hits = builtin_engine(lang).find(parse(text, lang))
    ids = {h.rule_id for h in hits}
    assert (rule_id in ids) is should_match, f"{rule_id} on {text!r}: hits {sorted(ids)}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_category_has_rules_with_examples(lang: str) -> None:
    rules = builtin_rules(lang).rules
    assert {r.category for r in rules} == set(CATEGORIES)
    assert all(r.examples_match and r.examples_no_match for r in rules)


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "rules.yaml"
    p.write_text("schema: mlmtext-claim-rules/1\nlang: en\nversion: '1'\nrules:\n" + body, encoding="utf-8")
    return p


_GOOD = """  - id: urgency/x
    category: urgency
    kind: phrase
    phrases: [act now]
    examples: {match: ["act now"], no_match: ["later"]}
"""


def test_good_custom_file_loads_and_matches(tmp_path: Path) -> None:
    engine = RuleEngine(load_rule_file(_write(tmp_path, _GOOD)))
    assert [h.rule_id for h in engine.find(parse("Please act now.", "en"))] == ["en/urgency/x"]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (_GOOD.replace("category: urgency", "category: wealth"), "category 'wealth'"),
        (_GOOD.replace("kind: phrase", "kind: magic"), "kind 'magic'"),
        (_GOOD.replace("phrases: [act now]", "phrases: []"), "'phrases' must not be empty"),
        (_GOOD.replace('no_match: ["later"]', "no_match: []"), "'no_match' must not be empty"),
        (_GOOD.replace("phrases: [act now]", "phrases: [act now]\n    colour: red"), "unknown key"),
        (
            _GOOD.replace("kind: phrase\n    phrases: [act now]", "kind: regex\n    regex: '(unclosed'"),
            "invalid regex",
        ),
        (_GOOD.replace("id: urgency/x", "id: earnings/x"), "must start with its category"),
        (_GOOD + _GOOD, "duplicate rule id"),
    ],
)
def test_bad_rule_file_names_file_and_rule(tmp_path: Path, body: str, needle: str) -> None:
    with pytest.raises(RuleError) as info:
        load_rule_file(_write(tmp_path, body))
    msg = str(info.value)
    assert needle in msg and "rules.yaml" in msg
    if "duplicate" not in needle and "category 'wealth'" not in needle:
        assert "'urgency/x'" in msg or "'earnings/x'" in msg


def test_bad_token_pattern_is_a_rule_error(tmp_path: Path) -> None:
    body = _GOOD.replace(
        "kind: phrase\n    phrases: [act now]", "kind: pattern\n    patterns: [[{LEMMA: {FOO: [a]}}]]"
    )
    with pytest.raises(RuleError, match="urgency/x"):
        RuleEngine(load_rule_file(_write(tmp_path, body)))


def test_not_yaml_is_a_rule_error(tmp_path: Path) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text("rules: [unclosed", encoding="utf-8")
    with pytest.raises(RuleError, match=r"bad\.yaml"):
        load_rule_file(p)
