"""The documents kezdocs writes: their kinds, and the data each one is rendered from.

Pure: a `Case`, the `Settings`, the penalty `Calculation` and the stage
`Assessment` come in; plain dictionaries of display-ready Russian text come
out (dates «18 мая 2023 г.», amounts «15 000,00» and in words, names in the
case the sentence needs). The templates only place that text; `render` is the
shell that finds a template, fills it and writes the file.

A template sees the common groups (`COMMON`) and the groups its kind lists,
nothing else, so `kezdocs templates check` can tell which data a template
leaves out. Every variable is documented in `VARIABLES`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from kezdocs.core import payqr

from kezdocs.core import stages
from kezdocs.core.card import CARD_NAME, GENERATED_DIR, STATUS_FILE
from kezdocs.core.errors import KezdocsError
from kezdocs.core.keyrates import KeyRates, percent_text
from kezdocs.core.ledger import allocate
from kezdocs.core.model import (Address, Basis, Case, Charge, Debtor, DebtorType, Event, Officer, Payment, PenaltyMethod,
                    PenaltyTerms)
from kezdocs.core.money import ZERO, in_words, parse_amount
from kezdocs.core.money import format_rub as _format_rub
from kezdocs.core.penalty import Calculation, calculate
from kezdocs.core.route import LAWSUIT, ORDER, Route, price_of, route_for
from kezdocs.core.russian import (DATIVE, ENTREPRENEUR, GENITIVE, PersonName, capitalize, count_text, date_short, date_text,
                      decline, position_dative, split_name)
from kezdocs.core.settings import PaymentDetails, Person, Settings

if TYPE_CHECKING:
    from kezdocs.core.stages import Assessment

GPK, APK = "гпк", "апк"
COMMON = ("doc", "org", "case", "debtor", "signer", "executor")


@dataclass(frozen=True)
class Kind:
    """A document kind: `code` on the command line, `title` in file names, a template per variant.

    `variants` maps a procedural code variant («гпк» for a person, «апк» for an
    organisation or ИП; "" when there is one template) to a template file name.
    In which stages the document is due is the procedure table's (`stages.STAGES`, column
    `documents`); `stages` lists them for display.
    """

    code: str
    title: str
    full_title: str
    variants: dict[str, str]
    aliases: tuple[str, ...]
    groups: tuple[str, ...]
    clause: str
    per_address: bool = False

    @property
    def stages(self) -> frozenset[str]:
        """The stages in which the document may be due (whatever the route and the accounts): from the table."""
        return frozenset(code for code in stages.STAGES
                         if any(self.code in stages.stage_documents(code, proceeding, accounts)
                                for proceeding in (ORDER, LAWSUIT) for accounts in (False, True)))

    def variant_for(self, debtor_type: DebtorType) -> str:
        if "" in self.variants:
            return ""
        return GPK if debtor_type is DebtorType.PERSON else APK

    def template_for(self, debtor_type: DebtorType) -> str:
        return self.variants[self.variant_for(debtor_type)]


_KIND_LIST = (
    Kind("claim", "Требование (претензия)", "Требование (претензия) о погашении просроченной задолженности",
         {"": "требование.docx"}, ("претензия", "требование"),
         ("address", "basis", "overdue", "sums", "calc", "payment", "qr", "claim"), "4.4, 4.5", per_address=True),
    Kind("calculation", "Расчёт задолженности и пени", "Расчёт задолженности и пени",
         {"": "расчет.docx"}, ("расчет", "расчёт"), ("basis", "overdue", "sums", "calc"), "4.4, 5.2"),
    Kind("memo", "Служебная записка", "Служебная записка о необходимости принудительного взыскания",
         {"": "служебная_записка.docx"}, ("служебная", "записка"),
         ("head", "basis", "overdue", "sums", "calc", "claim", "route"), "6.1"),
    Kind("lawsuit", "Исковое заявление", "Исковое заявление о взыскании задолженности",
         {GPK: "иск_гпк.docx", APK: "иск_апк.docx"}, ("иск",),
         ("court", "representative", "basis", "overdue", "sums", "calc", "claim", "attachments"), "5.2, 6.3"),
    Kind("court-order", "Заявление о выдаче судебного приказа", "Заявление о вынесении судебного приказа",
         {GPK: "судебный_приказ_гпк.docx", APK: "судебный_приказ_апк.docx"}, ("приказ",),
         ("court", "representative", "basis", "overdue", "sums", "calc", "claim", "attachments"), "5.2, 6.3"),
    Kind("withdrawal", "Заявление об отказе от иска", "Заявление об отказе от иска", {"": "отказ_от_иска.docx"},
         ("отказ",), ("court", "representative", "basis", "paid", "route"), "5.6"),
    Kind("bank", "Заявление в банк", "Заявление о направлении исполнительного документа в банк",
         {"": "заявление_в_банк.docx"}, ("банк",), ("bank", "writ", "payment"), "6.4, 7.1"),
    Kind("bailiffs", "Заявление о возбуждении исполнительного производства",
         "Заявление о возбуждении исполнительного производства", {"": "заявление_в_фссп.docx"}, ("фссп", "пристав"),
         ("bailiffs", "writ", "payment"), "6.5, 7.1"),
    Kind("enforcement-query", "Запрос о ходе исполнительного производства",
         "Запрос о ходе исполнительного производства", {"": "запрос_в_фссп.docx"}, ("запрос",),
         ("bailiffs", "writ", "enforcement"), "7.2"),
    Kind("write-off", "Решение о признании задолженности безнадёжной",
         "Решение о признании безнадёжной к взысканию задолженности по платежам в бюджет",
         {"": "решение_о_безнадежности.docx"}, ("списание", "безнадежная", "безнадёжная"),
         ("head", "basis", "overdue", "sums", "grounds"), "3.4"),
    Kind("post-inventory", "Опись вложения", "Опись вложения (форма Ф. 107)", {"": "опись_вложения.docx"},
         ("опись",), ("address", "inventory"), "4.5", per_address=True),
)
KINDS: dict[str, Kind] = {k.code: k for k in _KIND_LIST}


def resolve_kind(text: str) -> Kind:
    """A kind by its code or Russian alias («претензия», «расчёт», «иск» …)."""
    wanted = text.strip().lower().replace("ё", "е")
    for kind in _KIND_LIST:
        if wanted == kind.code or wanted in (a.replace("ё", "е") for a in kind.aliases):
            return kind
    listed = "; ".join(f"{k.code} ({', '.join(k.aliases)})" for k in _KIND_LIST)
    raise KezdocsError(f"неизвестный вид документа «{text}». Допустимые: {listed}")


def template_names() -> list[str]:
    """Every default template file name, in the order of `KINDS`."""
    return [name for kind in _KIND_LIST for name in kind.variants.values()]


# --- which cases need a document now -------------------------------------------------------------

def needed(kind: Kind, case: Case, assessment) -> bool:
    """Whether the case's stage calls for this document (`generate --all`)."""
    route = assessment.route
    return due(kind, assessment.stage, route.proceeding if route else None, bool(case.debtor.bank_accounts))


