"""Reports as files: read the root, build the report (`reports`), write XLSX or DOCX atomically.

The shell around the pure `reports` module, one function per CLI command.
The default file goes to the root's «Отчёты» folder under a Russian name,
e.g. «Отчёт о просроченной задолженности на 2026-12-25.xlsx».
"""
from __future__ import annotations

import io
from datetime import date
from importlib import resources
from pathlib import Path

from docxtpl import DocxTemplate, Listing
from jinja2 import Environment, StrictUndefined
from pathvalidate import sanitize_filename

from . import reports
from .casefolder import Root
from .errors import KezdocsError
from .files import write_bytes_atomic
from .reports import Report
from .xlsx import workbook_bytes

REPORTS_DIR = "Отчёты"
FORMATS = ("xlsx", "docx")
FILE_NAMES = {
    "overdue": "Отчёт о просроченной задолженности на {when}",
    "measures": "Сводный отчёт о мерах по урегулированию задолженности на {when}",
    "inventory": "Инвентаризация расчётов с должниками {when}",
}


def organisation(root: Root, administrator: str | None) -> str:
    """The name in the report's heading: the administrator's full name from the settings, else the administration."""
    if administrator is None:
        return root.settings.name
    return next((a for a in root.settings.administrators if reports.same_administrator(a, administrator)),
                administrator)


def build(root: Root, kind: str, when: date | str, administrator: str | None = None) -> Report:
    """The report `kind` (overdue | measures | inventory) on a date, or for a quarter («2026-Q3»)."""
    if kind == "inventory":
        try:
            reports.parse_quarter(when)
        except ValueError as exc:
            raise KezdocsError(str(exc)) from None
    folders = [root.load(folder) for folder in root.case_folders()]
    heading = organisation(root, administrator)
    if kind == "overdue":
        return reports.overdue_report(folders, when, heading, administrator)
    if kind == "measures":
        return reports.measures_report(folders, when, heading, administrator)
    return reports.inventory_report(folders, when, root.rates, heading, administrator)


def write(root: Root, kind: str, when: date | str, administrator: str | None = None, fmt: str = "xlsx",
          out: Path | None = None) -> tuple[Path, Report]:
    """Build the report and write it (atomically) to `out` or to «Отчёты/<Russian name>.<fmt>»."""
    if fmt not in FORMATS:
        raise KezdocsError(f"формат «{fmt}» не поддерживается: xlsx или docx")
    report = build(root, kind, when, administrator)
    data = workbook_bytes([report]) if fmt == "xlsx" else docx_bytes(report)
    path = out or root.path / REPORTS_DIR / default_name(kind, when, administrator, fmt)
    write_bytes_atomic(path, data)
    return path, report


def default_name(kind: str, when: date | str, administrator: str | None, fmt: str) -> str:
    stem = FILE_NAMES[kind].format(when=when.isoformat() if isinstance(when, date) else when)
    if administrator:
        stem += f" — {administrator}"
    return sanitize_filename(f"{stem}.{fmt}", platform="windows", max_len=200)


def docx_bytes(report: Report) -> bytes:
    """The report in its DOCX template (docxtpl: autoescape, undefined names are errors)."""
    source = resources.files("kezdocs.templates").joinpath(f"report_{report.kind}.docx").read_bytes()
    template = DocxTemplate(io.BytesIO(source))
    kinds = [c.kind for c in report.columns]
    context = {
        "form": report.form,
        "title": report.title,
        "organisation": report.organisation,
        "caption": report.caption,
        "rows": [[Listing(reports.display(v, k)) for v, k in zip(row, kinds)] for row in report.rows],
        "totals": [reports.display(v, k) for v, k in zip(report.totals(), kinds)],
        "notes": list(report.notes),
        "skipped": [p.message for p in report.skipped],
    }
    template.render(context, jinja_env=Environment(undefined=StrictUndefined), autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
