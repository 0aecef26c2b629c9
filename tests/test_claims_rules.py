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
    """The same rules, with every regex run and the Matcher called on every doc."""
    plain = RuleEngine(engine.ruleset)
    plain._regex = [(rule, rx, ()) for rule, rx, _needs in plain._regex]
    plain._matchers = [(matcher, ((),)) for matcher, _needs in plain._matchers]
    return plain


@pytest.mark.parametrize("lang", LANGS)
def test_prefilters_change_no_hit(lang: str) -> None:
    """Skipping a regex rule whose required literals are absent, or the Matcher when every token pattern
    lacks a required word, finds exactly what running them finds."""
    engine = builtin_engine(lang)
    assert all(needs for _rule, _rx, needs in engine._regex)  # every shipped regex rule is prefiltered
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
    assert engine._regex[0][2] == ((("BUSINESS",), ("KIT",)),)
    for text in ("Business kit", "buſineſs kit", "busıness KIT", "İ: business kit"):
        doc = parse(text, "en")
        assert [h.rule_id for h in engine.find(doc)] == ["en/urgency/x"], text
        assert engine.find(doc) == _without_prefilter(engine).find(doc)


def test_required_literals() -> None:
    def needs(pattern: str) -> object:
        return required_literals(re.compile(pattern, re.IGNORECASE))

    # one conjunction per top-level alternative; in it, groups of literals one of which must occur (re's parser
    # factors common prefixes: "bar|baz" is "ba[rz]", "in|into" is "in(?:to)?")
    assert needs(r"\bfoo(?:bar|baz)+\s*(?:quux)?") == ((("FOO",), ("BA",)),)
    assert needs(r"(?:in|into)\s+(?:debt|loans)|\bper\s+head") == (
        (("DEBT", "LOANS"), ("IN",)),
        (("HEAD",), ("PER",)),
    )
    assert needs(r"(?:(?:ab|c)d|ef)g") == ((("D", "EF"), ("G",)),)  # an inner branch: its best group each
    assert needs(r"(?:abc)?\d+|xyz") == ()  # an alternative without a literal: the regex always runs
    assert needs(r"(?x) six \s figures") == ((("FIGURES",), ("SIX",)),)  # verbose: spaces are no literals
    abc = needs(r"abc\s+d(?:e|f)")  # (?:e|f) is the class [ef]: a gap
    assert abc == ((("ABC",), ("D",)),)
    assert may_match(abc, "X ABC DE") and not may_match(abc, "ABC X") and not may_match(abc, "D E ")
    assert may_match(abc, None) and may_match((), "X")


def test_magnitude_prefilter_changes_no_money(monkeypatch: pytest.MonkeyPatch) -> None:
    from mlmtext.claims import money

    rows = (Path(__file__).resolve().parent.parent / "corpora/claims/sentences.jsonl").read_text("utf-8")
    texts = [json.loads(line)["text"] for line in rows.splitlines() if line.strip()]
    texts += [t.lower() for t in texts] + ["six ﬁgures", "a ſix-figure income", "полмиллиона"]
    assert money._MAGNITUDE_NEEDS
    want = [money.find_money(t) for t in texts]
    monkeypatch.setattr(money, "_MAGNITUDE_NEEDS", ())
    assert [money.find_money(t) for t in texts] == want


def test_token_pattern_needs() -> None:
    from mlmtext.claims.engine import _token_needs
    from mlmtext.nlp import get_nlp

    strings = get_nlp("en").vocab.strings
    pattern = [
        {"LEMMA": {"IN": ["quit", "leave"]}},
        {"LOWER": "my", "OP": "?"},
        {"OP": "{0,3}"},
        {"LOWER": "job", "OP": "+"},
        {"LOWER": "not", "OP": "!"},
        {"TEXT": "Now", "OP": "{1,3}"},
        {"IS_DIGIT": True},
    ]
    assert _token_needs(pattern, strings) == (
        (0, frozenset({strings["quit"], strings["leave"]})),
        (1, frozenset({strings["job"]})),
        (2, frozenset({strings["Now"]})),
    )
