"""A registry file read: its data rows by line (XLSX, or CSV through `registry_csv`), then every cell as its
column wants it; a bad cell is reported with its row and column, and its row is left out."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
from stdnum.exceptions import ValidationError
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from kezdocs.core import card as card_mod
from kezdocs.core.dates import parse_date
from kezdocs.core.errors import KezdocsError
from kezdocs.core.model import Problem
from kezdocs.core.money import kopecks, parse_amount
from kezdocs.core.tables import CONTROL_CHARS
from kezdocs.paperwork.registry import BY_KEY, CASE_KEYS, DEBTOR_TYPES, HEADERS, SHEET, TYPE_CHOICES, Field, norm_header
from kezdocs.paperwork.registry_csv import Broken, broken_problems, csv_rows

HEADER_SEARCH_ROWS = 20


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
            lines, broken = csv_rows(path.read_bytes())
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


def _records(table: list[tuple[int, list]], broken: list[Broken], source: str) -> Table:
    start = next((i for i, (_, row) in enumerate(table[:HEADER_SEARCH_ROWS])
                  if any(norm_header(c) == norm_header("Номер дела") for c in row if c is not None)), None)
    if start is None:
        raise KezdocsError(f"в реестре «{source}» нет строки заголовков со столбцом «Номер дела» "
                           f"(образец: kezdocs import --template реестр.xlsx)")
    header_line, header = table[start]
    columns, notices = {}, []
    for index, header in enumerate(header):
        if header is None or not str(header).strip():
            continue
        found = HEADERS.get(norm_header(header))
        if found is None:
            hint = difflib.get_close_matches(norm_header(header), list(HEADERS), n=1, cutoff=0.6)
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
    return Table(rows, notices, broken_problems([b for b in broken if b.last > header_line], headers, source))


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