def due(kind: Kind, stage: str, proceeding: str | None, accounts_known: bool) -> bool:
    """The procedure table decides (`stages.stage_documents`); the route's proceeding picks the lawsuit or
    the court order, known accounts the bank or the ФССП."""
    return kind.code in stages.stage_documents(stage, proceeding, accounts_known)


# --- what is missing ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Facts:
    """What a document is built from; `files` are the case folder's files (relpath, pages or None)."""

    case: Case
    settings: Settings
    today: date
    calc: Calculation
    assessment: Assessment | None = None  # where the case stands (route, the voluntary term)
    attachments: tuple[tuple[str, int | None], ...] | None = None
    files: tuple[tuple[str, int | None], ...] = ()


def missing(kind: Kind, facts: Facts) -> list[str]:
    """What the document needs and the card or the settings do not give, in Russian («где указать»)."""
    found = _missing_people(kind, facts) + _missing_money(kind, facts)
    if "court" in kind.groups:
        found += _missing_court(kind, facts)
    return found + _missing_enforcement(kind, facts)


def _missing_people(kind: Kind, facts: Facts) -> list[str]:
    case, settings = facts.case, facts.settings
    found = []
    if not (settings.signer or settings.head):
        found.append("подписант (настройки: «подписант: {должность: …, фио: …}»)")
    if "head" in kind.groups and not settings.head:
        found.append("глава (настройки: «глава: {должность: …, фио: …}»)")
    if kind.per_address and not case.debtor.addresses:
        found.append("адрес должника (карточка: «должник.адреса»)")
    if kind.code == "claim" and not (case.officer and case.officer.phone):
        found.append("телефон ответственного (карточка: «ответственный.телефон», п. 4.4(8))")
    return found


def _missing_money(kind: Kind, facts: Facts) -> list[str]:
    calc, day = facts.calc, date_short(facts.today)
    found = []
    if kind.code in ("claim", "post-inventory", "memo", "lawsuit", "court-order") and calc.principal <= ZERO:
        found.append(f"просроченная задолженность: на {day} её нет")
    if kind.code == "calculation" and calc.principal <= ZERO and not calc.rows:
        found.append(f"просроченная задолженность или пени: на {day} их нет")
    if kind.code == "write-off" and calc.principal + calc.total + facts.case.fines <= ZERO:
        found.append(f"задолженность: на {day} её нет")
    if kind.code == "withdrawal" and calc.principal > ZERO:
        found.append(f"погашение долга: на {day} не уплачено {format_rub(calc.principal)} руб. "
                     "(отказ от иска заявляют после добровольной оплаты, п. 5.6)")
    if "payment" in kind.groups and facts.settings.payment.missing():
        found.append("реквизиты для перечисления: " + ", ".join(facts.settings.payment.missing())
                     + " (настройки: «реквизиты»)")
    return found


def _missing_enforcement(kind: Kind, facts: Facts) -> list[str]:
    case = facts.case
    found = []
    if kind.code == "withdrawal" and not _filing(case):
        found.append("подача иска в суд (событие «иск подан» или «заявление о выдаче судебного приказа подано»)")
    if "writ" in kind.groups and not case.last_event("writ_received"):
        found.append("исполнительный документ (событие «исполнительный документ получен» с полем «номер»)")
    if kind.code == "bank" and not case.debtor.bank_accounts:
        found.append("счёт должника в банке (карточка: «должник.счета»)")
    if "bailiffs" in kind.groups and not _bailiffs_text(case, facts.settings):
        found.append("подразделение ФССП (настройки: «фссп»)")
    if kind.code == "enforcement-query" and not case.last_event("enforcement_opened"):
        found.append("исполнительное производство (событие «исполнительное производство возбуждено» с полем «номер»)")
    return found


def _missing_court(kind: Kind, facts: Facts) -> list[str]:
    case, settings = facts.case, facts.settings
    found = []
    if not _court_text(kind, facts):
        key = _court_key(kind, facts)
        found.append(f"суд (настройки: «суды: {key}: …» — наименование и адрес суда)")
    if kind.code in ("lawsuit", "court-order"):
        absent = [label for label, value in (("инн", settings.inn), ("огрн", settings.ogrn), ("адрес", settings.address))
                  if not value]
        if absent:
            found.append("ИНН, ОГРН и адрес администрации — истца (настройки: " + ", ".join(f"«{a}»" for a in absent) + ")")
    d = case.debtor
    if kind.code in ("lawsuit", "court-order") and d.type is not DebtorType.PERSON and not case.last_event("claim_sent"):
        found.append("направление претензии ответчику (событие «претензия направлена»; досудебный порядок — "
                     "АПК РФ ст. 4 ч. 5)")
    if kind.code == "court-order" and d.type is DebtorType.PERSON:
        if not (d.birth_date and d.birth_place):
            found.append("дата и место рождения должника (карточка: «должник.дата_рождения», «должник.место_рождения»; "
                         "ГПК РФ ст. 124)")
        if not (d.inn or d.snils or d.passport):
            found.append("идентификатор должника — ИНН, СНИЛС или паспорт (карточка: «должник.инн», «должник.снилс», "
                         "«должник.паспорт»; ГПК РФ ст. 124)")
    return found


# --- contexts ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Document:
    """One document to write: the file name suffix (the address of a per-address copy) and its data."""

    suffix: str
    template: str
    context: dict


def build(kind: Kind, facts: Facts) -> list[Document]:
    """The data of each document of `kind` for the case: one per address for the per-address kinds."""
    case = facts.case
    template = kind.template_for(case.debtor.type)
    base = {name: _GROUPS[name](kind, facts) for name in COMMON + kind.groups}
    if not kind.per_address:
        return [Document("", template, base)]
    copies = _address_copies(case.debtor.addresses)
    return [Document(suffix if len(copies) > 1 else "", template, {**base, "address": address})
            for suffix, address in copies]


def _address_copies(addresses: tuple[Address, ...]) -> list[tuple[str, dict]]:
    """One copy per distinct address (п. 4.5); the same text under two kinds goes once, naming both kinds."""
    merged: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for a in addresses:
        key = " ".join(a.text.lower().replace(",", " ").split())
        merged.setdefault(key, []).append(a.kind)
        texts.setdefault(key, a.text)
    return [(", ".join(kinds), {"kind": ", ".join(kinds), "text": texts[key]}) for key, kinds in merged.items()]


