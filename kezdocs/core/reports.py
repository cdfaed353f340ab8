"""The reports of the regulation, built from the cases: pure tables, no files.

- «Сведения о состоянии просроченной задолженности» (Приложение 2): per debtor
  and КБК, the overdue debt at the start of the year and on the report date,
  and its dynamics. The form numbers its columns 1–8 but defines the dynamics
  as «гр.5−гр.4» and «гр.5/гр.4»; the amounts are columns 5 and 6, so the
  report computes 6−5 and 6/5 and says so in a note (DOMAIN.md).
- «Сводный отчёт о мерах…» (Приложение 3, yearly as of 25 December, п. 3.5):
  the overdue debt, what was repaid after the first measure, the measures.
- The quarterly inventory of settlements with debtors (п. 3.2), with the debts
  that look doubtful or hopeless (БК РФ ст. 47.2) marked for the write-off
  decision (п. 3.4).

Every amount comes from `ledger` (and the penalty from `penalty`), the same
functions `kezdocs status` uses, so the figures agree. Cases with a broken
card are left out and listed in `Report.skipped`, and so is a case whose number
the card of a folder before it already gives (`status.duplicates`: no case is
counted twice); a case whose figures cannot
be computed (or whose card cannot be read) is left out and listed in
`Report.failed`, and the others still make the report. A `Report` is a
layout-free table (`tables`); `xlsx` and `report_files` render it, after
`tables.clean` has taken out the characters a spreadsheet or a document cannot hold.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable, Iterable, Protocol, TypeVar

from kezdocs.core import penalty as penalty_mod
from kezdocs.core.keyrates import KeyRates
from kezdocs.core.ledger import Ledger, allocate
from kezdocs.core.model import EVENTS, JUDGMENT_RESULTS, Case, Problem
from kezdocs.core.money import ZERO
from kezdocs.core.status import duplicate_message, duplicates
from kezdocs.core.tables import Column, Report, ratio

REGULATION = "Регламенту, утверждённому постановлением Администрации Кезского района от 18.05.2023 № 779"
ONE_DAY = timedelta(days=1)
ENFORCEMENT_KINDS = ("sent_to_bank", "sent_to_bailiffs", "enforcement_opened", "enforcement_ended")
HOPELESS = "безнадёжная"
DOUBTFUL = "сомнительная"


class Loaded(Protocol):
    """A case folder as `casefolder.Root.load` gives it."""

    name: str
    case: Case | None
    problems: list[Problem]


T = TypeVar("T")


def guarded(items: Iterable[T], compute: Callable[[T], object], name: Callable[[T], str],
            failure: str = "не включено в отчёт — не удалось посчитать суммы") \
        -> tuple[list[tuple[T, object]], list[Problem]]:
    """`compute` for each item; an item it fails on becomes a problem naming it, and the others go on.

    Why broad: a card that passes validation may still hold a value no one
    foresaw (a date at the end of the calendar, an absurd amount); one such case
    must not take the report of every other case down with it.
    """
    done, failed = [], []
    for item in items:
        try:
            done.append((item, compute(item)))
        except Exception as exc:  # noqa: BLE001 - isolation of one case, reported by name
            failed.append(Problem(name(item), None, f"{failure} ({type(exc).__name__}: {exc}); проверьте карточку"))
    return done, failed


def _group_name(group: list[Case]) -> str:
    numbers = ", ".join(c.number for c in group)
    return f"дело № {numbers}" if len(group) == 1 else f"дела № {numbers}"


# --- which cases go in -----------------------------------------------------------------------

def same_administrator(card_value: str, wanted: str) -> bool:
    """A card or the user may name an administrator by the start of its full name."""
    a, b = card_value.casefold().strip(), wanted.casefold().strip()
    return a.startswith(b) or b.startswith(a)


def select(folders: Iterable[Loaded], administrator: str | None) -> tuple[list[Case], tuple[Problem, ...]]:
    """The valid cases of the administrator (all when None), and a problem per case left out: a broken card,
    or a number the card of a folder before it already gives (the first by folder order is counted)."""
    folders = list(folders)
    repeated = duplicates((f.case.number, f.name) for f in folders if f.case is not None)
    cases, skipped = [], []
    for folder in folders:
        if folder.case is None:
            first = f": {folder.problems[0]}" if folder.problems else ""
            skipped.append(Problem(folder.name, None, f"дело в папке «{folder.name}» не включено в отчёт — "
                                                      f"в карточке ошибки{first}"))
        elif folder.name in repeated.get(folder.case.number, ())[1:]:
            names = repeated[folder.case.number]
            skipped.append(Problem(folder.name, None, f"дело в папке «{folder.name}» не включено в отчёт — "
                                                      f"{duplicate_message(folder.case.number, names)}; "
                                                      f"в отчёте — дело из папки «{names[0]}»"))
        elif administrator is None or same_administrator(folder.case.administrator, administrator):
            cases.append(folder.case)
    return cases, tuple(skipped)


def _groups(cases: list[Case]) -> list[list[Case]]:
    """Cases of one debtor (by ИНН, else by name) and one КБК, in КБК and debtor order."""
    groups: dict[tuple[str, str], list[Case]] = {}
    for case in cases:
        groups.setdefault((case.kbk, case.debtor.inn or case.debtor.name.casefold()), []).append(case)
    return sorted(groups.values(), key=lambda g: (g[0].kbk, g[0].debtor.name.casefold()))


# --- ledger figures ----------------------------------------------------------------------------

def overdue_charges(ledger: Ledger, due_before: date, paid_through: date) -> list[int]:
    """Charges due before `due_before` and still unpaid at the end of `paid_through`, oldest first."""
    return [i for i in ledger.order()  # ГК РФ ст. 193: a due date on a day off moves to the next working day
            if ledger.payable_until(i) < due_before and ledger.balance(i, paid_through) > 0]


def overdue_at_start_of(ledger: Ledger, day: date) -> Decimal:
    """The overdue debt as the day begins: charges due before it, payments made before it."""
    return sum((ledger.balance(i, day - ONE_DAY) for i in overdue_charges(ledger, day, day - ONE_DAY)), ZERO)


def repaid_between(ledger: Ledger, after: date, through: date) -> Decimal:
    """What payments made after `after` and through `through` paid off the charges (overpayment excluded)."""
    return sum((a.amount for a in ledger.allocations if after < a.date <= through), ZERO)


# --- Приложение 2: the overdue debt --------------------------------------------------------------

OVERDUE_COLUMNS = (
    Column("Код главного администратора доходов бюджета", width=15),
    Column("Код в соответствии с бюджетной классификацией", width=24),
    Column("Наименование дебитора (кредитора)", width=36),
    Column("Дата возникновения задолженности", "date", 14),
    Column("Сумма задолженности на начало года, рублей", "money", 16, "sum"),
    Column("Сумма задолженности на конец отчетного периода нарастающим итогом с начала года, рублей",
           "money", 18, "sum"),
    Column("Динамика задолженности в абсолютной сумме (гр. 6 − гр. 5)", "money", 16, "sum"),
    Column("Динамика задолженности в коэффициентах (гр. 6 / гр. 5)", "ratio", 15, ("ratio", 5, 4)),
)
OVERDUE_NOTES = (
    "Графы 7 и 8 считаются как гр. 6 − гр. 5 и гр. 6 / гр. 5: в форме Приложения 2 они названы «гр.5-гр.4» "
    "и «гр.5/гр.4», но суммы задолженности стоят в графах 5 и 6.",
    "Просроченная задолженность — неоплаченная часть начислений, срок уплаты которых истёк; на начало года — "
    "на 1 января отчётного года. Коэффициент не указывается, если на начало года задолженности не было.",
)


def overdue_report(folders: Iterable[Loaded], day: date, organisation: str, administrator: str | None = None) -> Report:
    """Приложение 2 on `day`: one row per debtor and КБК with overdue debt at the start of the year or on `day`."""
    cases, skipped = select(folders, administrator)
    year_start = date(day.year, 1, 1)

    def figures(group: list[Case]) -> tuple | None:
        start = end = ZERO
        since: list[date] = []
        for case in group:
            ledger = allocate(case.charges, case.payments)
            start += overdue_at_start_of(ledger, year_start)
            end += ledger.overdue(day)
            oldest = overdue_charges(ledger, day, day) or overdue_charges(ledger, year_start, year_start - ONE_DAY)
            since += [ledger.overdue_from(oldest[0])] if oldest else []
        if not (start or end):
            return None
        first = group[0]
        return (first.kbk[:3], first.kbk, first.debtor.name, min(since), start, end, end - start, ratio(end, start))

    done, failed = guarded(_groups(cases), figures, _group_name)
    rows = [(row, _group_name(group)) for group, row in done if row is not None]
    return Report(
        "overdue", f"Сведения (отчет) о состоянии просроченной задолженности на {day:%d.%m.%Y}", OVERDUE_COLUMNS,
        tuple(r for r, _ in rows), organisation, "(наименование администратора дохода)",
        f"Приложение № 2 к {REGULATION}", notes=OVERDUE_NOTES, skipped=skipped, sheet="Приложение 2",
        refs=tuple(ref for _, ref in rows), failed=tuple(failed),
    )


# --- Приложение 3: the measures --------------------------------------------------------------------

MEASURES_COLUMNS = (
    Column("Код главного администратора доходов бюджета", width=14),
    Column("Код доходов в соответствии с бюджетной классификацией", width=24),
    Column("Сумма задолженности, рублей", "money", 16, "sum"),
    Column("Сумма погашения в результате принятых мер, рублей", "money", 16, "sum"),
    Column("Принятые меры", width=70),
)
MEASURES_NOTES = (
    "Сумма задолженности — просроченная задолженность на дату отчёта. Сумма погашения — платежи, поступившие "
    "после первой принятой меры (как правило, направления претензии) по дату отчёта.",
    "В отчёт включены долги, просроченные на дату отчёта, и дела, по которым в отчётном году принимались меры "
    "или поступали платежи после принятых мер. Ежегодный отчёт составляется по состоянию на 25 декабря (п. 3.5).",
)
NO_MEASURES = "меры не принимались"


def measure_text(case: Case, day: date) -> str:
    """«Дело № 2024-017: претензия направлена 15.03.2026; иск подан 10.05.2026» (events through `day`).

    Each measure once: a claim sent the same day to two addresses (п. 4.5) is one measure of the report."""
    done = [e for e in case.events if e.date <= day]
    if not done:
        return f"Дело № {case.number} ({case.debtor.name}): {NO_MEASURES}"
    parts = []
    for e in done:
        result = JUDGMENT_RESULTS.get(e.fields.get("result", ""))
        parts.append(f"{EVENTS[e.kind]}{f' ({result})' if result else ''} {e.date:%d.%m.%Y}")
    return f"Дело № {case.number} ({case.debtor.name}): {'; '.join(dict.fromkeys(parts))}"


def _measures_of(case: Case, day: date) -> tuple[Decimal, Decimal] | None:
    """Overdue debt on `day` and what was repaid after the first measure; None when the case is not
    reported: nothing overdue, and neither a measure nor such a repayment in the year of `day`
    (a case closed years ago drops out of the yearly report)."""
    ledger = allocate(case.charges, case.payments)
    debt = ledger.overdue(day)
    done = [e for e in case.events if e.date <= day]
    if not done:
        return (debt, ZERO) if debt > 0 else None
    year_start = date(day.year, 1, 1)
    this_year = done[-1].date >= year_start or repaid_between(ledger, max(done[0].date, year_start - ONE_DAY), day) > 0
    return (debt, repaid_between(ledger, done[0].date, day)) if debt > 0 or this_year else None


def measures_report(folders: Iterable[Loaded], day: date, organisation: str, administrator: str | None = None) -> Report:
    """Приложение 3 on `day`: per debtor and КБК, the overdue debt, the sum repaid, the measures."""
    cases, skipped = select(folders, administrator)
    done, failed = guarded(cases, lambda case: (_measures_of(case, day), measure_text(case, day)),
                           lambda case: f"дело № {case.number}")
    figures = {id(case): f for case, f in done if f[0] is not None}
    rows = []
    for group in _groups([c for c in cases if id(c) in figures]):
        rows.append(((group[0].kbk[:3], group[0].kbk, sum((figures[id(c)][0][0] for c in group), ZERO),
                      sum((figures[id(c)][0][1] for c in group), ZERO), "\n".join(figures[id(c)][1] for c in group)),
                     _group_name(group)))
    return Report(
        "measures", "Сводный отчет о мерах, принятых для урегулирования просроченной дебиторской задолженности, "
                    f"сложившейся по состоянию на {day:%d.%m.%Y}",
        MEASURES_COLUMNS, tuple(r for r, _ in rows), organisation, "(наименование администратора дохода)",
        f"Приложение № 3 к {REGULATION}", notes=MEASURES_NOTES, skipped=skipped, sheet="Приложение 3",
        refs=tuple(ref for _, ref in rows), failed=tuple(failed),
    )


# --- п. 3.2: the quarterly inventory -----------------------------------------------------------------

# Widths are millimetres of the landscape page of the DOCX (277 in all) and characters of the XLSX: each column
# holds its longest word or number at 8 pt on one line — a 20-digit КБК, a 12-digit ИНН, «1 240 000,00»,
# a date, «предприниматель», «сомнительная» (tests/test_report_layout.py measures them).
INVENTORY_COLUMNS = (
    Column("Номер дела", width=13),
    Column("Должник", width=24),
    Column("ИНН", width=20),
    Column("Код бюджетной классификации", width=31),
    Column("Основание", width=21),
    Column("Начислено, рублей", "money", 18, "sum"),
    Column("Оплачено, рублей", "money", 18, "sum"),
    Column("Остаток долга, рублей", "money", 18, "sum"),
    Column("Из него просрочено, рублей", "money", 18, "sum"),
    Column("Пени (проценты) на конец квартала, рублей", "money", 18, "sum"),
    Column("Дата просрочки", "date", 17),
    Column("Оценка", width=19),
    Column("Основания оценки", width=25),
    Column("Сверка с ГИС ГМП (п. 3.2)", width=17),
)
INVENTORY_NOTES = (
    "Начислено — все начисления по карточке дела; оплачено — платежи по конец квартала, зачтённые в начисления "
    "(сначала в самое раннее, если плательщик не указал иное); пени — по условиям карточки на конец квартала.",
    "Сомнительная — нет платежей более года или исполнительное производство окончено без полного взыскания. "
    "Безнадёжная — основания п. 1 ст. 47.2 Бюджетного кодекса РФ: должник ликвидирован (исключён из ЕГРЮЛ); "
    "исполнительное производство окончено без взыскания и с образования задолженности прошло более пяти лет; "
    "задолженность уже признана безнадёжной. Решение о признании задолженности безнадёжной и её списании "
    "принимается по п. 3.4 регламента.",
    "Сверка с ГИС ГМП — дата сверки с информацией о непогашенных начислениях в ГИС ГМП (п. 3.2 регламента), "
    "если она отмечена в деле.",
)
# п. 3.2 of the regulation: the inventory includes a reconciliation with the unpaid charges in ГИС ГМП. The column
# shows the date of the last reconciliation recorded on the card as the event «сверка с ГИС ГМП»; without one the
# column stays empty — a date is never guessed.
RECONCILED = "gis_gmp_reconciled"
_QUARTER = re.compile(r"\s*(\d{4})\s*-?\s*[QqКк]\s*([1-4])\s*")


def parse_quarter(text: str) -> tuple[date, date]:
    """«2026-Q3» -> (01.07.2026, 30.09.2026); ValueError with a Russian message otherwise."""
    found = _QUARTER.fullmatch(text)
    if not found:
        raise ValueError(f"квартал «{text}» не понят: пишите, например, 2026-Q3")
    year, quarter = int(found[1]), int(found[2])
    if year < 1:
        raise ValueError(f"квартал «{text}»: год должен быть не меньше 1")
    start = date(year, 3 * quarter - 2, 1)
    end = date(year, 12, 31) if quarter == 4 else date(year, 3 * quarter + 1, 1) - ONE_DAY
    return start, end


def assess_collectability(case: Case, ledger: Ledger, end: date) -> tuple[str, str]:
    """(«безнадёжная» | «сомнительная» | "", the grounds) for the unpaid debt of a case on `end`."""
    if ledger.outstanding(end) <= 0:
        return "", ""
    written_off = [e for e in case.events if e.kind == "written_off" and e.date <= end]
    if written_off:
        return HOPELESS, f"признана безнадёжной к взысканию {written_off[-1].date:%d.%m.%Y}"
    if case.debtor.liquidated:
        return HOPELESS, "должник ликвидирован (ст. 47.2 БК РФ; приложите выписку из ЕГРЮЛ)"
    overdue = overdue_charges(ledger, end, end)
    if not overdue:
        return "", ""
    since = ledger.overdue_from(overdue[0])
    enforcement = [e for e in case.events if e.kind in ENFORCEMENT_KINDS and e.date <= end]
    if enforcement and enforcement[-1].kind == "enforcement_ended":
        ended = f"исполнительное производство окончено {enforcement[-1].date:%d.%m.%Y} без полного взыскания"
        if _years_between(since, end) >= 5:  # БК РФ ст. 47.2 п. 1 подп. 5; the ground itself is recorded on the
            # write-off event (`writeoff`), never read from a text here
            return HOPELESS, f"{ended}, с образования задолженности ({since:%d.%m.%Y}) прошло более пяти лет " \
                             "(подп. 5 п. 1 ст. 47.2 БК РФ)"
        return DOUBTFUL, ended
    paid = [p.date for p in case.payments if p.date <= end]
    last = max(paid, default=None)
    if (last or since) <= _year_before(end):
        what = f"последний платёж {last:%d.%m.%Y}" if last else f"платежей не было с {since:%d.%m.%Y}"
        return DOUBTFUL, f"нет платежей более года ({what})"
    return "", ""


def _year_before(day: date) -> date:
    return day.replace(year=day.year - 1) if (day.month, day.day) != (2, 29) else date(day.year - 1, 2, 28)


def _years_between(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def inventory_report(folders: Iterable[Loaded], quarter: str, rates: KeyRates, organisation: str,
                     administrator: str | None = None) -> Report:
    """The inventory of settlements at the end of `quarter` («2026-Q3»): one row per case."""
    start, end = parse_quarter(quarter)
    cases, skipped = select(folders, administrator)

    def row(case: Case) -> tuple:
        ledger = allocate(case.charges, case.payments)
        charged, balance = sum((c.amount for c in case.charges), ZERO), ledger.outstanding(end)
        overdue = overdue_charges(ledger, end, end)
        grade, grounds = assess_collectability(case, ledger, end)
        return (case.number, case.debtor.name, case.debtor.inn or "", case.kbk, basis_text(case), charged,
                charged - balance, balance, ledger.overdue(end), penalty_mod.for_case(case, end, rates).total,
                ledger.overdue_from(overdue[0]) if overdue else None, grade, grounds, reconciliation(case, end))

    done, failed = guarded(sorted(cases, key=lambda c: (c.kbk, c.debtor.name.casefold(), c.number)), row,
                           lambda case: f"дело № {case.number}")
    rows = [r for _, r in done]
    quarter_no = (start.month + 2) // 3
    return Report(
        "inventory", f"Инвентаризация расчетов с должниками за {quarter_no} квартал {start.year} года "
                     f"(по состоянию на {end:%d.%m.%Y})",
        INVENTORY_COLUMNS, tuple(rows), organisation, "(наименование администратора дохода)",
        "Пункт 3.2 Регламента: инвентаризация расчетов с должниками не реже одного раза в квартал",
        notes=INVENTORY_NOTES, skipped=skipped, sheet="Инвентаризация",
        refs=tuple(f"дело № {case.number}" for case, _ in done), failed=tuple(failed),
    )


def reconciliation(case: Case, end: date) -> str:
    """«сверено 30.09.2026»: the last reconciliation with ГИС ГМП recorded on the card by `end`, else ""."""
    done = [e.date for e in case.events if e.kind == RECONCILED and e.date <= end]
    return f"сверено {max(done):%d.%m.%Y}" if done else ""


def basis_text(case: Case) -> str:
    """«Договор аренды № 12 от 01.02.2023»."""
    b = case.basis
    return " ".join(x for x in (b.document, f"№ {b.number}" if b.number else "",
                                f"от {b.date:%d.%m.%Y}" if b.date else "") if x)


__all__ = ["overdue_report", "measures_report", "inventory_report", "parse_quarter", "assess_collectability",
           "select", "same_administrator", "guarded", "basis_text",
           "OVERDUE_COLUMNS", "MEASURES_COLUMNS", "INVENTORY_COLUMNS"]
