"""Layout of the reports (issue 14, item 15): no number or word broken in a column of the DOCX, the XLSX readable
as LibreOffice opens it, the measures listed once, the column for the ГИС ГМП reconciliation of п. 3.2, and no
program text in the file.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from kezdocs.core import reports
from kezdocs.core.model import Event
from kezdocs.core.stages import assess
from kezdocs.folders.casefolder import open_root
from kezdocs.paperwork.libreoffice import convert_to_pdf, soffice
from kezdocs.paperwork.report_files import build, docx_bytes, write
from kezdocs.templates import build_reports

FONTS = Path("/usr/share/fonts/truetype/liberation")  # Liberation Serif: the metrics of Times New Roman
EMU_PER_MM = 36000
SAFETY = 0.5  # mm left over in every column after its longest word
# What must stay on one line in a column, by the column's kind (samples as wide as real values get).
VALUES = {"money": "1 240 000,00", "date": "30.06.2026", "ratio": "10,00"}
TEXT_VALUES = {"Номер дела": "2026-010", "ИНН": "183100000010", "Код бюджетной классификации": "90111105012140000120",
               "Код в соответствии с бюджетной классификацией": "90111105012140000120",
               "Код доходов в соответствии с бюджетной классификацией": "90111105012140000120",
               "Должник": "предприниматель", "Оценка": "сомнительная", "Сверка с ГИС ГМП (п. 3.2)": "30.09.2026"}


def _font(bold: bool):
    pil = pytest.importorskip("PIL.ImageFont")
    path = FONTS / ("LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf")
    if not path.is_file():
        pytest.skip("Liberation Serif is not installed")
    return pil.truetype(str(path), 1000)


def width_mm(text: str, size: float, bold: bool = False) -> float:
    return _font(bold).getlength(text) / 1000 * size * 25.4 / 72


@pytest.mark.parametrize("columns", [reports.OVERDUE_COLUMNS, reports.MEASURES_COLUMNS, reports.INVENTORY_COLUMNS],
                         ids=["overdue", "measures", "inventory"])
def test_every_header_word_and_value_fits_its_column(columns):
    # «коэффициентах», «классификации», a 20-digit КБК, «1 240 000,00», a date: broken over two lines they are
    # misread (the old Приложение 2 broke «коэффициентах», the inventory «30.06.2 026» and the КБК)
    size = build_reports.table_font(columns)
    margins = 2 * build_reports.CELL_MARGIN / EMU_PER_MM
    for column, width in zip(columns, build_reports.column_widths(columns)):
        room = width / EMU_PER_MM - margins
        word = max(column.title.split(), key=lambda w: width_mm(w, size, bold=True))
        assert width_mm(word, size, bold=True) + SAFETY <= room, (column.title, word, round(room, 1))
        value = VALUES.get(column.kind) or TEXT_VALUES.get(column.title)
        if value:
            bold = column.total is not None  # the totals row is bold
            assert width_mm(value, size, bold=bold) + SAFETY <= room, (column.title, value, round(room, 1))


@pytest.mark.parametrize("name", sorted(build_reports.TEMPLATES))
def test_the_report_template_table_repeats_its_header_and_keeps_its_rows_whole(name):
    doc = Document(str(build_reports.HERE / name))
    table = doc.tables[0]
    widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) <= (build_reports.PAGE_WIDTH - 2 * build_reports.MARGIN) / 635 + len(widths)  # twips
    header, numbers = table.rows[0], table.rows[1]
    for row in (header, numbers):
        assert row._tr.trPr.find(qn("w:tblHeader")) is not None  # on every page
    for row in table.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "  " not in text  # the signature line is laid out by tab stops, not by runs of spaces
    assert "{{ left_out }}" in text


# --- the reports of a root ---------------------------------------------------------------------------------------

CARD = """номер: {number}
администратор: Администрация муниципального образования
ответственный: {{фио: Петрова А. А.}}
должник:
  тип: юрлицо
  наименование: ООО «Ромашка»
  инн: "1831000001"
  адреса: [{{вид: по ЕГРЮЛ, адрес: "п. Кез, ул. Кирова, 1"}}]
основание: {{документ: Договор аренды, номер: '12/2023', дата: 10.01.2023}}
код_дохода: "90111105035050000120"
неустойка: {{способ: процент в день, ставка: 0.1}}
начисления:
  - {{период: I квартал 2026, сумма: 240000, срок_уплаты: 10.03.2026}}
платежи: []
события:
  - {{дата: 15.03.2026, событие: претензия направлена}}
  - {{дата: 15.03.2026, событие: претензия направлена}}
  - {{дата: 20.04.2026, событие: служебная записка направлена}}