def _doc(kind: Kind, facts: Facts) -> dict:
    return {"title": kind.full_title, "date": date_text(facts.today), "date_short": date_short(facts.today)}


def _org(kind: Kind, facts: Facts) -> dict:
    s = facts.settings
    return {"name": s.name, "short_name": s.short_name, "address": s.address or "", "phone": s.phone or "",
            "email": s.email or "", "inn": s.inn or "", "ogrn": s.ogrn or "",
            "ids": ", ".join(f"{label} {value}" for label, value in (("ИНН", s.inn), ("ОГРН", s.ogrn)) if value)}


def _case(kind: Kind, facts: Facts) -> dict:
    c = facts.case
    return {"number": c.number, "administrator": c.administrator, "kbk": c.kbk, "uin": c.uin or ""}


def _debtor(kind: Kind, facts: Facts) -> dict:
    d = facts.case.debtor
    ogrn_label = "ОГРНИП" if d.type is DebtorType.ENTREPRENEUR else "ОГРН"
    ids = [("ИНН", d.inn), (ogrn_label, d.ogrn), ("КПП", d.kpp), ("СНИЛС", d.snils), ("паспорт", d.passport)]
    return {
        "type": {DebtorType.LEGAL: "юрлицо", DebtorType.ENTREPRENEUR: "ИП", DebtorType.PERSON: "физлицо"}[d.type],
        "is_person": d.type is DebtorType.PERSON, "is_entrepreneur": d.type is DebtorType.ENTREPRENEUR,
        "is_legal": d.type is DebtorType.LEGAL,
        "name": d.name, "genitive": debtor_name(d, GENITIVE), "dative": debtor_name(d, DATIVE),
        "addressee": capitalize(debtor_name(d, DATIVE)),
        "inn": d.inn or "", "ogrn": d.ogrn or "", "ogrn_label": ogrn_label, "kpp": d.kpp or "",
        "snils": d.snils or "", "passport": d.passport or "",
        "birth_date": date_short(d.birth_date) if d.birth_date else "", "birth_place": d.birth_place or "",
        "ids": ", ".join(f"{label} {value}" for label, value in ids if value),
        "address": d.addresses[0].text if d.addresses else "",
        "addresses": [{"kind": a.kind, "text": a.text} for a in d.addresses],
        "accounts": list(d.bank_accounts),
    }


def format_rub(amount: Decimal) -> str:
    """«15 000,00» with non-breaking spaces, so an amount never breaks across lines."""
    return _format_rub(amount).replace(" ", "\u00a0")


def debtor_name(d: Debtor, grammar: str) -> str:
    """The debtor's name in a grammatical case: persons declined, ИП as «индивидуального предпринимателя …»,
    organisations as written (and a name given without its parts, too)."""
    if d.type is DebtorType.LEGAL or not (d.last_name and d.first_name):
        return d.name
    person = decline(PersonName(d.last_name, d.first_name, d.middle_name), grammar, d.gender).full
    return f"{ENTREPRENEUR[grammar]} {person}" if d.type is DebtorType.ENTREPRENEUR else person


def _person(p: Person | None, fallback: Person | None = None) -> dict:
    chosen = p or fallback
    if chosen is None:
        return {"position": "", "name": "", "short": ""}
    return {"position": chosen.position, "name": chosen.name, "short": split_name(chosen.name).short}


def _signer(kind: Kind, facts: Facts) -> dict:
    return _person(facts.settings.signer, facts.settings.head)


def _head(kind: Kind, facts: Facts) -> dict:
    head = facts.settings.head
    data = _person(head)
    if head is None:
        return {**data, "position_dative": "", "short_dative": ""}
    name = split_name(head.name)
    return {**data, "position_dative": position_dative(head.position), "short_dative": decline(name, DATIVE).short}


def _representative(kind: Kind, facts: Facts) -> dict:
    s = facts.settings
    return {**_person(s.representative, s.signer or s.head),
            "power_of_attorney": (s.power_of_attorney or "") if s.representative else ""}


def _executor(kind: Kind, facts: Facts) -> dict:
    officer = facts.case.officer or Officer("")
    return {"name": officer.name, "short": split_name(officer.name).short, "phone": officer.phone or "",
            "email": officer.email or ""}


def _basis(kind: Kind, facts: Facts) -> dict:
    return basis_dict(facts.case.basis)


def basis_dict(b: Basis) -> dict:
    """The basis as documents cite one another: «Договор аренды № 12/2023 от 10.01.2023»."""
    parts = [b.document] + ([f"№ {b.number}"] if b.number else []) + ([f"от {date_short(b.date)}"] if b.date else [])
    return {"document": b.document, "number": b.number or "", "date": date_short(b.date) if b.date else "",
            "text": " ".join(parts)}


def _overdue(kind: Kind, facts: Facts) -> dict:
    """The overdue charges on `today` (п. 4.4(3)): period, amount, due date, paid, unpaid."""
    case, today = facts.case, facts.today
    ledger = allocate(case.charges, case.payments)
    rows = [i for i in ledger.order() if case.charges[i].due < today and ledger.balance(i, today) > ZERO]
    since = min((case.charges[i].due + timedelta(days=1) for i in rows), default=None)
    return {
        "since": date_text(since) if since else "",
        "text": f"с {date_short(since)} по {date_short(today)}" if since else "",
        "charges": [{"period": case.charges[i].period, "amount": format_rub(case.charges[i].amount),
                     "due": date_short(case.charges[i].due), "paid": format_rub(ledger.paid_on(i, today)),
                     "unpaid": format_rub(ledger.balance(i, today))} for i in rows],
    }


def _sums(kind: Kind, facts: Facts) -> dict:
    calc, fines = facts.calc, facts.case.fines
    total = calc.principal + calc.total + fines
    return {
        "debt": format_rub(calc.principal), "debt_words": in_words(calc.principal),
        "penalty": format_rub(calc.total), "penalty_words": in_words(calc.total),
        "fines": format_rub(fines), "fines_words": in_words(fines),
        "total": format_rub(total), "total_words": in_words(total),
        "has_penalty": calc.total > ZERO, "has_fines": fines > ZERO,
    }


# label, label with a capital, label in the genitive, the article of the ГК РФ, the method in words
_METHOD = {
    PenaltyMethod.PERCENT: ("пени", "Пени", "пени", "330", "неустойка (пеня) в размере {pct} от просроченной суммы за "
                            "каждый день просрочки, предусмотренная документом-основанием (ст. 330 ГК РФ)"),
    PenaltyMethod.KEY_RATE_300: ("пени", "Пени", "пени", "330", "пеня в размере одной трёхсотой ключевой ставки Банка "
                                 "России от просроченной суммы за каждый день просрочки (ст. 330 ГК РФ)"),
    PenaltyMethod.ARTICLE_395: ("проценты по ст. 395 ГК РФ", "Проценты по ст. 395 ГК РФ", "процентов по ст. 395 ГК РФ",
                                "395", "проценты за пользование чужими денежными средствами (ст. 395 ГК РФ)"),
    PenaltyMethod.NONE: ("пени", "Пени", "пени", "", "неустойка документом-основанием не предусмотрена"),
}


