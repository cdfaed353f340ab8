"""Penalty (пеня) and ГК РФ ст. 395 interest: a period table and its total.

Pure: charges, payments, terms, the end date and the key rates come in; a
`Calculation` comes out. Every penalty figure in the product (claims,
lawsuits, reports) comes from here, so the rules live in one place:

- days run from the day after the last day to pay through the end date, both
  included; the last day to pay is the due date, moved to the next working day
  when it falls on a day off (ГК РФ ст. 193, `Calendar.payable_until`); a payment made on day P reduces the debt from day P + 1, and a
  charge paid in full stops accruing after that day;
- payments are allocated by `ledger.allocate` (oldest charge first unless the
  payer named the charge);
- each row is rounded half-up to kopecks and the total is the sum of the rows;
- moratoria: ПП РФ № 497 (01.04.2022–01.10.2022) is excluded by default for
  charges due before 01.04.2022; ПП РФ № 428 (06.04.2020–07.01.2021) only when
  the case asks for it; excluded days appear as their own row with amount 0;
- 1/300 "on-date": one rate for all days, the rate on the end date (the
  penalty is unpaid, so courts take the rate on the day of calculation);
  "per-period": the rate of each period;
- a cap (percent of the charge) shows as a negative row after the charge's rows;
- before the key rate was the law's rate (`REGIMES`): 1/300 used the refinancing
  rate until 31.12.2015; ГК 395 used the refinancing rate until 31.05.2015 and
  the average deposit rates of the creditor's federal district from 01.06.2015
  to 31.07.2016. kezdocs knows the refinancing rate of 8,25 % (from 14.09.2012)
  and not the deposit rates: days it cannot price are rows with the reason and a
  warning — never a silent wrong number.
"""
from __future__ import annotations

from calendar import isleap
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from kezdocs.core.keyrates import USER_FILE, KeyRates, RateEntry, percent_text
from kezdocs.core.ledger import Ledger, allocate
from kezdocs.core.model import Case, Charge, Payment, PenaltyMethod, PenaltyTerms
from kezdocs.core.money import ZERO, as_text, format_rub, kopecks
from kezdocs.core.workdays import DEFAULT, Calendar

RATE_MODES = ("on-date", "per-period")
MORATORIUM_MODES = ("auto", "include", "exclude-428")
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Moratorium:
    start: date
    end: date  # included
    reason: str


MORATORIUM_497 = Moratorium(date(2022, 4, 1), date(2022, 10, 1), "мораторий (ПП РФ от 28.03.2022 № 497)")
MORATORIUM_428 = Moratorium(date(2020, 4, 6), date(2021, 1, 7), "мораторий (ПП РФ от 03.04.2020 № 428)")
_MORATORIA = {
    "auto": (MORATORIUM_497,),
    "include": (),
    "exclude-428": (MORATORIUM_497, MORATORIUM_428),
}


@dataclass(frozen=True)
class Regime:
    """Which rate the law applies to `method` on days from `start`: a fixed one, the key rate, or none known."""

    method: PenaltyMethod
    start: date
    fixed: Decimal | None = None  # a fixed rate (the refinancing rate); None: the key rate, unless `refused`
    refused: str | None = None  # to the user: why kezdocs does not price these days
    note: str | None = None  # in the table a court reads: what applied to those days (legal text only)


REFINANCING_RATE = Decimal("8.25")  # Указание Банка России от 13.09.2012 № 2873-У: 8,25 % с 14.09.2012
_OLD_RATE = ("ставка рефинансирования до 14.09.2012 в kezdocs не заложена", date(2012, 9, 14),
             "не предъявляется (ставка рефинансирования до 14.09.2012)")
