"""The debtor registry: an Excel or CSV table a clerk fills in, imported into case folders; and the export.

One row per charge or payment (a row may also carry only the case's data).
Rows with the same «Номер дела» belong to one case; the case's columns may be
repeated or left empty on its later rows. Importing:

- a new case gets a folder «<номер> <должник>» and a commented card
  (`card.new_card_text`), checked by `card.parse_card` before it is written;
- an existing case (same number) gets the charges and payments it lacks,
  appended with `cardedit.append_entry` so the clerk's comments survive; a charge
  or payment already on the card is a duplicate and is skipped, never added
  twice; the case's other columns do not change an existing card;
- a bad row is reported with its row number and column and is not imported;
  the good rows are.

CSV is read as Excel saves it: UTF-8 with or without BOM, or Windows-1251;
«;» or «,» between columns; amounts with a decimal comma. Quoting is read
strictly, line by line: a quote inside an unquoted value, text after a closing
quote, or a quote left open (which would swallow the rows after it) is
reported with its line, and every line it affects is left out — never merged
into a neighbour's value without a word.

The import plans every row before it writes anything, then writes case by
case through the one card writer (`cardfile`): an existing card is edited
under its lock and re-read right before it is replaced, so a payment a clerk
recorded meanwhile is kept. A journal (`import_journal`) makes a killed import
known («не завершён: N из M») until a re-run, which skips what went in,
completes it. One case that cannot be written does not stop the others.

The export writes every case with its stage, next action, deadline and
amounts (sheet «Дела»), and its charges and payments in the registry's own
layout (sheet «Реестр»), which imports back without changes.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path

import openpyxl
from pathvalidate import sanitize_filename
from stdnum.exceptions import ValidationError
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from kezdocs.core import card as card_mod
from kezdocs.folders import cardedit
from kezdocs.core import encodings
from kezdocs.core.dates import parse_date
from kezdocs.folders import cardfile
from kezdocs.core import penalty as penalty_mod
from kezdocs.core import stages
from kezdocs.folders.casefolder import Root, read_text, shown_name
from kezdocs.core.errors import KezdocsError
from kezdocs.folders.files import os_error_reason, sha256, write_bytes_atomic
from kezdocs.folders.import_journal import Journal
from kezdocs.folders.import_journal import finish as finish_journal
from kezdocs.folders.import_journal import unfinished as unfinished_imports
from kezdocs.core.ledger import allocate
from kezdocs.core.model import Case, DebtorType, Problem
from kezdocs.core.money import ZERO, as_text, format_rub, kopecks, parse_amount
from kezdocs.core.reports import CONTROL_CHARS, Column, Report, basis_text, clean, guarded
from kezdocs.paperwork.xlsx import workbook_bytes

SHEET = "Реестр"
TEMPLATE_FILE = "реестр_шаблон.xlsx"
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Field:
    """A column of the registry: its header, what it holds, which part of the case it fills."""

    header: str
    key: str
    kind: str  # text | id | date | money | choice
    level: str  # case | charge | payment
    example: str
    help: str
    aliases: tuple[str, ...] = ()


DEBTOR_TYPES = {"юрлицо": "юрлицо", "юр. лицо": "юрлицо", "юридическое лицо": "юрлицо", "организация": "юрлицо",
                "ип": "ип", "индивидуальный предприниматель": "ип", "физлицо": "физлицо", "физ. лицо": "физлицо",
                "физическое лицо": "физлицо", "гражданин": "физлицо"}
TYPE_CHOICES = ("юрлицо", "ИП", "физлицо")
# The kinds of the two address columns, by debtor type (п. 4.5: a claim goes to every address).
ADDRESS_KINDS = {"юрлицо": ("по ЕГРЮЛ", "по договору"), "ип": ("по ЕГРИП", "по договору"),
                 "физлицо": ("регистрации", "фактический")}
REGISTRY_TYPES = {DebtorType.LEGAL: "юрлицо", DebtorType.ENTREPRENEUR: "ИП", DebtorType.PERSON: "физлицо"}

FIELDS = (
    Field("Номер дела", "number", "text", "case", "2024-017",
          "Обязательно. Строки с одним номером относятся к одному делу."),
    Field("Администратор", "administrator", "text", "case", "Управление финансов",
          "Подразделение-исполнитель, как в настройках (достаточно начала названия). Пусто — первое из настроек."),
    Field("Тип должника", "type", "choice", "case", "юрлицо", "юрлицо, ИП или физлицо. Обязательно для нового дела."),
    Field("Наименование", "name", "text", "case", "ООО «Ромашка»",
          "Для юрлица — обязательно; для ИП можно не заполнять (будет «Индивидуальный предприниматель ФИО»)."),
    Field("Фамилия", "last_name", "text", "case", "Иванов", "Для физлица и ИП — обязательно."),
    Field("Имя", "first_name", "text", "case", "Иван", "Для физлица и ИП — обязательно."),
    Field("Отчество", "middle_name", "text", "case", "Иванович", "Для физлица и ИП, если есть."),
    Field("ИНН", "inn", "id", "case", "1831000019",
          "10 цифр у организации, 12 — у ИП и физлица; для юрлица и ИП обязателен. Столбец текстовый: "
          "так Excel не отбрасывает ведущие нули."),
    Field("ОГРН", "ogrn", "id", "case", "1021800000001", "ОГРН (13 цифр) или ОГРНИП (15 цифр), если известен."),
    Field("Адрес по ЕГРЮЛ / регистрации", "address_1", "text", "case", "427550, Удмуртская Республика, п. Кез, ул. Кирова, д. 1",
          "Юрлицо — адрес по ЕГРЮЛ, ИП — по ЕГРИП, физлицо — адрес регистрации (обязателен для нового дела).",
          ("Адрес 1", "Адрес регистрации", "Юридический адрес")),
    Field("Адрес по договору / фактический", "address_2", "text", "case", "п. Кез, ул. Ленина, д. 5",
          "Второй адрес, если отличается: по договору (юрлицо, ИП) или фактический (физлицо).",
          ("Адрес 2", "Фактический адрес", "Адрес по договору")),
    Field("Основание", "basis", "text", "case", "Договор аренды земельного участка",
          "Документ, из которого возник долг. Обязательно для нового дела."),
    Field("Номер договора", "basis_number", "text", "case", "12/2023", "Номер документа-основания."),
    Field("Дата договора", "basis_date", "date", "case", "10.01.2023", "Дата документа-основания."),
    Field("КБК", "kbk", "id", "case", "90111105035050000120",
          "20 цифр; можно 17 цифр кода дохода — тогда впереди ставится код главного администратора из настроек. "
          "Обязательно для нового дела."),
    Field("Период", "period", "text", "charge", "I квартал 2024",
          "Начисление: период (как он назван в договоре). Заполняется вместе с суммой и сроком уплаты."),
    Field("Сумма начисления", "charge_amount", "money", "charge", "15000,00", "Начисление: сумма, рублей."),
    Field("Срок уплаты", "due", "date", "charge", "10.03.2024", "Начисление: последний день срока уплаты."),
    Field("Дата платежа", "payment_date", "date", "payment", "02.04.2024",
          "Платёж: дата поступления. Заполняется вместе с суммой платежа."),
    Field("Сумма платежа", "payment_amount", "money", "payment", "5000,00", "Платёж: сумма, рублей."),
    Field("Документ платежа", "payment_document", "text", "payment", "п/п № 123",
          "Платёж: платёжный документ. Два одинаковых платежа в один день различаются только по нему."),
    Field("Ответственный", "officer", "text", "case", "Петрова Анна Сергеевна",
          "ФИО ответственного сотрудника. Обязательно для нового дела."),
    Field("Телефон", "phone", "text", "case", "8 (34158) 3-12-34", "Телефон ответственного."),
)
BY_KEY = {f.key: f for f in FIELDS}
CASE_KEYS = tuple(f.key for f in FIELDS if f.level == "case" and f.key != "number")
MONEY_OR_DATE = {"date": "date", "money": "money"}


def _norm(header: str) -> str:
    text = unicodedata.normalize("NFC", str(header)).casefold().replace("ё", "е")
    return re.sub(r"\s+", " ", text).strip(" *:")


HEADERS = {_norm(name): f for f in FIELDS for name in (f.header, *f.aliases)}


# --- reading the file (shell) ------------------------------------------------------------------

@dataclass
class Table:
    """A registry file read: data rows as (line, {key: raw cell}), notices about its columns, and the lines
    that could not be read (broken CSV quoting), each a problem with its line."""

    records: list[tuple[int, dict]]
    notices: list[Problem]
    problems: list[Problem]


def read_file(path: Path) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """The data rows of an XLSX or CSV registry and notices about its headers (`read_table` also gives
    the lines that could not be read)."""
    table = read_table(path)
    return table.records, table.notices


def read_table(path: Path) -> Table:
    """Read an XLSX or CSV registry: its rows by line, notices about its columns, unreadable lines."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            lines, broken = _xlsx_rows(path), []
        elif suffix in (".csv", ".txt"):
            lines, broken = _csv_rows(path.read_bytes())
        else:
            raise KezdocsError(f"файл «{path.name}»: реестр принимается в формате .xlsx или .csv")
    except (OSError, KeyError, ValueError, openpyxl.utils.exceptions.InvalidFileException) as exc:
        raise KezdocsError(f"не удаётся прочитать реестр «{path.name}»: {exc}") from None
    return _records(lines, broken, path.name)