def _calc(kind: Kind, facts: Facts) -> dict:
    calc, terms = facts.calc, facts.case.penalty
    label, label_cap, label_genitive, article, method = _METHOD[terms.method]
    pct = f"{percent_text(terms.percent)} в день" if terms.percent else ""
    rows = [{
        "number": str(n), "charge": r.charge, "start": date_short(r.start), "end": date_short(r.end),
        "days": "" if r.days is None else str(r.days), "debt": format_rub(r.debt),
        "rate": _rate_text(r.rate, terms.method), "formula": r.formula, "amount": format_rub(r.amount), "note": r.note,
    } for n, r in enumerate(calc.rows, 1)]
    return {"title": calc.title, "label": label, "label_cap": label_cap, "label_genitive": label_genitive,
            "article": article, "method": method.format(pct=pct),
            "end": date_text(facts.today), "end_short": date_short(facts.today), "rows": rows,
            "has_rows": bool(rows), "total": format_rub(calc.total), "total_words": in_words(calc.total),
            "principal": format_rub(calc.principal), "warnings": list(calc.warnings)}


def _rate_text(rate: Decimal | None, method: PenaltyMethod) -> str:
    if rate is None:
        return ""
    return f"{percent_text(rate)} в день" if method is PenaltyMethod.PERCENT else f"{percent_text(rate)} годовых"


def _payment(kind: Kind, facts: Facts) -> dict:
    p, case = facts.settings.payment, facts.case
    return {"recipient": p.recipient or "", "inn": p.inn or "", "kpp": p.kpp or "",
            "treasury_account": p.treasury_account or "", "ecs": p.ecs or "", "bik": p.bik or "",
            "bank": p.bank or "", "oktmo": p.oktmo or "", "kbk": case.kbk, "uin": case.uin or "",
            "purpose": purpose(case)}


def purpose(case: Case) -> str:
    """Назначение платежа: what the payer writes, so the payment finds its charge."""
    return f"Погашение задолженности: {basis_dict(case.basis)['text']}; дело № {case.number}"


def _qr(kind: Kind, facts: Facts) -> str:
    """The ГОСТ Р 56042-2014 string; `render` turns it into the QR picture."""
    calc, case = facts.calc, facts.case
    return payqr.payment_string(facts.settings.payment, case.kbk, calc.principal + calc.total + case.fines,
                                purpose(case), case.uin)


def _claim(kind: Kind, facts: Facts) -> dict:
    case = facts.case
    sent = case.events_of("claim_sent")
    days = case.basis.voluntary_days or 30
    end = _last_deadline(facts.assessment, "voluntary")
    return {"required": case.basis.claim_required, "sent": date_text(sent[-1].date) if sent else "",
            "tracking": ", ".join(e.fields["шпи"] for e in sent if e.fields.get("шпи")),
            "voluntary_days": days, "voluntary_days_text": count_text(days, "календарный день", "календарных дня",
                                                                      "календарных дней"),
            "voluntary_end": date_text(end) if end else ""}


def _last_deadline(assessment, step: str) -> date | None:
    found = [d.due for d in getattr(assessment, "deadlines", ()) if d.step == step]
    return found[-1] if found else None


def _route(kind: Kind, facts: Facts) -> dict:
    arbitration = facts.case.debtor.type is not DebtorType.PERSON
    route = getattr(facts.assessment, "route", None)
    return {"text": route.label if route else "", "arbitration": arbitration,
            "code": "АПК РФ" if arbitration else "ГПК РФ"}


# --- courts, bailiffs, banks -----------------------------------------------------------------------

_COURT_STEMS = {"мировой": "миров", "районный": "район", "арбитражный": "арбитраж"}


def _route_of(facts: Facts) -> Route:
    """The case's route (`route.decide`, through the assessment); when nothing is routed today (a withdrawal
    after payment), the same rules at the document's own sums."""
    route = getattr(facts.assessment, "route", None)
    if route is not None:
        return route
    case = facts.case
    return route_for(case, price_of(case, facts.calc.principal, facts.calc.total), facts.settings.thresholds,
                     order_cancelled=case.last_event("court_order_cancelled") is not None)


def _court_key(kind: Kind | None, facts: Facts) -> str:
    """Which court of the settings. The route decides (`route.Route.court_for`); once the case is filed,
    a person's court is the one the filing event names («суд»), a fact of the card.

    `kind` None: the court that dealt with the case (of the writ), by the last filing.
    """
    filing = _filing(facts.case)
    if facts.case.debtor.type is DebtorType.PERSON:
        hint = (filing.fields.get("суд", "") if filing else "").lower()
        for key, stem in _COURT_STEMS.items():
            if stem in hint:
                return key
    route = _route_of(facts)
    if kind is not None and kind.code in (ORDER, LAWSUIT):
        return route.court_for(kind.code)
    if filing is not None:
        return route.court_for(ORDER if filing.kind == "court_order_filed" else LAWSUIT)
    return route.court


def _court_text(kind: Kind | None, facts: Facts) -> str:
    """The court's name and address: from the settings, else as the filing event names a full court."""
    key = _court_key(kind, facts)
    for name, text in facts.settings.courts.items():
        if text and _COURT_STEMS[key] in name.lower():
            return text
    filing = _filing(facts.case)
    hint = filing.fields.get("суд", "") if filing else ""
    return hint if len(hint.split()) > 2 else ""


def _filing(case: Case) -> Event | None:
    filings = [e for e in case.events if e.kind in ("lawsuit_filed", "court_order_filed")]
    return filings[-1] if filings else None


def addressee(text: str) -> dict:
    """Split «Наименование, 427580, адрес» and put the name in the addressee form («Мировому судье …», «В …»)."""
    match = re.search(r",\s*(\d{6}\b.*)$", text)
    name, address = (text[:match.start()], match.group(1)) if match else (text, "")
    if name.lower().startswith("мировой судья"):
        to = "Мировому судье" + name[len("мировой судья"):]
    elif name.lower().startswith("в "):
        to = name
    else:
        to = f"В {name}"
    return {"text": text, "name": name, "address": address, "to": to}


