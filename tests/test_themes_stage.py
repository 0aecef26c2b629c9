"""The theme stage end to end with the real USE model and the shipped fitted models (all local).

The texts here are written for these tests: none is in the training corpora.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlmtext.config import AnalyzeConfig
from mlmtext.errors import ConfigError, TaxonomyError
from mlmtext.themes import ThemeStage
from mlmtext.themes.corpus import models_dir
from tests.themes_helpers import corpus, make_doc

pytestmark = pytest.mark.skipif(not (models_dir() / "use.npz").is_file(), reason="no fitted use model")

NO_SHOWS = {
    "en": [
        "Saturday's product demo: nine people told me they would definitely come. I set out chairs, samples "
        "and coffee for nine. Two turned up, and the others stopped answering my messages.",
        "Next time I will text everyone the evening before and ask them to reply yes to confirm their seat.",
    ],
    "fr": [
        "Samedi, neuf personnes m'avaient juré qu'elles viendraient à la démonstration. J'avais préparé neuf "
        "chaises, des échantillons et du café. Deux sont venues, les autres ne répondent "
        "plus à mes messages.",
        "La prochaine fois, j'enverrai un SMS la veille en demandant de répondre oui pour confirmer la place.",
    ],
    "ru": [
        "В субботу девять человек твёрдо пообещали прийти на демонстрацию продукции. Я поставила девять "
        "стульев, пробники и кофе. Пришли двое, остальные перестали отвечать на сообщения.",
        "В следующий раз напишу всем накануне вечером и попрошу ответить «да», чтобы подтвердить место.",
    ],
}

NOT_MLM = {
    "party": (
        "en",
        [
            "You're invited! Emma turns seven on Saturday 14 June. Join us at the park "
            "pavilion from 2 to 5 pm "
            "for cake, a treasure hunt and face painting.",
            "Please let us know by Wednesday if you can come, and tell us about any food allergies.",
        ],
    ),
    "applicant": (
        "fr",
        [
            "Le candidat au poste de magasinier avait confirmé son entretien de mardi à 9 h. Il ne s'est pas "
            "présenté et n'a pas répondu à nos appels.",
            "Nous avons donc rappelé la deuxième candidate de la liste, qui commence lundi.",
        ],
    ),
    "cooking": (
        "ru",
        [
            "Сегодня пеку шарлотку: три яйца взбить со стаканом сахара, добавить стакан муки и нарезанные "
            "яблоки. Выпекать сорок минут при ста восьмидесяти градусах.",
            "Если яблоки очень кислые, посыпьте их корицей и ложкой сахара.",
        ],
    ),
    "masked-lm": (
        "en",
        [
            "We fine-tuned a BERT-style encoder with the MLM objective: 15% of input tokens "
            "are masked and the "
            "model predicts them from context. MLM pretraining on domain text lowered perplexity by 12%.",
            "The MLM head is dropped after pretraining and a classification head is trained on the labelled set.",
        ],
    ),
}

MLM_EXTRA = [
    (
        "en",
        [
            "My upline told me to make a list of a hundred names. I reached out to twenty friends this week "
            "and three agreed to hear about the business opportunity.",
            "Share this post: Facebook | Twitter | Email",
        ],
    ),
    (
        "fr",
        [
            "Notre plan de rémunération verse 5 % sur le volume de ta première lignée et 3 % "
            "sur la deuxième. "
            "Pour toucher le bonus de leadership, il faut trois lignes qualifiées.",
            "Partager : Facebook | Twitter | E-mail",
        ],
    ),
]


@pytest.fixture(scope="session")
def stage(tmp_path_factory: pytest.TempPathFactory) -> ThemeStage:
    cache = tmp_path_factory.mktemp("vectors")
    return ThemeStage(AnalyzeConfig(cache_dir=str(cache)))


def _five_docs():
    docs = [make_doc(f"{lang}/no-shows.txt", paras, lang) for lang, paras in NO_SHOWS.items()]
    docs += [
        make_doc(f"{lang}/extra-{i}.txt", paras, lang, boilerplate=(1,)) for i, (lang, paras) in enumerate(MLM_EXTRA)
    ]
    return corpus(*docs)


def test_same_idea_in_three_languages_lands_in_the_same_theme(stage: ThemeStage) -> None:
    docs, passages = corpus(*(make_doc(f"{lang}.txt", paras, lang) for lang, paras in NO_SHOWS.items()))
    result = stage.run(docs, passages)
    for d in docs:
        assert result.relevance[d.id] > 0.5
        top2 = [s.id for s in result.document_themes[d.id][:2]]
        assert "no-shows" in top2, (d.id, result.document_themes[d.id])
    reminders = [p for p in result.passages if p.index == 1]  # "text everyone the evening before"
    assert all(p.themes and p.themes[0].id == "no-shows" for p in reminders), reminders


@pytest.mark.parametrize("name", sorted(NOT_MLM))
def test_non_mlm_text_gets_no_theme(stage: ThemeStage, name: str) -> None:
    lang, paras = NOT_MLM[name]
    docs, passages = corpus(make_doc(f"{name}.txt", paras, lang))
    result = stage.run(docs, passages)
    assert result.relevance[f"{name}.txt"] < 0.5
    assert result.document_themes[f"{name}.txt"] == ()
    assert all(p.themes == () for p in result.passages)


def test_non_mlm_document_beside_mlm_documents(stage: ThemeStage) -> None:
    lang, paras = NOT_MLM["party"]
    docs, passages = corpus(make_doc("party.txt", paras, lang), make_doc("fr.txt", NO_SHOWS["fr"], "fr"))
    result = stage.run(docs, passages)
    assert result.document_themes["party.txt"] == ()
    assert result.relevance["party.txt"] < 0.5 < result.relevance["fr.txt"]
    assert result.document_themes["fr.txt"]


@pytest.mark.parametrize("n_docs", [1, 2, 5])
def test_small_corpora(stage: ThemeStage, n_docs: int) -> None:
    docs, passages = _five_docs()
    docs = docs[:n_docs]
    passages = [p for p in passages if p.doc_id in {d.id for d in docs}]
    result = stage.run(docs, passages)
    assert [(p.doc_id, p.index, p.text) for p in result.passages] == [(p.doc_id, p.index, p.text) for p in passages]
    assert set(result.document_themes) == set(result.relevance) == {d.id for d in docs}
    known = {t.id for t in result.themes}
    assert {t.id for t in result.themes if t.builtin} >= {"no-shows", "retention", "social-media"}
    for p in result.passages:
        if p.is_boilerplate:
            assert p.themes == ()
        assert [t.score for t in p.themes] == sorted((t.score for t in p.themes), reverse=True)
        assert {t.id for t in p.themes} <= known
    for d in docs:
        scores = result.document_themes[d.id]
        assert scores, d.id
        assert [s.score for s in scores] == sorted((s.score for s in scores), reverse=True)
        assert all(0 < s.score <= 1 for s in scores)
    sizes = {t.id: t.size for t in result.themes}
    counted: dict[str, int] = {}
    for p in result.passages:
        for t in p.themes:
            counted[t.id] = counted.get(t.id, 0) + 1
    assert all(sizes[k] == v for k, v in counted.items())


def test_boilerplate_passages_are_not_themed(stage: ThemeStage) -> None:
    docs, passages = corpus(make_doc("en/extra.txt", MLM_EXTRA[0][1], "en", boilerplate=(1,)))
    result = stage.run(docs, passages)
    assert result.passages[1].themes == ()
    assert result.passages[0].themes
    assert result.document_themes["en/extra.txt"][0].score == 1.0  # share of the one non-boilerplate passage


def test_two_runs_give_identical_output(stage: ThemeStage, tmp_path: Path) -> None:
    docs, passages = _five_docs()
    first = stage.run(docs, passages)
    fresh = ThemeStage(AnalyzeConfig(cache_dir=str(tmp_path)))  # new cache: vectors embedded again
    second = fresh.run(docs, passages)
    assert first.passages == second.passages
    assert first.document_themes == second.document_themes
    assert first.relevance == second.relevance
    assert first.themes == second.themes


def test_second_run_embeds_nothing(tmp_path: Path) -> None:
    docs, passages = _five_docs()
    ThemeStage(AnalyzeConfig(cache_dir=str(tmp_path))).run(docs, passages)
    again = ThemeStage(AnalyzeConfig(cache_dir=str(tmp_path)))
    again.run(docs, passages)
    assert again.embedder.misses == 0 and again.embedder.hits > 0


def test_bad_embedder_and_bad_taxonomy_fail_at_construction(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown embedder 'bert'"):
        ThemeStage(AnalyzeConfig(embedder="bert"))
    bad = tmp_path / "mine.json"
    bad.write_text('{"themes": [{"id": "x"}]}', "utf-8")
    with pytest.raises(TaxonomyError, match=r"mine\.json: theme #1 'x': missing 'labels'"):
        ThemeStage(AnalyzeConfig(taxonomy_file=str(bad)))


def test_empty_input(stage: ThemeStage) -> None:
    result = stage.run([], [])
    assert result.passages == () and result.document_themes == {} and result.relevance == {}
    assert all(t.size == 0 for t in result.themes)


def test_info_records_models(stage: ThemeStage) -> None:
    docs, passages = corpus(make_doc("fr.txt", NO_SHOWS["fr"], "fr"))
    info = stage.run(docs, passages).info
    assert info["embedder"]["model_id"].startswith("use-multilingual-v3")
    assert info["model"].startswith("use@") and info["model_id_matches"]
    assert info["taxonomy"]["source"] == "builtin"
    assert set(info["thresholds"]) == {t.id for t in stage.taxonomy.themes}
    json.dumps(info)  # serialisable into report.json


def test_user_theme_is_assigned_zero_shot(tmp_path: Path, stage: ThemeStage) -> None:
    path = tmp_path / "themes.json"
    theme = {
        "id": "taxes-admin",
        "labels": {"en": "Taxes and paperwork", "fr": "Impôts et démarches", "ru": "Налоги и документы"},
        "descriptions": {
            "en": "Declaring distributor income to the tax office, registration, invoices, bookkeeping.",
            "fr": "Déclarer ses revenus de distributeur aux impôts, statut, factures, comptabilité.",
            "ru": "Налоги с дохода дистрибьютора, регистрация самозанятым или ИП, чеки, бухгалтерия.",
        },
        "seeds": {
            "en": [
                "Do I have to declare my commissions on my tax return?",
                "Keep every invoice for your accountant.",
            ],
            "fr": [
                "Faut-il déclarer ses commissions aux impôts ?",
                "Garde toutes tes factures pour le comptable.",
            ],
            "ru": ["Нужно ли платить налог с комиссионных?", "Сохраняйте все чеки для бухгалтера."],
        },
    }
    path.write_text(json.dumps({"themes": [theme]}, ensure_ascii=False), "utf-8")
    config = AnalyzeConfig(taxonomy_file=str(path), cache_dir=stage.config.cache_dir)
    custom = ThemeStage(config, embedder=stage.embedder, fitted=stage.fitted)
    docs, passages = corpus(
        make_doc(
            "fr/impots.txt",
            [
                "Question fiscale : mes commissions de distributrice doivent-elles être "
                "déclarées aux impôts ? "
                "Je suis auto-entrepreneuse et je ne sais pas quelle case remplir sur la déclaration.",
                "Mon conseil : gardez toutes vos factures et vos relevés de commissions pour votre comptable.",
            ],
            "fr",
        )
    )
    result = custom.run(docs, passages)
    assert "taxes-admin" in result.info["zero_shot_themes"]
    listed = {t.id: t for t in result.themes}
    assert not listed["taxes-admin"].builtin and listed["taxes-admin"].labels["ru"] == "Налоги и документы"
    assert any("taxes-admin" in {t.id for t in p.themes} for p in result.passages)


def test_run_settles_discovered_themes_whatever_the_passage_order(stage: ThemeStage, sample_dir: Path) -> None:
    import mlmtext

    base = mlmtext.analyze([sample_dir], AnalyzeConfig(themes=False, claims=False))
    docs = [d.document for d in base.documents]
    passages = list(base.passages)
    grouped = stage.run(docs, passages)
    discovered = {t.id for t in grouped.themes if not t.builtin}
    assert discovered and any(s.id in discovered for ts in grouped.document_themes.values() for s in ts)
    mixed = stage.run(docs, list(reversed(passages)))  # another document's passages in between
    assert mixed.document_themes == grouped.document_themes
    assert list(reversed(mixed.passages)) == list(grouped.passages)
    with pytest.raises(ValueError, match="grouped by document"):
        stage.start().score(docs, list(reversed(passages)))
