"""Reports and registries as Excel workbooks (openpyxl), returned as bytes.

What an office expects of a form in Excel: title rows naming the form, the
administrator and the date; the header frozen; the form's row of column
numbers; real number and date cells in Russian formats; totals as `=SUM()`
formulas; column widths; landscape printing, one page wide. The caller
writes the bytes atomically (`files.write_bytes_atomic`).

Every text is stored as a text cell, whatever it starts with: a debtor named
`=HYPERLINK(…)` or `+7 …` is shown as written and never evaluated (the
cell's type is "s", and a value that Excel would read as a formula when
edited gets the quote-prefix style). Only kezdocs' own totals are formulas.
Characters XML cannot hold are taken out first (`tables.clean`, which says
which case and column lost what).
"""
from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kezdocs.core.tables import CONTROL_CHARS, Column, Report, clean

FORMATS = {"money": "#,##0.00", "date": "DD.MM.YYYY", "ratio": "0.00", "text": "@"}
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")  # a number beside a wrapped text stands on its first line
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
EMPTY_ROWS_STYLED = 1000  # rows of an empty registry sheet that get the column formats and choices
# What makes a spreadsheet read a typed-in text as a formula (OWASP «CSV injection»).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER_SIZE = 9  # the column titles: their longest words («администратора», «классификацией») fit the columns
# Characters of a wrapped 11-point text per unit of column width (a unit is a digit of the default font; Cyrillic
# letters are wider), on the safe side; a bold or larger text takes fewer.
CHARS_PER_WIDTH = 0.85


def workbook_bytes(reports: list[Report]) -> bytes:
    """One sheet per report, in order. Each report is `clean`ed first: callers that report what was removed
    clean it themselves beforehand (cleaning twice changes nothing)."""
    wb = Workbook()
    wb.remove(wb.active)
    for report in reports:
        _sheet(wb, clean(report))
    wb.properties.creator = "kezdocs"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _sheet(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet(report.sheet[:31])
    width = len(report.columns)
    row = _heading(ws, report, width)
    header_row = row
    for col, column in enumerate(report.columns, 1):
        _cell(ws, row, col, column.title, font=Font(bold=True, size=HEADER_SIZE), alignment=CENTRE)
        ws.column_dimensions[get_column_letter(col)].width = column.width
    # LibreOffice and Excel do not grow a row for wrapped text on opening a file: the heights are set here
    _fit_height(ws, row, [(c.title, c.width) for c in report.columns], size=HEADER_SIZE, bold=True)
    if report.numbered:
        row += 1
        for col in range(1, width + 1):
            _cell(ws, row, col, col, alignment=CENTRE)
    first = row + 1
    for values in report.rows:
        row += 1
        for col, (column, value) in enumerate(zip(report.columns, values), 1):
            _value(ws, row, col, column, value)
        _fit_height(ws, row, [(v, c.width) for v, c in zip(values, report.columns) if isinstance(v, str)])
    ws.freeze_panes = ws.cell(first, 1)
    if report.has_totals:
        row += 1
        _totals(ws, report, row, first)
    if not report.rows and not report.has_totals:
        _style_empty(ws, report.columns, first)
    _notes(ws, report, row + 2, width)
    if not report.numbered and report.rows:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(width)}{header_row + len(report.rows)}"
    ws.print_title_rows = f"{header_row}:{first - 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _heading(ws, report: Report, width: int) -> int:
    """The form's reference, title, organisation and caption; returns the header row."""
    lines = [
        (report.form, Font(italic=True, size=9), Alignment(horizontal="right", wrap_text=True)),
        (report.title, Font(bold=True, size=12), CENTRE),
        (report.organisation, Font(underline="single"), CENTRE),
        (report.caption, Font(italic=True, size=8), CENTRE),
    ]
    row = 1
    for text, font, alignment in lines:
        if not text:
            continue
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        _cell(ws, row, 1, text, font=font, alignment=alignment, border=None)
        ws.row_dimensions[row].height = _height(text, sum(c.width for c in report.columns), font.size or 11,
                                                font.bold)
        row += 1
    return row + 1 if row > 1 else row


def _value(ws, row: int, col: int, column: Column, value) -> None:
    if isinstance(value, date) or column.kind in ("money", "ratio"):
        _cell(ws, row, col, value, number_format=FORMATS.get(column.kind, FORMATS["date"]), alignment=TOP)
    else:
        _cell(ws, row, col, value, number_format=FORMATS["text"], alignment=WRAP_TOP)


