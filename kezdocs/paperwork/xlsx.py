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
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
EMPTY_ROWS_STYLED = 1000  # rows of an empty registry sheet that get the column formats and choices
# What makes a spreadsheet read a typed-in text as a formula (OWASP «CSV injection»).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
        _cell(ws, row, col, column.title, font=Font(bold=True), alignment=CENTRE)
        ws.column_dimensions[get_column_letter(col)].width = column.width
    if report.numbered:
        row += 1
        for col in range(1, width + 1):
            _cell(ws, row, col, col, alignment=CENTRE)
    first = row + 1
    for values in report.rows:
        row += 1
        for col, (column, value) in enumerate(zip(report.columns, values), 1):
            _value(ws, row, col, column, value)
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
        ws.row_dimensions[row].height = 15 * (1 + len(text) // (sum(c.width for c in report.columns) or 1))
        row += 1
    return row + 1 if row > 1 else row


def _value(ws, row: int, col: int, column: Column, value) -> None:
    if isinstance(value, date) or column.kind in ("money", "ratio"):
        _cell(ws, row, col, value, number_format=FORMATS.get(column.kind, FORMATS["date"]))
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


def _notes(ws, report: Report, row: int, width: int) -> None:
    lines = [*report.notes]
    if report.skipped:
        lines.append("Не включены в отчёт (исправьте карточки и сформируйте отчёт заново):")
        lines += [f"— {p.message}" for p in report.skipped]
    if report.failed:
        lines.append("Не включены в отчёт из-за ошибки (исправьте и сформируйте отчёт заново):")
        lines += [f"— {p}" for p in report.failed]
    for text in lines:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        _cell(ws, row, 1, text, font=Font(size=9), alignment=WRAP_TOP, border=None)
        ws.row_dimensions[row].height = 13 * (1 + len(text) // max(sum(c.width for c in report.columns), 1))
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
