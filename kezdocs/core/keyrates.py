"""The Bank of Russia key rate by effective date.

The product ships the rates it knows (`data/key_rate.csv`); a user adds newer
ones in `ключевая_ставка.csv` in the root without waiting for a release. The
module is pure (`KeyRates`, `parse_rates`, `merge`); `casefolder.load_rates`
reads the files.
"""
from __future__ import annotations

import csv
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from kezdocs.core.dates import parse_date
from kezdocs.core.model import Problem

USER_FILE = "ключевая_ставка.csv"
PACKAGE_FILE = "key_rate.csv"
CONFIDENT = "H"

# Cyrillic letters that look like the Latin confidence codes (typed in a Russian layout).
_LOOKALIKES = str.maketrans({"Н": "H", "н": "H", "М": "M", "м": "M"})
_CONFIDENCE = {"H", "M", "L"}


@dataclass(frozen=True)
class RateEntry:
    """The rate in force from `effective_from` until the next entry."""

    effective_from: date
    rate: Decimal  # percent per year: 16.00 means 16 %
    confidence: str = CONFIDENT  # H (checked), M, L — as in the reference file
    source: str = PACKAGE_FILE


@dataclass(frozen=True)
class RatePeriod:
    start: date
    end: date
    entry: RateEntry

    @property
    def rate(self) -> Decimal:
        return self.entry.rate


class KeyRates:
    """An immutable, date-sorted table of key rates."""

    def __init__(self, entries: tuple[RateEntry, ...] | list[RateEntry]):
        by_date = {e.effective_from: e for e in entries}  # a later entry for a date wins
        self._entries = tuple(by_date[d] for d in sorted(by_date))
        self._dates = [e.effective_from for e in self._entries]

    @property
    def entries(self) -> tuple[RateEntry, ...]:
        return self._entries

    @property
    def first_known(self) -> date | None:
        return self._dates[0] if self._dates else None

    @property
    def last_known(self) -> date | None:
        """The newest date on which the rate is known (a change or a confirmation); later changes are unknown."""
        return self._dates[-1] if self._dates else None

    def entry_on(self, day: date) -> RateEntry:
        """The entry in force on `day`; LookupError (Russian message) before the first known rate."""
        i = bisect_right(self._dates, day)
        if i == 0:
            raise LookupError(f"ключевая ставка на {day:%d.%m.%Y} неизвестна")
        return self._entries[i - 1]

    def rate_on(self, day: date) -> Decimal:
        return self.entry_on(day).rate

    def periods(self, start: date, end: date) -> list[RatePeriod]:
        """Split [start, end] (both included) by rate changes; days before the first known rate are left out.

        An entry that repeats the previous rate (a user confirming that the
        rate still holds on a date) is not a change and splits nothing.
        """
        result: list[RatePeriod] = []
        for i, entry in enumerate(self._entries):
            following = self._dates[i + 1] - timedelta(days=1) if i + 1 < len(self._dates) else end
            lo, hi = max(start, entry.effective_from), min(end, following)
            if lo > hi:
                continue
            if result and result[-1].rate == entry.rate:
                result[-1] = RatePeriod(result[-1].start, hi, result[-1].entry)
            else:
                result.append(RatePeriod(lo, hi, entry))
        return result

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KeyRates) and self._entries == other._entries

    def __hash__(self) -> int:
        return hash(self._entries)

    def __repr__(self) -> str:
        return f"KeyRates({len(self._entries)} entries, last_known={self.last_known})"


def merge(base: KeyRates, extra: tuple[RateEntry, ...] | list[RateEntry]) -> KeyRates:
    """Add `extra` to `base`; an extra entry replaces a base entry of the same date."""
    return KeyRates(base.entries + tuple(extra))


def conflicts(base: KeyRates, extra: tuple[RateEntry, ...] | list[RateEntry]) -> list[Problem]:
    """Extra entries that restate a known date with another rate: most likely a typo, so say so."""
    known = {e.effective_from: e for e in base.entries}
    found = []
    for e in extra:
        old = known.get(e.effective_from)
        if old is not None and old.rate != e.rate:
            found.append(Problem(
                e.source, None,
                f"ставка с {e.effective_from:%d.%m.%Y}: в справочнике {percent_text(old.rate)}, "
                f"в файле {percent_text(e.rate)} — применена ставка из файла",
            ))
    return found


