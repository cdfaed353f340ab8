"""The `kezdocs` command line: thin, one library call per command, its result printed by `console`.

Every command turns `KezdocsError` (and any other failure) into one clean
Russian message; `--debug` shows the traceback instead. A command imports the
part of the library only it uses when it runs, so that `kezdocs status` does
not load openpyxl, fpdf or watchdog. The module is a table of commands: each is
its options, its Russian help with an example, and a few lines of body.
"""
from __future__ import annotations

import functools
import getpass
import sys
import traceback
from datetime import date, datetime
from pathlib import Path

import click
from rich.markup import escape

from kezdocs import cases, clickru, console, penalties
from kezdocs.console import print_problems, stderr, stdout
from kezdocs.core import requirements
from kezdocs.core.dates import parse_date
from kezdocs.core.errors import KezdocsError
from kezdocs.folders import casefolder
from kezdocs.folders.files import os_error_reason
from kezdocs.service.sync import sync

clickru.install()  # before the commands below are declared: click translates some help texts as they are

def parse_today(value: str | None) -> date:
    """--today as `dates.parse_date` reads it, else the system date (the only clock the product reads)."""
    return _day_argument(value, "--today") if value else date.today()


def _day_argument(text: str, name: str) -> date:
    parsed = parse_date(text)
    if parsed is None:
        raise KezdocsError(f"{name}: «{text}» — не дата (пишите 10.05.2024, 10.05.24 или 2024-05-10)")
    return parsed


def warned_root(root: Path | None) -> casefolder.Root:
    """The root, its settings' warning that they are still the sample of `kezdocs init` said first — for the
    commands whose output does not list the root's problems anyway (status, dashboard and check do)."""
    result = casefolder.open_root(root)
    if result.sample_problem:
        stderr.print(f"[yellow]Внимание: {escape(result.sample_problem.message)}[/yellow]")
    return result


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
            stderr.print(f"[red]Ошибка:[/red] {exc}")
            sys.exit(2)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except OSError as exc:  # a full disk, a read-only share, no rights: the user's to fix, not a bug
            if debug:
                traceback.print_exc()
            stderr.print(f"[red]Ошибка:[/red] {os_error_text(exc)}")
            sys.exit(2)
        except Exception as exc:  # noqa: BLE001 - the user never sees a traceback
            if debug:
                traceback.print_exc()
            else:
                stderr.print(f"[red]Внутренняя ошибка kezdocs:[/red] {type(exc).__name__}: {exc}\n"
                             "Повторите команду с --debug и передайте вывод разработчикам.")
            sys.exit(3)

    return wrapper


def os_error_text(exc: OSError) -> str:
    """An operating-system error in Russian, with the file it concerns; nothing was half-written (files.py)."""
    return f"не удалось записать или прочитать файл: {os_error_reason(exc, with_file=True)}; исправьте это и повторите команду"


root_option = click.option("--root", "root", type=click.Path(path_type=Path), default=None,
                           help="Папка с делами (иначе $KEZDOCS_ROOT, иначе ./casefiles).")
today_option = click.option("--today", "today", default=None, help="Дата, на которую считать (ДД.ММ.ГГГГ).")
json_option = click.option("--json", "as_json", is_flag=True, help="Вывести JSON.")