def _court(kind: Kind, facts: Facts) -> dict:
    case = facts.case
    filing = _filing(case)
    number = _field(case, ("дело_суда", "дело", "номер_дела"), ("judgment", "court_order_issued", "lawsuit_filed",
                                                                  "court_order_filed"))
    return {**addressee(_court_text(kind, facts)), "case_number": number,
            "filed": date_text(filing.date) if filing else "",
            "order": bool(filing and filing.kind == "court_order_filed")}


def _field(case: Case, keys: tuple[str, ...], kinds: tuple[str, ...]) -> str:
    """A detail field of the latest event of the given kinds that has one («дело_суда», «номер» …)."""
    for event in reversed(case.events):
        if event.kind in kinds:
            for key in keys:
                if event.fields.get(key):
                    return event.fields[key]
    return ""


def _bailiffs_text(case: Case, settings: Settings) -> str:
    return _field(case, ("осп", "фссп"), ("enforcement_opened", "sent_to_bailiffs")) or settings.bailiffs or ""


def _bailiffs(kind: Kind, facts: Facts) -> dict:
    return addressee(_bailiffs_text(facts.case, facts.settings))


def _bank(kind: Kind, facts: Facts) -> dict:
    accounts = list(facts.case.debtor.bank_accounts)
    return {"accounts": accounts, "first": accounts[0] if accounts else ""}


def _writ(kind: Kind, facts: Facts) -> dict:
    """The writ as the card records it: «исполнительный документ получен» with «номер», «выдан», «сумма»."""
    case = facts.case
    event = case.last_event("writ_received")
    fields = event.fields if event else {}
    document = fields.get("документ") or ("судебный приказ" if case.last_event("court_order_issued")
                                         else "исполнительный лист")
    number, issued = fields.get("номер", ""), fields.get("выдан", "")
    court_case = _field(case, ("дело_суда", "дело", "номер_дела"),
                        ("writ_received", "judgment", "court_order_issued", "lawsuit_filed", "court_order_filed"))
    court_text = _court_text(None, facts)
    court = addressee(court_text)["name"] if court_text else ""
    details = [text for text in (f"выдан {issued}" if issued else "", f"дело № {court_case}" if court_case else "",
                                 f"суд: {court}" if court else "") if text]
    amount = _amount(fields.get("сумма"))
    return {"document": document, "number": number, "issued": issued,
            "received": date_text(event.date) if event else "", "case_number": court_case, "court": court,
            "text": " ".join(x for x in (document, number) if x) + (f" ({'; '.join(details)})" if details else ""),
            "amount": format_rub(amount) if amount is not None else "",
            "amount_words": in_words(amount) if amount is not None else ""}


def _amount(text: str | None) -> Decimal | None:
    try:
        return parse_amount(text) if text else None
    except ValueError:
        return None


def _enforcement(kind: Kind, facts: Facts) -> dict:
    event = facts.case.last_event("enforcement_opened")
    fields = event.fields if event else {}
    return {"number": fields.get("номер") or fields.get("номер_ип", ""),
            "opened": date_text(event.date) if event else "", "bailiff": fields.get("пристав", "")}


def _paid(kind: Kind, facts: Facts) -> dict:
    payments = sorted(facts.case.payments, key=lambda p: p.date)
    total = sum((p.amount for p in payments), ZERO)
    return {"date": date_text(payments[-1].date) if payments else "", "total": format_rub(total),
            "total_words": in_words(total)}


# --- attachments -----------------------------------------------------------------------------------

def _attachments(kind: Kind, facts: Facts) -> list[dict]:
    chosen = facts.attachments if facts.attachments is not None else default_attachments(kind, facts)
    return [{"number": str(n), "title": title, "pages": "" if pages is None else str(pages),
             "text": title + (f" — на {pages} л." if pages else "")}
            for n, (title, pages) in enumerate(chosen, 1)]


def default_attachments(kind: Kind, facts: Facts) -> list[tuple[str, int | None]]:
    """The attachment list of a lawsuit or a court-order application from the case folder's own files.

    The calculation comes first (kezdocs writes it), then every document the
    clerk put in the case folder, then what procedural law requires and no
    file of the folder is: the power of attorney, the proof that a copy went
    to the defendant (ГПК РФ ст. 132 п. 6; АПК РФ ст. 126 ч. 1 п. 1), and in
    arbitration the registry extract and the representative's law diploma.
    """

    items: list[tuple[str, int | None]] = [("Расчёт задолженности и пени", None)]
    own = [(rel, pages) for rel, pages in facts.files
           if not rel.startswith(GENERATED_DIR + "/") and rel not in (CARD_NAME, STATUS_FILE)]
    for rel, pages in own:
        items.append((f"Копия: {PurePosixPath(rel).stem}", pages))
    names = " ".join(rel.lower() for rel, _ in own)
    arbitration = kind.variant_for(facts.case.debtor.type) == APK
    if facts.settings.power_of_attorney and "доверенн" not in names:
        items.append((f"Копия доверенности представителя {facts.settings.power_of_attorney}", None))
    if arbitration and "диплом" not in names:
        items.append(("Копия документа о высшем юридическом образовании представителя", None))
    if arbitration and "выписк" not in names:
        items.append(("Выписка из ЕГРЮЛ (ЕГРИП) в отношении ответчика", None))
    party = "должнику" if kind.code == "court-order" else "ответчику"
    items.append((f"Документ, подтверждающий направление {party} копии заявления и приложенных документов", None))
    return items


# --- the write-off decision and the postal inventory -------------------------------------------------

GROUNDS = (
    ("1", "смерть физического лица — плательщика платежей в бюджет или объявление его умершим"),
    ("2", "завершение процедуры реализации имущества гражданина, в том числе индивидуального предпринимателя, "
          "по Федеральному закону от 26.10.2002 № 127-ФЗ «О несостоятельности (банкротстве)» — в части, "
          "не погашенной по причине недостаточности имущества должника"),
    ("2.1", "завершение процедуры внесудебного банкротства гражданина — в части задолженности, от исполнения "
            "обязанности по уплате которой гражданин освобождён"),
    ("3", "ликвидация организации — плательщика платежей в бюджет в части задолженности, не погашенной по причине "
          "недостаточности имущества организации и (или) невозможности её погашения учредителями (участниками)"),
    ("4", "принятие судом акта, в соответствии с которым администратор доходов бюджета утрачивает возможность "
          "взыскания задолженности в связи с истечением установленного срока её взыскания (срока исковой давности), "
          "в том числе определения об отказе в восстановлении пропущенного срока подачи заявления в суд"),
    ("5", "постановление судебного пристава-исполнителя об окончании исполнительного производства и о возвращении "
          "взыскателю исполнительного документа по основанию, предусмотренному пунктом 3 или 4 части 1 статьи 46 "
          "Федерального закона от 02.10.2007 № 229-ФЗ «Об исполнительном производстве», если с даты образования "
          "задолженности прошло более пяти лет, в случаях, установленных этим подпунктом"),
    ("6", "исключение юридического лица из единого государственного реестра юридических лиц по решению "
          "регистрирующего органа при наличии ранее вынесенного постановления об окончании исполнительного "
          "производства в связи с возвращением взыскателю исполнительного документа по основанию пункта 3 или 4 "
          "части 1 статьи 46 Федерального закона № 229-ФЗ"),
)


