"""The `kezdocs` command line: thin, one library call per command.

Every command turns `KezdocsError` (and any other failure) into one clean
Russian message; `--debug` shows the traceback instead.
"""
from __future__ import annotations

import functools
import json
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
