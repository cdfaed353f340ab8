"""The list of cases as the first page shows it: searched, filtered, sorted, one page of it.

Pure over the statuses the workspace keeps in memory, so 10 000 cases are
listed in milliseconds; only one page (`PAGE_SIZE` rows) is rendered.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kezdocs.core import stages
from kezdocs.core.names import nfc
from kezdocs.core.status import CaseStatus
from kezdocs.core.workdays import Calendar
from kezdocs.paperwork.dashboard import SOON_WORKING_DAYS, urgency

PAGE_SIZE = 50
AGENDA_ROWS = 30  # today's agenda on the first page; the rest by officer, one click away
NO_OFFICER = "не указан"

# key -> (Russian column title, sort key); None sorts last whichever the direction
SORTS = {
    "case": ("Дело", lambda r: nfc(r.case)),
    "debtor": ("Должник", lambda r: (r.debtor or "").lower()),
    "officer": ("Ответственный", lambda r: r.officer or ""),
    "stage": ("Стадия", lambda r: r.stage_label or ""),
    "deadline": ("Срок", lambda r: r.deadline),
    "debt": ("Долг, руб.", lambda r: r.debt),
    "penalty": ("Пени, руб.", lambda r: r.penalty),
}
FILTERS = {"officer": "Ответственный", "stage": "Стадия", "administrator": "Подразделение"}


@dataclass(frozen=True)
class Query:
    """What the user asked of the list (the URL's parameters)."""

    text: str = ""
    officer: str = ""
    stage: str = ""
    administrator: str = ""
    sort: str = "deadline"
    descending: bool = False
    page: int = 1

    @classmethod
    def of(cls, args) -> "Query":
        sort = args.get("sort", "deadline")
        try:
            page = max(1, int(args.get("page", "1")))
        except ValueError:
            page = 1
        return cls(args.get("q", "").strip(), args.get("officer", ""), args.get("stage", ""),
                   args.get("administrator", ""), sort if sort in SORTS else "deadline",
                   args.get("dir") == "desc", page)


@dataclass(frozen=True)
class Row:
    record: CaseStatus
    urgency: str  # "missed", "soon" or ""


@dataclass(frozen=True)
class Listing:
    rows: list[Row]
    total: int  # cases that match
    all_cases: int
    page: int
    pages: int
    choices: dict[str, list[tuple[str, str]]]  # filter -> (value, label)
    debt: Decimal
    penalty: Decimal


@dataclass(frozen=True)
class Agenda:
    """Today's agenda of the cases the list shows: the first rows, and per officer how many are due or missed."""

    items: list  # stages.AgendaItem, the first AGENDA_ROWS
    total: int
    by_officer: list[tuple[str, int, int]]  # (officer, missed, due today)


def agenda(records: list[CaseStatus], query: Query, today: date) -> Agenda:
    chosen = [r for r in records if _chosen(r, query)]
    items = sorted(stages.agenda(chosen, today, 0), key=lambda i: (i.officer, i.deadline))
    counts: dict[str, list[int]] = {}
    for item in items:
        counts.setdefault(item.officer, [0, 0])[0 if item.missed else 1] += 1
    return Agenda(items[:AGENDA_ROWS], len(items), [(o, m, d) for o, (m, d) in sorted(counts.items())])


def officer_of(record: CaseStatus) -> str:
    return record.officer or NO_OFFICER


def _value(record: CaseStatus, key: str) -> str:
    return officer_of(record) if key == "officer" else (getattr(record, key) or "")


def matches(record: CaseStatus, text: str) -> bool:
    """The search box: a case number, a part of the debtor's name, or an ИНН (case-insensitive)."""
    wanted = nfc(text).lower()
    return any(wanted in (value or "").lower() for value in (record.case, record.debtor, record.folder, record.inn))


def _chosen(record: CaseStatus, query: Query) -> bool:
    return all(not getattr(query, key) or _value(record, key) == getattr(query, key) for key in FILTERS) \
        and (not query.text or matches(record, query.text))


def listing(records: list[CaseStatus], query: Query, today: date, calendar: Calendar) -> Listing:
    chosen = [r for r in records if _chosen(r, query)]
    key = SORTS[query.sort][1]
    present = [r for r in chosen if key(r) is not None]
    absent = [r for r in chosen if key(r) is None]
    ordered = sorted(present, key=key, reverse=query.descending) + absent
    pages = max(1, -(-len(ordered) // PAGE_SIZE))
    page = min(query.page, pages)
    soon = calendar.add_working_days(today, SOON_WORKING_DAYS)
    shown = [Row(r, urgency(r, today, soon)) for r in ordered[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]]
    return Listing(shown, len(ordered), len(records), page, pages, _choices(records),
                   sum((r.debt or Decimal(0) for r in chosen), Decimal(0)),
                   sum((r.penalty or Decimal(0) for r in chosen), Decimal(0)))


def _choices(records: list[CaseStatus]) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, dict[str, str]] = {key: {} for key in FILTERS}
    for r in records:
        found["officer"][officer_of(r)] = officer_of(r)
        found["stage"][r.stage] = r.stage_label or r.stage
        if r.administrator:
            found["administrator"][r.administrator] = r.administrator
    return {key: sorted(values.items(), key=lambda kv: kv[1]) for key, values in found.items()}
