"""Delivery of the claim: the day a delivery notice says the letter was handed over, offered as a suggestion.

A delivery notice (уведомление о вручении, ф. 119) or a tracking report states when the addressee received the
letter («Вручено 05.12.2026», «Дата вручения: 05.12.2026», «Вручение адресату … 05.12.2026»). kezdocs never
records that by itself: `suggestions` offers «претензия вручена» with that day, the letter's ШПИ and its
address, and the user confirms it (`kezdocs record`, or the button on the case page). Pure: the documents come
classified (`classification.Document`: `kind`, `tracking`, `delivered`, `relpath`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kezdocs.core.dates import parse_date
from kezdocs.core.eventrules import shpi_key
from kezdocs.core.model import EVENTS, Case
from kezdocs.core.requirements import claim_tracking

NOTICE_KINDS = ("delivery_notice", "tracking_report")  # the kinds of file that state a day of delivery
DELIVERED, RETURNED = "claim_delivered", "claim_returned"

_DAY = r"(\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2}))(?![\d.])"
# Folded text (lower case, «ё» as «е»): the words a notice or a tracking report puts before the day.
_DELIVERED = re.compile(r"(?:вручено|дата вручения|вручение адресату|вручение отправителю)[^\d\n]{0,40}?" + _DAY)


@dataclass(frozen=True)
class Suggestion:
    """An event kezdocs proposes from a file, for the user to confirm: never written without them."""

    event: str  # a code of `model.EVENTS`
    date: date
    fields: tuple[tuple[str, str], ...]  # the event's fields as the card records them (`eventrules.EVENT_FIELDS`)
    source: str  # the file (relative to the case folder) the suggestion comes from
    text: str  # what the user reads: «записать «претензия вручена» 05.12.2026 (ШПИ …) — по файлу «…»»

    def command(self, case: str) -> str:
        """The command that records it: `kezdocs record` with the date and each field."""
        parts = ["kezdocs record", _quoted(case), _quoted(EVENTS[self.event]), "--date", f"{self.date:%d.%m.%Y}"]
        parts += [f"--field {_quoted(f'{key}={value}')}" for key, value in self.fields]
        return " ".join(parts)


def _quoted(text: str) -> str:
    """Double quotes where a value has a space: what both a Windows console and a Unix shell take."""
    return f'"{text}"' if re.search(r"\s", text) else text


def delivered_on(text: str) -> date | None:
    """The first day of delivery a notice's text states; None when it states none."""
    folded = text.casefold().replace("ё", "е")
    for found in _DELIVERED.finditer(folded):
        day = parse_date(found.group(1))
        if day is not None:
            return day
    return None


def suggestions(case: Case, documents) -> list[Suggestion]:
    """«претензия вручена» for each notice that states a day of delivery the card does not record yet.

    A notice counts when it shows the ШПИ of a claim the card records as sent (the address is that claim's),
    or — when the card records no ШПИ at all — when a claim was sent by then. The card records it already
    when a «претензия вручена» or «претензия возвращена» event carries that ШПИ, or carries none and the same day.
    One suggestion per letter (the earliest notice's day), in the order of the days.
    """
    sent = case.events_of("claim_sent")
    tracks = claim_tracking(case)
    address_of = {shpi: case.debtor.addresses[i].kind for i, shpi in tracks.items()}
    outcomes = [e for e in case.events if e.kind in (DELIVERED, RETURNED)]
    found: dict[str, Suggestion] = {}
    for doc in sorted(documents, key=lambda d: ((d.delivered or date.max), d.relpath)):
        if doc.kind not in NOTICE_KINDS or doc.delivered is None:
            continue
        shpi = _claim_letter(doc, address_of, sent)
        if shpi is False or (shpi or doc.relpath) in found or _recorded(outcomes, shpi, doc.delivered):
            continue
        fields = (("шпи", shpi),) if shpi else ()
        fields += (("адрес", address_of[shpi]),) if shpi in address_of else ()
        found[shpi or doc.relpath] = Suggestion(DELIVERED, doc.delivered, fields, doc.relpath, _text(doc, dict(fields)))
    return list(found.values())


def _claim_letter(doc, address_of: dict[str, str], sent) -> str | None | bool:
    """The ШПИ of the claim's letter a notice is about (None: the notice shows none); False: not a claim's letter
    (another ШПИ than the card's, or no claim sent by the day of delivery)."""
    if address_of:
        return next((t for t in doc.tracking if t in address_of), False)
    if not any(e.date is not None and e.date <= doc.delivered for e in sent):
        return False
    return doc.tracking[0] if doc.tracking else None


def _recorded(outcomes, shpi: str | None, day: date) -> bool:
    """Whether a «претензия вручена/возвращена» event records this letter: by its ШПИ, or without one on that day."""
    for event in outcomes:
        recorded = shpi_key(event.fields.get("шпи") or "")
        if (shpi is not None and recorded == shpi) or (not recorded and event.date == day):
            return True
    return False


def _text(doc, fields: dict[str, str]) -> str:
    letter = ", ".join(f"{label} {fields[key]}" for key, label in (("шпи", "ШПИ"), ("адрес", "адрес")) if key in fields)
    letter = f" ({letter})" if letter else ""
    return f"записать «{EVENTS[DELIVERED]}» {doc.delivered:%d.%m.%Y}{letter} — по файлу «{doc.relpath}»"
