"""Reports as files: read the root, build the report (`reports`), write XLSX or DOCX atomically.

The shell around the pure `reports` module, one function per CLI command.
The default file goes to the root's «Отчёты» folder under a Russian name,
e.g. «Отчёт о просроченной задолженности на 2026-12-25.xlsx».

One case folder that cannot be read does not stop a report: it is left out,
named in `Report.failed` (the CLI names it; the file only counts the cases left
out), and the command exits 1 after writing the report of the others.
"""
from __future__ import annotations

import io
import os
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path

from docxtpl import DocxTemplate, Listing
from jinja2 import Environment, StrictUndefined
from pathvalidate import sanitize_filename

from kezdocs.core import reports
from kezdocs.core.card import CARD_NAME
from kezdocs.core.errors import KezdocsError
from kezdocs.core.model import Problem
from kezdocs.core.names import shown_name
from kezdocs.core.tables import Report, clean, display
from kezdocs.folders.casefolder import Root
from kezdocs.folders.files import write_bytes_atomic
from kezdocs.paperwork.xlsx import workbook_bytes

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
    folders, failed = load_cases(root)
    heading = organisation(root, administrator)
    if kind == "overdue":
        report = reports.overdue_report(folders, when, heading, administrator)
    elif kind == "measures":
        report = reports.measures_report(folders, when, heading, administrator)
    else:
        report = reports.inventory_report(folders, when, root.rates, heading, administrator)
    return replace(report, failed=tuple(failed) + report.failed)


def load_cases(root: Root) -> tuple[list, list[Problem]]:
    """Every case folder that can be read, and a problem for each one that cannot (others go on).

    A card with errors is still a loaded folder (the report lists it as skipped);
    a card or folder the system will not let us read is a failure of that case.
    """
    case_folders = root.case_folders()
    loaded, failed = reports.guarded(case_folders, root.load,
                                     lambda folder: f"папка «{shown_name(folder.name)}»",
                                     "не включено в отчёт — не удалось прочитать дело")
    folders = []
    for folder, case_folder in loaded:
        reason = None if case_folder.case is not None else _unreadable(folder / CARD_NAME)
        if reason:
            failed.append(Problem(f"папка «{case_folder.name}»", None,
                                  f"не включено в отчёт — карточку не удаётся прочитать: {reason}"))
        else:
            folders.append(case_folder)
    return folders, failed + _closed_folders(root, {folder.name for folder in case_folders})


def _unreadable(path) -> str | None:
    """Why the file cannot be opened for reading, or None when it can."""
    try:
        with open(path, "rb"):
            return None
    except OSError as exc:
        return exc.strerror or str(exc)


def _closed_folders(root: Root, cases: set[str]) -> list[Problem]:
    """Folders under the root the system will not let us look into: they may be cases, so say so."""
    closed = []
    try:
        entries = list(os.scandir(root.path))
    except OSError:
        return []
    for entry in entries:
        if entry.name in cases or entry.name.startswith(".") or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            os.lstat(os.path.join(entry.path, CARD_NAME))
        except FileNotFoundError:
            continue
        except OSError as exc:
            closed.append(Problem(f"папка «{shown_name(entry.name)}»", None, "не включена в отчёт — папку не удаётся "
                                                                        f"прочитать: {exc.strerror or exc}"))
    return closed


def write(root: Root, kind: str, when: date | str, administrator: str | None = None, fmt: str = "xlsx",
          out: Path | None = None) -> tuple[Path, Report]:
    """Build the report and write it (atomically) to `out` or to «Отчёты/<Russian name>.<fmt>»."""
    if fmt not in FORMATS:
        raise KezdocsError(f"формат «{fmt}» не поддерживается: xlsx или docx")
    report = clean(build(root, kind, when, administrator))
    data = workbook_bytes([report]) if fmt == "xlsx" else docx_bytes(report)
    path = out or root.path / REPORTS_DIR / default_name(kind, when, administrator, fmt)
    write_bytes_atomic(path, data)
    return path, report


def default_name(kind: str, when: date | str, administrator: str | None, fmt: str) -> str:
    stem = FILE_NAMES[kind].format(when=when.isoformat() if isinstance(when, date) else when)
    if administrator:
        stem += f" — {administrator}"
    return sanitize_filename(f"{stem}.{fmt}", platform="windows", max_len=200)


def _no_break(text: str) -> str:
    """«№ 12/2023» never breaks between the sign and the number on the printed page (the XLSX keeps plain spaces,
    which a clerk searches by)."""
    return text.replace("№ ", "№\u00a0")


def docx_bytes(report: Report) -> bytes:
    """The report in its DOCX template (docxtpl: autoescape, undefined names are errors)."""
    report = clean(report)
    source = resources.files("kezdocs.templates").joinpath(f"report_{report.kind}.docx").read_bytes()
    template = DocxTemplate(io.BytesIO(source))
    kinds = [c.kind for c in report.columns]
    context = {
        "form": report.form,
        "title": report.title,
        "organisation": report.organisation,
        "caption": report.caption,
        "rows": [[Listing(_no_break(display(v, k))) for v, k in zip(row, kinds)] for row in report.rows],
        "totals": [display(v, k) for v, k in zip(report.totals(), kinds)],
        "notes": list(report.notes),
        # how many cases were left out, never why: the reasons are the CLI's (issue 14, items 11, 15)
        "left_out": len(report.skipped) + len(report.failed),
    }
    template.render(context, jinja_env=Environment(undefined=StrictUndefined), autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
