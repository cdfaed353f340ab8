"""Money as `Decimal`: parsing what people type, formatting, amounts in words.

Never float. Amounts in words go through num2words with a `Decimal` (an `int`
would be read as kopecks).
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from num2words import num2words

KOPECK = Decimal("0.01")
ZERO = Decimal("0.00")

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_AMOUNT = re.compile(r"-?\d+(\.\d+)?")


def parse_amount(text: str) -> Decimal:
    """Read «15000.00», «15 000,00», «15000,5» or «15000 руб.»; raise ValueError on anything else."""
    cleaned = _SPACES.sub("", str(text)).replace(",", ".")
    cleaned = re.sub(r"(руб\.?|р\.|₽)$", "", cleaned, flags=re.IGNORECASE)
    if not _AMOUNT.fullmatch(cleaned):
        raise ValueError(f"«{text}» — не сумма")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise ValueError(f"«{text}» — не сумма") from exc


def kopecks(amount: Decimal) -> Decimal:
    """Round half-up to kopecks: the rule for every row of a calculation."""
    return amount.quantize(KOPECK, rounding=ROUND_HALF_UP)


def as_text(amount: Decimal) -> str:
    """Two places, no grouping: the machine form used in JSON («15000.00»)."""
    return str(kopecks(amount))


def format_rub(amount: Decimal) -> str:
    """Russian display form: «15 000,00»."""
    value = kopecks(amount)
    sign = "-" if value < 0 else ""
    whole, frac = f"{abs(value):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{' '.join(groups)},{frac}"


def in_words(amount: Decimal) -> str:
    """Accountant style: «Одна тысяча двести тридцать четыре рубля 56 копеек»."""
    value = kopecks(amount)
    rubles = int(value)
    kop = int((value - rubles) * 100)
    words = num2words(Decimal(rubles), lang="ru", to="currency", currency="RUB")
    # num2words gives «... рубля, ноль копеек»: keep the rubles part, write kopecks in figures.
    rub_part = _one_thousand(words.split(",")[0].strip())
    text = f"{rub_part} {kop:02d} {_kopeck_word(kop)}"
    return text[0].upper() + text[1:]


def _one_thousand(words: str) -> str:
    """Accountants write «одна тысяча», not «тысяча», for 1000–1999 (and likewise in millions)."""
    for bare, full in (("тысяча", "одна тысяча"), ("миллион", "один миллион"), ("миллиард", "один миллиард")):
        if words.startswith(bare):
            return full + words[len(bare):]
    return words


def _kopeck_word(kop: int) -> str:
    if 11 <= kop % 100 <= 14:
        return "копеек"
    last = kop % 10
    if last == 1:
        return "копейка"
    if 2 <= last <= 4:
        return "копейки"
    return "копеек"
