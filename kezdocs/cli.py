"""The `kezdocs` command line: thin, one library call per command.

Every command turns `KezdocsError` (and any other failure) into one clean
Russian message; `--debug` shows the traceback instead.
"""
from __future__ import annotations

import functools
import json
import os
import sys
import traceback
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from . import cases, casefolder
from .errors import KezdocsError

console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, highlight=False)


def parse_today(value: str | None) -> date:
    """--today as YYYY-MM-DD or DD.MM.YYYY, else the system date (the only clock the product reads)."""
    if not value:
        return date.today()
    from .card import parse_date

    parsed = parse_date(value)
    if parsed is None:
        raise KezdocsError(f"--today: «{value}» — не дата (пишите 2024-03-10)")
    return parsed


def handle_errors(func):
    """Run a command; print a Russian message (or, with --debug, the traceback) on failure."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return func(*args, **kwargs)
        except KezdocsError as exc:
            if debug:
                traceback.print_exc()
            err_console.print(f"[red]Ошибка:[/red] {exc}")
            sys.exit(2)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the user never sees a traceback
            if debug:
                traceback.print_exc()
            else:
                err_console.print(f"[red]Внутренняя ошибка kezdocs:[/red] {type(exc).__name__}: {exc}\n"
                                  "Повторите команду с --debug и передайте вывод разработчикам.")
            sys.exit(3)

    return wrapper


root_option = click.option("--root", "root", type=click.Path(path_type=Path), default=None,
                           help="Папка с делами (иначе $KEZDOCS_ROOT, иначе ./casefiles).")
today_option = click.option("--today", "today", default=None, help="Дата, на которую считать (ГГГГ-ММ-ДД).")
json_option = click.option("--json", "as_json", is_flag=True, help="Вывести JSON.")


def print_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def print_problems(problems) -> None:
    for p in problems:
        err_console.print(f"[yellow]{p}[/yellow]")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Показывать трассировку ошибок.")
@click.version_option(package_name="kezdocs")
def main(debug: bool) -> None:
    """kezdocs — дела о взыскании задолженности по Регламенту № 779 от 18.05.2023."""


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@handle_errors
def init(directory: Path) -> None:
    """Создать папку с делами: настройки с комментариями и один пример дела.

    Пример: kezdocs init casefiles
    """
    created = cases.init_root(directory)
    for path in created:
        console.print(f"создано: {path}")


@main.command()
@root_option
@click.option("--number", "number", help="Номер дела, например 2024-017.")
@click.option("--type", "debtor_type", type=click.Choice(["юрлицо", "ип", "физлицо"]), help="Тип должника.")
@click.option("--debtor", "debtor", help="Наименование или ФИО должника.")
@click.option("--inn", default="", help="ИНН должника.")
@click.option("--address", "addresses", multiple=True, help="Адрес в виде «вид=адрес» (можно несколько).")
@click.option("--administrator", default=None, help="Подразделение-исполнитель.")
@click.option("--officer", default=None, help="ФИО ответственного.")
@click.option("--phone", default="", help="Телефон ответственного.")
@click.option("--basis", default="Договор аренды", help="Документ-основание.")
@click.option("--basis-number", default="", help="Номер документа-основания.")
@click.option("--basis-date", default="", help="Дата документа-основания.")
@click.option("--kbk", default="", help="КБК (20 цифр).")
@click.option("--charge", "charges", multiple=True, help="Начисление «период;сумма;срок», например «I квартал 2024;15000;10.03.2024».")
@handle_errors
def new(root, **fields) -> None:
    """Создать папку нового дела с карточкой (недостающее спрашивается).

    Пример: kezdocs new --number 2024-018 --type юрлицо --debtor "ООО «Берёзка»" --inn 1831000010
    """
    path = cases.new_case(casefolder.open_root(root), ask=click.prompt, **fields)
    console.print(f"создано дело: {path}")


@main.command()
@root_option
@click.argument("case")
@click.argument("event")
@click.option("--date", "when", required=True, help="Дата события или платежа.")
@click.option("--field", "fields", multiple=True, help="Доп. поле «ключ=значение» (шпи=…, результат=…, суд=…).")
@click.option("--amount", default=None, help="Сумма (для платежа).")
@click.option("--document", default=None, help="Документ (для платежа).")
@handle_errors
def record(root, case, event, when, fields, amount, document) -> None:
    """Записать в карточку событие или платёж, сохранив комментарии.

    Примеры: kezdocs record 2024-017 "претензия направлена" --date 15.04.2024 --field шпи=42755012345678
             kezdocs record 2024-017 платеж --date 02.04.2024 --amount 5000 --document "п/п № 123"
    """
    extra = dict(_pair(f) for f in fields)
    path = cases.record_entry(casefolder.open_root(root), case, event, when, extra, amount, document)
    console.print(f"записано в {path}")


def _pair(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise KezdocsError(f"--field: ожидается «ключ=значение», а не «{text}»")
    key, value = text.split("=", 1)
    return key.strip(), value.strip()


@main.command()
@root_option
@today_option
@json_option
@click.argument("case", required=False)
@handle_errors
def status(root, today, as_json, case) -> None:
    """Стадия, следующее действие и срок по каждому делу.

    Пример: kezdocs status --today 2024-05-20;  kezdocs status 2024-017 --json
    """
    result = cases.status(casefolder.open_root(root), parse_today(today), case)
    if as_json:
        print_json([cases.public_record(r) for r in result.records])
    else:
        print_status_table(result.records)
    for warning in result.warnings:
        err_console.print(f"[yellow]{warning}[/yellow]")
    if any(r["problems"] for r in result.records):
        sys.exit(1)


def print_status_table(records: list[dict]) -> None:
    table = Table(title="Дела о взыскании задолженности", show_lines=False)
    for column in ("Дело", "Должник", "Стадия", "Следующее действие", "Срок", "Долг, руб.", "Проблемы"):
        table.add_column(column, overflow="fold")
    for r in records:
        deadline = r["deadline"] or ""
        if deadline:
            deadline = f"{deadline[8:10]}.{deadline[5:7]}.{deadline[:4]}"
            deadline = f"[red]{deadline}[/red]" if r["deadline_missed"] else deadline
        count = len(r["problems"])
        table.add_row(r["case"], r["debtor"] or "—", r["stage_label"], r["next_action"] or "—", deadline,
                      cases.rub(r["debt"]), f"[red]{count} — см. ниже[/red]" if count else "")
    console.print(table)
    for r in records:
        if r["problems"]:
            console.print(f"[bold]{r['case']}[/bold] ({r['folder']}):")
            for p in r["problems"]:
                console.print(f"  [red]•[/red] {_short_problem(p)}")


def _short_problem(p: dict) -> str:
    return f"стр. {p['line']}: {p['message']}" if p.get("line") else p["message"]


@main.command()
@root_option
@today_option
@click.option("--days", default=14, show_default=True, type=click.IntRange(min=0), help="На сколько дней вперёд.")
@json_option
@handle_errors
def agenda(root, today, days, as_json) -> None:
    """Что нужно сделать в ближайшие N дней (и что уже просрочено), по ответственным.

    Пример: kezdocs agenda --today 2024-05-20 --days 7
    """
    from . import stages

    day = parse_today(today)
    result = cases.status(casefolder.open_root(root), day, None)
    items = stages.agenda(result.records, day, days)
    if as_json:
        print_json([stages.agenda_json(i) for i in items])
    else:
        print_agenda(stages.group_by_officer(items), day, days)
    for warning in result.warnings:
        err_console.print(f"[yellow]{warning}[/yellow]")


def print_agenda(groups, day: date, days: int) -> None:
    if not groups:
        console.print(f"На {days} дн. с {day:%d.%m.%Y} сроков нет.")
    for officer, items in groups:
        table = Table(title=officer, title_justify="left")
        for column in ("Срок", "Дело", "Действие", "Пункт"):
            table.add_column(column, overflow="fold")
        for i in items:
            when = f"[red]{i.deadline:%d.%m.%Y} просрочено[/red]" if i.missed else f"{i.deadline:%d.%m.%Y}"
            table.add_row(when, i.case, i.action, i.clause)
        console.print(table)


@main.group()
def calendar() -> None:
    """Производственный календарь: рабочие дни и сроки (с учётом календарь.yaml в папке с делами)."""


def _root_calendar(root):
    """The root's calendar (with its календарь.yaml); the package's when no root is given or found."""
    from .workdays import DEFAULT

    if root is None and not Path(os.environ.get("KEZDOCS_ROOT") or casefolder.DEFAULT_ROOT).is_dir():
        return DEFAULT
    opened = casefolder.open_root(root)
    print_problems([p for p in opened.root_problems if p.file == casefolder.CALENDAR_FILE])
    return opened.calendar


def _day_argument(text: str, name: str) -> date:
    from .card import parse_date

    parsed = parse_date(text)
    if parsed is None:
        raise KezdocsError(f"{name}: «{text}» — не дата (пишите 2024-05-10 или 10.05.2024)")
    return parsed


@calendar.command("workdays")
@root_option
@click.argument("start", metavar="FROM")
@click.argument("n", type=click.IntRange(min=0))
@json_option
@handle_errors
def calendar_workdays(root, start, n, as_json) -> None:
    """N-й рабочий день после даты FROM (сама дата не считается).

    Пример: kezdocs calendar workdays 2024-05-27 10
    """
    day = _day_argument(start, "FROM")
    result = _root_calendar(root).add_working_days(day, n)
    if as_json:
        print_json({"from": day.isoformat(), "n": n, "date": result.isoformat()})
    else:
        console.print(f"{n}-й рабочий день после {day:%d.%m.%Y} — {result:%d.%m.%Y}")


@calendar.command("is-working")
@root_option
@click.argument("day", metavar="DATE")
@json_option
@handle_errors
def calendar_is_working(root, day, as_json) -> None:
    """Рабочий ли день DATE и почему.

    Пример: kezdocs calendar is-working 2024-05-10
    """
    parsed = _day_argument(day, "DATE")
    cal = _root_calendar(root)
    if as_json:
        print_json({"date": parsed.isoformat(), "working": cal.is_working(parsed), "reason": cal.why(parsed)})
    else:
        console.print(cal.describe(parsed))


@main.command("penalty")
@root_option
@today_option
@json_option
@click.argument("case", required=False)
@click.option("--amount", help="Сумма долга (расчёт без дела).")
@click.option("--due", help="Срок уплаты (расчёт без дела).")
@click.option("--to", "end", help="По какую дату считать, включительно (иначе --today).")
@click.option("--method", type=click.Choice(["percent", "1/300", "395", "none"]),
              help="percent — процент в день; 1/300 — 1/300 ключевой ставки; 395 — ст. 395 ГК РФ.")
@click.option("--payment", "payments", multiple=True, help="Платёж «дата:сумма», например 2024-06-01:20000 (можно несколько).")
@click.option("--percent", help="Процент в день для --method percent, например 0.1.")
@click.option("--rate-mode", type=click.Choice(["on-date", "per-period"]), default=None,
              help="Для 1/300: ставка на дату расчёта (по умолчанию) или по периодам.")
@click.option("--moratorium", type=click.Choice(["auto", "include", "exclude-428"]), default=None,
              help="auto — без дней моратория ПП № 497 (по умолчанию); include — не исключать; exclude-428 — исключить и ПП № 428.")
@click.option("--cap", help="Предел неустойки в % от долга (100 — не больше долга).")
@handle_errors
def penalty_command(root, today, as_json, case, end, **options) -> None:
    """Пеня или проценты по ст. 395 ГК РФ: по делу (из карточки) или по введённым данным.

    Примеры: kezdocs penalty --amount 100000 --due 2024-01-10 --to 2024-12-31 --method 395 --payment 2024-06-01:20000
             kezdocs penalty 2024-017 --today 2024-05-20
    """
    from . import penalty
    from .money import format_rub

    end_day = _day_argument(end, "--to") if end else parse_today(today)
    calc, problems = _case_penalty(root, case, end_day, options) if case else _manual_penalty(root, end_day, options)
    if as_json:
        data = penalty.to_json(calc)
        print_json({**data, "warnings": [str(p) for p in problems] + data["warnings"]})
        return
    print_problems(problems)
    table = Table(title=f"{calc.title} по {end_day:%d.%m.%Y}", show_lines=False)
    columns, rows = penalty.display_table(calc)
    for column in columns:
        table.add_column(column, overflow="fold", justify="right" if column.startswith(("Дней", "Долг", "Сумма")) else "left")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    console.print(f"Итого: {format_rub(calc.total)} руб.; основной долг на {end_day:%d.%m.%Y}: {format_rub(calc.principal)} руб.")
    for warning in calc.warnings:
        err_console.print(f"[yellow]{warning}[/yellow]")


def _case_penalty(root, ref: str, end_day: date, options: dict):
    """A case's penalty as its card defines it, with the root's key rates."""
    from .penalty import for_case

    given = [f"--{k.replace('_', '-')}" for k, v in options.items() if v]
    if given:
        raise KezdocsError(f"для дела условия неустойки берутся из карточки; уберите {', '.join(given)}")
    opened = casefolder.open_root(root)
    folder = opened.find(ref)
    if folder.case is None:
        raise KezdocsError(f"в карточке дела «{ref}» есть ошибки:\n" + "\n".join(f"  {p}" for p in folder.problems))
    return for_case(folder.case, end_day, opened.rates), [p for p in opened.root_problems if p.file == casefolder.RATES_FILE]


def _manual_penalty(root, end_day: date, options: dict):
    """A one-off calculation; the root (when given or found) only adds its ключевая_ставка.csv."""
    from .keyrates import load
    from .penalty import calculate, parse_options

    if not (options["amount"] and options["due"] and options["method"]):
        raise KezdocsError("укажите номер дела или --amount, --due и --method")
    try:
        charges, payments, terms = parse_options(**{**options, "rate_mode": options["rate_mode"] or "on-date",
                                                    "moratorium": options["moratorium"] or "auto"})
    except ValueError as exc:
        raise KezdocsError(str(exc)) from None
    if root is None and not Path(os.environ.get("KEZDOCS_ROOT") or casefolder.DEFAULT_ROOT).is_dir():
        rates, problems = load(None)
    else:
        rates, problems = load(casefolder.open_root(root).path)
    return calculate(charges, payments, terms, end_day, rates), problems


@main.command()
@root_option
@today_option
@handle_errors
def reindex(root, today) -> None:
    """Перестроить индекс заново из папок дел (индекс — производные данные).

    Пример: kezdocs reindex --root casefiles
    """
    result = cases.reindex(casefolder.open_root(root), parse_today(today))
    console.print(f"индекс перестроен: дел — {len(result.records)}")


@main.command()
@root_option
@today_option
@handle_errors
def demo(root, today) -> None:
    """Создать демонстрационную папку с делами, просканировать её и показать таблицу.

    Пример: kezdocs demo --root casefiles
    """
    from . import demo as demo_mod

    root_path = Path(root or "casefiles")
    day = parse_today(today)
    demo_mod.build(root_path, day)
    result = cases.status(casefolder.open_root(root_path), day, None)
    print_status_table(result.records)
    demo_mod.after_scan(casefolder.open_root(root_path), day, console)