def _xlsx_rows(path: Path) -> list[tuple[int, list]]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        return [(number, list(row)) for number, row in enumerate(ws.iter_rows(values_only=True), 1)]
    finally:
        wb.close()


# --- CSV, read strictly ---------------------------------------------------------------------------

_QUOTED = re.compile(r'"((?:[^"]|"")*)"')
LINES_LISTED = 1000  # lines of one broken span reported one by one; the rest in one problem
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class _Broken:
    """Lines `first`..`last` of a CSV that cannot be read as rows: why (the first line's message), and the
    column where it happened (its index in the line)."""

    first: int
    last: int
    column: int
    why: str  # "open" (a quote never closed), "merged" (rows inside quotes), "stray" (a quote out of place),
    # "count" (lines the reader could not account for)


def _csv_rows(data: bytes) -> tuple[list[tuple[int, list]], list[_Broken]]:
    """UTF-8 (BOM or not) or Windows-1251; the delimiter is the one the header line uses most.

    Returns the rows by their first physical line, and the spans of lines that
    broken quoting makes unreadable. Python's `csv` would merge the rows after
    an unclosed quote into one value, and drop a stray quote, without a word;
    here the records are counted against the physical lines, so every line is
    either read or reported.
    """
    text = encodings.decode(data)[0]
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first.count)
    rows, broken, covered = _parse_csv(text, delimiter)
    physical = len(_LINE_BREAK.findall(text)) + (0 if not text or text.endswith(("\n", "\r")) else 1)
    if covered != physical:  # cannot happen by construction; if it ever does, no line goes unreported
        broken.append(_Broken(1, physical, 0, "count"))
        rows = []
    return rows, broken