def parse_rates(text: str, source: str) -> tuple[tuple[RateEntry, ...], list[Problem]]:
    """Read a rates CSV: `,` `;` or tab separated, ISO or dd.mm.yyyy dates, decimal point or comma.

    The header is optional (Russian or English names: «дата», «ставка»,
    «достоверность»); without one the columns are date, rate, confidence.
    Bad lines are reported and skipped, never fatal.
    """
    lines = text.lstrip("\ufeff").splitlines()
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        return (), []
    delimiter = _delimiter(numbered[0][1])
    rows = [(n, [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))]) for n, line in numbered]
    columns, problems = (0, 1, 2), []
    if parse_date(rows[0][1][0]) is None:
        header_line, header = rows.pop(0)
        columns = _columns(header)
        if columns is None:
            return (), [Problem(source, header_line, "не понятен заголовок: нужны столбцы «дата» и «ставка»")]
    entries: dict[date, tuple[int, RateEntry]] = {}
    for n, cells in rows:
        entry, problem = _entry(cells, columns, source, n)
        if problem is not None:
            problems.append(problem)
        elif entry.effective_from in entries:
            first_line = entries[entry.effective_from][0]
            problems.append(Problem(source, n, f"дата {entry.effective_from:%d.%m.%Y} уже указана в строке {first_line}"))
        else:
            entries[entry.effective_from] = (n, entry)
    return tuple(e for _, e in sorted(entries.values(), key=lambda v: v[1].effective_from)), problems


def percent_text(rate: Decimal) -> str:
    """«16%», «7,75%», «0,1%»: how rates appear in formulas and messages."""
    return f"{format(rate.normalize(), 'f').replace('.', ',')}%"


def _delimiter(line: str) -> str:
    for candidate in (";", "\t"):
        if candidate in line:
            return candidate
    return ","


def _columns(header: list[str]) -> tuple[int, int, int | None] | None:
    """Positions of the date, rate and (optional) confidence columns, by name."""
    names = [h.lower() for h in header]

    def find(*keys: str) -> int | None:
        return next((i for i, h in enumerate(names) if any(k in h for k in keys)), None)

    when = find("дата", "date", "effective", "действ")
    if when is None:
        when = next((i for i, h in enumerate(names) if h in ("с", "c")), None)
    rate = next((i for i, h in enumerate(names) if i != when and any(k in h for k in ("ставк", "rate", "%", "размер"))), None)
    if when is None or rate is None:
        return None
    return when, rate, find("достовер", "confidence", "надёжн", "надежн")


def _entry(cells: list[str], columns: tuple[int, int, int | None], source: str,
           line: int) -> tuple[RateEntry | None, Problem | None]:
    when_col, rate_col, conf_col = columns

    def cell(i: int | None) -> str:
        return cells[i] if i is not None and i < len(cells) else ""

    when = parse_date(cell(when_col))
    if when is None:
        return None, Problem(source, line, f"«{cell(when_col)}» — не дата (нужно ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)")
    rate = _parse_rate(cell(rate_col))
    if rate is None:
        return None, Problem(source, line, f"«{cell(rate_col)}» — не ставка "
                                           "(нужно число процентов больше 0 и меньше 100, например 16 или 16,50)")
    confidence = cell(conf_col).translate(_LOOKALIKES).upper() or CONFIDENT
    if confidence not in _CONFIDENCE:
        return None, Problem(source, line, f"«{cell(conf_col)}» — не отметка достоверности (H, M или L); если дробная "
                                           "часть ставки отделена запятой, разделяйте столбцы точкой с запятой")
    return RateEntry(when, rate, confidence, source), None




_RATE = re.compile(r"\d+(\.\d+)?")


def _parse_rate(text: str) -> Decimal | None:
    cleaned = re.sub(r"[\s\u00a0%]", "", text).replace(",", ".")
    if not _RATE.fullmatch(cleaned):
        return None
    value = Decimal(cleaned)
    return value if 0 < value < 100 else None
