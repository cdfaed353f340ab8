"""What recording an event needs: its name, the stage that accepts it, its fields and how each is checked.

One table (`EVENT_FIELDS`): the fields of each event are the card keys the documents and checklists read back
(`requirements.claim_tracking` reads «шпи» and «адрес», `courts` reads «суд», the court's case number, the writ's
«номер», «выдан», «сумма», the proceeding's «номер», «пристав», «осп», `writeoff` reads «основание»). The command
line (`kezdocs record`) and the web form ask here, and nothing else keeps a list of them. Which events a stage
accepts is `stages.allowed_events` (the procedure's table); `refusal` words it.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable

from kezdocs.core import writeoff
from kezdocs.core.dates import parse_date
from kezdocs.core.facts import CASE_NUMBER_KEYS
from kezdocs.core.model import EVENTS, JUDGMENT_RESULTS, Case, Payment
from kezdocs.core.money import format_rub, parse_amount
from kezdocs.core.settings import Thresholds
from kezdocs.core.stages import REQUIRES, STAGES, allowed_events, assess
from kezdocs.core.workdays import Calendar

PAYMENT = "payment"  # not an event: a payment goes to «платежи»
PAYMENT_WORDS = ("платёж", "платеж", "оплата", PAYMENT)
PAYMENT_NAME = "платёж"


@dataclass(frozen=True)
class EventField:
    """A field of an event as the card stores it (`key`); `choices` are (value written on the card, label shown);
    `kind` says how a value is checked: text, a date, an amount, a ШПИ."""

    key: str
    label: str
    required: bool
    choices: tuple[tuple[str, str], ...] = ()
    kind: str = "text"


SHPI = EventField("шпи", "ШПИ", False, kind="shpi")
ADDRESS = EventField("адрес", "адрес (его вид из карточки: по договору, по ЕГРЮЛ, регистрации…)", False)
COURT = EventField("суд", "суд", False)
COURT_CASE = EventField(CASE_NUMBER_KEYS[0], "номер дела в суде", False)
RESULT = EventField("результат", "результат", True, tuple((name, name) for name in JUDGMENT_RESULTS.values()))
GROUND = EventField(writeoff.GROUND_FIELD, "основание (подпункт п. 1 ст. 47.2 БК РФ)", True,
                    tuple((g.code, f"{g.code} — {g.title}") for g in writeoff.GROUNDS))
BAILIFFS = EventField("осп", "отделение судебных приставов", False)
NOTE = EventField("примечание", "примечание", False)

EVENT_FIELDS: dict[str, tuple[EventField, ...]] = {code: (NOTE,) for code in EVENTS} | {
    "claim_sent": (SHPI, ADDRESS, NOTE),
    "claim_delivered": (SHPI, ADDRESS, NOTE),  # which letter: `delivery.suggestions` reads them back
    "claim_returned": (SHPI, ADDRESS, NOTE),
    "lawsuit_filed": (COURT, COURT_CASE, NOTE),
    "court_order_filed": (COURT, COURT_CASE, NOTE),
    "court_order_issued": (COURT_CASE, NOTE),
    "court_order_cancelled": (COURT_CASE, NOTE),
    "judgment": (RESULT, COURT_CASE, NOTE),
    "writ_received": (EventField("документ", "вид документа (исполнительный лист, судебный приказ)", False),
                      EventField("номер", "номер исполнительного документа", False),
                      EventField("выдан", "дата выдачи", False, kind="date"),
                      EventField("сумма", "сумма взыскания", False, kind="amount"),
                      COURT_CASE, NOTE),
    "sent_to_bailiffs": (BAILIFFS, NOTE),
    "enforcement_opened": (EventField("номер", "номер исполнительного производства", False),
                           EventField("пристав", "судебный пристав-исполнитель", False), BAILIFFS, NOTE),
    writeoff.GROUND_EVENT: (GROUND, NOTE),
}


def event_code(text: str) -> str | None:
    """An event named by its Russian name or its code, in any case («Претензия направлена», «claim_sent»);
    `PAYMENT` for a payment; None when unknown."""
    folded = " ".join(text.split()).casefold()
    if folded in PAYMENT_WORDS:
        return PAYMENT
    by_name = {name.casefold(): code for code, name in EVENTS.items()}
    return by_name.get(folded) or (folded if folded in EVENTS else None)


def unknown_event(text: str) -> str:
    """Why `text` names no event: the closest names («может быть, …?») and every name allowed."""
    names = [*EVENTS.values(), PAYMENT_NAME]
    close = difflib.get_close_matches(text.strip().casefold(), [*names, *EVENTS], n=1, cutoff=0.5)
    tip = f"; может быть, «{EVENTS.get(close[0], close[0])}»?" if close else ""
    return f"неизвестное событие «{text}»{tip} Допустимые: {', '.join(names)}"


def event_name(code: str) -> str:
    """The Russian name the card records."""
    return PAYMENT_NAME if code == PAYMENT else EVENTS[code]


def refusal(stage: str, code: str, recorded: Iterable[str] = ()) -> str | None:
    """Why the stage does not accept the event (None when it does); `recorded`: the codes of the events before it,
    for an event that needs an earlier one (an order cancelled needs the order, `stages.REQUIRES`)."""
    if code == PAYMENT:
        return None
    label = STAGES[stage].label
    allowed = allowed_events(stage)
    if code not in allowed:
        expected = ", ".join(f"«{EVENTS[c]}»" for c in allowed)
        return (f"на стадии «{label}» событие «{EVENTS[code]}» не записывается"
                + (f"; ожидается: {expected}" if expected else ""))
    needed, reason = REQUIRES.get(code, (None, ""))
    if needed is not None and needed not in set(recorded):
        return f"событие «{EVENTS[code]}» не записывается: {reason}"
    return None


def stage_refusal(case: Case, code: str, day: date, calendar: Calendar, thresholds: Thresholds) -> str | None:
    """Why the case, where it stands on `day` (its events up to that day walked through `stages`), does not accept
    the event; None when it does."""
    stage = assess(case, day, calendar, thresholds).stage
    return refusal(stage, code, [e.kind for e in case.events if e.date is not None and e.date <= day])


def amount_problem(amount: str | None) -> str | None:
    """Why a payment's amount will not do (none, not a number, not above zero); None when it will."""
    if not amount:
        return "для платежа нужна сумма"
    value = _amount(amount)
    return None if value is not None and value > 0 else f"«{amount}» — не положительная сумма"


