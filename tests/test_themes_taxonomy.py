"""The built-in taxonomy data file and the validation of user taxonomy files."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from mlmtext.errors import TaxonomyError
from mlmtext.themes.taxonomy import BUILTIN_PATH, load_taxonomy

LANGS = ("en", "fr", "ru")


def _user_theme(tid: str = "crypto-hype") -> dict:
    return {
        "id": tid,
        "labels": {"en": "Crypto hype", "fr": "Battage crypto", "ru": "Криптохайп"},
        "descriptions": {
            "en": "Recruiting people into cryptocurrency trading schemes.",
            "fr": "Recruter des gens dans des systèmes de trading de cryptomonnaies.",
            "ru": "Вовлечение людей в схемы торговли криптовалютой.",
        },
        "seeds": {"en": ["Buy the token before it lists."], "ru": ["Купи токен до листинга."]},
    }


def test_builtin_has_the_twelve_themes_of_themes_md(shared_dir: Path) -> None:
    documented = re.findall(r"^\| `([a-z-]+)` \|", (shared_dir / "THEMES.md").read_text("utf-8"), re.M)
    tax = load_taxonomy()
    assert list(tax.ids) == documented and len(documented) == 12
    assert tax.source == "builtin"


def test_builtin_has_labels_descriptions_and_seeds_in_three_languages() -> None:
    for t in load_taxonomy().themes:
        assert t.builtin
        for lang in LANGS:
            assert t.labels[lang] and t.descriptions[lang]
            assert len(t.seeds[lang]) >= 5, (t.id, lang)
            assert len(set(t.seeds[lang])) == len(t.seeds[lang])
        assert re.search("[а-яё]", " ".join(t.seeds["ru"]), re.I)  # Russian seeds are in Cyrillic


def _write(tmp_path: Path, data: object, name: str = "themes.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def _missing_fr_label() -> dict:
    t = _user_theme("x")
    del t["labels"]["fr"]
    return {"themes": [_user_theme("a"), _user_theme("b"), t]}


BAD = [
    (_missing_fr_label(), r"themes\.json: theme #3 'x': missing 'labels\.fr'"),
    ({"themes": [_user_theme("Bad Id")]}, r"themes\.json: theme #1 'Bad Id': 'id' must be"),
    ({"themes": [_user_theme("d-mine")]}, r"theme #1 'd-mine': ids starting with 'd-' are reserved"),
    ({"themes": [_user_theme("a"), _user_theme("a")]}, r"theme #2 'a': duplicate id"),
    ({"themes": [{**_user_theme(), "seeds": {"en": "one string"}}]}, r"'seeds\.en' must be a list"),
    ({"themes": [{**_user_theme(), "seeds": {"de": ["Hallo"]}}]}, r"'seeds\.de': unknown language"),
    ({"themes": [{**_user_theme(), "colour": "red"}]}, r"unknown key\(s\) colour"),
    (
        {"themes": [{k: v for k, v in _user_theme().items() if k != "descriptions"}]},
        r"missing 'descriptions'",
    ),
    ({"themes": []}, r"themes\.json: expected"),
    ({"themes": ["retention"]}, r"theme #1: expected an object"),
    ("{not json", r"themes\.json: invalid JSON at line 1"),
]


@pytest.mark.parametrize(("data", "message"), BAD)
def test_bad_files_name_the_file_and_entry(tmp_path: Path, data: object, message: str) -> None:
    path = _write(tmp_path, copy.deepcopy(data))
    with pytest.raises(TaxonomyError, match=message):
        load_taxonomy(path)


def test_missing_file_and_bad_mode(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match=r"nope\.json: file not found"):
        load_taxonomy(tmp_path / "nope.json")
    with pytest.raises(TaxonomyError, match="choose 'extend' or 'replace'"):
        load_taxonomy(None, mode="merge")


def test_extend_adds_and_overrides(tmp_path: Path) -> None:
    override = _user_theme("retention")
    path = _write(tmp_path, {"themes": [_user_theme(), override]})
    tax = load_taxonomy(path, "extend")
    assert tax.ids[-1] == "crypto-hype" and len(tax.ids) == 13
    assert not tax.get("crypto-hype").builtin
    assert not tax.get("retention").builtin  # redefined by the user: judged zero-shot from now on
    assert tax.get("retention").labels["ru"] == "Криптохайп"
    assert tax.source.startswith("builtin+") and tax.digest != load_taxonomy().digest


def test_replace_keeps_only_user_themes(tmp_path: Path) -> None:
    path = _write(tmp_path, [_user_theme()])  # a bare list is accepted too
    tax = load_taxonomy(path, "replace")
    assert tax.ids == ("crypto-hype",)
    assert tax.get("crypto-hype").seeds == {
        "en": ("Buy the token before it lists.",),
        "ru": ("Купи токен до листинга.",),
    }


def test_builtin_file_is_valid_json_with_a_format_tag() -> None:
    data = json.loads(BUILTIN_PATH.read_text("utf-8"))
    assert data["format"] == "mlmtext-taxonomy/1"