REGIMES = (
    # 44-ФЗ ст. 34 ч. 7 (and 1/300 in other laws): «ставка рефинансирования»; Указание Банка России от
    # 11.12.2015 № 3894-У: from 01.01.2016 it equals the key rate.
    Regime(PenaltyMethod.KEY_RATE_300, date.min, refused=_OLD_RATE[0], note=_OLD_RATE[2]),
    Regime(PenaltyMethod.KEY_RATE_300, _OLD_RATE[1], fixed=REFINANCING_RATE),
    Regime(PenaltyMethod.KEY_RATE_300, date(2016, 1, 1)),
    # ГК РФ ст. 395 п. 1: the refinancing rate until 31.05.2015; in the text of 42-ФЗ (01.06.2015–31.07.2016)
    # the average rates on deposits of individuals in the creditor's federal district; from 01.08.2016 the
    # key rate (315-ФЗ от 03.07.2016).
    Regime(PenaltyMethod.ARTICLE_395, date.min, refused=_OLD_RATE[0], note=_OLD_RATE[2]),
    Regime(PenaltyMethod.ARTICLE_395, _OLD_RATE[1], fixed=REFINANCING_RATE),
    Regime(PenaltyMethod.ARTICLE_395, date(2015, 6, 1),
           refused="с 01.06.2015 по 31.07.2016 по ст. 395 ГК РФ применялись средние ставки по вкладам физических "
                   "лиц в федеральном округе кредитора; в kezdocs они не заложены",
           note="не предъявляется (средние ставки по вкладам, ст. 395 ГК РФ в ред. с 01.06.2015 по 31.07.2016)"),
    Regime(PenaltyMethod.ARTICLE_395, date(2016, 8, 1)),
)


def regime(method: PenaltyMethod, day: date) -> Regime:
    """The rule the law applied to `method` on `day`."""
    return [r for r in REGIMES if r.method == method and r.start <= day][-1]


@dataclass(frozen=True)
class Row:
    """One line of the table. `days` is None only for the cap row."""

    charge: str  # the charge's period label
    start: date
    end: date
    days: int | None
    debt: Decimal
    rate: Decimal | None  # percent: per day for PERCENT, per year (key rate) otherwise
    year_days: int | None  # 365 or 366, for ст. 395 only
    formula: str
    amount: Decimal
    note: str = ""


TITLES = {
    PenaltyMethod.PERCENT: "Расчёт неустойки (процент в день)",
    PenaltyMethod.KEY_RATE_300: "Расчёт пени (1/300 ключевой ставки Банка России)",
    PenaltyMethod.ARTICLE_395: "Расчёт процентов по ст. 395 ГК РФ",
    PenaltyMethod.NONE: "Неустойка не начисляется",
}


@dataclass(frozen=True)
class Calculation:
    rows: tuple[Row, ...]
    total: Decimal
    warnings: tuple[str, ...]  # in Russian; documents print them
    principal: Decimal  # overdue debt left unpaid at the end date
    method: PenaltyMethod = PenaltyMethod.NONE

    @property
    def title(self) -> str:
        """The heading documents and the screen give the table."""
        return TITLES[self.method]


def calculate(
    charges: tuple[Charge, ...] | list[Charge],
    payments: tuple[Payment, ...] | list[Payment],
    terms: PenaltyTerms,
    end: date,
    rates: KeyRates,
    calendar: Calendar = DEFAULT,
) -> Calculation:
    """The penalty on every charge from the day after its last day to pay through `end`.

    `calendar` is the production calendar: a due date on a day off moves to the next working day
    (ГК РФ ст. 193), so the delay starts the day after that.

    ValueError on an unknown `rate_mode` or `moratorium` (the card and the CLI
    pass only known ones); everything else the user should know is a warning.
    """
    if terms.rate_mode not in RATE_MODES or terms.moratorium not in MORATORIUM_MODES:
        raise ValueError(f"unknown rate_mode {terms.rate_mode!r} or moratorium {terms.moratorium!r}")
    ledger = allocate(tuple(charges), tuple(payments), calendar)
    principal = ledger.overdue(end)
    if terms.method == PenaltyMethod.NONE:
        return Calculation((), ZERO, (), principal, terms.method)
    if terms.method == PenaltyMethod.PERCENT and not terms.percent:
        missing = "Не указан размер неустойки (процент в день): пеня не начислена."
        return Calculation((), ZERO, (missing,), principal, terms.method)
    rows: list[Row] = []
    looked_up: list[tuple[date, RateEntry | Regime | None]] = []
    for index in ledger.order():
        rows += _charge_rows(index, ledger, terms, end, rates, looked_up)
    total = sum((r.amount for r in rows), ZERO)
    return Calculation(tuple(rows), total, tuple(_rate_warnings(looked_up, rates, end)), principal, terms.method)


def for_case(case: Case, end: date, rates: KeyRates, calendar: Calendar = DEFAULT) -> Calculation:
    """The penalty of a case as its card defines it (`calendar`: the root's production calendar, ГК РФ ст. 193)."""
    return calculate(case.charges, case.payments, case.penalty, end, rates, calendar)