def _grounds(kind: Kind, facts: Facts) -> list[dict]:
    """The grounds of БК РФ ст. 47.2 п. 1, those the card shows marked (☒), the others left to the commission (☐)."""
    marked = set()
    case = facts.case
    if case.debtor.liquidated:
        marked.add("3" if case.debtor.type is DebtorType.LEGAL else "2")
    named = _field(case, ("основание",), ("written_off", "enforcement_ended"))
    for clause, _ in GROUNDS:
        if re.search(rf"(пп?\.|подпункт)\s*{re.escape(clause)}(?![\d.])", named):
            marked.add(clause)
    return [{"clause": clause, "text": text, "marked": clause in marked, "mark": "☒" if clause in marked else "☐"}
            for clause, text in GROUNDS]


def _inventory(kind: Kind, facts: Facts) -> dict:
    """Ф. 107: the claim and, when a penalty is claimed, its calculation; declared value 1 рубль per item."""
    entries = [f"Требование (претензия) о погашении просроченной задолженности от {date_short(facts.today)}"]
    if facts.calc.rows:
        entries.append(f"Расчёт задолженности и пени по состоянию на {date_short(facts.today)}")
    value = Decimal("1.00")
    return {"entries": [{"number": str(n), "title": title, "count": "1", "value": format_rub(value)}
                        for n, title in enumerate(entries, 1)],
            "count": str(len(entries)), "value": format_rub(value * len(entries)),
            "value_words": in_words(value * len(entries))}


_GROUPS = {
    "doc": _doc, "org": _org, "case": _case, "debtor": _debtor, "signer": _signer, "executor": _executor,
    "head": _head, "representative": _representative, "basis": _basis, "overdue": _overdue, "sums": _sums,
    "calc": _calc, "payment": _payment, "qr": _qr, "claim": _claim, "route": _route, "court": _court,
    "bailiffs": _bailiffs, "bank": _bank, "writ": _writ, "enforcement": _enforcement, "paid": _paid,
    "attachments": _attachments, "grounds": _grounds, "inventory": _inventory,
    "address": lambda kind, facts: ({"kind": facts.case.debtor.addresses[0].kind,
                                     "text": facts.case.debtor.addresses[0].text}
                                    if facts.case.debtor.addresses else {"kind": "", "text": ""}),
}


# --- the variables, documented -----------------------------------------------------------------------