def shpi_key(value: str) -> str:
    """A ШПИ as kezdocs compares and records it: no spaces, upper case («ra 1234 5678 5ru» → «RA123456785RU»).
    The card, a file's name or text and a notice all give the same letter the same key."""
    return re.sub(r"\s", "", value).upper()


def shpi_problem(value: str) -> str | None:
    """Why `value` is no Russian Post tracking number (ШПИ), or None.

    A domestic ШПИ is 14 digits: the index of the post office (6), the month (2), the item's number (5) and
    a check digit: the digits in odd places 1..13 times 3 plus those in even places, check = (10 − sum mod 10)
    mod 10 (the EAN/UPC rule; Почта России's description of the domestic identifier, as in
    https://ru.wikipedia.org/wiki/Почтовый_идентификатор). An international one is UPU S10: two letters, 8 digits,
    a check digit, the country
    («RA123456785RU»), the check digit over weights 8 6 4 2 3 5 9 7: 11 − sum mod 11, 10 → 0, 11 → 5
    (UPU standard S10, «Identification of postal items — 13-character identifier»).
    """
    text = shpi_key(value)
    if re.fullmatch(r"\d{14}", text):
        digits = [int(c) for c in text]
        total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits[:13]))
        expected = (10 - total % 10) % 10
    elif re.fullmatch(r"[A-Z]{2}\d{9}[A-Z]{2}", text):
        digits = [int(c) for c in text[2:11]]
        rest = 11 - sum(d * w for d, w in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7))) % 11
        expected = {10: 0, 11: 5}.get(rest, rest)
        return None if digits[8] == expected else _bad_check(value, expected)
    else:
        return (f"ШПИ «{value}» — не почтовый идентификатор: нужно 14 цифр (42755012345675) "
                f"или международный номер вида RA123456785RU")
    return None if digits[13] == expected else _bad_check(value, expected)