def to_json(calc: Calculation) -> dict:
    """Machine form: amounts as strings with two places, dates ISO."""
    return {
        "method": calc.method.value,
        "total": as_text(calc.total),
        "principal": as_text(calc.principal),
        "rows": [
            {
                "charge": r.charge,
                "from": r.start.isoformat(),
                "to": r.end.isoformat(),
                "days": r.days,
                "debt": as_text(r.debt),
                "rate": None if r.rate is None else str(r.rate),
                "year_days": r.year_days,
                "formula": r.formula,
                "amount": as_text(r.amount),
                "note": r.note,
            }
            for r in calc.rows
        ],
        "warnings": list(calc.warnings),
    }


# Column headers of the printed table, in the order of `display_rows`.
COLUMNS = ("Начисление", "С", "По", "Дней", "Долг, руб.", "Ставка", "Дней в году", "Формула", "Сумма, руб.", "Примечание")


def display_rows(calc: Calculation) -> list[tuple[str, ...]]:
    """The table as people read it: dates «10.01.2024», amounts «15 000,00», rates «16%»."""
    return [
        (
            r.charge, f"{r.start:%d.%m.%Y}", f"{r.end:%d.%m.%Y}", "" if r.days is None else str(r.days),
            format_rub(r.debt), _rate_text(r.rate, calc.method),
            "" if r.year_days is None else str(r.year_days), r.formula, format_rub(r.amount), r.note,
        )
        for r in calc.rows
    ]


def _rate_text(rate: Decimal | None, method: PenaltyMethod) -> str:
    if rate is None:
        return ""
    return f"{percent_text(rate)} в день" if method == PenaltyMethod.PERCENT else percent_text(rate)


def display_table(calc: Calculation) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """`display_rows` without the columns that say nothing here (empty, or one charge only)."""
    rows = display_rows(calc)
    keep = [i for i in range(len(COLUMNS)) if any(row[i] for row in rows) and (i != 0 or len({row[0] for row in rows}) > 1)]
    return tuple(COLUMNS[i] for i in keep), [tuple(row[i] for i in keep) for row in rows]


def _charge_rows(index: int, ledger: Ledger, terms: PenaltyTerms, end: date, rates: KeyRates, looked_up: list) -> list[Row]:
    """Rows of one charge: split wherever the debt, the rate, the year or a moratorium changes."""
    charge = ledger.charges[index]
    start = ledger.overdue_from(index)  # ГК РФ ст. 193: a due date on a day off moves to the next working day
    paid_off = ledger.paid_in_full_on(index)
    last = min(end, paid_off) if paid_off else end
    if start > last:
        return []
    moratoria = [m for m in _MORATORIA[terms.moratorium] if charge.due < m.start]
    fixed_rate_day = end if terms.method == PenaltyMethod.KEY_RATE_300 and terms.rate_mode == "on-date" else None
    cuts = {start, last + ONE_DAY}
    cuts |= {a.date + ONE_DAY for a in ledger.allocations if a.charge_index == index}
    cuts |= {d for m in moratoria for d in (m.start, m.end + ONE_DAY)}
    if terms.method != PenaltyMethod.PERCENT and fixed_rate_day is None:
        cuts |= {p.start for p in rates.periods(start, last)}
        cuts |= {r.start for r in REGIMES if r.method == terms.method}
    if terms.method == PenaltyMethod.ARTICLE_395:
        cuts |= {date(y, 1, 1) for y in range(start.year + 1, last.year + 1)}
    bounds = sorted(c for c in cuts if start <= c <= last + ONE_DAY)
    rows = []
    for lo, next_lo in zip(bounds, bounds[1:]):
        debt = charge.amount - ledger.paid_on(index, lo - ONE_DAY)
        stop = next((m for m in moratoria if m.start <= lo <= m.end), None)
        if stop is not None:
            rows.append(_idle(charge, lo, next_lo - ONE_DAY, debt, stop.reason))
        else:
            rows.append(_row(charge, lo, next_lo - ONE_DAY, debt, terms, rates, fixed_rate_day or lo, looked_up))
    return _cap(charge, _merge_idle(rows), terms.cap_percent)