# Every variable a template can use: the group (top-level name) first; «[]» marks a list.
VARIABLES: dict[str, str] = {
    "doc.title": "полное название документа",
    "doc.date": "дата документа (день формирования, --today)",
    "doc.date_short": "дата документа цифрами",
    "org.name": "полное наименование администрации (настройки: администрация)",
    "org.short_name": "краткое наименование (настройки: краткое_наименование)",
    "org.address": "адрес администрации",
    "org.phone": "телефон администрации",
    "org.email": "электронная почта администрации",
    "org.inn": "ИНН администрации",
    "org.ogrn": "ОГРН администрации",
    "org.ids": "ИНН и ОГРН администрации одной строкой",
    "case.number": "номер дела",
    "case.administrator": "подразделение-исполнитель (карточка: администратор)",
    "case.kbk": "КБК (карточка: код_дохода)",
    "case.uin": "УИН начисления, если известен",
    "debtor.type": "тип должника: юрлицо, ИП, физлицо",
    "debtor.is_person": "да, если должник — физическое лицо",
    "debtor.is_entrepreneur": "да, если должник — индивидуальный предприниматель",
    "debtor.is_legal": "да, если должник — юридическое лицо",
    "debtor.name": "наименование или ФИО должника (именительный падеж)",
    "debtor.genitive": "должник в родительном падеже («Взыскать с …»); организация не склоняется",
    "debtor.dative": "должник в дательном падеже; организация не склоняется",
    "debtor.addressee": "должник в дательном падеже с заглавной буквы — для блока «кому»",
    "debtor.inn": "ИНН должника",
    "debtor.ogrn": "ОГРН (ОГРНИП) должника",
    "debtor.ogrn_label": "«ОГРН» или «ОГРНИП»",
    "debtor.kpp": "КПП должника",
    "debtor.snils": "СНИЛС должника",
    "debtor.passport": "паспорт должника",
    "debtor.birth_date": "дата рождения должника",
    "debtor.birth_place": "место рождения должника",
    "debtor.ids": "идентификаторы должника одной строкой (ИНН, ОГРН, КПП, СНИЛС, паспорт)",
    "debtor.address": "первый адрес должника из карточки",
    "debtor.addresses[].kind": "вид адреса (по договору, по ЕГРЮЛ, регистрации, фактический)",
    "debtor.addresses[].text": "адрес",
    "debtor.accounts[]": "известные счета должника (карточка: должник.счета)",
    "signer.position": "должность подписанта (настройки: подписант, иначе глава)",
    "signer.name": "ФИО подписанта",
    "signer.short": "подписант как «И.О. Фамилия»",
    "executor.name": "ФИО ответственного исполнителя (карточка: ответственный)",
    "executor.short": "исполнитель как «И.О. Фамилия»",
    "executor.phone": "телефон исполнителя",
    "executor.email": "электронная почта исполнителя",
    "head.position": "должность главы (настройки: глава)",
    "head.position_dative": "должность главы в дательном падеже («Главе …»)",
    "head.name": "ФИО главы",
    "head.short": "глава как «И.О. Фамилия»",
    "head.short_dative": "глава в дательном падеже («И.О. Фамилии»)",
    "representative.position": "должность представителя в суде (настройки: представитель, иначе подписант)",
    "representative.name": "ФИО представителя",
    "representative.short": "представитель как «И.О. Фамилия»",
    "representative.power_of_attorney": "реквизиты доверенности представителя",
    "address.kind": "вид адреса этого экземпляра (требование и опись — по экземпляру на адрес, п. 4.5)",
    "address.text": "адрес этого экземпляра",
    "basis.document": "документ-основание (карточка: основание.документ)",
    "basis.number": "номер документа-основания",
    "basis.date": "дата документа-основания",
    "basis.text": "основание одной строкой: «Договор … № … от 10.01.2025»",
    "overdue.since": "первый день просрочки",
    "overdue.text": "период просрочки «с 11.01.2026 по 24.11.2026»",
    "overdue.charges[].period": "период начисления",
    "overdue.charges[].amount": "сумма начисления",
    "overdue.charges[].due": "срок уплаты",
    "overdue.charges[].paid": "оплачено",
    "overdue.charges[].unpaid": "не оплачено",
    "sums.debt": "просроченная задолженность (основной долг)",
    "sums.debt_words": "основной долг прописью",
    "sums.penalty": "пени (проценты) на дату документа",
    "sums.penalty_words": "пени прописью",
    "sums.fines": "штрафные санкции (карточка: штрафы)",
    "sums.fines_words": "штрафы прописью",
    "sums.total": "всего: долг, пени и штрафы",
    "sums.total_words": "всего прописью",
    "sums.has_penalty": "да, если пени больше нуля",
    "sums.has_fines": "да, если штрафы больше нуля",
    "calc.title": "заголовок расчёта (по способу начисления)",
    "calc.label": "«пени» или «проценты по ст. 395 ГК РФ»",
    "calc.label_cap": "то же с заглавной буквы",
    "calc.label_genitive": "«пени» или «процентов по ст. 395 ГК РФ» («о взыскании задолженности и …»)",
    "calc.article": "статья ГК РФ, на которой основано начисление: 330 или 395",
    "calc.method": "способ начисления словами, со ссылкой на закон",
    "calc.end": "дата, по которую выполнен расчёт",
    "calc.end_short": "та же дата цифрами",
    "calc.rows[].number": "номер строки расчёта",
    "calc.rows[].charge": "начисление, к которому относится строка",
    "calc.rows[].start": "начало периода",
    "calc.rows[].end": "конец периода",
    "calc.rows[].days": "дней в периоде",
    "calc.rows[].debt": "долг в периоде",
    "calc.rows[].rate": "ставка",
    "calc.rows[].formula": "формула строки",
    "calc.rows[].amount": "сумма строки",
    "calc.rows[].note": "примечание (мораторий, ограничение неустойки)",
    "calc.has_rows": "да, если в расчёте есть строки",
    "calc.total": "итого пени",
    "calc.total_words": "итого пени прописью",
    "calc.principal": "основной долг на дату расчёта",
    "calc.warnings[]": "предупреждения расчёта (например, о ключевой ставке после последней известной)",
    "payment.recipient": "получатель платежа (настройки: реквизиты.получатель)",
    "payment.inn": "ИНН получателя",
    "payment.kpp": "КПП получателя",
    "payment.treasury_account": "казначейский счёт",
    "payment.ecs": "единый казначейский счёт (ЕКС)",
    "payment.bik": "БИК",
    "payment.bank": "банк получателя",
    "payment.oktmo": "ОКТМО",
    "payment.kbk": "КБК",
    "payment.uin": "УИН, если известен",
    "payment.purpose": "назначение платежа",
    "qr": "QR-код платежа по ГОСТ Р 56042-2014 (картинка)",
    "claim.required": "да, если претензия обязательна по договору",
    "claim.sent": "дата направления последней претензии",
    "claim.tracking": "почтовые идентификаторы (ШПИ) претензий",
    "claim.voluntary_days": "срок добровольной оплаты, дней",
    "claim.voluntary_days_text": "срок добровольной оплаты словами («30 календарных дней»)",
    "claim.voluntary_end": "дата окончания срока добровольной оплаты",
    "route.text": "рекомендуемый путь в суд (по цене иска — долг, пени, штрафы — и типу должника)",
    "route.arbitration": "да, если дело для арбитражного суда",
    "route.code": "«ГПК РФ» или «АПК РФ»",
    "court.text": "суд: наименование и адрес (настройки: суды)",
    "court.name": "наименование суда",
    "court.address": "адрес суда",
    "court.to": "суд в форме адресата («Мировому судье …», «В … суд»)",
    "court.case_number": "номер дела в суде (поле «дело_суда» события)",
    "court.filed": "дата подачи иска или заявления",
    "court.order": "да, если подавалось заявление о выдаче судебного приказа",
    "bailiffs.text": "подразделение ФССП: наименование и адрес (настройки: фссп)",
    "bailiffs.name": "наименование подразделения ФССП",
    "bailiffs.address": "адрес подразделения ФССП",
    "bailiffs.to": "подразделение в форме адресата («В …»)",
    "bank.accounts[]": "счета должника с банком",
    "bank.first": "первый известный счёт должника",
    "writ.document": "вид исполнительного документа (поле «документ», иначе исполнительный лист / судебный приказ)",
    "writ.number": "серия и номер (поле «номер» события «исполнительный документ получен»)",
    "writ.issued": "дата выдачи (поле «выдан»)",
    "writ.received": "дата получения",
    "writ.case_number": "номер дела в суде",
    "writ.court": "суд, выдавший документ",
    "writ.text": "исполнительный документ одной строкой",
    "writ.amount": "сумма по исполнительному документу (поле «сумма»), если указана",
    "writ.amount_words": "та же сумма прописью",
    "enforcement.number": "номер исполнительного производства (поле «номер»)",
    "enforcement.opened": "дата возбуждения",
    "enforcement.bailiff": "судебный пристав-исполнитель (поле «пристав»)",
    "paid.date": "дата последнего платежа",
    "paid.total": "всего уплачено",
    "paid.total_words": "всего уплачено прописью",
    "attachments[].number": "номер приложения",
    "attachments[].title": "наименование приложения",
    "attachments[].pages": "листов (если известно)",
    "attachments[].text": "приложение одной строкой, с числом листов",
    "grounds[].clause": "подпункт п. 1 ст. 47.2 БК РФ",
    "grounds[].text": "основание словами",
    "grounds[].marked": "да, если основание следует из карточки",
    "grounds[].mark": "☒ или ☐",
    "inventory.entries[].number": "номер предмета описи",
    "inventory.entries[].title": "наименование предмета",
    "inventory.entries[].count": "количество",
    "inventory.entries[].value": "объявленная ценность, руб.",
    "inventory.count": "всего предметов",
    "inventory.value": "всего объявленная ценность, руб.",
    "inventory.value_words": "объявленная ценность прописью",
}


def flatten(context: dict, prefix: str = "") -> dict[str, object]:
    """`VARIABLES`-style paths of a context's leaves, each with its first non-empty value (a list's items merged)."""
    found: dict[str, object] = {}

    def keep(path: str, value) -> None:
        if found.get(path) in (None, "") or (value is True and found[path] is False):
            found[path] = value

    for key, value in context.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            for sub, item in flatten(value, path + ".").items():
                keep(sub, item)
        elif isinstance(value, list):
            for item in value or [""]:
                if isinstance(item, dict):
                    for sub, leaf in flatten(item, path + "[].").items():
                        keep(sub, leaf)
                else:
                    keep(path + "[]", item)
        else:
            keep(path, value)
    return found


