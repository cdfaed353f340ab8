"""What a document is built from (`Facts`), and the readings of it that every part of a document shares:
amounts as printed, the latest filing in court, a detail field of an event."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from kezdocs.core.model import Case, Event
from kezdocs.core.money import format_rub as _format_rub
from kezdocs.core.penalty import Calculation
from kezdocs.core.settings import Settings
from kezdocs.core.workdays import DEFAULT, Calendar

if TYPE_CHECKING:
    from kezdocs.core.classification import Document
    from kezdocs.core.stages import Assessment


@dataclass(frozen=True)
class Facts:
    """What a document is built from; `files` are the case folder's files (relpath, pages or None) and
    `documents` what each of them is (classified by the shell: `folders.intake`), for the attachment list."""

    case: Case
    settings: Settings
    today: date
    calc: Calculation
    assessment: Assessment | None = None  # where the case stands (route, the voluntary term)
    attachments: tuple[tuple[str, int | None], ...] | None = None
    files: tuple[tuple[str, int | None], ...] = ()
    calendar: Calendar = DEFAULT  # the root's production calendar: a due date on a day off moves (ГК РФ ст. 193)
    documents: tuple[Document, ...] = ()


def format_rub(amount: Decimal) -> str:
    """«15 000,00» with non-breaking spaces, so an amount never breaks across lines."""
    return _format_rub(amount).replace(" ", "\u00a0")


def last_filing(case: Case) -> Event | None:
    """The latest lawsuit or court-order application filed, which names the court and the proceeding."""
    filings = [e for e in case.events if e.kind in ("lawsuit_filed", "court_order_filed")]
    return filings[-1] if filings else None


CASE_NUMBER_KEYS = ("дело_суда", "дело", "номер_дела")  # the event fields that carry the court's case number


def field_of(event: Event, keys: tuple[str, ...]) -> str:
    """The first of `keys` the event has a value for («дело_суда», else «дело» …), or «»."""
    return next((event.fields[key] for key in keys if event.fields.get(key)), "")


def event_field(case: Case, keys: tuple[str, ...], kinds: tuple[str, ...]) -> str:
    """A detail field of the latest event of the given kinds that has one («дело_суда», «номер» …)."""
    return next((found for event in reversed(case.events) if event.kind in kinds
                 for found in (field_of(event, keys),) if found), "")
