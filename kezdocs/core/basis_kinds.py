"""What a case's basis is (`BasisKind`) and what a claim on it cites: one table, `LAWS`.

The kind is a code, never read from the document's name: the card's «основание.вид», else derived from the
income part of the КБК (`kind_from_kbk`), else unknown — and an unknown kind cites no special article. The
lawsuit and the court-order application take from here the articles they rely on, the paragraph that states
them, the duty the contract's payment clause imposes and how they name the object of the contract.

Pure: a `Basis` and a КБК come in, Russian text comes out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kezdocs.core.model import BASIS_KIND_NAMES, Basis, BasisKind

__all__ = ["BasisLaw", "LAWS", "GENERAL", "CADASTRAL_NUMBER", "kind_from_kbk", "kind_of", "law_of", "kind_name",
           "object_text", "area_text", "duty_text", "articles_text", "written_deal", "WRITTEN_KINDS"]

# ГК РФ ст. 309, 310: obligations are performed properly, as the obligation and the law require; no unilateral
# refusal. Every claim on a contract cites them, whatever its kind.
GENERAL = ("309", "310")

# The cadastral number of a land plot, building or premises: «кадастровый округ:район:квартал:номер объекта»
# (218-ФЗ ст. 5 ч. 1, 3; the numbering order of Приказ Минэкономразвития России от 24.11.2015 № 877, kept by
# the Росреестр order that replaced it): two digits, two digits, a quarter of 6 or 7 digits, the object's number.
CADASTRAL_NUMBER = re.compile(r"\d{2}:\d{2}:\d{6,7}:\d+")

_RENT_STATEMENT = ("В силу статей 606 и 614 Гражданского кодекса Российской Федерации по договору аренды "
                   "арендодатель обязуется предоставить арендатору имущество за плату во временное владение и "
                   "пользование или во временное пользование, а арендатор обязан своевременно вносить плату за "
                   "пользование имуществом (арендную плату).")
_LAND_STATEMENT = (" Использование земли в Российской Федерации является платным, одной из форм платы за "
                   "использование земли является арендная плата (пункт 1 статьи 65 Земельного кодекса Российской "
                   "Федерации); размер арендной платы за земельный участок, находящийся в государственной или "
                   "муниципальной собственности, а также за земельный участок, государственная собственность на "
                   "который не разграничена, определяется в порядке, установленном статьёй 39.7 Земельного "
                   "кодекса Российской Федерации.")


@dataclass(frozen=True)
class BasisLaw:
    """What a claim on a basis of one kind cites: articles beyond ГК РФ ст. 309, 310, and how it words them."""

    civil: tuple[str, ...] = ()  # articles of the ГК РФ
    land: tuple[str, ...] = ()  # articles of the ЗК РФ
    statement: str = ""  # the paragraph of the lawsuit that states those articles
    duty: str = "платежи вносятся в установленные договором сроки"  # the duty a payment clause imposes
    object_noun: str = ""  # the object of a lease: «земельный участок …, расположенный по адресу»
    object_located: str = ""  # the participle agreeing with the noun


_GENERIC = BasisLaw()

# One rule, one place: the kind -> the law. Rent: ГК РФ ст. 606 (the lease: property for a fee), ст. 614 п. 1
# (the tenant pays the rent on time). Land rent adds ЗК РФ ст. 65 п. 1 (the use of land is paid for: land tax or
# rent) and ст. 39.7 (the rent for state and municipal land, and land whose state ownership is not delimited).
# Other kinds keep ГК РФ ст. 309, 310 (`GENERAL`) only.
LAWS: dict[BasisKind, BasisLaw] = {
    BasisKind.LAND_RENT: BasisLaw(("606", "614"), ("39.7", "65"), _RENT_STATEMENT + _LAND_STATEMENT,
                                  "арендатор обязан вносить арендную плату в установленные договором сроки",
                                  "земельный участок", "расположенный"),
    BasisKind.PROPERTY_RENT: BasisLaw(("606", "614"), (), _RENT_STATEMENT,
                                      "арендатор обязан вносить арендную плату в установленные договором сроки",
                                      "имущество", "расположенное"),  # 1 11 05 07x: movable property too
    BasisKind.SERVICES: BasisLaw(duty="заказчик обязан оплатить оказанные услуги в установленные договором сроки"),
    BasisKind.SALE: BasisLaw(duty="покупатель обязан оплатить приобретённое имущество в установленный договором срок"),
    BasisKind.DAMAGES: _GENERIC,
    BasisKind.OTHER: _GENERIC,
}

# ГПК РФ ст. 122 абз. 3; АПК РФ ст. 229.2 п. 1: a court order is issued on a claim from a transaction in simple
# written form. A lease, a contract for paid services and a sale are such transactions (ГК РФ ст. 161 п. 1 пп. 1,
# ст. 609 п. 1, ст. 434); damages and other income are not.
WRITTEN_KINDS = frozenset({BasisKind.LAND_RENT, BasisKind.PROPERTY_RENT, BasisKind.SERVICES, BasisKind.SALE})

# What the income code says without «основание.вид»: one table, prefix of the income part of the КБК (its 4th
# digit on; БК РФ ст. 20 п. 1; the codes of Приказ Минфина России от 24.05.2022 № 82н, приложение 1) -> the kind
# it names (None: no kind, so no special article). Every code listed is income from a written transaction:
#   1 11 05 01x — арендная плата за земельные участки, государственная собственность на которые не разграничена
#                 (и средства от продажи права на заключение договоров их аренды);
#   1 11 05 02x — арендная плата за земли после разграничения государственной собственности на землю;
#   1 11 05 03x — сдача в аренду имущества в оперативном управлении органов власти и их учреждений;
#   1 11 05 07x — сдача в аренду имущества, составляющего государственную (муниципальную) казну (за исключением
#                 земельных участков);
#   1 11 05 — other income from leases and the like; 1 13 01 — paid services; 1 14 — sale of property and land.
# A code not listed (damages 1 16, other income 1 17 …) is neither a kind nor a written transaction.
_INCOME: dict[str, BasisKind | None] = {
    "1110501": BasisKind.LAND_RENT, "1110502": BasisKind.LAND_RENT,
    "1110503": BasisKind.PROPERTY_RENT, "1110507": BasisKind.PROPERTY_RENT,
    "11105": None, "11301": None, "114": None,
}


def _income(kbk: str | None) -> str | None:
    """The longest prefix of `_INCOME` the 20-digit КБК's income part starts with; None for any other code."""
    digits = re.sub(r"\D", "", kbk or "")
    if len(digits) != 20:
        return None
    return max((prefix for prefix in _INCOME if digits[3:].startswith(prefix)), key=len, default=None)