def _parse_csv(text: str, delimiter: str) -> tuple[list[tuple[int, list]], list[_Broken], int]:
    """RFC 4180 as Excel writes it, tracking physical lines: (rows, broken spans, lines covered by both)."""
    unquoted = re.compile(f"[^{re.escape(delimiter)}\r\n]*")
    rows: list[tuple[int, list]] = []
    broken: list[_Broken] = []
    pos, line, end, covered = 0, 1, len(text), 0
    while pos < end:
        first, cells, fault = line, [], None
        while True:  # the fields of one record
            if text.startswith('"', pos):
                found = _QUOTED.match(text, pos)
                if found is None:  # the quote stays open to the end of the file
                    value = text[pos + 1:]
                    line += len(_LINE_BREAK.findall(value.rstrip("\r\n")))
                    fault = fault or _Broken(first, line, len(cells), "open")
                    cells.append(value)
                    pos = end
                    break
                value = found.group(1)
                breaks = len(_LINE_BREAK.findall(value))
                if breaks and delimiter in value:  # whole rows inside one value
                    fault = fault or _Broken(first, line, len(cells), "merged")
                line += breaks
                pos = found.end()
                tail = unquoted.match(text, pos).group()
                if tail:  # text after the closing quote: «"Ромашка" ООО» or «"ООО "Ромашка""»
                    fault = fault or _Broken(first, line, len(cells), "stray")
                    pos += len(tail)
                cells.append(value.replace('""', '"') + tail)
            else:
                value = unquoted.match(text, pos).group()
                if '"' in value:  # «ООО "Ромашка"» without quotes around the value
                    fault = fault or _Broken(first, line, len(cells), "stray")
                cells.append(value)
                pos += len(value)
            if pos < end and text[pos] == delimiter:
                pos += 1
                continue
            break
        last = line
        if pos < end:  # the line break that ends the record
            pos += 2 if text.startswith("\r\n", pos) else 1
            line += 1
        covered += last - first + 1
        if fault is None:
            rows.append((first, cells))
        else:
            fault.last = last
            broken.append(fault)
    return rows, broken, covered


def _broken_problems(broken: list[_Broken], headers: dict[int, str], source: str) -> list[Problem]:
    """Each line of a broken span reported by its number, the first one with the reason."""
    problems = []
    for b in broken:
        column = headers.get(b.column)
        where = f"в столбце «{column}»" if column else f"в {b.column + 1}-м столбце"
        span = f"строки {b.first}–{b.last} не загружены" if b.last > b.first else f"строка {b.first} не загружена"
        if b.why == "open":
            first = (f"кавычка {where} открыта и не закрыта до конца файла: {span} — закройте кавычку "
                     "(значение с кавычками целиком берётся в кавычки, кавычки внутри удваиваются)")
        elif b.why == "merged":
            first = (f"кавычка {where} не закрыта в своей строке: строки {b.first}–{b.last} слились в одно значение "
                     "и не загружены — проверьте кавычки в этой строке")
        elif b.why == "count":
            first = f"число прочитанных строк не сходится с числом строк файла: {span}"
        else:
            first = (f"лишняя кавычка {where}: значение нельзя прочитать однозначно, строка не загружена — в CSV "
                     'значение с кавычками целиком берётся в кавычки, а кавычки внутри удваиваются: "ООО ""Ромашка"""')
        problems.append(Problem(source, b.first, first, column))
        if b.why == "count":
            continue
        inside = f"внутри кавычки, открытой в строке {b.first}{f' (столбец «{column}»)' if column else ''}"
        listed = min(b.last, b.first + LINES_LISTED)
        problems += [Problem(source, n, f"не загружена: строка оказалась {inside}")
                     for n in range(b.first + 1, listed + 1)]
        if listed < b.last:  # a quote open at the top of a huge file: the reason once, not a million lines
            problems.append(Problem(source, listed + 1, f"не загружены и строки {listed + 1}–{b.last}: они {inside}"))
    return problems


