"""Claim flagging: money parsing, stance, severity, offsets, explanations, hard negatives."""

from __future__ import annotations

import hashlib

import pytest

from mlmtext.claims import AUTHORITIES, ClaimFlagger, risk_summary
from mlmtext.claims.money import find_money, parse_number
from mlmtext.config import AnalyzeConfig
from mlmtext.types import Document, Flag, Passage

RULES = ClaimFlagger(AnalyzeConfig(cache_dir=""), use_classifier=False)


def _doc(
    text: str, lang: str, passages: list[tuple[int, int, bool]] | None = None
) -> tuple[Document, list[Passage]]:
    d = Document(
        id="t.txt",
        path="t.txt",
        format="txt",
        encoding="utf-8",
        text=text,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        lang=lang,
    )
    spans = passages or [(0, len(text), False)]
    ps = [
        Passage(doc_id="t.txt", index=i, start=s, end=e, text=text[s:e], lang=lang, is_boilerplate=b)
        for i, (s, e, b) in enumerate(spans)
    ]
    return d, ps


def flags(text: str, lang: str, flagger: ClaimFlagger = RULES) -> list[Flag]:
    d, ps = _doc(text, lang)
    return flagger.flag(d, ps)


def cats(text: str, lang: str, stance: str = "asserted") -> set[str]:
    return {f.category for f in flags(text, lang) if f.stance == stance}


# -- money ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "amount", "currency", "period"),
    [
        ("10 000 € par mois", 10000, "EUR", "month"),
        ("$5k/month", 5000, "USD", "month"),
        ("5 000 euros mensuels", 5000, "EUR", "month"),
        ("200 тыс. руб. в месяц", 200000, "RUB", "month"),
        ("100 000 рублей ежемесячно", 100000, "RUB", "month"),
        ("$10k my first month", 10000, "USD", "first-month"),
        ("$2,000 to $3,000 a month", 3000, "USD", "month"),
        ("3k€ par mois", 3000, "EUR", "month"),
        ("1,5 млн рублей за год", 1_500_000, "RUB", "year"),
        ("Le kit coûte 49,90 €.", 49.9, "EUR", None),
        ("$500 per week", 500, "USD", "week"),
        ("she crossed $18,000 in a single month", 18000, "USD", "month"),
        ("3 000 € en un seul mois", 3000, "EUR", "month"),
        # the currencies of Canada, Australia, Switzerland, Kazakhstan, Ukraine, Belarus, the UK
        ("in November my cheque was $1,850 CAD", 1850, "CAD", None),
        ("CA$2,000 a month", 2000, "CAD", "month"),
        ("2 000 $ CA par mois", 2000, "CAD", "month"),
        ("A$900 a week", 900, "AUD", "week"),
        ("3 500 CHF par mois", 3500, "CHF", "month"),
        ("около 900 000 тенге в месяц", 900000, "KZT", "month"),
        ("20 000 ₸ за день", 20000, "KZT", "day"),
        ("15 000 грн в месяц", 15000, "UAH", "month"),
        ("2 500 BYN в месяц", 2500, "BYN", "month"),
        ("£400 a week", 400, "GBP", "week"),
        ("two grand, well 2,000 quid a month", 2000, "GBP", "month"),
        ("500 000 francs CFA par mois", 500000, "XOF", "month"),
        ("$500 aud a month", 500, "AUD", "month"),
    ],
)
def test_money_amount_currency_period(text: str, amount: float, currency: str, period: str | None) -> None:
    found = find_money(text)
    assert len(found) == 1
    m = found[0]
    assert m.amount == pytest.approx(amount)
    assert (m.currency, m.period) == (currency, period)
    assert text[m.start : m.end] == m.text


@pytest.mark.parametrize("text", ["six figures", "a six-figure income", "полмиллиона", "à six chiffres"])
def test_money_magnitude_phrases(text: str) -> None:
    (m,) = find_money(text)
    assert m.magnitude and m.amount is None


