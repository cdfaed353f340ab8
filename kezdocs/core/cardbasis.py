"""The card's «основание» section: the document a debt arises from, the claim terms, the kind of the basis
(a closed list), the object of the contract and its clauses — each bad value a problem with its line."""
from __future__ import annotations

import re
from decimal import Decimal

from kezdocs.core.basis_kinds import CADASTRAL_NUMBER
from kezdocs.core.cardfields import Reader
from kezdocs.core.model import BASIS_KIND_NAMES, Basis, BasisObject
from kezdocs.core.plaintext import Map

BASIS_KEYS = {"документ": True, "номер": False, "дата": False, "претензия_обязательна": False,
              "срок_добровольной_оплаты": False, "вид": False, "объект": False, "пункты": False}
BASIS_OBJECT_KEYS = {"кадастровый_номер": False, "площадь": False, "адрес": False}
BASIS_CLAUSE_KEYS = {"плата": False, "неустойка": False}
BASIS_KINDS = {name: kind for kind, name in BASIS_KIND_NAMES.items()}  # «основание.вид»: a closed list
CLAUSE = re.compile(r"\d+(\.\d+)*")  # a clause of the contract: «3.1», «5.2.1»
_AREA_UNIT = re.compile(r"\s*(кв\.?\s*м\.?|м2|м²)$", re.IGNORECASE)


def basis(r: Reader, root: Map) -> Basis | None:
    """The card's «основание»: the document, the claim terms, the kind, the object and the clauses."""
    b = r.section(root, "основание", "основание", BASIS_KEYS)
    if b is None:
        return None
    days_raw = r.text(b, "срок_добровольной_оплаты", "основание")
    days = None
    if days_raw is not None:
        if days_raw.isdigit() and 0 < int(days_raw) < 1000:
            days = int(days_raw)
        else:
            r.problem(b.line_of("срок_добровольной_оплаты"), "основание.срок_добровольной_оплаты",
                      f"срок добровольной оплаты — число дней, а не «{days_raw}»")
    clauses = r.section(b, "пункты", "основание.пункты", BASIS_CLAUSE_KEYS)
    return Basis(
        document=r.text(b, "документ", "основание") or "",
        number=r.text(b, "номер", "основание"),
        date=r.date(b, "дата", "основание"),
        claim_required=r.flag(b, "претензия_обязательна", "основание", True),
        voluntary_days=days,
        kind=r.choice(b, "вид", "основание", BASIS_KINDS),
        object=_basis_object(r, b),
        rent_clause=_clause(r, clauses, "плата"),
        penalty_clause=_clause(r, clauses, "неустойка"),
    )


def _basis_object(r: Reader, b: Map) -> BasisObject | None:
    """«основание.объект: {кадастровый_номер, площадь, адрес}» — the object of the contract, each part optional."""
    path = "основание.объект"
    o = r.section(b, "объект", path, BASIS_OBJECT_KEYS)
    if o is None:
        return None
    number = r.text(o, "кадастровый_номер", path)
    if number is not None:
        number = re.sub(r"\s", "", number)
        # 218-ФЗ ст. 5; the structure of a cadastral number: `basis_kinds.CADASTRAL_NUMBER`
        if not CADASTRAL_NUMBER.fullmatch(number):
            r.problem(o.line_of("кадастровый_номер"), f"{path}.кадастровый_номер",
                      f"кадастровый номер «{number}» записан неверно: пишите как в выписке из ЕГРН, например "
                      f"18:13:041001:25 — номера кадастрового округа (2 цифры), района (2 цифры), квартала "
                      f"(6 или 7 цифр) и объекта через двоеточие")
            number = None
    area = _area(r, o, path)
    address = r.text(o, "адрес", path)
    if number is None and area is None and address is None:
        if not any(p.field and p.field.startswith(path) for p in r.problems):
            r.problem(b.line_of("объект"), path, "в поле «основание.объект» нет ни кадастрового номера, ни площади, "
                      "ни адреса")
        return None
    return BasisObject(number, area, address)


def _area(r: Reader, o: Map, path: str) -> Decimal | None:
    """The area in square metres: «1200», «1 200», «54,3», «54.3 кв. м»."""
    raw = r.text(o, "площадь", path)
    if raw is None:
        return None
    cleaned = re.sub(r"[\s\u00a0]", "", _AREA_UNIT.sub("", raw)).replace(",", ".")
    if re.fullmatch(r"\d+(\.\d+)?", cleaned) and Decimal(cleaned) > 0:
        return Decimal(cleaned)
    r.problem(o.line_of("площадь"), f"{path}.площадь",
              f"площадь «{raw}» — не число квадратных метров больше нуля (пишите, например, 1200 или 54,3)")
    return None


def _clause(r: Reader, clauses: Map | None, key: str) -> str | None:
    """A clause of the contract, as the lawsuit cites it («в соответствии с пунктом 3.1 договора»): its number only."""
    if clauses is None:
        return None
    raw = r.text(clauses, key, "основание.пункты")
    if raw is None:
        return None
    if not CLAUSE.fullmatch(raw):
        r.problem(clauses.line_of(key), f"основание.пункты.{key}",
                  f"пункт договора «{raw}»: пишите только номер пункта, например 3.1")
        return None
    return raw
