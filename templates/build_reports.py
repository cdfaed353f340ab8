"""Build the DOCX templates of the reports (`report_overdue.docx`, `report_measures.docx`,
`report_inventory.docx`) and the debtor registry template (`kezdocs/data/реестр_шаблон.xlsx`).

Run from the repository root: `.venv/bin/python -m templates.build_reports`.
The column titles come from `kezdocs.reports`, so a template never disagrees
with the XLSX of the same report. Each template is a landscape page in the
layout of the regulation's form: the form's reference, the title with the
date, the administrator's name with its caption, the table (header, the row
of column numbers, one row per debtor via docxtpl's `{%tr %}`, «Итого»),
then the notes and the number of cases left out (never their reasons: those are for the CLI). Rendered with docxtpl (autoescape,
StrictUndefined) by `kezdocs.report_files`.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from kezdocs.core.reports import INVENTORY_COLUMNS, MEASURES_COLUMNS, OVERDUE_COLUMNS
from kezdocs.core.tables import Column
from kezdocs.folders.files import write_bytes_atomic
from kezdocs.paperwork import registry

from .layout import cant_split, repeat_header, stable_bytes

HERE = Path(__file__).resolve().parent
REGISTRY_TEMPLATE = HERE.parent / "kezdocs" / "data" / registry.TEMPLATE_FILE
TEMPLATES = {
    "report_overdue.docx": OVERDUE_COLUMNS,
    "report_measures.docx": MEASURES_COLUMNS,
    "report_inventory.docx": INVENTORY_COLUMNS,
}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
BUILT_AT = b"2026-01-01T00:00:00Z"
CORE_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(29.7), Cm(21.0), Cm(1.0)
CELL_MARGIN = Mm(0.8)  # left and right in every cell: the columns' widths go to the text
MANY_COLUMNS = 10  # a table wider than this is set in 8 pt, a narrower one in 9 pt
ALIGN = {"money": WD_ALIGN_PARAGRAPH.RIGHT, "ratio": WD_ALIGN_PARAGRAPH.RIGHT, "date": WD_ALIGN_PARAGRAPH.CENTER,
         "text": WD_ALIGN_PARAGRAPH.LEFT}


def build(folder: Path = HERE) -> list[Path]:
    """Write the report templates into `folder` (the package's `templates/` by default), byte-stable: fixed zip
    entry times, so an unchanged template rebuilds to the same bytes (tests/test_templates_sync.py checks it)."""
    written = []
    for name, columns in TEMPLATES.items():
        path = folder / name
        write_bytes_atomic(path, stable_bytes(template(columns)))
        written.append(path)
    return written


def build_registry_template(path: Path = REGISTRY_TEMPLATE) -> Path:
    """Write the registry template, byte-stable like the DOCX ones."""
    write_bytes_atomic(path, registry_template_bytes())
    return path


def registry_template_bytes() -> bytes:
    """`registry.build_template` with the clock taken out: openpyxl stamps the time of saving into
    docProps/core.xml and into every zip entry, so both are pinned."""
    with zipfile.ZipFile(io.BytesIO(registry.build_template())) as src, io.BytesIO() as out:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "docProps/core.xml":
                    data = CORE_TIME.sub(rb"\g<1>" + BUILT_AT + rb"\g<2>", data)
                dst.writestr(zipfile.ZipInfo(info.filename, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
        return out.getvalue()


def template(columns: tuple[Column, ...]) -> Document:
    doc = Document()
    _page(doc)
    _paragraph(doc, "{{ form }}", WD_ALIGN_PARAGRAPH.RIGHT, size=9, italic=True)
    _paragraph(doc, "{{ title }}", WD_ALIGN_PARAGRAPH.CENTER, size=12, bold=True)
    _paragraph(doc, "{{ organisation }}", WD_ALIGN_PARAGRAPH.CENTER, underline=True)
    _paragraph(doc, "{{ caption }}", WD_ALIGN_PARAGRAPH.CENTER, size=8, italic=True)
    _table(doc, columns)
    _paragraph(doc, "{%p for note in notes %}", size=9)
    _paragraph(doc, "{{ note }}", size=9)
    _paragraph(doc, "{%p endfor %}", size=9)
    # The cases left out are counted, not explained: the reasons («…/дело.yaml:17: неизвестное поле…», an
    # exception's text) are the program's words for the user, who sees them in the CLI; a report is an official
    # paper for the head of the department.
    _paragraph(doc, "{%p if left_out %}", size=9)
    _paragraph(doc, "Дел, не включённых в отчёт: {{ left_out }}.", size=9)
    _paragraph(doc, "{%p endif %}", size=9)
    # The signature line: the places for the signature and its transcript under tab stops (no runs of spaces);
    # it keeps with its caption, and the empty line before it keeps with both.
    tabs = (Cm(4.5), Cm(8.5), Cm(9.0), Cm(15.0))
    _paragraph(doc, "", keep=True)
    _paragraph(doc, "Ответственное лицо\t_______________\t/\t____________________\t/", tabs=tabs, keep=True)
    _paragraph(doc, "\t(подпись)\t\t(расшифровка подписи)", size=8, italic=True, tabs=tabs)
    return doc


def _page(doc: Document) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(11)
    style.paragraph_format.space_after = Pt(0)


def table_font(columns: tuple[Column, ...]) -> float:
    """The type size of a report's table: 8 pt for the wide inventory, 9 pt for the forms of Приложения 2 and 3."""
    return 8 if len(columns) > MANY_COLUMNS else 9


def column_widths(columns: tuple[Column, ...]) -> list[int]:
    """Each column's width on the page (EMU): the columns' widths scaled to the width between the margins."""
    usable = PAGE_WIDTH - 2 * MARGIN
    total_width = sum(c.width for c in columns)
    return [int(usable * c.width / total_width) for c in columns]


def _table(doc: Document, columns: tuple[Column, ...]) -> None:
    table = doc.add_table(rows=6, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table)
    size = table_font(columns)
    header, numbers, loop_start, data, loop_end, totals = table.rows
    for i, (column, width) in enumerate(zip(columns, column_widths(columns))):
        table.columns[i].width = width  # the grid, which LibreOffice and Word lay out by
        for row in table.rows:
            row.cells[i].width = width
        _cell(header.cells[i], column.title, WD_ALIGN_PARAGRAPH.CENTER, size, bold=True, keep=True)
        _cell(numbers.cells[i], str(i + 1), WD_ALIGN_PARAGRAPH.CENTER, size, keep=True)
        _cell(data.cells[i], f"{{{{ row[{i}] }}}}", ALIGN[column.kind], size)
        total = "Итого" if i == 0 else (f"{{{{ totals[{i}] }}}}" if column.total else "")
        _cell(totals.cells[i], total, ALIGN[column.kind], size, bold=True)
    _cell(loop_start.cells[0], "{%tr for row in rows %}", WD_ALIGN_PARAGRAPH.LEFT, size)
    _cell(loop_end.cells[0], "{%tr endfor %}", WD_ALIGN_PARAGRAPH.LEFT, size)
    # the header and the row of column numbers repeat on every page; no row is split between two pages
    for row in (header, numbers):
        repeat_header(row)
    for row in table.rows:
        cant_split(row)


def _cell_margins(table) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(int(CELL_MARGIN.twips)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)


def _cell(cell, text: str, align, size: float, bold: bool = False, keep: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.keep_with_next = keep
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _paragraph(doc: Document, text: str, align=WD_ALIGN_PARAGRAPH.LEFT, size: int = 11, bold: bool = False,
               italic: bool = False, underline: bool = False, tabs: tuple = (), keep: bool = False) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.keep_with_next = keep
    for position in tabs:
        paragraph.paragraph_format.tab_stops.add_tab_stop(position, WD_TAB_ALIGNMENT.LEFT)
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline


if __name__ == "__main__":
    for written in [*build(), build_registry_template()]:
        print(f"записан шаблон: {written}")