@pytest.mark.parametrize(
    "text",
    ["Je suis née en 1985 et j'ai 3 enfants", "Call 555 1234", "Room 12, floor 3", "Down 30 pounds this month!"],
)
def test_bare_numbers_are_not_money(text: str) -> None:
    assert find_money(text) == []


@pytest.mark.parametrize(
    ("raw", "value"),
    [("10 000", 10000), ("2,000", 2000), ("49,90", 49.9), ("2.000", 2000), ("1.5", 1.5), ("1 000 000", 1e6)],
)
def test_parse_number(raw: str, value: float) -> None:
    assert parse_number(raw) == pytest.approx(value)


# -- hard negatives ---------------------------------------------------------------------------------------
PRICES = [
    ("en", "The starter kit costs $199 and the autoship is $49.99 per month."),
    ("en", "Price: $34.95 per bottle, free shipping over $100."),
    ("fr", "Le kit de démarrage coûte 199 € et l'abonnement 29,90 € par mois."),
    ("fr", "Prix : 34,90 € TTC le flacon."),
    ("ru", "Стартовый набор стоит 5 000 рублей, подписка — 990 рублей в месяц."),
    ("ru", "Цена баночки 1 490 руб., доставка бесплатно."),
]


@pytest.mark.parametrize(("lang", "text"), PRICES)
def test_product_prices_are_never_earnings_claims(lang: str, text: str) -> None:
    assert "earnings" not in {f.category for f in flags(text, lang)}


PLAN = [
    (
        "en",
        "Under the compensation plan you receive a 25% commission on your personal retail sales and 5% on "
        "the product volume of your first level.",
    ),
    (
        "fr",
        "Le plan de rémunération verse 25 % de commission sur vos ventes personnelles et 5 % sur le volume "
        "de votre premier niveau.",
    ),
    ("ru", "По маркетинг-плану вы получаете 25 % с личных продаж и 5 % с товарооборота первой линии."),
]


@pytest.mark.parametrize(("lang", "text"), PLAN)
def test_compensation_plan_explanation_is_not_a_claim(lang: str, text: str) -> None:
    assert [f for f in flags(text, lang) if f.stance == "asserted"] == []


