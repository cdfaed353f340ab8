"""The Russian production calendar and the counting of legal terms.

Working days come from the `holidays` package (`holidays.RU`: public holidays,
transferred days off and working Saturdays, exact for 2023–2027 as published
by the government); a user can add a year the package does not cover in
`календарь.yaml` (see `calendar_from_data`). Two counting rules are used by
the procedure (`stages`):

- "N calendar days from X" ends on X + N; a term ending on a day off moves to
  the next working day (ГК РФ ст. 191, 193) — `Calendar.calendar_deadline`;
- "N working days from X" ends on the N-th working day after X —
  `Calendar.add_working_days`;
- a sum the debtor owes on a day off may be paid on the next working day
  (ГК РФ ст. 193 on the debtor's own terms) — `Calendar.payable_until`.

Pure: no files, no clock. The shell reads the YAML and passes plain data.
"""
from __future__ import annotations

import calendar as _stdcal
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from kezdocs.core.dates import parse_date
from kezdocs.core.model import Problem

_ONE_DAY = timedelta(days=1)
# Longest run of days off in the Russian calendar is about 12 days (New Year);
# a search for the next working day that goes further means broken data.
_MAX_DAYS_OFF_RUN = 60

OVERRIDES_FILE = "календарь.yaml"
KEY_DAYS_OFF = "нерабочие_дни"
KEY_WORKDAYS = "рабочие_дни"


@lru_cache(maxsize=64)
def _year(year: int) -> tuple[dict[date, str], frozenset[date]]:
    """The package's holidays (date -> Russian name) and working weekend days of one year."""
    ru = holidays.RU(years=year, language="ru")
    return dict(ru.items()), frozenset(d for d in ru.weekend_workdays if d.year == year)