@click.group(cls=clickru.RussianGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
    for path in cases.init_root(directory):
        stdout.print(f"создано: {path}")
    sample = casefolder.Root(directory).sample_problem
    if sample:
        stdout.print(f"[yellow]Дальше: {escape(sample.message)}[/yellow]")


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
    opened = casefolder.open_root(root)
    path = cases.new_case(opened, ask=_ask_until_valid, **fields)
    _audit(opened, opened.load(path).ref, "create", f"создано дело «{path.name}»")
    stdout.print(f"создано дело: {path}")


def _audit(root: casefolder.Root, case: str | None, action: str, detail: str) -> None:
    """The command's write in the root's audit log (the web workspace shows it on the case page)."""
    from kezdocs.folders import audit

    audit.record(root.path, f"{getpass.getuser()} (командная строка)", case, action, detail, datetime.now())


def _ask_until_valid(label: str, check, default: str | None) -> str:
    """Ask for a field; click shows `check`'s Russian reason and asks again until the answer is valid."""

    def valid(answer: str) -> str:
        reason = check(answer)
        if reason:
            raise click.UsageError(reason)
        return answer

    return click.prompt(label, default=default, value_proc=valid)


@main.command()
@root_option
@click.argument("case")
@click.argument("event")
@click.option("--date", "when", required=True, help="Дата события или платежа.")
@click.option("--field", "fields", multiple=True, help="Доп. поле «ключ=значение» (шпи=…, результат=…, суд=…).")
@click.option("--amount", default=None, help="Сумма (для платежа).")
@click.option("--document", default=None, help="Документ (для платежа).")
@click.option("--force", is_flag=True, help="Записать событие, даже если стадия дела его не допускает.")
@click.option("--yes", "confirm", is_flag=True, help="Записать платёж, даже если такой же (дата, сумма, документ) уже есть.")
@handle_errors
def record(root, case, event, when, fields, amount, document, force, confirm) -> None:
    """Записать в карточку событие или платёж (по порядку дат), сохранив комментарии.

    Примеры: kezdocs record 2024-017 "претензия направлена" --date 15.04.2024 --field шпи=42755012345675
             kezdocs record 2024-017 платеж --date 02.04.2024 --amount 5000 --document "п/п № 123"
    """
    extra = dict(_pair(f) for f in fields)
    opened = casefolder.open_root(root)
    try:
        path = cases.record_entry(opened, case, event, when, extra, amount, document, force=force, confirm=confirm)
    except cases.EventRefused as exc:
        raise KezdocsError(f"{exc}; чтобы записать всё равно — --force") from None
    except cases.DuplicatePayment as exc:
        if not click.confirm(f"{exc}. Записать ещё один такой платёж?", default=False):
            raise KezdocsError("платёж не записан") from None
        path = cases.record_entry(opened, case, event, when, extra, amount, document, force=force, confirm=True)
    what = f"платёж {amount} руб. от {when}" if amount is not None else f"событие «{event}» от {when}"
    _audit(opened, opened.load(path.parent).ref, "payment" if amount is not None else "event", f"записано: {what}")
    stdout.print(f"записано в {path}")


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
    console.print_status(result.records, as_json)
    console.print_warnings(result.warnings)
    console.print_failures(result.failed)
    if result.failed or any(r.problems for r in result.records):
        sys.exit(1)


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
    console.print_agenda(cases.agenda(casefolder.open_root(root), parse_today(today), days), as_json)


@main.group()
def calendar() -> None:
    """Производственный календарь: рабочие дни и сроки (с учётом календарь.yaml в папке с делами)."""


def _root_calendar(root):
    """The root's calendar, its календарь.yaml's problems said first."""
    calendar, problems = cases.root_calendar(root)
    print_problems(problems)
    return calendar


@calendar.command("workdays")
@root_option
@click.argument("start", metavar="ДАТА")
@click.argument("n", type=click.IntRange(min=0))
@json_option
@handle_errors
def calendar_workdays(root, start, n, as_json) -> None:
    """N-й рабочий день после ДАТЫ (сама дата не считается).

    Пример: kezdocs calendar workdays 2024-05-27 10
    """
    day = _day_argument(start, "ДАТА")
    console.print_workday(day, n, _root_calendar(root).add_working_days(day, n), as_json)


@calendar.command("is-working")
@root_option
@click.argument("day", metavar="ДАТА")
@json_option
@handle_errors
def calendar_is_working(root, day, as_json) -> None:
    """Рабочий ли день ДАТА и почему.

    Пример: kezdocs calendar is-working 2024-05-10
    """
    parsed = _day_argument(day, "ДАТА")
    console.print_working_day(_root_calendar(root), parsed, as_json)


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
    """Рассчитать пени или проценты (статья 395 ГК РФ) по делу или по введённым суммам и датам.

    Примеры: kezdocs penalty --amount 100000 --due 2024-01-10 --to 2024-12-31 --method 395 --payment 2024-06-01:20000
             kezdocs penalty 2024-017 --today 2024-05-20
    """
    end_day = _day_argument(end, "--to") if end else parse_today(today)
    calc, problems = penalties.penalty_of(root, case, end_day, options)
    console.print_penalty(calc, problems, end_day, as_json)


@main.command()
@root_option
@today_option
@handle_errors
def reindex(root, today) -> None:
    """Перестроить индекс заново из папок дел (индекс — производные данные).

    Пример: kezdocs reindex --root casefiles
    """
    result = cases.reindex(warned_root(root), parse_today(today))
    stdout.print(f"индекс перестроен: дел — {len(result.records)}")


@main.command()
@root_option
@today_option
@click.option("--poll", "poll", type=click.FloatRange(min=0.1), default=None,
              help="Опрашивать папки каждые N секунд (для сетевых папок SMB/NFS, где уведомления не приходят).")
@handle_errors
def watch(root, today, poll) -> None:
    """Следить за папкой с делами: пересчитывать дела, СТАТУС.txt и Сводка.html при каждом изменении.

    Останавливается по Ctrl-C. Пример: kezdocs watch --root casefiles;  kezdocs watch --root /mnt/дела --poll 10
    """
    from kezdocs.service import watcher

    watcher.serve(casefolder.open_root(root), parse_today(today) if today else None, poll)


@main.command()
@root_option
@today_option
@handle_errors
def dashboard(root, today) -> None:
    """Записать Сводка.html в папку с делами и СТАТУС.txt в папку каждого дела.

    Пример: kezdocs dashboard --root casefiles
    """
    written = sync(casefolder.open_root(root), parse_today(today))
    console.print_dashboard(written)
    if written.failed:
        sys.exit(1)


@main.command()
@root_option
@today_option
@json_option
@click.argument("case")
@click.option("--step", type=click.Choice(list(requirements.STEPS)), default=None,
              help="Шаг, для которого проверить документы (иначе — следующий шаг дела).")
@handle_errors
def check(root, today, as_json, case, step) -> None:
    """Каких документов не хватает в папке дела для следующего шага (код выхода 1 — не хватает).

    Пример: kezdocs check 2024-017;  kezdocs check 2024-017 --step lawsuit --json
    """
    from kezdocs.paperwork import package

    result = package.check(casefolder.open_root(root), case, parse_today(today), step)
    console.print_checklist(result, as_json)
    sys.exit(0 if result.checklist is None or result.checklist.ready else 1)


@main.command("package")
@root_option
@today_option
@click.argument("case")
@click.option("--force", is_flag=True, help="Сформировать, даже если документов не хватает (список — на первой странице) "
              "или какой-то файл не может войти в пакет (такие файлы пропускаются и называются).")
@handle_errors
def package_command(root, today, case, force) -> None:
    """Сформировать пакет для суда: иск и приложения — нумерованные PDF и один общий PDF с описью.

    Пример: kezdocs package 2024-017 --today 2024-05-20;  kezdocs package 2024-017 --force
    """
    from kezdocs.paperwork import package

    try:
        result = package.build(warned_root(root), case, parse_today(today), force)
    except package.NotIncluded as exc:  # files that cannot go in: exit 1, each named
        console.print_refusal(str(exc))
        sys.exit(1)
    console.print_package(result)
    sys.exit(1 if result.efiling and not force else 0)  # a file the courts' portals would refuse: named above


# --- reports and the debtor registry --------------------------------------------------------

@main.group()
def report() -> None:
    """Отчёты: просроченная задолженность (Приложение 2), меры (Приложение 3), инвентаризация (п. 3.2)."""


def report_options(func):
    """Options every report takes: the root, the administrator, the format, the file, --json."""
    for option in reversed((
        root_option,
        click.option("--administrator", default=None, help="Только дела этого администратора (можно начало названия)."),
        click.option("--format", "fmt", type=click.Choice(["xlsx", "docx"]), default="xlsx", show_default=True,
                     help="Формат файла."),
        click.option("--out", type=click.Path(path_type=Path), default=None,
                     help="Файл отчёта (иначе папка «Отчёты» в папке с делами)."),
        json_option,
    )):
        func = option(func)
    return func


def _write_report(kind: str, when, root, administrator, fmt, out, as_json) -> None:
    from kezdocs.paperwork import report_files

    path, result = report_files.write(warned_root(root), kind, when, administrator, fmt, out)
    console.print_report(path, result, as_json)
    if result.failed or result.warnings:
        sys.exit(1)


@report.command("overdue")
@click.option("--date", "when", required=True, help="Дата, на которую составляется отчёт.")
@report_options
@handle_errors
def report_overdue(when, **options) -> None:
    """Сведения о состоянии просроченной задолженности (Приложение 2) на дату.

    Пример: kezdocs report overdue --date 2026-12-25 --format docx
    """
    _write_report("overdue", _day_argument(when, "--date"), **options)


@report.command("measures")
@click.option("--date", "when", required=True, help="Дата отчёта; ежегодный отчёт — на 25 декабря (п. 3.5).")
@report_options
@handle_errors
def report_measures(when, **options) -> None:
    """Сводный отчёт о мерах по урегулированию просроченной задолженности (Приложение 3).

    Ежегодно составляется по состоянию на 25 декабря (п. 3.5 Регламента).
    Пример: kezdocs report measures --date 2026-12-25
    """
    _write_report("measures", _day_argument(when, "--date"), **options)


@report.command("inventory")
@click.option("--quarter", required=True, help="Квартал, например 2026-Q3.")
@report_options
@handle_errors
def report_inventory(quarter, **options) -> None:
    """Квартальная инвентаризация расчётов с должниками (п. 3.2): сомнительная и безнадёжная задолженность.

    Пример: kezdocs report inventory --quarter 2026-Q3
    """
    _write_report("inventory", quarter, **options)


@main.command("import")
@root_option
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Только проверить реестр, ничего не записывая.")
@click.option("--template", type=click.Path(path_type=Path), default=None, help="Записать образец реестра в файл.")
@json_option
@handle_errors
def import_registry(root, file, dry_run, template, as_json) -> None:
    """Загрузить реестр должников (XLSX или CSV): создать новые дела, дополнить начисления и платежи.

    Примеры: kezdocs import реестр.xlsx --dry-run;  kezdocs import --template реестр.xlsx
    """
    from kezdocs.paperwork import registry, registry_import

    if template is not None:
        stdout.print(f"образец реестра записан: {registry.write_template(template)}")
        return
    if file is None:
        raise KezdocsError("укажите файл реестра (образец: kezdocs import --template реестр.xlsx)")
    result = registry_import.import_registry(warned_root(root), file, dry_run)
    console.print_import(result, as_json)
    if result.problems:
        sys.exit(1)


@main.command("export")
@root_option
@today_option
@click.argument("file", type=click.Path(path_type=Path))
@handle_errors
def export_cases(root, today, file) -> None:
    """Выгрузить все дела в Excel: стадия, следующее действие, срок, суммы (лист «Реестр» загружается обратно).

    Пример: kezdocs export дела.xlsx
    """
    from kezdocs.paperwork import registry_export

    result = registry_export.export_cases(warned_root(root), parse_today(today), file)
    console.print_export(result)
    if result.problems:
        sys.exit(1)


# --- documents from templates ----------------------------------------------------------------

@main.command()
@root_option
@today_option
@json_option
@click.argument("case", required=False)
@click.argument("kind", required=False)
@click.option("--all", "all_cases", is_flag=True, help="Для всех дел, которым этот документ нужен сейчас (по стадии).")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Папка для файлов (иначе «Сформировано» дела).")
@click.option("--pdf", is_flag=True, help="Также сохранить PDF (нужен LibreOffice).")
@click.option("--force", is_flag=True, help="Сформировать иск, даже если по маршруту сначала нужен судебный приказ "
              "(ГПК РФ ст. 135, АПК РФ ст. 148).")
@handle_errors
def generate(root, today, as_json, case, kind, all_cases, out, pdf, force) -> None:
    """Сформировать документ по шаблону: claim (претензия), calculation (расчёт), memo (служебная),
    lawsuit (иск), court-order (приказ), withdrawal (отказ), bank (банк), bailiffs (фссп),
    enforcement-query (запрос), write-off (списание), post-inventory (опись), reduction (уменьшение).

    Для иска и заявления о выдаче судебного приказа — предупреждение, каких документов ещё не хватает для подачи
    (тот же список, что kezdocs check); документ формируется всё равно.

    Примеры: kezdocs generate 2024-017 претензия --today 2024-05-20;  kezdocs generate --all claim --pdf
    """
    chosen = warned_root(root)
    try:
        result = cases.generate(chosen, case, kind, parse_today(today), out, all_cases=all_cases,
                                pdf=pdf, progress=console.progress_bar, force=force)
    except cases.LawsuitRefused as exc:
        raise KezdocsError(f"{exc}; сформировать иск всё равно — --force") from None
    console.print_generated(result, as_json)
    if result.skipped:
        sys.exit(1)


@main.group()
def templates() -> None:
    """Шаблоны документов: откуда берутся, проверка, переменные (свои шаблоны — в папке «шаблоны» корня)."""


@templates.command("list")
@root_option
@handle_errors
def templates_list(root) -> None:
    """Каждый шаблон и откуда он берётся (шаблоны/ в папке с делами или по умолчанию).

    Пример: kezdocs templates list
    """
    from kezdocs.paperwork.template_sources import list_templates

    console.print_templates(list_templates(casefolder.find_root(root)))


@templates.command("copy")
@click.argument("name")
@root_option
@handle_errors
def templates_copy(name, root) -> None:
    """Скопировать шаблон по умолчанию в папку «шаблоны» корня, чтобы поправить его в Word.

    Свой шаблон, который уже есть, не перезаписывается.

    Пример: kezdocs templates copy требование
    """
    from kezdocs.paperwork.template_sources import copy_template

    written = copy_template(warned_root(root), name)
    stdout.print(f"скопирован шаблон: {written} — правьте его в Word; документы теперь заполняются по нему")


@templates.command("check")
@root_option
@handle_errors
def templates_check(root) -> None:
    """Заполнить каждый шаблон данными примера: неизвестные и неиспользованные переменные, ошибки.

    Пример: kezdocs templates check
    """
    from kezdocs.paperwork.template_check import check_templates

    reports = check_templates(casefolder.find_root(root))
    console.print_template_checks(reports)
    if not all(r.ok for r in reports):
        sys.exit(1)


@templates.command("vars")
@json_option
@handle_errors
def templates_vars(as_json) -> None:
    """Все переменные шаблонов с описанием и примером.

    Пример: kezdocs templates vars
    """
    from kezdocs.paperwork.template_check import variables

    console.print_variables(variables(), as_json)


@main.command()
@root_option
@today_option
@handle_errors
def demo(root, today) -> None:
    """Создать демонстрационную папку с делами, просканировать её и показать таблицу.

    Пример: kezdocs demo --root casefiles
    """
    from kezdocs import demo as demo_root

    root_path = Path(root or "casefiles")
    day = parse_today(today)
    demo_root.build(root_path, day)
    console.print_status_table(demo_root.after_scan(casefolder.open_root(root_path), day, stdout))


# --- the web workspace and its accounts -------------------------------------------------------

@main.command()
@root_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Адрес, на котором слушать: 127.0.0.1 — только этот компьютер; 0.0.0.0 — вся сеть (нужны учётные записи).")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535), help="Порт.")
@handle_errors
def serve(root, host, port) -> None:
    """Веб-интерфейс: дела, события, документы, отчёты — в браузере; наблюдение за папками в том же процессе.

    Пример: kezdocs serve --root \\\\server\\дела --host 0.0.0.0 --port 8080  (затем откройте http://сервер:8080)
    """
    from kezdocs.web.server import Server, quiet_waitress

    debug = click.get_current_context().find_root().params.get("debug", False)
    server = Server(casefolder.open_root(root), host, port, debug=debug)
    quiet_waitress()
    stdout.print("Проверяю дела…")
    server.start()
    stdout.print(f"Рабочее место открыто: {server.url} (остановить — Ctrl+C)")
    server.serve_forever()


@main.group()
def users() -> None:
    """Учётные записи веб-интерфейса: роли специалист, юрист, финансист, наблюдатель."""


@users.command("add")
@root_option
@click.argument("login")
@click.option("--role", required=True, type=click.Choice(["специалист", "юрист", "финансист", "наблюдатель"],
                                                          case_sensitive=False), help="Роль пользователя.")
@click.password_option("--password", prompt="Пароль", confirmation_prompt="Пароль ещё раз",
                       help="Пароль (не короче 8 знаков; если не указан — будет запрошен).")
@handle_errors
def users_add(root, login, role, password) -> None:
    """Завести пользователя (пароль хранится только в виде хэша Argon2).

    Пример: kezdocs users add ivanova --role юрист
    """
    from kezdocs.folders import users as accounts

    user = accounts.add_user(casefolder.open_root(root).path, login, role.lower(), password)
    stdout.print(f"пользователь {user.login} заведён, роль: {user.role}")


@users.command("list")
@root_option
@handle_errors
def users_list(root) -> None:
    """Пользователи веб-интерфейса и их роли.

    Пример: kezdocs users list
    """
    from kezdocs.folders import users as accounts

    found = accounts.list_users(casefolder.open_root(root).path)
    for user in found:
        stdout.print(f"{user.login}\t{user.role}")
    if not found:
        stdout.print("учётных записей нет: веб-интерфейс открывается только на 127.0.0.1")


@users.command("remove")
@root_option
@click.argument("login")
@handle_errors
def users_remove(root, login) -> None:
    """Удалить пользователя.

    Пример: kezdocs users remove ivanova
    """
    from kezdocs.folders import users as accounts

    accounts.remove_user(casefolder.open_root(root).path, login)
    stdout.print(f"пользователь {login} удалён")


@users.command("password")
@root_option
@click.argument("login")
@click.password_option("--password", prompt="Новый пароль", confirmation_prompt="Пароль ещё раз",
                       help="Новый пароль (если не указан — будет запрошен).")
@handle_errors
def users_password(root, login, password) -> None:
    """Сменить пароль пользователя.

    Пример: kezdocs users password ivanova
    """
    from kezdocs.folders import users as accounts

    accounts.set_password(casefolder.open_root(root).path, login, password)
    stdout.print(f"пароль пользователя {login} изменён")


# --- scans and photos ---------------------------------------------------------------------------

@main.command("ocr")
@root_option
@today_option
@click.argument("case", required=False)
@handle_errors
def ocr_command(root, today, case) -> None:
    """Распознать сейчас сканы и фото, которые ждут распознавания (OCR), и показать состояние дел.

    Служба (kezdocs watch, kezdocs serve) распознаёт их сама; команда — для папки, где служба не запущена.
    Пример: kezdocs ocr --root casefiles;  kezdocs ocr 2026-001
    """
    from kezdocs.service.ocr_worker import recognise_now

    opened = warned_root(root)
    folder = opened.find(case).name if case else None
    synced, failed = recognise_now(opened, parse_today(today), folder,
                                   lambda n, total, line: stdout.print(escape(f"[{n}/{total}] {line}")))
    if not synced.records:
        stdout.print("сканов, ждущих распознавания, нет")
        return
    console.print_status(synced.records, False)
    console.print_failures(synced.failed)
    if failed or synced.failed:
        sys.exit(1)