def _row(charge: Charge, lo: date, hi: date, debt: Decimal, terms: PenaltyTerms, rates: KeyRates, rate_day: date,
         looked_up: list) -> Row:
    days = (hi - lo).days + 1
    base = f"{format_rub(debt)} × {days}"
    if terms.method == PenaltyMethod.PERCENT:
        amount = kopecks(debt * days * terms.percent / 100)
        return Row(charge.period, lo, hi, days, debt, terms.percent, None, f"{base} × {percent_text(terms.percent)}", amount)
    rule = regime(terms.method, rate_day)
    if rule.refused:
        looked_up.append((rate_day, rule))
        return _idle(charge, lo, hi, debt, rule.note)
    if rule.fixed is not None:
        rate = rule.fixed
    else:
        try:
            entry = rates.entry_on(rate_day)
        except LookupError:
            looked_up.append((rate_day, None))
            return _idle(charge, lo, hi, debt, _unknown_rate(rates))
        looked_up.append((max(hi, rate_day), entry))
        rate = entry.rate
    if terms.method == PenaltyMethod.KEY_RATE_300:
        amount = kopecks(debt * days * rate / 100 / 300)
        return Row(charge.period, lo, hi, days, debt, rate, None, f"{base} × 1/300 × {percent_text(rate)}", amount)
    year_days = 366 if isleap(lo.year) else 365
    amount = kopecks(debt * days * rate / 100 / year_days)
    return Row(charge.period, lo, hi, days, debt, rate, year_days, f"{base} × {percent_text(rate)} / {year_days}", amount)


def _idle(charge: Charge, lo: date, hi: date, debt: Decimal, reason: str) -> Row:
    """Days on which nothing accrues, shown with the reason."""
    return Row(charge.period, lo, hi, (hi - lo).days + 1, debt, None, None, "не начисляется", ZERO, reason)


def _merge_idle(rows: list[Row]) -> list[Row]:
    """Join adjacent idle rows with the same reason and debt (rate or year changes do not matter there)."""
    merged: list[Row] = []
    for row in rows:
        prev = merged[-1] if merged else None
        if prev and row.note and prev.note == row.note and prev.debt == row.debt and prev.end + ONE_DAY == row.start:
            merged[-1] = replace(prev, end=row.end, days=prev.days + row.days)
        else:
            merged.append(row)
    return merged


def _cap(charge: Charge, rows: list[Row], cap_percent: Decimal | None) -> list[Row]:
    """A contract's «не более N % от суммы долга»: cut the charge's penalty by a negative row."""
    if cap_percent is None or not rows:
        return rows
    accrued = sum((r.amount for r in rows), ZERO)
    limit = kopecks(charge.amount * cap_percent / 100)
    if accrued <= limit:
        return rows
    formula = f"не более {percent_text(cap_percent)} от {format_rub(charge.amount)} = {format_rub(limit)}"
    cut = Row(charge.period, rows[0].start, rows[-1].end, None, charge.amount, None, None, formula, limit - accrued,
              "ограничение размера неустойки")
    return rows + [cut]


def _rate_warnings(looked_up: list[tuple[date, RateEntry | None]], rates: KeyRates, end: date) -> list[str]:
    """Say when a rate was unknown, assumed past the last known change, or not confirmed.

    `looked_up` holds, for each rate used, the last day that relies on it.
    """
    warnings = []
    refused = sorted({entry.refused for _, entry in looked_up if isinstance(entry, Regime)})
    warnings += [f"{reason[0].upper()}{reason[1:]}: за эти дни сумма не начислена — рассчитайте их отдельно."
                 for reason in refused]
    looked_up = [(day, entry) for day, entry in looked_up if not isinstance(entry, Regime)]
    if any(entry is None for _, entry in looked_up):
        unknown = _unknown_rate(rates)
        warnings.append(f"{unknown[0].upper()}{unknown[1:]}: за эти дни проценты не начислены.")
    if rates.last_known and any(day > rates.last_known for day, entry in looked_up if entry):
        warnings.append(
            f"Расчёт выполнен по {end:%d.%m.%Y}, а последние сведения о ключевой ставке — на "
            f"{rates.last_known:%d.%m.%Y} ({percent_text(rates.rate_on(rates.last_known))}): если ставка с тех пор "
            f"менялась, добавьте её в файл {USER_FILE} в папке с делами и пересчитайте; если не менялась — "
            f"добавьте строку с той же ставкой и датой проверки."
        )
    doubtful = sorted({entry for _, entry in looked_up if entry and entry.confidence != "H"}, key=lambda e: e.effective_from)
    if doubtful:
        listed = "; ".join(f"{percent_text(e.rate)} с {e.effective_from:%d.%m.%Y}" for e in doubtful)
        warnings.append(f"Ключевая ставка не подтверждена ({listed}): сверьте её с данными Банка России.")
    return warnings


def _unknown_rate(rates: KeyRates) -> str:
    if rates.first_known is None:
        return "ключевая ставка неизвестна"
    return f"ключевая ставка до {rates.first_known:%d.%m.%Y} неизвестна"