@dataclass(frozen=True)
class Calendar:
    """The production calendar: the package's data plus the user's additions.

    Immutable and hashable, so the day lookups can be cached per calendar.
    A user's addition wins over the package for that date.
    """

    extra_days_off: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()

    def is_working(self, day: date) -> bool:
        return _is_working(self, day)

    def why(self, day: date) -> str:
        """Why a day is (not) working, in Russian: «перенос выходного», «праздник: День Победы»…"""
        if day in self.extra_workdays:
            return f"по {OVERRIDES_FILE}"
        if day in self.extra_days_off:
            return f"по {OVERRIDES_FILE}"
        named, workdays = _year(day.year)
        if day in workdays:
            return "рабочая суббота" if day.weekday() == 5 else "рабочее воскресенье"
        if day in named:
            name = named[day]
            if name.startswith("Выходной (перенесено") or name.endswith("(выходной)"):
                return "перенос выходного"
            return f"праздник: {name}"
        if day.weekday() >= 5:
            return "суббота" if day.weekday() == 5 else "воскресенье"
        return "будний день"

    def describe(self, day: date) -> str:
        """«2024-05-10 — нерабочий день (перенос выходного)»: the answer of `calendar is-working`."""
        kind = "рабочий день" if self.is_working(day) else "нерабочий день"
        return f"{day.isoformat()} — {kind} ({self.why(day)})"

    def next_working(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it (ГК РФ ст. 193)."""
        probe = day
        for _ in range(_MAX_DAYS_OFF_RUN):
            if self.is_working(probe):
                return probe
            probe += _ONE_DAY
        raise ValueError(f"после {day.isoformat()} нет рабочих дней в течение {_MAX_DAYS_OFF_RUN} дней")

    def payable_until(self, due: date) -> date:
        """The last day the debtor may pay a sum due on `due`: `due`, or the next working day when `due` is
        a day off (ГК РФ ст. 193 applies to the debtor's own terms too: a charge or instalment due on a
        Saturday, Sunday or holiday is paid in time on the next working day; the delay — and the penalty —
        starts the day after). Every "overdue" decision in kezdocs (ledger, stages, penalty) asks this."""
        return self.next_working(due)

    def overdue_from(self, due: date) -> date:
        """The first day of delay of a sum due on `due`: the day after `payable_until` (ГК РФ ст. 193)."""
        return self.payable_until(due) + _ONE_DAY

    def add_working_days(self, start: date, n: int) -> date:
        """The N-th working day after `start` (`start` itself is not counted); `start` for N = 0."""
        if n < 0:
            raise ValueError("число рабочих дней не может быть отрицательным")
        day = start
        for _ in range(n):
            day = self.next_working(day + _ONE_DAY)
        return day

    def calendar_deadline(self, start: date, n: int) -> date:
        """End of "N calendar days from `start`": start + N, moved off a day off (ГК РФ ст. 191, 193)."""
        return self.next_working(start + timedelta(days=n))

    def months_deadline(self, start: date, months: int) -> date:
        """End of "N months from `start`": the same date N months later (or that month's last day),
        moved off a day off (ГК РФ ст. 192, 193)."""
        total = start.month - 1 + months
        year, month = start.year + total // 12, total % 12 + 1
        day = min(start.day, _stdcal.monthrange(year, month)[1])
        return self.next_working(date(year, month, day))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count, day = 0, start + _ONE_DAY
        while day <= end:
            count += self.is_working(day)
            day += _ONE_DAY
        return count


@lru_cache(maxsize=65536)
def _is_working(cal: Calendar, day: date) -> bool:
    if day in cal.extra_workdays:
        return True
    if day in cal.extra_days_off:
        return False
    named, workdays = _year(day.year)
    if day in workdays:
        return True
    return day not in named and day.weekday() < 5


DEFAULT = Calendar()


def _items(value: object) -> list[tuple[str, int | None]]:
    """(text, line) of each date: a YAML list, or one string with dates separated by commas/spaces.

    Values may be plain strings or `plaintext.Text` (which carry their line)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        found = []
        for item in value:
            found.extend(_items(item))
        return found
    text, line = str(getattr(value, "value", value)), getattr(value, "line", None)
    return [(part, line) for part in re.split(r"[,;\s]+", text.strip().strip("[]")) if part]


def calendar_from_data(data: dict | None, file: str = OVERRIDES_FILE) -> tuple[Calendar, list[Problem]]:
    """Build the calendar from the parsed `календарь.yaml` (values as plain strings).

    Format::

        нерабочие_дни: [2028-01-02, 09.03.2028]
        рабочие_дни: [2028-11-04]   # рабочие субботы

    Bad entries are reported and skipped; the rest still applies.
    """
    problems: list[Problem] = []
    found: dict[str, set[date]] = {KEY_DAYS_OFF: set(), KEY_WORKDAYS: set()}
    if data is None:
        return DEFAULT, problems
    if not isinstance(data, dict):
        return DEFAULT, [Problem(file, getattr(data, "line", None),
                                 f"ожидались поля «{KEY_DAYS_OFF}» и «{KEY_WORKDAYS}» со списками дат")]
    for raw_key, value in data.items():
        key = str(raw_key).strip().lower().replace(" ", "_").replace("ё", "е")
        key_line = data.line_of(raw_key) if hasattr(data, "line_of") else None
        if key not in found:
            problems.append(Problem(file, key_line, f"неизвестное поле «{raw_key}»: допустимы «{KEY_DAYS_OFF}» и «{KEY_WORKDAYS}»", str(raw_key)))
            continue
        for item, line in _items(value):
            day = parse_date(item)
            if day is None:
                problems.append(Problem(file, line or key_line, f"«{item}» в «{raw_key}» — не дата (нужно ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)", str(raw_key)))
            else:
                found[key].add(day)
    both = found[KEY_DAYS_OFF] & found[KEY_WORKDAYS]
    for day in sorted(both):
        problems.append(Problem(file, None, f"{day:%d.%m.%Y} указан и как нерабочий, и как рабочий день; дата не учтена"))
    return (
        Calendar(frozenset(found[KEY_DAYS_OFF] - both), frozenset(found[KEY_WORKDAYS] - both)),
        problems,
    )
