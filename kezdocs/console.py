"""What the command line prints: tables, lists and messages, on stdout or stderr.

The commands in `cli` call the library once and hand its result here; nothing
here decides anything about a case. Names, messages and problems that come
from the clerks' folders are escaped, so rich markup in a file name is
printed, not obeyed.
"""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from kezdocs.core import penalty
from kezdocs.core.filekinds import card_hint, kind_text
from kezdocs.core.money import format_rub
from kezdocs.core.status import CaseStatus, StatusProblem, ocr_waiting
from kezdocs.core.tables import to_json
from kezdocs.core.workdays import Calendar

if TYPE_CHECKING:  # the results printed here; importing them would load openpyxl and docxtpl at start-up
    from kezdocs.cases import Agenda, Generated
    from kezdocs.paperwork.registry_import import ImportResult

stdout = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
stderr = Console(stderr=True, highlight=False, soft_wrap=not sys.stderr.isatty())  # a log gets whole lines


def print_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def print_problems(problems) -> None:
    for p in problems:
        stderr.print(f"[yellow]{p}[/yellow]")


def print_warnings(warnings, escaped: bool = True) -> None:
    for warning in warnings:
        stderr.print(f"[yellow]{escape(str(warning)) if escaped else warning}[/yellow]")


def print_failures(failures) -> None:
    for failure in failures:
        stderr.print(failure, style="red", markup=False, highlight=False)


def rub(amount: Decimal | None) -> str:
    return format_rub(amount) if amount is not None else "—"


# --- status, agenda, dashboard -------------------------------------------------------------------

def print_status(records: list[CaseStatus], as_json: bool) -> None:
    if as_json:
        print_json([r.public_json() for r in records])
    else:
        print_status_table(records)


def print_status_table(records: list[CaseStatus]) -> None:
    table = Table(title="Дела о взыскании задолженности", show_lines=False)
    for column in ("Дело", "Должник", "Стадия", "Следующее действие", "Срок", "Долг, руб.", "Проблемы"):
        table.add_column(column, overflow="fold")
    for r in records:
        deadline = f"{r.deadline:%d.%m.%Y}" if r.deadline else ""
        deadline = f"[red]{deadline}[/red]" if deadline and r.deadline_missed else deadline
        count = len(r.problems)
        table.add_row(r.case, r.debtor or "—", r.stage_label, r.next_action or "—", deadline,
                      rub(r.debt), f"[red]{count} — см. ниже[/red]" if count else "")
    stdout.print(table)
    for r in records:
        if r.problems or r.suggestions or r.pending_ocr:
            stdout.print(f"[bold]{escape(r.case)}[/bold] ({escape(r.folder)}):")
            if r.pending_ocr:
                stdout.print(f"  [yellow]•[/yellow] {ocr_waiting(r)}")
            for p in r.problems:
                stdout.print(f"  [red]•[/red] {_short_problem(p, r.folder)}")
            for s in r.suggestions:  # offered, never recorded by kezdocs itself
                stdout.print(f"  [cyan]•[/cyan] {escape(s.line)}")


def _short_problem(p: StatusProblem, folder: str = "") -> str:
    """A problem under its case: the file within the case folder (names are already shown safely by
    `casefolder.shown_name`), the line, the message; rich markup in a name is printed, not obeyed."""
    file = p.file or ""
    file = "" if file == folder else file.removeprefix(f"{folder}/") if folder else file
    where = ", ".join(part for part in (file, f"стр. {p.line}" if p.line else "") if part)
    return escape(f"{where}: {p.message}" if where else p.message)


def print_agenda(agenda: Agenda, as_json: bool) -> None:
    if as_json:
        print_json(agenda.as_json())
    else:
        _agenda_tables(agenda)
    print_warnings(agenda.warnings, escaped=False)


def _agenda_tables(agenda: Agenda) -> None:
    if not agenda.items:
        stdout.print(f"На {agenda.days} дн. с {agenda.today:%d.%m.%Y} сроков нет.")
    for officer, items in agenda.by_officer():
        table = Table(title=officer, title_justify="left")
        for column in ("Срок", "Дело", "Действие", "Пункт"):
            table.add_column(column, overflow="fold")
        for i in items:
            when = f"[red]{i.deadline:%d.%m.%Y} просрочено[/red]" if i.missed else f"{i.deadline:%d.%m.%Y}"
            table.add_row(when, i.case, i.action, i.clause)
        stdout.print(table)


def print_dashboard(written) -> None:
    stdout.print(f"сводка: {written.summary} (дел — {len(written.records)}); "
                 f"обновлено файлов СТАТУС.txt — {written.statuses}")
    print_warnings(written.warnings, escaped=False)
    print_failures(written.failed)