# -- stance -----------------------------------------------------------------------------------------------
QUOTED_PITCH = 'Her post: "Hey girl! Fire your boss and join us. Only 2 spots left!" Please don\'t.'
STANCE = [
    ("en", "Join us and you will earn $5,000 a month.", "earnings", "asserted"),
    ("en", "I don't make $5,000 a month and nobody on my team does.", "earnings", "negated"),
    ("en", "I can't boast of big money yet.", "earnings", "negated"),
    ("en", "They promise you $10,000 a month; on paper it works.", "earnings", "reported"),
    (
        "en",
        "Her upline keeps posting “financial freedom in 90 days” as if it were true.",
        "financial-freedom",
        "reported",
    ),
    ("en", "Our products do not cure cancer.", "health-cure", "negated"),
    ("en", "This oil cures anxiety.", "health-cure", "asserted"),
    ("en", "It's NOT a pyramid scheme!", "pyramid-denial", "asserted"),
    ("fr", "Rejoins-nous, tu gagneras 5 000 € par mois.", "earnings", "asserted"),
    ("fr", "Je ne gagne pas 5 000 € par mois.", "earnings", "negated"),
    (
        "fr",
        "Ils vous promettent 10 000 € par mois ; sur le papier ça marche, mais non.",
        "earnings",
        "reported",
    ),
    ("fr", "Elle parlait de « liberté financière » à chaque réunion.", "financial-freedom", "reported"),
    ("fr", "Ce complément guérit le diabète.", "health-cure", "asserted"),
    ("fr", "Nos compléments ne guérissent jamais le diabète.", "health-cure", "negated"),
    ("ru", "Зарабатываю 200 тысяч в месяц на удалёнке.", "earnings", "asserted"),
    ("ru", "Я не зарабатываю 200 тысяч в месяц.", "earnings", "negated"),
    ("ru", "Они обещают финансовую свободу за год.", "financial-freedom", "reported"),
    ("ru", "«Финансовая свобода за три месяца» — мечта лузеров.", "financial-freedom", "reported"),
    ("ru", "Это не пирамида!", "pyramid-denial", "asserted"),
    ("ru", "Наша продукция не лечит болезни.", "health-cure", "negated"),
    # the claim as the subject of a negated predicate (auxiliaries, and in fr/ru pronouns, only in between)
    ("en", "After two years, financial freedom is still nowhere near.", "financial-freedom", "negated"),
    ("en", "Quitting my job was never the plan.", "job-replacement", "negated"),
    ("fr", "La liberté financière, c'est pas pour cette année.", "financial-freedom", "negated"),
    ("ru", "Миллионов я тут не заработала.", "earnings", "negated"),
    # ... and asserted claims that look like it
    ("en", "Financial freedom is not a dream, it's our plan for you.", "financial-freedom", "asserted"),
    ("en", "Passive income that never stops, month after month.", "passive-income", "asserted"),
    ("en", "Passive income, that never stops!", "passive-income", "asserted"),
    ("en", "Financial freedom has never been closer.", "financial-freedom", "asserted"),
    ("en", "Financial freedom isn't impossible.", "financial-freedom", "asserted"),
    ("en", "Passive income won't wait for you, join today!", "passive-income", "asserted"),
    ("fr", "Un revenu passif sans lever le petit doigt, rejoins-nous.", "passive-income", "asserted"),
    ("fr", "Un revenu passif, ça ne se refuse pas !", "passive-income", "asserted"),
    ("fr", "L'argent rentre même quand je ne fais rien !", "passive-income", "asserted"),
    ("ru", "Деньги идут, пока ты не работаешь.", "passive-income", "asserted"),
    ("ru", "Пассивный доход мне уже не снится, он у меня есть.", "passive-income", "asserted"),
    # a quotation over several sentences reports every claim in it; "me" is no first-person subject
    ("en", QUOTED_PITCH, "urgency", "reported"),
    ("en", QUOTED_PITCH, "job-replacement", "reported"),
    ("ru", "Её пост: „Привет! Уволься с работы. Только сегодня!” Не ведитесь.", "job-replacement", "reported"),
    ("en", "The man who sponsored me said I'd be making $10,000 a month.", "earnings", "reported"),
    ("en", "Let me tell you: I made $10,000 last month.", "earnings", "asserted"),
    # apostrophes, ‘90s and 6'2" open no quotation
    ("en", "Back in the ‘90s I was broke. Last month I made $10,000 and I’m never going back.", "earnings", "asserted"),
    ("en", 'My 6\'2" husband laughed. Last month I made $10,000. Comment "INFO" below!', "earnings", "asserted"),
    # an emoji ends a sentence as a full stop does (® or № do not); Russian drops the pronoun of "I say"
    ("ru", "Работаю когда удобно мне, а не начальнику 🙌 Я уволилась с работы через 3 месяца!", "job-replacement",
     "asserted"),
    ("en", "The first year was far from easy 😅 I made $10,000 last month!", "earnings", "asserted"),
    ("en", "I quit my job after 3 months 🎉 They said it never happened to anyone.", "job-replacement", "asserted"),
    ("en", "I never made the Diamond® rank or $10,000 a month.", "earnings", "negated"),
    ("ru", "Сразу скажу, чтобы не было вопросов: это не пирамида!", "pyramid-denial", "asserted"),
    ("ru", "Мне говорят: это не пирамида.", "pyramid-denial", "reported"),
    ("ru", "Пишу: они обещают доход 100 тысяч в месяц.", "earnings", "reported"),
    ("ru", "Избавиться от аллергии их продукция мне не помогла.", "health-cure", "negated"),
    ("en", "This oil cures anxiety when pills didn't help.", "health-cure", "asserted"),
    # rhetorical questions, and sales questions that are not
    ("en", "What passive income? I work every evening.", "passive-income", "negated"),
    ("en", "Financial freedom? I have never seen it.", "financial-freedom", "negated"),
    ("fr", "Quelle liberté financière ? Je rembourse encore mon stock.", "financial-freedom", "negated"),
    ("ru", "Какая финансовая свобода, если закупки съедают всё?", "financial-freedom", "negated"),
    ("en", "Financial freedom? Join us and see for yourself!", "financial-freedom", "asserted"),
    ("en", "Financial freedom? Why not you!", "financial-freedom", "asserted"),
    ("en", "Financial freedom? Don't wait, join today!", "financial-freedom", "asserted"),
    ("fr", "La liberté financière ? Toujours possible, rejoins-nous.", "financial-freedom", "asserted"),
    ("ru", "Финансовая свобода? Она ближе, чем ты думаешь!", "financial-freedom", "asserted"),
    ("ru", "Какой пассивный доход тебе нужен? Пиши мне!", "passive-income", "asserted"),
    # a "No," after a question holding a claim usually answers an obstacle in a pitch: no denial
    ("en", "Is it hard to earn $500 a week from home? No, it is easy!", "earnings", "asserted"),
    ("en", "Need a degree to make six figures? Nope, just a phone.", "earnings", "asserted"),
    ("en", "Want to earn $5,000 a month? No experience needed!", "earnings", "asserted"),
    ("fr", "Tu veux gagner 3 000 € par mois ? Non ? Alors passe ton chemin.", "earnings", "asserted"),
    ("ru", "Это пирамида? Нет, это не пирамида, у нас лицензия.", "pyramid-denial", "asserted"),
    # the supplement disclaimer denies the claims of its sentence, not those of the next one
    ("en", "This product is not intended to diagnose, treat, cure or prevent any disease.", "health-cure",
     "negated"),
    ("fr", "Ce complément n'est pas destiné à diagnostiquer, traiter ou guérir une maladie.", "health-cure", "negated"),
    ("ru", "БАД не является лекарственным средством и не лечит диабет.", "health-cure", "negated"),
    ("en", "Not intended to diagnose anything. But this oil cures anxiety, trust me.", "health-cure", "asserted"),
    ("fr", "Ce n'est pas destiné à diagnostiquer une maladie, mais mon eczéma a disparu.", "health-cure", "asserted"),
    # "a long way off", "it is not"
    ("en", "Honest update: financial freedom is still a long way off for us.", "financial-freedom", "negated"),
    ("en", "Risk-free it is not: you pay for your kit.", "guaranteed-easy", "negated"),
    ("en", "Financial freedom is not far off for my team!", "financial-freedom", "asserted"),
    # mockery right after the claim; "tu parles" as a plain verb is none
    ("fr", "Deux heures par jour, tu parles… chez moi c'est quinze heures par semaine.", "passive-income", "negated"),
    ("fr", "Deux heures par jour, tu parles de nos produits et c'est tout.", "passive-income", "asserted"),
    # « nous » / « m' » before a third-person auxiliary are objects: « le coach nous a promis »
    ("fr", "Au webinaire, le coach nous a promis 10 000 € par mois d'ici un an.", "earnings", "reported"),
    ("fr", "Nous vous promettons 5 000 € par mois dès la première année.", "earnings", "asserted"),
    ("ru", "Рекрутер расписывал, что через год у меня будет пассивный доход.", "passive-income", "reported"),
    ("ru", "Вам нарисуют виллу на Бали и красную машину.", "lifestyle", "reported"),
    # wishes and hopes that did not come true deny; "I wish I had started sooner" is a testimonial
    ("en", "I wish I could say I make six figures.", "earnings", "negated"),
    ("en", "I was hoping for passive income, I got a garage full of stock.", "passive-income", "negated"),
    ("en", "I wish I had found this residual income sooner!", "passive-income", "asserted"),
    ("en", "If only I had found this residual income sooner.", "passive-income", "asserted"),
    ("en", "The six-figure income was made up, like everything else.", "earnings", "negated"),
    ("en", "Financially free? Dream on. I still owe for the kit.", "financial-freedom", "negated"),
    # "call" is no reporting verb (team calls), "lying" no accusation unless it is one
    ("en", "Join the team call tonight, I fired my boss last year!", "job-replacement", "asserted"),
    ("en", "I was lying on the beach while my residual income kept coming in.", "passive-income", "asserted"),
    ("en", "My upline is lying about the passive income.", "passive-income", "reported"),
    # « , non, » answers a claim; « demande-moi » is an invitation, not a report
    ("fr", "La liberté financière, non, pas avec ce plan.", "financial-freedom", "negated"),
    ("fr", "Demande-moi comment je gagne 3 000 € par mois depuis chez moi !", "earnings", "asserted"),
    ("ru", "Рекрутер расхваливал пассивный доход без усилий.", "passive-income", "reported"),
    ("ru", "Я наивно думала, что финансовая свобода придёт через год.", "financial-freedom", "negated"),
]