"""


@pytest.fixture
def root(tmp_path):
    (tmp_path / "2026-001 Ромашка").mkdir()
    (tmp_path / "2026-001 Ромашка" / "дело.yaml").write_text(CARD.format(number="2026-001"), encoding="utf-8")
    (tmp_path / "2026-002 Сломанное").mkdir()
    (tmp_path / "2026-002 Сломанное" / "дело.yaml").write_text(CARD.format(number="2026-002") + "обременение: да\n",
                                                               encoding="utf-8")
    return open_root(tmp_path)


def test_a_measure_is_listed_once(root):
    # the claim goes to two addresses on one day (п. 4.5): one measure of the report, not two
    report = build(root, "measures", date(2026, 6, 30))
    assert report.rows[0][4] == ("Дело № 2026-001 (ООО «Ромашка»): претензия направлена 15.03.2026; "
                                 "служебная записка направлена 20.04.2026")


def test_the_inventory_shows_the_penalty_and_the_reconciliation_column(root):
    report = build(root, "inventory", "2026-Q2")
    titles = [c.title for c in report.columns]
    row = report.rows[0]
    penalty = row[titles.index("Пени (проценты) на конец квартала, рублей")]
    assert penalty == Decimal("26880.00")  # 240 000 × 112 days (11.03–30.06.2026) × 0.1 % (ГК РФ ст. 330)
    # п. 3.2: the reconciliation with ГИС ГМП; nothing on the card records one, so the cell is empty — never a date
    # the program made up
    assert titles[-1] == "Сверка с ГИС ГМП (п. 3.2)" and row[-1] == ""
    case = root.load(root.path / "2026-001 Ромашка").case
    reconciled = replace(case, events=case.events + (Event(date(2026, 6, 20), reports.RECONCILED),
                                                     Event(date(2026, 7, 20), reports.RECONCILED)))
    assert reports.reconciliation(reconciled, date(2026, 6, 30)) == "сверено 20.06.2026"
    assert reports.reconciliation(case, date(2026, 6, 30)) == ""


def test_the_clerk_records_the_reconciliation_on_the_card_at_any_stage(root):
    # п. 3.2: the reconciliation with ГИС ГМП is continuous — the event «сверка с ГИС ГМП» never moves the stage
    # and is never «недопустимо»; the inventory's column shows its date
    card = root.path / "2026-001 Ромашка" / "дело.yaml"
    text = card.read_text(encoding="utf-8")
    before = assess(root.load(card.parent).case, date(2026, 6, 30), root.calendar).stage
    card.write_text(text.rstrip("\n") + "\n  - {дата: 20.06.2026, событие: сверка с ГИС ГМП}\n", encoding="utf-8")
    loaded = root.load(card.parent)
    assert loaded.problems == [] and assess(loaded.case, date(2026, 6, 30), root.calendar).stage == before
    row = build(root, "inventory", "2026-Q2").rows[0]
    assert row[-1] == "сверено 20.06.2026"


def test_the_assessment_does_not_hint_at_a_ground_it_cannot_know():
    # the write-off ground is a recorded field (kezdocs.core.writeoff); the inventory cites the subpoint and does
    # not tell the clerk to check «п. 3 или 4 ч. 1 ст. 46» in an official paper
    for text in reports.INVENTORY_NOTES:
        assert "ст. 46" not in text and "проверьте" not in text


@pytest.mark.parametrize("kind, when", [("overdue", date(2026, 6, 30)), ("measures", date(2026, 6, 30)),
                                        ("inventory", "2026-Q2")])
def test_the_xlsx_opens_readable(root, kind, when, tmp_path):
    path, report = write(root, kind, when, out=tmp_path / f"{kind}.xlsx")
    ws = openpyxl.load_workbook(path).active
    header = next(r for r in ws.iter_rows() if r[0].value == report.columns[0].title)[0].row
    cells = ws[header][:len(report.columns)]
    assert all(c.alignment.wrap_text for c in cells)
    # the header's height fits its longest title wrapped in its column: at least as many 9-point lines as the
    # title has characters beyond what the widest line could hold (LibreOffice does not grow the row by itself)
    lines = max(-(-len(c.title) // int(c.width * 11 / 9 * 1.1)) for c in report.columns)
    assert lines > 1 and ws.row_dimensions[header].height >= 9 * 1.2 * lines
    assert ws.freeze_panes == f"A{header + 2}"  # the header and the column numbers stay on screen
    for c, column in zip(cells, report.columns):
        assert ws.column_dimensions[c.column_letter].width == column.width
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    # the broken card is counted; its diagnostics («…/дело.yaml:17: неизвестное поле…») are the CLI's
    assert "Дел, не включённых в отчёт: 1." in texts
    assert not any("дело.yaml" in t or "обременение" in t or "исправьте" in t for t in texts)


def test_a_data_row_grows_with_its_wrapped_text(root, tmp_path):
    path, report = write(root, "measures", date(2026, 6, 30), out=tmp_path / "m.xlsx")
    ws = openpyxl.load_workbook(path).active
    row = next(r for r in ws.iter_rows() if isinstance(r[4].value, str) and r[4].value.startswith("Дело №"))
    assert ws.row_dimensions[row[0].row].height >= 2 * 11 * 1.2  # 104 characters in a column of 70: two lines


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_on_the_pdf_no_code_number_or_date_is_broken(root, tmp_path):
    from pypdf import PdfReader

    paths = []
    for kind, when in (("overdue", date(2026, 6, 30)), ("inventory", "2026-Q2")):
        path = tmp_path / f"{kind}.docx"
        path.write_bytes(docx_bytes(build(root, kind, when)))
        paths.append(path)
    for pdf in convert_to_pdf(paths, tmp_path):
        text = "\n".join(page.extract_text() for page in PdfReader(str(pdf)).pages).replace("\u00a0", " ")
        lines = text.splitlines()
        for whole in ("90111105035050000120", "11.03.2026", "240 000,00"):
            assert any(whole in line for line in lines), (pdf.name, whole)
        if pdf.stem == "inventory":
            assert any("1831000001" in line for line in lines) and any("26 880,00" in line for line in lines)
        for word in ("коэффициентах", "классификации", "классификацией", "задолженности"):
            if word in text.replace("\n", ""):
                assert word in text, (pdf.name, word)  # never «коэффициен-/тах» split over two lines
    xml = zipfile.ZipFile(io.BytesIO(docx_bytes(build(root, "inventory", "2026-Q2")))).read("word/document.xml")
    assert re.search("№\u00a012/2023".encode(), xml)  # «№ 12/2023» does not break after the sign
