"""Every rule's own examples: each `match` example is found by that rule, each `no_match` is not."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from mlmtext.claims.categories import CATEGORIES
from mlmtext.claims.engine import RuleEngine, builtin_engine, parse
from mlmtext.claims.literals import may_match, required_literals
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


def _without_prefilter(engine: RuleEngine) -> RuleEngine:
    plain = RuleEngine(engine.ruleset)
    plain._regex = [(rule, rx, ()) for rule, rx, _needles in plain._regex]
    return plain


@pytest.mark.parametrize("lang", LANGS)
def test_regex_prefilter_changes_no_hit(lang: str) -> None:
    """Skipping a regex rule whose required literals are absent finds exactly what running it finds."""
    engine = builtin_engine(lang)
    assert all(needles for _rule, _rx, needles in engine._regex)  # every shipped regex rule is prefiltered
    plain = _without_prefilter(engine)
    texts = [t for *_x, t, _m in (c for c in _cases() if c[0] == lang)]
    rows = (Path(__file__).resolve().parent.parent / "corpora/claims/sentences.jsonl").read_text("utf-8")
    texts += [json.loads(line)["text"] for line in rows.splitlines() if line.strip() and f'"lang": "{lang}"' in line]
    for text in texts:
        doc = parse(text, lang)
        assert engine.find(doc) == plain.find(doc), text


def test_regex_prefilter_keeps_ignorecase_equivalents(tmp_path: Path) -> None:
    """IGNORECASE lets "s" match the long s "ſ" and "i" the dotless "ı": the prefilter must not skip those."""
    body = _GOOD.replace("kind: phrase\n    phrases: [act now]", "kind: regex\n    regex: '\\bbusiness\\s+kit'")
    engine = RuleEngine(load_rule_file(_write(tmp_path, body)))
    assert engine._regex[0][2] == ("BUSINESS",)
    for text in ("Business kit", "buſineſs kit", "busıness KIT", "İ: business kit"):
        doc = parse(text, "en")
        assert [h.rule_id for h in engine.find(doc)] == ["en/urgency/x"], text
        assert engine.find(doc) == _without_prefilter(engine).find(doc)


def test_required_literals() -> None:
    assert required_literals(re.compile(r"\bfoo(?:bar|baz)+\s*(?:quux)?", re.IGNORECASE)) == ("FOO",)
    assert required_literals(re.compile(r"(?:in|into)\s+(?:debt|credit)", re.IGNORECASE)) == ("CREDIT", "DEBT")
    assert required_literals(re.compile(r"(?:abc)?\d+|xyz", re.IGNORECASE)) == ()  # a branch without literal
    assert required_literals(re.compile(r"(?x) six \s figures", re.IGNORECASE)) == ("FIGURES",)  # verbose
    assert not may_match(("FOO",), "BAR BAZ") and may_match(("FOO",), None) and may_match((), "BAR")


def test_magnitude_prefilter_changes_no_money(monkeypatch: pytest.MonkeyPatch) -> None:
    from mlmtext.claims import money

    rows = (Path(__file__).resolve().parent.parent / "corpora/claims/sentences.jsonl").read_text("utf-8")
    texts = [json.loads(line)["text"] for line in rows.splitlines() if line.strip()]
    texts += [t.lower() for t in texts] + ["six ﬁgures", "a ſix-figure income", "полмиллиона"]
    assert money._MAGNITUDE_NEEDLES
    want = [money.find_money(t) for t in texts]
    monkeypatch.setattr(money, "_MAGNITUDE_NEEDLES", ())
    assert [money.find_money(t) for t in texts] == want