@pytest.mark.parametrize(("lang", "text", "category", "stance"), STANCE)
def test_stance(lang: str, text: str, category: str, stance: str) -> None:
    found = [f for f in flags(text, lang) if f.category == category]
    assert found, f"no {category} flag in {text!r}"
    assert {f.stance for f in found} == {stance}, [(f.text, f.stance, f.stance_cues) for f in found]


# -- severity, explanation, authorities ---------------------------------------------------------------------
def test_severity_per_claims_md() -> None:
    fs = {
        f.category: f
        for f in flags(
            "I made $10k my first month. Financial freedom is here. "
            "I quit my job. Nobody gets passive income here.",
            "en",
        )
    }
    assert fs["earnings"].severity == "high"
    assert fs["financial-freedom"].severity == "medium"
    assert fs["job-replacement"].severity == "high"
    assert (fs["passive-income"].stance, fs["passive-income"].severity) == ("negated", "low")
    assert fs["earnings"].authorities == AUTHORITIES["earnings"]
    assert all(f.rewrite and f.explanation and f.source.startswith("rule:") for f in fs.values())


def test_earnings_without_figure_is_medium() -> None:
    (f,) = [f for f in flags("My check doubled in 3 months.", "en") if f.category == "earnings"]
    assert f.severity == "medium"