def _bad_check(value: str, expected: int) -> str:
    return f"ШПИ {value.strip()}: неверная контрольная цифра (должна быть {expected}) — проверьте номер на квитанции"


def fields_of(code: str) -> tuple[EventField, ...]:
    """The fields an event takes (a payment takes none here: its amount and document are its own)."""
    return () if code == PAYMENT else EVENT_FIELDS[code]


def field_problems(code: str, fields: dict[str, str]) -> dict[str, str]:
    """Each bad field of the event: key -> the Russian reason (a required one missing, a key the event has not,
    a value not among the choices, a ШПИ with a wrong check digit, a date or an amount that is none)."""
    known = {f.key: f for f in fields_of(code)}
    problems: dict[str, str] = {}
    for key, value in fields.items():
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
            tip = f"; может быть, «{close[0]}»?" if close else ""
            allowed = ", ".join(f"«{k}»" for k in known) or "нет"
            problems[key] = f"у события «{event_name(code)}» нет поля «{key}»{tip} (допустимые: {allowed})"
    for key, spec in known.items():
        value = (fields.get(key) or "").strip()
        if not value:
            if spec.required:
                problems[key] = f"нужно поле «{key}»" + (f": {_choices_text(spec)}" if spec.choices else "")
            continue
        reason = _value_problem(spec, value)
        if reason:
            problems[key] = reason
    return problems


def _value_problem(spec: EventField, value: str) -> str | None:
    if spec.choices and _choice(spec, value) is None:
        return f"«{value}» в поле «{spec.key}» — допустимо: {_choices_text(spec)}"
    if spec.kind == "shpi":
        return shpi_problem(value)
    if spec.kind == "date" and parse_date(value) is None:
        return f"«{value}» в поле «{spec.key}» — не дата (пишите 10.03.2024)"
    if spec.kind == "amount" and _amount(value) is None:
        return f"«{value}» в поле «{spec.key}» — не сумма"
    return None


def normalized(code: str, fields: dict[str, str]) -> dict[str, str]:
    """The fields as the card records them: trimmed, empty ones left out, a choice as the card writes it
    («Удовлетворено» → «удовлетворено»), a ШПИ without spaces. Call after `field_problems` found none."""
    specs = {f.key: f for f in fields_of(code)}
    result = {}
    for key, value in fields.items():
        value = value.strip()
        spec = specs.get(key)
        if not value:
            continue
        if spec is not None and spec.choices:
            value = _choice(spec, value) or value
        elif spec is not None and spec.kind == "shpi":
            value = shpi_key(value)
        result[key] = value
    return result


def _choice(spec: EventField, value: str) -> str | None:
    folded = value.strip().casefold()
    return next((stored for stored, label in spec.choices if folded in (stored.casefold(), label.casefold())), None)


def _choices_text(spec: EventField) -> str:
    return ", ".join(label for _, label in spec.choices)


def _amount(text: str) -> Decimal | None:
    try:
        return parse_amount(text)
    except ValueError:
        return None


def repeated_payment(payments: Iterable[Payment], day: date, amount: Decimal, document: str | None) -> Payment | None:
    """An existing payment with the same date, amount and document (the same payment entered twice, most likely)."""
    wanted = _document_key(document)
    return next((p for p in payments if p.date == day and p.amount == amount and _document_key(p.document) == wanted),
                None)


def _document_key(document: str | None) -> str:
    return " ".join((document or "").split()).casefold()


def repeated_payment_text(payment: Payment) -> str:
    """The message that asks to confirm a payment entered twice."""
    document = f" ({payment.document})" if payment.document else ""
    where = f" (стр. {payment.line})" if payment.line else ""
    return (f"платёж {payment.date:%d.%m.%Y} на {format_rub(payment.amount)} руб.{document} уже записан "
            f"в карточке{where}; если это другой платёж — подтвердите запись")