def _records(table: list[tuple[int, list]], broken: list[_Broken], source: str) -> Table:
    start = next((i for i, (_, row) in enumerate(table[:HEADER_SEARCH_ROWS])
                  if any(_norm(c) == _norm("Номер дела") for c in row if c is not None)), None)
    if start is None:
        raise KezdocsError(f"в реестре «{source}» нет строки заголовков со столбцом «Номер дела» "
                           f"(образец: kezdocs import --template реестр.xlsx)")
    header_line, header = table[start]
    columns, notices = {}, []
    for index, header in enumerate(header):
        if header is None or not str(header).strip():
            continue
        found = HEADERS.get(_norm(header))
        if found is None:
            hint = difflib.get_close_matches(_norm(header), list(HEADERS), n=1, cutoff=0.6)
            tip = f"; может быть, «{HEADERS[hint[0]].header}»?" if hint else ""
            notices.append(Problem(source, header_line, f"столбец «{header}» не распознан и не загружается{tip}",
                                   str(header)))
        elif found.key in columns.values():
            notices.append(Problem(source, header_line, f"столбец «{header}» повторяется: берётся первый",
                                   str(header)))
        else:
            columns[index] = found.key
    rows = []
    for number, row in table[start + 1:]:
        values = {key: row[i] for i, key in columns.items() if i < len(row) and not _blank(row[i])}
        if values:
            rows.append((number, values))
    headers = {i: BY_KEY[key].header for i, key in columns.items()}
    return Table(rows, notices, _broken_problems([b for b in broken if b.last > header_line], headers, source))


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- the cells (pure) ---------------------------------------------------------------------------

@dataclass
class Row:
    """One registry row, its cells read: case fields, and maybe a charge and a payment."""

    line: int
    number: str
    case: dict[str, object]
    charge: tuple[str, Decimal, date] | None = None
    payment: tuple[date, Decimal, str | None] | None = None


def parse_rows(records: list[tuple[int, dict]], source: str, chief_code: str | None) -> tuple[list[Row], list[Problem]]:
    """Read every cell; a row with any bad cell is reported (row, column) and left out."""
    rows, problems = [], []
    for line, raw in records:
        bad: list[Problem] = []

        def fail(key: str, message: str) -> None:
            bad.append(Problem(source, line, message, BY_KEY[key].header))

        values = {}
        for key, value in raw.items():
            parsed = _cell(BY_KEY[key], value, chief_code)
            if isinstance(parsed, _Bad):
                fail(key, parsed.message)
            else:
                values[key] = parsed
        if "number" not in raw:
            fail("number", "не указан номер дела")
        charge = _group(values, raw, ("period", "charge_amount", "due"), fail)
        payment = _group(values, raw, ("payment_date", "payment_amount"), fail)
        if "payment_document" in values and payment is None and not bad:
            fail("payment_amount", "указан документ платежа, но нет даты и суммы платежа")
        if bad:
            problems += bad
            continue
        rows.append(Row(line, values["number"], {k: values[k] for k in CASE_KEYS if k in values},
                        charge, (*payment, values.get("payment_document")) if payment else None))
    return rows, problems


@dataclass(frozen=True)
class _Bad:
    message: str


def _group(values: dict, raw: dict, keys: tuple[str, ...], fail) -> tuple | None:
    """A charge (or a payment) needs all its columns: none filled is fine, some filled is an error."""
    present = [k for k in keys if k in raw]
    if not present:
        return None
    for key in keys:
        if key not in raw:
            fail(key, f"не заполнено, а {', '.join(f'«{BY_KEY[k].header}»' for k in present)} заполнено")
    return tuple(values[k] for k in keys) if all(k in values for k in keys) else None


def _cell(spec: Field, value, chief_code: str | None):
    """A cell as its column wants it, or `_Bad` with the Russian reason."""
    if spec.kind == "date":
        return _date_cell(value)
    if spec.kind == "money":
        return _money_cell(value)
    text = _text(value)
    bad = CONTROL_CHARS.findall(text)
    if bad:
        codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in bad}))
        return _Bad(f"в значении недопустимые символы ({codes}) — удалите их")
    if spec.kind == "choice":
        found = DEBTOR_TYPES.get(text.casefold())
        return found or _Bad(f"«{text}» — допустимо: {', '.join(TYPE_CHOICES)}")
    if spec.kind == "id":
        return _id_cell(spec.key, re.sub(r"[\s-]", "", text), isinstance(value, (int, float)), chief_code)
    return text


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return f"{value:%d.%m.%Y}"
    return str(value).strip()