@pytest.mark.parametrize(
    ("lang", "text", "word"),
    [
        ("fr", "Devenez votre propre patron !", "L'auteur"),
        ("ru", "Финансовая свобода уже в этом году!", "Автор"),
        ("en", "Financial freedom this year!", "The author"),
    ],
)
def test_explanation_in_document_language(lang: str, text: str, word: str) -> None:
    (f,) = flags(text, lang)
    assert f.explanation.startswith(word)


def test_risk_summary_counts_only_asserted() -> None:
    fs = flags("I made $10k my first month. Financial freedom! They promise you passive income.", "en")
    assert risk_summary(fs) == {"high": 1, "medium": 1, "low": 0}


# -- offsets -----------------------------------------------------------------------------------------------
def test_offsets_index_the_document_text_and_boilerplate_is_marked() -> None:
    text = "Hello team!\n\nI quit my 9-5 and earn $5k/month now.\n\nShare this post: passive income for all!"
    second = text.index("I quit")
    third = text.index("Share")
    d, ps = _doc(text, "en", [(0, 11, False), (second, third - 2, False), (third, len(text), True)])
    fs = RULES.flag(d, ps)
    assert [f.category for f in fs] == ["job-replacement", "earnings", "passive-income"]
    for f in fs:
        assert text[f.start : f.end] == f.text
    assert [f.passage_index for f in fs] == [1, 1, 2]
    assert [f.in_boilerplate for f in fs] == [False, False, True]
    assert fs[1].text == "$5k/month"
    assert [f.start for f in fs] == sorted(f.start for f in fs)


def test_inflected_forms_match_through_lemmas() -> None:
    assert "passive-income" in cats("Пассивного дохода хватает на всё.", "ru")
    assert "health-cure" in cats("Ces huiles guérissent l'anxiété.", "fr")
    assert "financial-freedom" in cats("Обрела финансовую свободу.", "ru")


def test_a_disclaimer_does_not_cover_a_cure_claimed_after_but() -> None:
    text = "This oil is not intended to treat disease, but it cured my eczema in a week!"
    stances = {f.text: f.stance for f in flags(text, "en") if f.category == "health-cure"}
    assert stances == {"treat disease": "negated", "cured my eczema": "asserted"}