def _totals(ws, report: Report, row: int, first: int) -> None:
    """«Итого» with formulas: =SUM() down a column; a ratio of two totals (blank when the divisor is 0)."""
    last = row - 1
    _cell(ws, row, 1, "Итого", font=Font(bold=True))
    for col, column in enumerate(report.columns, 1):
        letter = get_column_letter(col)
        if column.total == "sum":
            formula = f"=SUM({letter}{first}:{letter}{last})" if report.rows else 0
            _formula(ws, row, col, formula, number_format=FORMATS["money"], font=Font(bold=True))
        elif isinstance(column.total, tuple):
            num, den = (f"{get_column_letter(i + 1)}{row}" for i in column.total[1:])
            _formula(ws, row, col, f'=IF({den}=0,"",ROUND({num}/{den},4))', number_format=FORMATS["ratio"],
                     font=Font(bold=True))
        elif col > 1:
            _cell(ws, row, col, None)


def _lines(text: str, width: float, size: float = 11, bold: bool = False) -> int:
    """How many lines a text takes wrapped word by word in a column of `width` (its own line breaks count)."""
    capacity = max(width * CHARS_PER_WIDTH * 11 / size * (0.9 if bold else 1), 1)
    count = 0
    for part in text.split("\n"):
        count, line = count + 1, 0
        for word in part.split():
            if line and line + 1 + len(word) <= capacity:
                line += 1 + len(word)
            else:
                count, line = count + (1 if line else 0), len(word)
            while line > capacity:  # a word longer than the line is broken
                count, line = count + 1, line - capacity
    return count


def _height(text: str, width: float, size: float = 11, bold: bool = False) -> float:
    """Points of a row holding `text` wrapped in `width`: LibreOffice and Excel do not grow a row for wrapped text
    when they open a file, so the height is written."""
    return _lines(text, width, size, bold) * size * 1.35


def _fit_height(ws, row: int, texts: list[tuple[str, float]], size: float = 11, bold: bool = False) -> None:
    height = max((_height(text, width, size, bold) for text, width in texts), default=0)
    if height > size * 1.35:
        ws.row_dimensions[row].height = height


def _notes(ws, report: Report, row: int, width: int) -> None:
    lines = [*report.notes]
    # The cases left out are counted, not explained: the reasons («…/дело.yaml:17: неизвестное поле…», an
    # exception's text) are the program's words for the user, who sees them in the CLI (issue 14, items 11, 15).
    left_out = len(report.skipped) + len(report.failed)
    if left_out:
        lines.append(f"Дел, не включённых в отчёт: {left_out}.")
    for text in lines:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        _cell(ws, row, 1, text, font=Font(size=9), alignment=WRAP_TOP, border=None)
        ws.row_dimensions[row].height = _height(text, sum(c.width for c in report.columns), 9)
        row += 1


def _style_empty(ws, columns: tuple[Column, ...], first: int) -> None:
    """An empty sheet to fill in (the registry template): formats and drop-down choices per column."""
    last = first + EMPTY_ROWS_STYLED - 1
    for col, column in enumerate(columns, 1):
        letter = get_column_letter(col)
        for row in range(first, last + 1):
            ws.cell(row, col).number_format = FORMATS.get(column.kind, FORMATS["text"])
        if column.choices:
            rule = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True)
            rule.error, rule.errorTitle = f"Допустимо: {', '.join(column.choices)}", column.title
            ws.add_data_validation(rule)
            rule.add(f"{letter}{first}:{letter}{last}")


def _cell(ws, row: int, col: int, value, number_format: str | None = None, font: Font | None = None,
          alignment: Alignment | None = None, border: Border | None = BOX):
    """A value cell: numbers and dates as they are, any text as a text cell (never a formula)."""
    if isinstance(value, str):
        value = CONTROL_CHARS.sub("", value)  # already done by `clean`; openpyxl would raise on them
        cell = ws.cell(row, col, value)
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True  # Excel keeps it text even when the clerk edits the cell
    else:
        cell = ws.cell(row, col, value)
    return _style(cell, number_format, font, alignment, border)


def _formula(ws, row: int, col: int, formula, number_format: str | None = None, font: Font | None = None,
             alignment: Alignment | None = None, border: Border | None = BOX):
    """kezdocs' own formula (a total): the only place a cell may become one."""
    return _style(ws.cell(row, col, formula), number_format, font, alignment, border)


def _style(cell, number_format: str | None, font: Font | None, alignment: Alignment | None, border: Border | None):
    if number_format:
        cell.number_format = number_format
    if font:
        cell.font = font
    if alignment:
        cell.alignment = alignment
    if border:
        cell.border = border
    return cell