# --- the calendar and the penalty ------------------------------------------------------------

def print_workday(start: date, n: int, result: date, as_json: bool) -> None:
    if as_json:
        print_json({"from": start.isoformat(), "n": n, "date": result.isoformat()})
    else:
        stdout.print(f"{n}-й рабочий день после {start:%d.%m.%Y} — {result:%d.%m.%Y}")


def print_working_day(calendar: Calendar, day: date, as_json: bool) -> None:
    if as_json:
        print_json({"date": day.isoformat(), "working": calendar.is_working(day), "reason": calendar.why(day)})
    else:
        stdout.print(calendar.describe(day))


def print_penalty(calc, problems, end: date, as_json: bool) -> None:
    """The calculation as a table with its total (or JSON), the root's and the calculation's warnings."""
    if as_json:
        data = penalty.to_json(calc)
        print_json({**data, "warnings": [str(p) for p in problems] + data["warnings"]})
        return
    print_problems(problems)
    table = Table(title=f"{calc.title} по {end:%d.%m.%Y}", show_lines=False)
    columns, rows = penalty.display_table(calc)
    for column in columns:
        table.add_column(column, overflow="fold", justify="right" if column.startswith(("Дней", "Долг", "Сумма")) else "left")
    for row in rows:
        table.add_row(*row)
    stdout.print(table)
    stdout.print(f"Итого: {format_rub(calc.total)} руб.; основной долг на {end:%d.%m.%Y}: {format_rub(calc.principal)} руб.")
    print_warnings(calc.warnings, escaped=False)


# --- check and package ---------------------------------------------------------------------------

def print_checklist(result, as_json: bool) -> None:
    """What the step needs, present or not (or JSON); then the case's problems."""
    if as_json:
        print_json(result.as_json())
    else:
        _checklist_table(result)
        _unrecognised(result.documents)
    print_problems(result.problems)


def _unrecognised(documents) -> None:
    """The clerk's files nothing told the kind of, each «<файл> — не распознан: укажите вид», and how to; a scan
    OCR has not read yet is not unrecognised: «<файл> — распознаётся»."""
    unknown = [d.relpath for d in documents if not d.recognised and not d.awaiting_ocr]
    for d in documents:
        if d.awaiting_ocr or d.relpath in unknown:
            label = d.label if d.recognised else None
            stdout.print(f"{d.relpath} — {kind_text(label, d.awaiting_ocr)}", markup=False, soft_wrap=True)
    if unknown:
        stdout.print(f"Как указать вид: {card_hint(unknown[0])}", markup=False, soft_wrap=True)


def _checklist_table(result) -> None:
    checklist = result.checklist
    if checklist is None:
        stdout.print(f"Дело {result.case}: на стадии «{result.assessment.stage_label}» документы не готовятся "
                     "(шаг можно указать: --step lawsuit)")
        return
    verdict = "[green]всё на месте[/green]" if checklist.ready else f"[red]не хватает: {len(checklist.missing)}[/red]"
    table = Table(title=f"Дело {result.case}: {checklist.label} — {verdict}", show_lines=False)
    for column in ("", "Что нужно", "Основание", "Файлы"):
        table.add_column(column, overflow="fold")
    for item in checklist.items:
        mark = "[green]✓[/green]" if item.present else "[red]✗[/red]"
        files = "\n".join(item.files) or ("—" if item.present else "[red]нет[/red]")
        table.add_row(mark, item.item, item.clause, files)
    stdout.print(table)


def print_refusal(message: str) -> None:
    """A refusal whose text names the clerks' files (escaped, unlike `cli.handle_errors`' own messages)."""
    stderr.print(f"[red]Ошибка:[/red] {escape(message)}")


def print_package(result) -> None:
    stdout.print(f"пакет сформирован: {result.folder}")
    for path in [*result.files, *filter(None, [result.lawsuit_text, result.merged])]:
        stdout.print(f"  {escape(path.name)}")
    _yellow_list("не вошли в пакет (в описи и в приложениях их нет):", result.left_out)
    _yellow_list("суд в электронном виде не примет (Приказы Судебного департамента № 251, № 252):", result.efiling)
    _yellow_list("не хватает документов (пакет сформирован с --force; в описи их нет):", result.missing)
    print_warnings(result.warnings)


def _yellow_list(title: str, lines) -> None:
    if lines:
        stderr.print(f"[yellow]{title}[/yellow]")
        for line in lines:
            stderr.print(f"[yellow]  • {escape(line)}[/yellow]")


# --- reports, the registry, the export -----------------------------------------------------------