def kind_from_kbk(kbk: str | None) -> BasisKind | None:
    """The kind the income code says; None when the code says none."""
    prefix = _income(kbk)
    return _INCOME[prefix] if prefix else None


def written_deal(basis: Basis, kbk: str | None) -> bool:
    """Whether the claim arises from a written transaction — what a court order needs; from codes, never from the
    document's name: the card's «основание.вид», else the income part of the КБК."""
    if basis.kind is not None:
        return basis.kind in WRITTEN_KINDS
    return _income(kbk) is not None


def kind_of(basis: Basis, kbk: str | None) -> BasisKind | None:
    """The card's kind («основание.вид») when written, else the КБК's."""
    return basis.kind if basis.kind is not None else kind_from_kbk(kbk)


def law_of(kind: BasisKind | None) -> BasisLaw:
    return LAWS.get(kind, _GENERIC) if kind is not None else _GENERIC


def kind_name(kind: BasisKind | None) -> str:
    return BASIS_KIND_NAMES[kind] if kind is not None else ""


def area_text(area: Decimal | None) -> str:
    """«1 200 кв. м», «54,3 кв. м» (non-breaking spaces: a figure never leaves its unit)."""
    if area is None:
        return ""
    whole, _, frac = format(area.normalize(), "f").partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    number = "\u00a0".join(groups) + (f",{frac}" if frac else "")
    return f"{number}\u00a0кв.\u00a0м"


def object_text(basis: Basis, kind: BasisKind | None) -> str:
    """The object as the lawsuit states it, from the card's «основание.объект» only; «» when the card has none.

    A lease: «Объектом аренды является земельный участок с кадастровым номером 18:13:041001:25, площадью
    1 200 кв. м, расположенный по адресу: ….»; any other kind names the parts as requisites («Объект договора:
    кадастровый номер …; площадь …; адрес: ….»).
    """
    obj = basis.object
    if obj is None:
        return ""
    law = law_of(kind)
    if law.object_noun:
        parts = [f"с кадастровым номером {obj.cadastral_number}" if obj.cadastral_number else "",
                 f"площадью {area_text(obj.area)}" if obj.area is not None else "",
                 f"{law.object_located} по адресу: {obj.address}" if obj.address else ""]
        return f"Объектом аренды является {law.object_noun} " + ", ".join(p for p in parts if p) + "."
    parts = [f"кадастровый номер {obj.cadastral_number}" if obj.cadastral_number else "",
             f"площадь {area_text(obj.area)}" if obj.area is not None else "",
             f"адрес: {obj.address}" if obj.address else ""]
    return "Объект договора: " + "; ".join(p for p in parts if p) + "."


def duty_text(basis: Basis, kind: BasisKind | None) -> str:
    """The payment clause of the card as the lawsuit cites it: «В соответствии с пунктом 3.1 договора арендатор
    обязан вносить арендную плату в установленные договором сроки.»; «» when the card names no clause."""
    if not basis.rent_clause:
        return ""
    return f"В соответствии с пунктом {basis.rent_clause} договора {law_of(kind).duty}."


def _article_key(article: str) -> tuple[int, ...]:
    return tuple(int(part) for part in article.split("."))


def articles_text(kind: BasisKind | None, penalty_article: str = "") -> str:
    """«статьями 309, 310, 330, 606, 614 Гражданского кодекса Российской Федерации, статьями 39.7, 65 Земельного
    кодекса Российской Федерации» — what a claim relies on («руководствуясь …»); `penalty_article` is the
    penalty's (ГК РФ ст. 330) or the interest's (ст. 395), when one is claimed."""
    law = law_of(kind)
    civil = sorted(set(GENERAL + law.civil + ((penalty_article,) if penalty_article else ())), key=_article_key)
    parts = [f"{_articles_word(civil)} {', '.join(civil)} Гражданского кодекса Российской Федерации"]
    if law.land:
        land = sorted(law.land, key=_article_key)
        parts.append(f"{_articles_word(land)} {', '.join(land)} Земельного кодекса Российской Федерации")
    return ", ".join(parts)


def _articles_word(articles: list[str]) -> str:
    return "статьёй" if len(articles) == 1 else "статьями"
