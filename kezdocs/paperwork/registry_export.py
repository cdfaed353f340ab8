"""The export: every case with its stage, next action, deadline and amounts (sheet «Дела»), and its charges
and payments in the registry's own layout (sheet «Реестр»), which imports back without changes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kezdocs.core import penalty as penalty_mod
from kezdocs.core import stages
from kezdocs.core.ledger import allocate
from kezdocs.core.model import Case, DebtorType, Problem
from kezdocs.core.money import ZERO
from kezdocs.core.names import shown_name
from kezdocs.core.reports import basis_text, guarded
from kezdocs.core.tables import Column, Report, clean
from kezdocs.folders.casefolder import Root
from kezdocs.folders.files import write_bytes_atomic
from kezdocs.paperwork.registry import FIELDS, REGISTRY_COLUMNS, REGISTRY_TYPES, SHEET
from kezdocs.paperwork.xlsx import workbook_bytes

EXPORT_COLUMNS = (
    Column("Номер дела", width=12), Column("Папка", width=24), Column("Администратор", width=26),
    Column("Должник", width=30), Column("ИНН", width=14), Column("КБК", width=23), Column("Основание", width=28),
    Column("Ответственный", width=22), Column("Начислено, руб.", "money", 14, "sum"),
    Column("Оплачено, руб.", "money", 14, "sum"), Column("Долг, руб.", "money", 14, "sum"),
    Column("В т. ч. просрочено, руб.", "money", 14, "sum"), Column("Пени, руб.", "money", 14, "sum"),
    Column("Стадия", width=30), Column("Следующее действие", width=50), Column("Срок", "date", 12),
    Column("Срок пропущен", width=10), Column("Проблемы", width=50),
)


@dataclass
class ExportResult:
    path: Path
    cases: int  # case folders written (a broken card is a row too)
    problems: list[Problem]  # cases that could not be read or computed, characters removed from cells


def export(root: Root, today: date, out: Path) -> tuple[Path, int]:
    """Write every case (sheet «Дела») and its charges and payments (sheet «Реестр») to `out`."""
    result = export_cases(root, today, out)
    return result.path, result.cases


def export_cases(root: Root, today: date, out: Path) -> ExportResult:
    """`export`, with the problems: a case that cannot be read or computed is a row saying so (the others are
    exported as usual), and a character a spreadsheet cannot hold is removed from its cell and reported."""
    loaded, failed = guarded(root.case_folders(), root.load, lambda folder: shown_name(folder.name),
                             "не удалось прочитать дело")
    computed, failed_rows = guarded([cf for _, cf in loaded], lambda cf: _overview_row(root, cf, today),
                                    lambda cf: cf.name, "не удалось посчитать суммы")
    failed += failed_rows
    by_name = {p.file: p for p in failed}
    overview = [(row, cf.name) for cf, row in computed]
    overview += [(_failed_row(name, problem), name) for name, problem in by_name.items()]
    overview.sort(key=lambda item: item[1])
    cases = Report("export", f"Дела о взыскании задолженности на {today:%d.%m.%Y}", EXPORT_COLUMNS,
                   tuple(row for row, _ in overview), root.settings.name, numbered=False, sheet="Дела",
                   notes=("Долг — неоплаченная часть всех начислений; пени — по условиям карточки на дату выгрузки "
                          "(как в kezdocs status).",), refs=tuple(name for _, name in overview))
    entries = [(row, cf.name) for _, cf in loaded if cf.case for row in registry_rows_of(cf.case)]
    registry = Report("registry", "", REGISTRY_COLUMNS, tuple(row for row, _ in entries), numbered=False, sheet=SHEET,
                      refs=tuple(name for _, name in entries))
    cases, registry = clean(cases), clean(registry)
    write_bytes_atomic(out, workbook_bytes([cases, registry]))
    return ExportResult(out, len(overview), [*failed, *cases.warnings, *registry.warnings])


def _failed_row(name: str, problem: Problem) -> tuple:
    """The row of a case that could not be read or computed: named, with the reason, no figures."""
    return (None, name, None, None, None, None, None, None, None, None, None, None, None,
            "ошибка", "см. «Проблемы»", None, None, problem.message)


def _overview_row(root: Root, cf, today: date) -> tuple:
    case = cf.case
    if case is None:
        return (cf.ref, cf.name, None, None, None, None, None, None, None, None, None, None, None,
                "ошибка в карточке", "исправить карточку дела", None, None, "; ".join(str(p) for p in cf.problems))
    penalty = penalty_mod.for_case(case, today, root.rates, root.calendar).total
    a = stages.assess(case, today, root.calendar, root.settings.thresholds, penalty=penalty)  # the route counts it
    ledger = allocate(case.charges, case.payments, root.calendar)
    charged = sum((c.amount for c in case.charges), ZERO)
    return (case.number, cf.name, case.administrator, case.debtor.name, case.debtor.inn, case.kbk, basis_text(case),
            case.officer.name, charged, charged - ledger.outstanding(today), a.debt, a.overdue_debt,
            penalty, a.stage_label, a.next_action, a.deadline,
            "да" if a.deadline_missed else None, "; ".join(str(p) for p in a.problems) or None)


def registry_rows_of(case: Case) -> list[tuple]:
    """A case in the registry's layout: one row per charge, then one per payment, the case's columns on each."""
    d = case.debtor
    first_kinds = {"регистрации", "по егрюл", "по егрип"}
    address_1 = next((a.text for a in d.addresses if a.kind.casefold() in first_kinds), None)
    address_2 = next((a.text for a in d.addresses if a.kind.casefold() not in first_kinds), None)
    common = {
        "number": case.number, "administrator": case.administrator, "type": REGISTRY_TYPES[d.type],
        "name": d.name if d.type is not DebtorType.PERSON else None,
        "last_name": d.last_name, "first_name": d.first_name, "middle_name": d.middle_name, "inn": d.inn,
        "ogrn": d.ogrn, "address_1": address_1, "address_2": address_2, "basis": case.basis.document,
        "basis_number": case.basis.number, "basis_date": case.basis.date, "kbk": case.kbk,
        "officer": case.officer.name, "phone": case.officer.phone,
    }
    rows = [{**common, "period": c.period, "charge_amount": c.amount, "due": c.due} for c in case.charges]
    rows += [{**common, "payment_date": p.date, "payment_amount": p.amount, "payment_document": p.document}
             for p in case.payments]
    return [tuple(row.get(f.key) for f in FIELDS) for row in rows]