def print_report(path: Path, result, as_json: bool) -> None:
    if as_json:
        print_json({**to_json(result), "file": str(path)})
    else:
        stdout.print(f"отчёт сохранён: {escape(str(path))} (строк: {len(result.rows)})")
    for problem in result.skipped:
        stderr.print(f"[yellow]{escape(problem.message)}[/yellow]")
    _red(problem for problem in (*result.failed, *result.warnings))


def _red(problems) -> None:
    for problem in problems:
        stderr.print(f"[red]{escape(str(problem))}[/red]")


def print_import(result: ImportResult, as_json: bool) -> None:
    if as_json:
        print_json(result.as_json())
        return
    will = "будет " if result.dry_run else ""
    stdout.print(f"строк в реестре: {result.rows}; {will}загружено: {result.imported}"
                 + (" (проверка: ничего не записано)" if result.dry_run else ""))
    for title, folders in (("новые дела", result.created), ("дополнены", result.updated)):
        if folders:
            stdout.print(f"{title}: {escape(', '.join(folders))}")
    for problem in result.notices:
        stderr.print(f"[yellow]{escape(_row_problem(problem))}[/yellow]")
    if result.duplicates:
        lines = ", ".join(str(p.line) for p in result.duplicates)
        stdout.print(f"уже есть в делах, пропущено строк: {len(result.duplicates)} (строки {lines})")
    if result.problems:
        stderr.print("[red]не загружены:[/red]")
        for problem in result.problems:
            stderr.print(f"[red]  {escape(_row_problem(problem))}[/red]")
    if result.resumed and not result.dry_run:
        stdout.print("прерванный импорт этого реестра продолжен")
    print_warnings(result.unfinished)


def _row_problem(problem) -> str:
    column = f", столбец «{problem.field}»" if problem.field else ""
    return f"строка {problem.line}{column}: {problem.message}"


def print_export(result) -> None:
    stdout.print(f"выгружено дел: {result.cases} — {escape(str(result.path))}")
    _red(result.problems)


# --- documents and templates ---------------------------------------------------------------------

@contextmanager
def progress_bar(total: int):
    """A transient bar on stderr for `cases.generate --all`; yields the callback a finished case calls."""
    with Progress(console=stderr, transient=True) as progress:
        task = progress.add_task("Формирование документов", total=total)
        yield lambda ref: progress.advance(task)


def print_generated(result: Generated, as_json: bool) -> None:
    if result.batch and not result.written and not result.skipped:
        stderr.print("документ сейчас не нужен ни одному делу")
    if as_json:
        print_json({"written": [{"case": ref, "files": [str(p) for p in files]} for ref, files in result.written],
                    "pdf": [str(p) for p in result.pdfs],
                    "skipped": [{"case": ref, "reason": why} for ref, why in result.skipped],
                    "missing": [{"case": m.case, "step": m.step, "items": m.items} for m in result.missing]})
        return
    for path in [*result.files, *result.pdfs]:
        stdout.print(f"сформировано: {path}", markup=False, soft_wrap=True)  # a path is copied whole, never wrapped
    for ref, why in result.skipped:
        stderr.print(f"пропущено {ref}: {why}", style="yellow", markup=False)
    for m in result.missing:  # the checklist of the court step: the user's to know, never in the document
        stderr.print(f"дело {m.case}: для подачи не хватает: {'; '.join(m.items)}; проверьте {m.command}",
                     style="yellow", markup=False)


def print_templates(sources) -> None:
    table = Table(title="Шаблоны документов")
    for column in ("Шаблон", "Откуда", "Документы", "Файл"):
        table.add_column(column, overflow="fold")
    for source in sources:
        table.add_row(source.name, source.origin, ", ".join(source.kinds) or "[yellow]не используется[/yellow]",
                      str(source.path))
    stdout.print(table)


def print_template_checks(reports) -> None:
    for r in reports:
        mark = "[green]✓[/green]" if r.ok else "[red]✗[/red]"
        stdout.print(f"{mark} {r.source.name} ({r.source.origin})")
        if r.unknown:
            stdout.print(f"    [red]неизвестные переменные:[/red] {', '.join(r.unknown)}")
        if r.unused:
            stdout.print(f"    [yellow]не использованы данные:[/yellow] {', '.join(r.unused)}")
        if r.error:
            stdout.print(f"    [red]{r.error}[/red]")


def print_variables(rows: list[tuple[str, str, str]], as_json: bool) -> None:
    if as_json:
        print_json([{"variable": v, "description": d, "example": e} for v, d, e in rows])
        return
    table = Table(title="Переменные шаблонов ({{ переменная }}; «[]» — список для {% for %})")
    for column in ("Переменная", "Что это", "Пример"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    stdout.print(table)
