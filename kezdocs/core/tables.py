"""A report as a layout-free table: columns, typed cells (text, `date`, `Decimal`), totals; the same table cleaned
of what a file cannot hold (`clean`), shown cell by cell (`display`) and in machine form (`to_json`).

What `xlsx`, `report_files` and `registry` render; the regulation's reports that fill it are `reports`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from kezdocs.core.model import Problem
from kezdocs.core.money import ZERO, as_text, format_rub

RATIO_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Column:
    """A column of a table. `total`: "sum", or ("ratio", numerator index, denominator index)."""

    title: str
    kind: str = "text"  # text | date | money | ratio
    width: int = 14
    total: str | tuple | None = None
    choices: tuple[str, ...] = ()  # for a column a clerk fills in (a drop-down list in Excel)


@dataclass(frozen=True)
class Report:
    """A table with its heading: what both the XLSX and the DOCX show."""

    kind: str  # overdue | measures | inventory | export | registry
    title: str  # the form's name, with the date
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]
    organisation: str = ""  # the administrator the report is about
    caption: str = ""  # the form's caption under the organisation line
    form: str = ""  # «Приложение № 2 к …»
    numbered: bool = True  # the form's row of column numbers
    notes: tuple[str, ...] = ()
    skipped: tuple[Problem, ...] = ()  # cases left out because their card is broken
    sheet: str = "Отчёт"
    refs: tuple[str, ...] = ()  # per row, the case(s) it comes from: how a problem with a cell names them
    failed: tuple[Problem, ...] = ()  # cases left out because they could not be read or computed
    warnings: tuple[Problem, ...] = ()  # what `clean` had to change in a cell

    def totals(self) -> tuple[Decimal | None, ...]:
        """The totals row as values (the XLSX writes the same as formulas)."""
        sums = [
            sum((r[i] for r in self.rows if r[i] is not None), ZERO) if c.total == "sum" else None
            for i, c in enumerate(self.columns)
        ]
        for i, c in enumerate(self.columns):
            if isinstance(c.total, tuple):
                sums[i] = ratio(sums[c.total[1]], sums[c.total[2]])
        return tuple(sums)

    @property
    def has_totals(self) -> bool:
        return any(c.total for c in self.columns)



def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator to 4 places; None where the denominator is zero (no coefficient)."""
    if numerator is None or not denominator:
        return None
    return (numerator / denominator).quantize(RATIO_PLACES)



# --- text a file can hold ---------------------------------------------------------------------------

# C0 controls but tab, line feed and carriage return; DEL and C1; lone surrogates (a file name that is not
# UTF-8); the two non-characters. XML — so XLSX and DOCX — cannot hold them (openpyxl raises on them).
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> tuple[str, list[str]]:
    """The text without the characters a spreadsheet or document cannot hold, and their codes («U+0000»)."""
    found = CONTROL_CHARS.findall(text)
    if not found:
        return text, []
    return CONTROL_CHARS.sub("", text), sorted({f"U+{ord(c):04X}" for c in found})


def clean(report: Report) -> Report:
    """The report with every text cell cleaned (`clean_text`); what was removed is in `warnings`, naming the
    case (`refs`) and the column, so the clerk can fix the card. Never raises on a cell's text."""
    warnings: list[Problem] = []

    def text(value, ref: str, column: str):
        if not isinstance(value, str):
            return value
        cleaned, removed = clean_text(value)
        if removed:
            warnings.append(Problem(ref, None, f"в поле «{column}» удалены недопустимые символы ({', '.join(removed)})"
                                               " — они не могут храниться в файле; исправьте карточку дела", column))
        return cleaned

    sheet = f"лист «{report.sheet}»"
    rows = tuple(
        tuple(text(v, report.refs[i] if i < len(report.refs) else sheet, c.title) for v, c in zip(row, report.columns))
        + row[len(report.columns):]
        for i, row in enumerate(report.rows))
    heading = {name: text(getattr(report, name), sheet, "заголовок") for name in ("title", "organisation", "caption",
                                                                                   "form")}
    notes = tuple(text(n, sheet, "примечания") for n in report.notes)
    skipped, failed = ([replace(p, message=text(p.message, sheet, "примечания")) for p in problems]
                       for problems in (report.skipped, report.failed))
    return replace(report, rows=rows, notes=notes, skipped=tuple(skipped), failed=tuple(failed), **heading,
                   warnings=report.warnings + tuple(dict.fromkeys(warnings)))


# --- machine form ---------------------------------------------------------------------------------

def to_json(report: Report) -> dict:
    """Amounts as strings with two places, dates ISO, ratios as strings."""
    return {
        "report": report.kind,
        "title": report.title,
        "organisation": report.organisation,
        "columns": [c.title for c in report.columns],
        "rows": [[_json_cell(v) for v in row] for row in report.rows],
        "totals": [_json_cell(v) for v in report.totals()] if report.has_totals else None,
        "skipped": [str(p) for p in report.skipped],
        "failed": [str(p) for p in report.failed],
        "warnings": [str(p) for p in report.warnings],
    }


def _json_cell(value):
    if isinstance(value, Decimal):
        return as_text(value) if value.as_tuple().exponent >= -2 else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def display(value, kind: str) -> str:
    """A cell as a document shows it: «15 000,00», «10.03.2024», «1,25»."""
    if value is None or value == "":
        return ""
    if kind == "money":
        return format_rub(value)
    if kind == "ratio":
        return f"{value:.2f}".replace(".", ",")
    if kind == "date":
        return f"{value:%d.%m.%Y}"
    return str(value)