# --- a sample case for `templates check` and `templates vars` -------------------------------------------

SAMPLE_TODAY = date(2026, 11, 24)


def sample_settings() -> Settings:
    return Settings(
        address="427580, Удмуртская Республика, п. Кез, ул. Кирова, д. 5", phone="+7 (34158) 3-11-11",
        email="kez@example.ru", inn="1831000001", ogrn="1021800000001", chief_code="000",
        payment=PaymentDetails("УФК по Удмуртской Республике (Администрация Кезского района)", "1831000001",
                               "183101001", "03100643000000011300", "40102810545370000081", "019401100",
                               "ОТДЕЛЕНИЕ-НБ УДМУРТСКАЯ РЕСПУБЛИКА БАНКА РОССИИ//УФК по Удмуртской Республике г. Ижевск",
                               "94626000"),
        head=Person("Глава муниципального образования «Муниципальный округ Кезский район Удмуртской Республики»",
                    "Богданов Игорь Олегович"),
        signer=Person("Заместитель главы Администрации по экономике и финансам", "Кузнецова Анна Викторовна"),
        representative=Person("Начальник отдела правовой и кадровой работы", "Смирнов Павел Андреевич"),
        power_of_attorney="№ 15 от 09.01.2026",
        courts={"мировой": "Мировой судья судебного участка Кезского района Удмуртской Республики, 427580, п. Кез, "
                           "ул. Кирова, д. 7",
                "районный": "Кезский районный суд Удмуртской Республики, 427580, п. Кез, ул. Кирова, д. 9",
                "арбитражный": "Арбитражный суд Удмуртской Республики, 426011, г. Ижевск, ул. Ломоносова, д. 5"},
        bailiffs="Кезское РОСП УФССП России по Удмуртской Республике, 427580, п. Кез, ул. Кирова, д. 11",
    )


_SAMPLE_DEBTORS = {
    DebtorType.LEGAL: Debtor(DebtorType.LEGAL, "ООО «Ромашка & Сыновья» <1>", inn="1831000001", ogrn="1021800000001",
                             kpp="183101001",
                             addresses=(Address("по договору", "427550, Удмуртская Республика, п. Кез, ул. Кирова, д. 1"),
                                        Address("по ЕГРЮЛ", "426000, Удмуртская Республика, г. Ижевск, ул. Пушкина, д. 10")),
                             bank_accounts=("40702810468000001234 в Удмуртском отделении № 8618 ПАО Сбербанк",)),
    DebtorType.ENTREPRENEUR: Debtor(DebtorType.ENTREPRENEUR, "Индивидуальный предприниматель Петров Сергей Иванович",
                                    inn="183100000010", ogrn="318183100000015", last_name="Петров",
                                    first_name="Сергей", middle_name="Иванович",
                                    addresses=(Address("по договору", "427580, Удмуртская Республика, п. Кез, "
                                                                      "ул. Ленина, д. 3, кв. 4"),),
                                    bank_accounts=("40802810468000005678 в ПАО Сбербанк",)),
    DebtorType.PERSON: Debtor(DebtorType.PERSON, "Черных Ольга Викторовна", inn="183100000010",
                              last_name="Черных", first_name="Ольга", middle_name="Викторовна", gender="female",
                              birth_date=date(1979, 5, 12), birth_place="п. Кез Удмуртской АССР",
                              snils="112-233-445 95", passport="94 00 123456",
                              addresses=(Address("регистрации", "427580, Удмуртская Республика, п. Кез, ул. Садовая, д. 8"),
                                         Address("фактический", "426057, Удмуртская Республика, г. Ижевск, "
                                                                "ул. Майская, д. 21, кв. 40"))),
}


def sample_case(debtor_type: DebtorType = DebtorType.LEGAL) -> Case:
    """A case that went the whole way, so every group of every document has data."""
    events = (
        Event(date(2026, 2, 20), "claim_sent", {"шпи": "42755012345678"}),
        Event(date(2026, 3, 30), "memo_sent"), Event(date(2026, 4, 6), "decision_taken"),
        Event(date(2026, 4, 15), "lawsuit_filed", {"дело_суда": "А71-1234/2026"}),
        Event(date(2026, 6, 10), "judgment", {"result": "granted"}), Event(date(2026, 7, 13), "judgment_in_force"),
        Event(date(2026, 8, 3), "writ_received", {"номер": "ФС № 045678912", "выдан": "28.07.2026",
                                                  "сумма": "46 350,00"}),
        Event(date(2026, 8, 10), "sent_to_bailiffs"),
        Event(date(2026, 8, 20), "enforcement_opened", {"номер": "12345/26/18045-ИП", "пристав": "Иванов И. И."}),
        Event(date(2026, 10, 30), "enforcement_ended", {"основание": "пп. 5"}),
    )
    return Case(
        number="2026-001", administrator="Управление территориального развития",
        officer=Officer("Иванова Мария Петровна", "+7 (34158) 3-12-34", "ivanova@example.ru"), debtor=_SAMPLE_DEBTORS[debtor_type],
        basis=Basis("Договор аренды земельного участка", "12/2025", date(2025, 1, 10)),
        kbk="00011105012140000120", penalty=PenaltyTerms(PenaltyMethod.PERCENT, Decimal("0.1")),
        charges=(Charge("I квартал 2026", Decimal("15000.00"), date(2026, 1, 10)),
                 Charge("II квартал 2026", Decimal("30000.00"), date(2026, 4, 10))),
        payments=(Payment(date(2026, 2, 1), Decimal("5000.00"), "п/п № 123"),),
        events=events, uin="18810000000000000012",
    )


@lru_cache(maxsize=None)
def sample_facts(debtor_type: DebtorType = DebtorType.LEGAL) -> Facts:
    """The facts `templates check` renders every template from (a fixed day, two files); do not mutate."""
    from kezdocs.core.workdays import Calendar

    case = sample_case(debtor_type)
    calc = calculate(case.charges, case.payments, case.penalty, SAMPLE_TODAY, KeyRates([]))
    calc = replace(calc, warnings=("Расчёт выполнен по 24.11.2026, а последнее известное изменение ключевой ставки — "
                                   "с 27.07.2026: если ставка с тех пор менялась, добавьте её и пересчитайте.",))
    files = (("Договор/договор аренды 12-2025.pdf", 3), ("Почта/квитанция 42755012345678.pdf", 1))
    return Facts(case, sample_settings(), SAMPLE_TODAY, calc, stages.assess(case, SAMPLE_TODAY, Calendar(), penalty=calc.total),
                 None, files)