def _date_cell(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parsed = parse_date(_text(value))
    return parsed or _Bad(f"«{_text(value)}» — не дата (пишите 10.03.2024)")


def _money_cell(value):
    try:
        amount = Decimal(str(value)) if isinstance(value, (int, float)) else parse_amount(_text(value))
    except (ValueError, ArithmeticError):
        return _Bad(f"«{_text(value)}» — не сумма (пишите 15000,00)")
    if amount <= 0:
        return _Bad(f"сумма должна быть больше нуля, а не {_text(value)}")
    return kopecks(amount)


def _id_cell(key: str, digits: str, was_number: bool, chief_code: str | None):
    if was_number and len(digits) > 15:  # Excel keeps 15 significant digits of a number
        return _Bad("Excel сохранил номер как число и потерял цифры: задайте столбцу текстовый формат и введите "
                    "номер заново")
    lost_zero = " (если номер начинается с нуля, задайте столбцу текстовый формат)" if was_number else ""
    if key == "kbk":
        if len(digits) == 17 and digits.isdigit():
            if chief_code is None:
                return _Bad("КБК из 17 цифр: укажите все 20 цифр или код главного администратора в настройках")
            digits = chief_code + digits
        if not re.fullmatch(r"\d{20}", digits):
            return _Bad(f"КБК «{digits}» должен состоять из 20 цифр{lost_zero}")
        if digits[3:6] not in card_mod.INCOME_GROUPS:
            return _Bad(f"КБК «{digits}»: код дохода «{digits[3:6]}» не закреплён за администраторами "
                        f"(допустимы {', '.join(card_mod.INCOME_GROUPS)})")
        return digits
    module, label = (stdnum_inn, "ИНН") if key == "inn" else (stdnum_ogrn, "ОГРН")
    try:
        return module.validate(digits)
    except ValidationError:
        return _Bad(f"{label} «{digits}» неверен: не сходится контрольная сумма или длина{lost_zero}")


# --- the plan: what the rows do to the cases (pure) ----------------------------------------------

@dataclass
class Existing:
    """A case folder already in the root: its card's text, and the case when the card is valid."""

    folder: Path
    text: str
    case: Case | None


@dataclass
class Plan:
    new: dict[Path, str] = field(default_factory=dict)  # folder -> card text
    updates: dict[Path, str] = field(default_factory=dict)  # card path -> new text, as the card was when planned
    edits: dict[Path, list[Row]] = field(default_factory=dict)  # card path -> rows to apply to the card as written
    lines: dict[Path, list[int]] = field(default_factory=dict)  # folder -> its rows, to report a failed write
    imported: list[int] = field(default_factory=list)  # row numbers applied
    duplicates: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def plan(rows: list[Row], existing: dict[str, list[Existing]], root_path: Path, source: str,
         administrators: tuple[str, ...]) -> Plan:
    """Decide, case by case, the new cards and the edits of existing ones."""
    result = Plan()
    by_case: dict[str, list[Row]] = {}
    for row in rows:
        by_case.setdefault(row.number, []).append(row)
    for number, case_rows in by_case.items():
        case_rows, fields = _consistent(case_rows, source, result.problems)
        found = existing.get(number, [])
        if len(found) > 1:
            names = ", ".join(f"«{e.folder.name}»" for e in found)
            _reject(result, case_rows, source, f"дело № {number} есть в нескольких папках ({names}) — "
                                               "оставьте одну и повторите импорт")
        elif found and found[0].case is None:
            _reject(result, case_rows, source, f"дело № {number} (папка «{found[0].folder.name}»): в карточке ошибки — "
                                               "исправьте её (kezdocs status) и повторите импорт")
        elif found:
            _update(result, found[0], case_rows, source, administrators)
        elif case_rows:
            _create(result, number, fields, case_rows, root_path, source, administrators)
    return result


def _consistent(rows: list[Row], source: str, problems: list[Problem]) -> tuple[list[Row], dict]:
    """The case's fields from its first rows; a later row that says otherwise is reported and left out."""
    fields: dict[str, tuple[object, int]] = {}
    kept = []
    for row in rows:
        clash = next((k for k, v in row.case.items() if k in fields and fields[k][0] != v), None)
        if clash:
            first_value, first_line = fields[clash]
            problems.append(Problem(source, row.line, f"«{_shown(row.case[clash])}» не совпадает со строкой "
                                                      f"{first_line} того же дела («{_shown(first_value)}»)",
                                    BY_KEY[clash].header))
            continue
        for key, value in row.case.items():
            fields.setdefault(key, (value, row.line))
        kept.append(row)
    return kept, {k: v for k, (v, _) in fields.items()}


def _shown(value) -> str:
    return f"{value:%d.%m.%Y}" if isinstance(value, date) else str(value)


def _reject(result: Plan, rows: list[Row], source: str, message: str) -> None:
    result.problems += [Problem(source, row.line, message) for row in rows]


class _Entries:
    """The charges and payments a card has, to tell a new entry from a duplicate or a clash."""

    def __init__(self, case: Case | None):
        self.charges = {c.period: (c.amount, c.due) for c in case.charges} if case else {}
        self.payments = [(p.date, p.amount, p.document) for p in case.payments] if case else []

    def charge(self, period: str, amount: Decimal, due: date) -> str:
        """Say "new" (and remember it), "duplicate", or why it clashes with the card's charge of that period."""
        if period not in self.charges:
            self.charges[period] = (amount, due)
            return "new"
        old_amount, old_due = self.charges[period]
        if (old_amount, old_due) == (amount, due):
            return "duplicate"
        return (f"начисление за период «{period}» уже есть с суммой {format_rub(old_amount)} руб. и сроком "
                f"{old_due:%d.%m.%Y} — исправьте реестр или карточку")

    def payment(self, when: date, amount: Decimal, document: str | None) -> str:
        if any(d == when and a == amount and (doc == document or not doc or not document)
               for d, a, doc in self.payments):
            return "duplicate"
        self.payments.append((when, amount, document))
        return "new"


def _entries_of(rows: list[Row], known: _Entries, source: str, result: Plan) -> list[tuple[Row, list[tuple[str, dict]]]]:
    """Per row, the card entries it adds; duplicates are noted, clashing rows reported and left out."""
    accepted = []
    for row in rows:
        entries, duplicate = [], []
        if row.charge:
            period, amount, due = row.charge
            verdict = known.charge(period, amount, due)
            if verdict not in ("new", "duplicate"):
                result.problems.append(Problem(source, row.line, verdict, BY_KEY["period"].header))
                continue
            if verdict == "new":
                entries.append(("начисления", {"период": period, "сумма": as_text(amount),
                                               "срок_уплаты": f"{due:%d.%m.%Y}"}))
            else:
                duplicate.append(f"начисление «{period}» на {format_rub(amount)} руб.")
        if row.payment:
            when, amount, document = row.payment
            if known.payment(when, amount, document) == "new":
                entries.append(("платежи", {"дата": f"{when:%d.%m.%Y}", "сумма": as_text(amount),
                                            **({"документ": document} if document else {})}))
            else:
                duplicate.append(f"платёж {when:%d.%m.%Y} на {format_rub(amount)} руб.")
        if duplicate:
            result.duplicates.append(Problem(source, row.line, f"уже есть в деле № {row.number} "
                                                               f"({'; '.join(duplicate)}) — пропущено"))
        accepted.append((row, entries))
    return accepted


def _update(result: Plan, found: Existing, rows: list[Row], source: str, administrators: tuple[str, ...]) -> None:
    accepted = _entries_of(rows, _Entries(found.case), source, result)
    text = found.text
    for _, entries in accepted:
        for section, entry in entries:
            text = cardedit.append_entry(text, section, entry)
    if text == found.text:
        return
    path = found.folder / card_mod.CARD_NAME
    if _valid(text, f"{found.folder.name}/{card_mod.CARD_NAME}", administrators, [r for r, _ in accepted], source, result):
        result.updates[path] = text
        result.edits[path] = [row for row, entries in accepted if entries]
        result.lines[found.folder] = [row.line for row, entries in accepted if entries]
        result.imported += [row.line for row, entries in accepted if entries]


def _valid(text: str, shown: str, administrators: tuple[str, ...], rows: list[Row], source: str, result: Plan) -> bool:
    """The card as it would be written must pass `parse_card`; otherwise none of its rows goes in."""
    _, problems = card_mod.parse_card(text, shown, administrators)
    if not problems:
        return True
    reasons = "; ".join(f"{shown}:{p.line}: {p.message}" if p.line else f"{shown}: {p.message}" for p in problems)
    _reject(result, rows[:1], source, f"карточка дела № {rows[0].number} не прошла бы проверку: {reasons}")
    _reject(result, rows[1:], source, f"не загружена вместе с делом № {rows[0].number} (см. строку {rows[0].line})")
    return False


def _create(result: Plan, number: str, fields: dict, rows: list[Row], root_path: Path, source: str,
            administrators: tuple[str, ...]) -> None:
    missing = _missing_for_new(fields, rows)
    if missing:
        _reject(result, rows, source, f"для нового дела № {number} не заполнено: {', '.join(missing)}")
        return
    accepted = _entries_of(rows, _Entries(None), source, result)
    kind = fields["type"]
    name = _debtor_name(kind, fields)
    folder = root_path / folder_name(number, name)
    if (folder / card_mod.CARD_NAME).exists() or folder in result.new:
        _reject(result, rows, source, f"папка «{folder.name}» уже занята другим делом")
        return
    charges = [(e["период"], e["сумма"], e["срок_уплаты"]) for _, entries in accepted for s, e in entries
               if s == "начисления"]
    addresses = [(k, fields[f"address_{i}"]) for i, k in enumerate(ADDRESS_KINDS[kind], 1) if f"address_{i}" in fields]
    text = card_mod.new_card_text(
        number, fields.get("administrator") or administrators[0], fields["officer"], fields.get("phone", ""), kind,
        name, fields.get("inn", ""), addresses, fields["basis"], fields.get("basis_number", ""),
        f"{fields['basis_date']:%d.%m.%Y}" if "basis_date" in fields else "", fields["kbk"], charges)
    text = cardedit.set_debtor_fields(text, _debtor_extras(kind, fields))
    for _, entries in accepted:
        for section, entry in entries:
            if section == "платежи":
                text = cardedit.append_entry(text, section, entry)
    if _valid(text, f"{folder.name}/{card_mod.CARD_NAME}", administrators, [r for r, _ in accepted], source, result):
        result.new[folder] = text
        result.lines[folder] = [row.line for row, _ in accepted]
        result.imported += [row.line for row, entries in accepted if entries or not (row.charge or row.payment)]


def folder_name(number: str, debtor: str) -> str:
    """«2024-017 ООО Ромашка», «2024-021 ИП Петров Пётр»: Windows-safe, without quotes, not too long."""
    short = re.sub(r"^Индивидуальный предприниматель\b", "ИП", debtor)
    label = re.sub(r"[«»\"“”„]", "", f"{number} {short}")
    return sanitize_filename(label, platform="windows", max_len=120).strip()


def _missing_for_new(fields: dict, rows: list[Row]) -> list[str]:
    """Columns a new case cannot do without, by debtor type (the card's own rules, in registry terms)."""
    needed = ["type", "basis", "kbk", "officer", "address_1"]
    kind = fields.get("type")
    if kind == "юрлицо":
        needed += ["name", "inn"]
    elif kind in ("ип", "физлицо"):
        needed += ([] if kind == "ип" and "name" in fields else ["last_name", "first_name"])
        needed += ["inn"] if kind == "ип" else []
    missing = [f"«{BY_KEY[k].header}»" for k in needed if k not in fields]
    if not any(row.charge for row in rows):
        missing.append("начисление («Период», «Сумма начисления», «Срок уплаты»)")
    return missing


def _debtor_name(kind: str, fields: dict) -> str:
    person = " ".join(fields[k] for k in ("last_name", "first_name", "middle_name") if k in fields)
    if kind == "юрлицо":
        return fields["name"]
    if kind == "ип":
        return fields.get("name") or f"Индивидуальный предприниматель {person}"
    return person


def _debtor_extras(kind: str, fields: dict) -> dict[str, str]:
    """What `new_card_text` leaves out: the name parts of a person or ИП, the ОГРН (ОГРНИП)."""
    extras = {card_key: fields[key] for key, card_key in
              (("last_name", "фамилия"), ("first_name", "имя"), ("middle_name", "отчество"))
              if kind != "юрлицо" and key in fields}
    if "ogrn" in fields:
        extras["огрнип" if kind == "ип" else "огрн"] = fields["ogrn"]
    return extras


# --- import (shell) ---------------------------------------------------------------------------------

@dataclass
class ImportResult:
    rows: int  # data rows read
    imported: int  # rows whose charges or payments went in (or would, on a dry run)
    created: list[str]  # folder names of new cases
    updated: list[str]  # folder names of cases that got entries
    duplicates: list[Problem]
    problems: list[Problem]  # rows not imported
    notices: list[Problem]  # about the file's columns
    dry_run: bool
    resumed: bool = False  # this run completed an interrupted import of the same file
    unfinished: list[str] = field(default_factory=list)  # interrupted imports still to re-run, after this one


def import_registry(root: Root, path: Path, dry_run: bool = False) -> ImportResult:
    """Create and update case folders from a registry file: plan every row, then write case by case."""
    table = read_table(path)
    rows, problems = parse_rows(table.records, path.name, root.settings.chief_code)
    existing = existing_cases(root, {row.number for row in rows})
    result = plan(rows, existing, root.path, path.name, root.settings.administrators)
    created, updated = [f.name for f in result.new], [p.parent.name for p in result.updates]
    failed: list[Problem] = []
    resumed = False
    if not dry_run:
        created, updated, failed, resumed = _write(root, path, result)
    lost = {p.line for p in failed}
    return ImportResult(
        rows=len(table.records) + len({p.line for p in table.problems}),
        imported=len(set(result.imported) - lost), created=created, updated=updated,
        duplicates=result.duplicates,
        problems=sorted(table.problems + problems + result.problems + failed, key=lambda p: p.line or 0),
        notices=table.notices, dry_run=dry_run, resumed=resumed,
        unfinished=[state.message() for state in unfinished_imports(root.path)],
    )


def _write(root: Root, source: Path, result: Plan) -> tuple[list[str], list[str], list[Problem], bool]:
    """Write the plan, journalled: (folders created, folders updated, rows of cases not written, resumed).

    A case that cannot be written (its lock held too long, a full disk, an
    editor that made its card invalid meanwhile) is reported on its rows; the
    other cases are written, and the journal stays to say the import is not
    complete.
    """
    digest = sha256(source)
    interrupted = any(state.sha256 == digest for state in unfinished_imports(root.path))
    planned = [folder.name for folder in result.new] + [card.parent.name for card in result.edits]
    journal = Journal.start(root.path, source, digest, planned) if planned else None
    administrators = root.settings.administrators
    created: list[str] = []
    updated: list[str] = []
    failed: list[Problem] = []  # rows not written: their case failed, or they clash with the card as written
    complete = True
    steps = [(folder, lambda folder=folder, text=text: _create_card(folder, text, administrators))
             for folder, text in result.new.items()]
    steps += [(card.parent, lambda card=card, rows=rows: _update_card(card, rows, source.name, administrators))
              for card, rows in result.edits.items()]
    for folder, step in steps:
        try:
            failed += step()
        except (KezdocsError, OSError) as exc:
            reason = os_error_reason(exc) if isinstance(exc, OSError) else str(exc)
            failed += [Problem(source.name, line, f"дело «{folder.name}» не записано: {reason}")
                       for line in result.lines.get(folder, [])]
            complete = False
            continue
        journal.done(folder.name)
        (created if folder in result.new else updated).append(folder.name)
    if complete:
        finish_journal(root.path, source, digest)
    return created, updated, failed, interrupted


def _check(shown: str, administrators: tuple[str, ...]):
    """What the card writer asks of the text it is about to write: a card `parse_card` accepts."""
    return lambda text: card_mod.parse_card(text, shown, administrators)[1]


def _create_card(folder: Path, text: str, administrators: tuple[str, ...]) -> list[Problem]:
    """A new case's card, through the one card writer (it refuses to replace a card that is there)."""
    card_path = folder / card_mod.CARD_NAME
    cardfile.create_card(card_path, text, _check(f"{folder.name}/{card_mod.CARD_NAME}", administrators))
    return []


def _update_card(card_path: Path, rows: list[Row], source: str, administrators: tuple[str, ...]) -> list[Problem]:
    """Add the rows' charges and payments to the card as it is when written (under its lock); returns the
    rows that clash with what the card says by then.

    The entries are worked out again from the text the writer has just read: a
    payment a clerk recorded since the plan is kept, and a row that became a
    duplicate meanwhile is not added twice.
    """
    shown = f"{card_path.parent.name}/{card_mod.CARD_NAME}"
    late: list[Problem] = []

    def edit(text: str) -> str:
        case, _ = card_mod.parse_card(text, shown, administrators)
        scratch = Plan()
        for _, entries in _entries_of(rows, _Entries(case), source, scratch):
            for section, entry in entries:
                text = cardedit.append_entry(text, section, entry)
        late[:] = scratch.problems
        return text

    cardfile.update_card(card_path, edit, _check(shown, administrators), what="загрузка реестра")
    return late


def existing_cases(root: Root, numbers: set[str]) -> dict[str, list[Existing]]:
    """The cases with these numbers; a broken card is known by its folder name's first word (as import names
    folders). Only their cards' texts are read again, for the edits."""
    found: dict[str, list[Existing]] = {}
    for folder in root.case_folders():
        loaded = root.load(folder)
        number = loaded.case.number if loaded.case else loaded.name.split(" ", 1)[0]
        if number in numbers:
            text, _ = read_text(folder / card_mod.CARD_NAME, loaded.name)
            found.setdefault(number, []).append(Existing(folder, text, loaded.case))
    return found


def template_bytes() -> bytes:
    """The registry template shipped with the package (`kezdocs import --template FILE` writes it)."""
    return resources.files("kezdocs.data").joinpath(TEMPLATE_FILE).read_bytes()


def build_template() -> bytes:
    """Make the template: the empty «Реестр» sheet, the columns explained, an example (see templates/build_reports.py)."""
    sheet = Report("registry", "", REGISTRY_COLUMNS, (), numbered=False, sheet=SHEET)
    help_sheet = Report("registry", "Как заполнять реестр должников", HELP_COLUMNS,
                        tuple((f.header, f.help, f.example) for f in FIELDS), numbered=False, sheet="Описание",
                        notes=REGISTRY_NOTES)
    return workbook_bytes([sheet, help_sheet, Report("registry", "", REGISTRY_COLUMNS, EXAMPLE_ROWS, numbered=False,
                                                     sheet="Пример")])


REGISTRY_COLUMNS = tuple(Column(f.header, MONEY_OR_DATE.get(f.kind, "text"), max(12, min(len(f.header) + 4, 30)),
                                choices=TYPE_CHOICES if f.kind == "choice" else ()) for f in FIELDS)
HELP_COLUMNS = (Column("Столбец", width=30), Column("Что писать", width=90), Column("Пример", width=30))
REGISTRY_NOTES = (
    "Одна строка — одно начисление или один платёж; данные дела (должник, основание, КБК) достаточно указать в первой "
    "строке дела. Заполняйте лист «Реестр»; лист «Пример» показывает, как выглядит заполненный реестр.",
    "Повторная загрузка того же реестра ничего не удваивает: начисления и платежи, которые уже есть в деле, пропускаются. "
    "У существующего дела из реестра добавляются только начисления и платежи — остальное правится в карточке.",
    "CSV: «;» или «,» между столбцами, кодировка UTF-8 или Windows-1251, суммы с запятой (15000,50).",
)
EXAMPLE_ROWS = (
    ("2024-017", "Управление финансов", "юрлицо", "ООО «Ромашка»", None, None, None, "1831000019", "1021800000001",
     "427550, Удмуртская Республика, п. Кез, ул. Кирова, д. 1", None, "Договор аренды земельного участка", "12/2023",
     date(2023, 1, 10), "90111105035050000120", "I квартал 2024", Decimal("15000.00"), date(2024, 3, 10), None, None,
     None, "Петрова Анна Сергеевна", "8 (34158) 3-12-34"),
    ("2024-017", None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None,
     date(2024, 4, 2), Decimal("5000.00"), "п/п № 123", None, None),
)


# --- export (shell) ---------------------------------------------------------------------------------

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
    penalty = penalty_mod.for_case(case, today, root.rates).total
    a = stages.assess(case, today, root.calendar, root.settings.thresholds, penalty=penalty)  # the route counts it
    ledger = allocate(case.charges, case.payments)
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


def write_template(path: Path) -> Path:
    """Write the registry template (an .xlsx) where the user asked."""
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    write_bytes_atomic(path, template_bytes())
    return path


def result_json(result: ImportResult) -> dict:
    """The import's outcome for --json: counts, folders, and every row reported with its column."""
    def rows(problems: list[Problem]) -> list[dict]:
        return [{"line": p.line, "column": p.field, "message": p.message} for p in problems]

    return {"rows": result.rows, "imported": result.imported, "dry_run": result.dry_run,
            "created": result.created, "updated": result.updated, "duplicates": rows(result.duplicates),
            "problems": rows(result.problems), "notices": rows(result.notices), "resumed": result.resumed,
            "unfinished": result.unfinished}
