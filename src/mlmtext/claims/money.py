"""Money recogniser: amounts with currency, multiplier and period in French, Russian and English.

Finds "10 000 € par mois", "$5k/month", "5 000 euros mensuels", "200 тыс. руб. в месяц",
"100 000 рублей ежемесячно", ranges ("$2,000 to $3,000 a month") and magnitude phrases ("six figures",
"a six-figure income", "полмиллиона"). It only reads money; whether a mention is an earnings claim is
decided by the rule that uses it (a product price is money too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mlmtext.claims.literals import Needs, may_match, required_literals, upper_if_lower

_SEP = r"[ \u00a0\u202f.,']"
_NUM = rf"\d{{1,3}}(?:{_SEP}\d{{3}})+(?:[.,]\d{{1,2}})?|\d+(?:[.,]\d+)?"
_CUR_BEFORE = r"CA\$|C\$|AU\$|A\$|US\$|[$€£₽₸₴]|USD|EUR|CHF|CAD|AUD|GBP"
# Multipliers glued to or following the number.
_MULT = (
    r"k€|k\$|k|K|M|mln|млн\.?|миллион(?:а|ов)?|тыс\.?|тысяч[аи]?|тыщ|million(?:s)?|milliards?|mille|"
    r"grand|bn|billion"
)
_CUR_AFTER = (
    r"€|\$\s?CAD?|\$|£|₽|₸|₴|euros?|eur|usd|chf|cad|aud|gbp|byn|francs?(?:\s+(?:suisses|cfa))?|fcfa|dollars?|bucks|quid|"
    r"balles|roubles?|rubles?|руб\.?|рубл(?:ей|я|ь)|р\.|тенге|тг\.?|гривен|гривны|грн\.?|"
    r"долларов|доллара|доллар|баксов|евро|у\.е\.|k€"
)

_AMOUNT = re.compile(
    rf"""
    (?:(?P<cur1>{_CUR_BEFORE})\s?(?P<num1>{_NUM})(?:\s?(?P<mult1>{_MULT})(?![^\W\d_]))?)
    |
    (?:(?P<num2>{_NUM})(?:\s?(?P<mult2>{_MULT})(?![^\W\d_]))?(?:\s?(?P<cur2>{_CUR_AFTER})(?![^\W\d_]))?)
    """,
    re.VERBOSE | re.IGNORECASE,
)

_RANGE_BEFORE = re.compile(
    rf"(?<![\w.,])(?:{_CUR_BEFORE})?\s?(?:{_NUM})\s?(?:{_MULT})?(?:\s?(?:{_CUR_AFTER}))?\s*(?:-|–|—|to|or|à|ou|до|или)\s*$",
    re.IGNORECASE,
)
_CODE_AFTER = re.compile(r"\s?(CAD|AUD|USD|NZD)\b", re.IGNORECASE)
_RANGE_FROM = re.compile(r"(?:from|between|entre|от)\s+$", re.IGNORECASE)

# Period phrases; the key is the normalised period.
_PERIODS: list[tuple[str, str]] = [
    ("first-month", r"(?:(?:in|during)\s+)?(?:my|your|the|his|her|their)\s+(?:very\s+)?first\s+month"),
    ("first-month", r"(?:(?:dès|en|pour|sur)\s+)?(?:mon|ton|son|votre|le|leur)\s+premier\s+mois"),
    ("first-month", r"(?:за|в)\s+(?:мой\s+|свой\s+|самый\s+)?перв(?:ый|ом)\s+месяц"),
    (
        "month",
        r"(?:/|per|a|an|each|every)\s*(?:month|mo|mth)\b|monthly|a\s+month|/\s?mo\b|(?:last|this|in\s+one)\s+month\b"
        r"|(?:a\s+single|one)\s+month\b",
    ),
    ("month", r"(?:le\s+mois\s+dernier|ce\s+mois-ci|en\s+un\s+mois|(?:en\s+)?un\s+seul\s+mois)\b"),
    ("month", r"(?:в|за)\s+(?:прошлом|прошлый|этом|этот|один)\s+месяц[еа]?(?![^\W\d_])"),
    ("week", r"(?:/|per|a|an|each|every)\s*(?:week|wk)\b|weekly"),
    ("day", r"(?:/|per|a|an|each|every)\s*day\b|daily"),
    ("year", r"(?:/|per|a|an|each|every)\s*(?:year|yr)\b|yearly|annually|a\s+year"),
    ("hour", r"(?:/|per|an|each|every)\s*(?:hour|hr)\b"),
    ("month", r"(?:par|/|chaque|tous\s+les)\s*mois\b|mensuel(?:s|les?|lement)?\b|net\s+par\s+mois"),
    ("week", r"(?:par|/|chaque|toutes\s+les)\s*semaines?\b|hebdomadaires?\b"),
    ("day", r"(?:par|/|chaque)\s*jour\b|quotidiens?\b"),
    ("year", r"(?:par|/|chaque)\s*an(?:née)?\b|annuels?\b"),
    ("month", r"(?:в|за|/)\s*(?:месяц|мес\.?)(?![^\W\d_])|ежемесячн(?:о|ый|ого|ые)|каждый\s+месяц"),
    ("week", r"(?:в|за|/)\s*неделю(?![^\W\d_])|еженедельно"),
    ("day", r"(?:в|за|/)\s*день(?![^\W\d_])|ежедневно|в\s+сутки"),
    ("year", r"(?:в|за|/)\s*год(?![^\W\d_])|ежегодно"),
]
_PERIOD = re.compile(r"|".join(f"(?P<p{i}>{pat})" for i, (_, pat) in enumerate(_PERIODS)), re.IGNORECASE)
# Words allowed between an amount and its period ("$5k of passive income a month", "5 000 € net par mois").
_FILLER = re.compile(
    r"(?:\s*(?:net|nets|nettes?|gross|brut|extra|de\s+plus|of|de|en|in|passive|residual|income|revenus?|"
    r"passifs?|profit|commissions?|дохода|доход|чистыми|пассивного|сверху|чистого|bonus|more|"
    r"every|pure)\b[,]?)*\s*[,]?\s*",
    re.IGNORECASE,
)

_MAGNITUDE = re.compile(
    r"""
    (?:(?:a|an)\s+)?(?:five|six|seven|eight|5|6|7|8)[\s-]figures?(?:\s+(?:income|salary|business|paycheck|earner))?
    |(?:à|de)\s+(?:cinq|six|sept|5|6|7)\s+chiffres
    |(?:cinq|six|sept|5|6|7)\s+chiffres
    |(?:шести|семи|пяти)значн\w+(?:\s+(?:доход\w*|сумм\w*|зарплат\w*))?
    |полмиллиона|пол-миллиона|миллион(?:ы|ов)?\s+(?:рублей|долларов)?
    |un\s+demi-million|half\s+a\s+million
    |(?:five|six|seven|eight|nine|ten|twenty|thirty|fifty|a\s+hundred|hundred)\s+(?:grand|thousand)(?:\s+(?:dollars|bucks|euros))?
    |(?:four|five|six|seven|4|5|6|7)[\s-]figure\s+(?:weeks?|months?|days?|checks?|paychecks?)
    """,
    re.VERBOSE | re.IGNORECASE,
)

_MAGNITUDE_NEEDS: Needs = required_literals(_MAGNITUDE)  # most texts hold none: skip the scan

_MULT_VALUE = {
    "k": 1e3,
    "k€": 1e3,
    "k$": 1e3,
    "grand": 1e3,
    "mille": 1e3,
    "тыс": 1e3,
    "тыс.": 1e3,
    "тысяч": 1e3,
    "тысяча": 1e3,
    "тысячи": 1e3,
    "тыщ": 1e3,
    "m": 1e6,
    "mln": 1e6,
    "млн": 1e6,
    "млн.": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "миллион": 1e6,
    "миллиона": 1e6,
    "миллионов": 1e6,
    "bn": 1e9,
    "billion": 1e9,
    "milliard": 1e9,
    "milliards": 1e9,
}
_CURRENCY = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "bucks": "USD",
    "долларов": "USD",
    "доллара": "USD",
    "доллар": "USD",
    "баксов": "USD",
    "k$": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "евро": "EUR",
    "k€": "EUR",
    "balles": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "quid": "GBP",
    "ca$": "CAD",
    "c$": "CAD",
    "cad": "CAD",
    "$ ca": "CAD",
    "$ cad": "CAD",
    "$ca": "CAD",
    "$cad": "CAD",
    "au$": "AUD",
    "a$": "AUD",
    "aud": "AUD",
    "chf": "CHF",
    "francs suisses": "CHF",  # bare "francs" may be Swiss, CFA or old French: money, currency unknown
    "franc cfa": "XOF",
    "francs cfa": "XOF",
    "fcfa": "XOF",
    "₸": "KZT",
    "тенге": "KZT",
    "тг": "KZT",
    "тг.": "KZT",
    "byn": "BYN",
    "₴": "UAH",
    "гривен": "UAH",
    "гривны": "UAH",
    "грн": "UAH",
    "грн.": "UAH",
    "₽": "RUB",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
    "руб": "RUB",
    "руб.": "RUB",
    "рублей": "RUB",
    "рубля": "RUB",
    "рубль": "RUB",
    "р.": "RUB",
    "у.е.": "USD",
}


@dataclass(frozen=True, slots=True)
class MoneyMention:
    """One amount (or magnitude phrase) with its span; ``end`` includes the period when one follows."""

    start: int
    end: int
    text: str
    amount: float | None  # None for magnitude phrases without a number ("six figures")
    currency: str | None  # ISO code, None when only a multiplier says it is money ("200 тысяч")
    period: str | None  # month, week, day, year, hour, first-month
    magnitude: bool = False


def parse_number(raw: str) -> float:
    """'10 000' -> 10000, '2,000' -> 2000, '49,90' -> 49.9, '1.5' -> 1.5, '2.000' -> 2000."""
    s = raw.replace("\u00a0", " ").replace("\u202f", " ").replace("'", " ")
    groups = re.split(r"[ .,]", s)
    seps = re.findall(r"[ .,]", s)
    if len(groups) == 1:
        return float(groups[0])
    last = groups[-1]
    if len(last) == 3 and all(len(g) == 3 for g in groups[1:]):
        return float("".join(groups))  # every separator groups thousands
    # the last separator is a decimal mark; any before it group thousands
    return float("".join(groups[:-1]) + "." + last) if seps[-1] in ".," else float("".join(groups))


def _period_after(text: str, pos: int) -> tuple[str, int] | None:
    filler = _FILLER.match(text, pos)
    at = filler.end() if filler else pos
    for cand in (at, pos):
        m = _PERIOD.match(text, cand)
        if m and m.lastgroup:
            return _PERIODS[int(m.lastgroup[1:])][0], m.end()
    return None


def find_money(text: str) -> list[MoneyMention]:
    """Every money mention in ``text``, sorted by start, non-overlapping."""
    found: list[MoneyMention] = []
    for m in _AMOUNT.finditer(text):
        num = m.group("num1") or m.group("num2")
        cur = m.group("cur1") or m.group("cur2")
        mult = m.group("mult1") or m.group("mult2")
        if not cur and not mult:
            continue  # a bare number is not money (it may start a range; handled below)
        try:
            value = parse_number(num)
        except ValueError:
            continue
        if mult:
            value *= _MULT_VALUE.get(mult.lower(), 1.0)
        start, end = m.start(), m.end()
        # a range: "2 000 à 3 000 €", "$2,000 to $3,000", "от 100 до 200 тысяч"
        pre = _RANGE_BEFORE.search(text, 0, start)
        if pre:
            start = pre.start() + len(pre.group(0)) - len(pre.group(0).lstrip())
            while found and found[-1].end > start:
                found.pop()
        fr = _RANGE_FROM.search(text[max(0, start - 12) : start])
        if fr:
            start = max(0, start - 12) + fr.start()
        currency = _CURRENCY.get(" ".join(cur.lower().split())) if cur else None  # "$\u00a0CA" as "$ ca"
        code = _CODE_AFTER.match(text, end) if m.group("cur1") == "$" else None
        if code:  # "$1,850 CAD": the code after the amount names the dollar
            end, currency = code.end(), code.group(1).upper()
        period = _period_after(text, end)
        pend = end
        if period:
            pend = period[1]
        if currency is None and mult:
            currency = _CURRENCY.get(mult.lower())  # "3k€"
        found.append(
            MoneyMention(start, pend, text[start:pend], value, currency, period[0] if period else None)
        )
    magnitudes = _MAGNITUDE.finditer(text) if may_match(_MAGNITUDE_NEEDS, upper_if_lower(text)) else ()
    for m in magnitudes:
        if any(f.start < m.end() and m.start() < f.end for f in found):
            continue
        period = _period_after(text, m.end())
        end = period[1] if period else m.end()
        found.append(
            MoneyMention(
                m.start(),
                end,
                text[m.start() : end],
                None,
                None,
                period[0] if period else None,
                magnitude=True,
            )
        )
    found.sort(key=lambda f: (f.start, -f.end))
    out: list[MoneyMention] = []
    for f in found:
        if out and f.start < out[-1].end:
            continue
        out.append(f)
    return out
