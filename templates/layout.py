"""The house style of the DOCX templates: a `Template` of paragraphs, tables and blocks after ГОСТ Р 7.0.97-2016,
and the DOCX details that keep a document together on the page (`no_break`, rows that never split, the
signature block kept with the text before it). `templates.build` writes the documents with it.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from kezdocs.folders.files import write_bytes_atomic

HERE = Path(__file__).resolve().parent
FONT = "Times New Roman"
TEXT_WIDTH = 180  # mm: 210 − 20 − 10
J, L, C, R = (WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER,
              WD_ALIGN_PARAGRAPH.RIGHT)
NBSP = "\u00a0"
# Where a line may not break (typographic rule of Russian business letters, ГОСТ Р 7.0.97-2016 gives the forms):
# the sign «№» and its number, an abbreviated «ст.», «п.», «ч.», «пп.», «подп.», «абз.» and its number, a year and
# «г.», an amount and «руб.», «л.», «экз.», and «ГК РФ» and the like. Applied to the literal text of every
# paragraph (`Template.p`); a value rendered into a placeholder brings its own (facts.format_rub, russian).
_NO_BREAK = (
    (re.compile(r"№ "), "№" + NBSP),
    (re.compile(r"(?<![\w-])(ст|п|ч|пп|подп|абз|гл)\. (?=\d|\{\{)"), r"\1." + NBSP),
    (re.compile(r"(\d|\}\}|_) (г\.|руб\.|л\.|экз\.)(?!\w)"), r"\1" + NBSP + r"\2"),
    (re.compile(r"\b(ГК|НК|ГПК|АПК|БК|КоАП) РФ\b"), r"\1" + NBSP + "РФ"),
)


class Template:
    """A document being built: paragraphs and tables in the house style."""

    def __init__(self, title: str):
        self.doc = Document()
        self.title = title
        self._closing = None  # the borderless one-cell table holding the signatures, the executor, the date
        _styles(self.doc)
        _page(self.doc)

    # paragraphs --------------------------------------------------------------------------------
    def p(self, text: str = "", align=J, indent: bool = True, size: float = 14, bold: bool = False,
          italic: bool = False, before: float = 0, after: float = 0, container=None, keep: bool = False):
        """A paragraph; «**…**» marks bold runs. Body text is justified with a 12.5 mm first-line indent."""
        target = container if container is not None else self.doc
        par = target.add_paragraph()
        fmt = par.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Mm(12.5) if indent and align == J else None
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.keep_with_next = keep
        for i, chunk in enumerate(no_break(text).split("**")):
            if chunk:
                run = par.add_run(chunk)
                run.bold = bold or i % 2 == 1
                run.italic = italic
                run.font.size = Pt(size)
        return par

    def tag(self, text: str, container=None):
        """A paragraph holding only a `{%p … %}` tag (docxtpl removes it)."""
        return self.p(text, align=L, indent=False, size=2, container=container)

    def heading(self, *lines: str, before: float = 12, after: float = 12):
        for i, line in enumerate(lines):
            self.p(line, align=C, indent=False, bold=True, before=before if i == 0 else 0,
                   after=after if i == len(lines) - 1 else 0, keep=True)

    # blocks -----------------------------------------------------------------------------------
    def letterhead(self, addressee: list[str]):
        """Corner requisites of the administration (left) beside the addressee (right)."""
        table = self._layout((92, 88))
        left, right = table.rows[0].cells
        self.p("{{ org.name|upper }}", align=C, indent=False, size=12, bold=True, container=left)
        for line in ("{{ org.address }}",
                     "тел. {{ org.phone }}{% if org.email %}, e-mail: {{ org.email }}{% endif %}",
                     "{{ org.ids }}"):
            self.p(line, align=C, indent=False, size=10, container=left)
        # The letters with this head (the claim, the ФССП query) are initiative letters: no «на № … от …» line,
        # which is the reference to an incoming letter (ГОСТ Р 7.0.97-2016, п. 5.12).
        self.p("{{ doc.date_short }} № ______________", align=C, indent=False, size=12, before=10, container=left)
        self._cell_lines(right, addressee)
        remove_first_paragraph(left)

    def right_block(self, lines: list[str], width: int = 95):
        """A block in the right part of the page: the court or the addressee of an application."""
        table = self._layout((TEXT_WIDTH - width, width))
        self._cell_lines(table.rows[0].cells[1], lines, size=12)

    def _cell_lines(self, cell, lines: list[str], size: float = 14):
        for line in lines:
            if line.startswith("{%p"):
                self.tag(line, container=cell)
            else:
                self.p(line, align=L, indent=False, size=size, container=cell)
        remove_first_paragraph(cell)

    def signature(self, position: str, name: str, before: float = 24):
        """The position on the left, «И.О. Фамилия» on the right, on the level of the position's last line
        (ГОСТ Р 7.0.97-2016, п. 5.21)."""
        cell = self.closing()
        table = cell.add_table(rows=1, cols=2)
        cell._tc.remove(cell._tc[-1])  # the empty paragraph python-docx puts after a table; `save` closes the cell
        _set_widths(table, (110, 70))
        _no_cell_margins(table)
        left, right = table.rows[0].cells
        self.p(position, align=L, indent=False, container=left, before=before)
        self.p(name, align=R, indent=False, container=right, before=before)
        right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        remove_first_paragraph(left)
        remove_first_paragraph(right)
        cant_split(table.rows[0])

    def executor(self):
        """ГОСТ Р 7.0.97, п. 5.26: the executor and the phone, in smaller type, after the signature (п. 4.4(8))."""
        cell = self.closing()
        self.p("Исполнитель: {{ executor.name }}", align=L, indent=False, size=11, before=36, keep=True,
               container=cell)
        self.p("тел. {{ executor.phone }}{% if executor.email %}, {{ executor.email }}{% endif %}", align=L,
               indent=False, size=11, container=cell)

    def closing(self):
        """The cell that closes the document: the signatures, then the executor or the date. It is the one row of
        a borderless table that may not split (w:cantSplit), and the paragraph before it keeps with it, so a
        signature never starts a page alone and «Исполнитель» never ends up without it — in Word and in
        LibreOffice, which does not keep a table with the paragraph after it."""
        blocks = [el for el in self.doc.element.body if el.tag in (qn("w:p"), qn("w:tbl"))]
        if self._closing is None or not blocks or blocks[-1] is not self._closing._tbl:
            _keep_tail_with_next(self.doc)
            self._closing = self._layout((TEXT_WIDTH,))
            _no_cell_margins(self._closing)
            cell = self._closing.rows[0].cells[0]
            cell._tc.remove(cell.paragraphs[0]._p)
        return self._closing.rows[0].cells[0]

    def grid(self, header: list[str], cells: list[str], widths: list[int], loop: str | None = None, size: float = 11,
             total: list[str] | None = None, aligns: list | None = None):
        """A bordered table: a bold header, one row (repeated by `{%tr for … %}` when `loop` is set), a total row."""
        rows = [header] + ([[f"{{%tr for {loop} %}}"]] if loop else []) + [cells] \
            + ([["{%tr endfor %}"]] if loop else []) + ([total] if total else [])
        table = self.doc.add_table(rows=len(rows), cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _set_widths(table, widths)
        aligns = aligns or [L] * len(header)
        for r, values in enumerate(rows):
            for c in range(len(widths)):
                cell = table.rows[r].cells[c]
                text = values[c] if c < len(values) else ""
                is_header = r == 0
                self.p(text, align=C if is_header else aligns[c], indent=False, size=size,
                       bold=is_header or (total is not None and r == len(rows) - 1), container=cell)
                remove_first_paragraph(cell)
            cant_split(table.rows[r])
        repeat_header(table.rows[0])
        _keep_row_with_next(table.rows[0])  # the header never ends a page without a row under it
        return table

    def pairs(self, rows: list[tuple[str, str]], widths=(62, 118), size: float = 12):
        """A bordered two-column table of labels and values; a row may be `("{%tr …%}", "")`."""
        table = self.doc.add_table(rows=len(rows), cols=2)
        table.style = "Table Grid"
        _set_widths(table, widths)
        for r, (label, value) in enumerate(rows):
            for c, text in enumerate((label, value)):
                cell = table.rows[r].cells[c]
                self.p(text, align=L, indent=False, size=size, container=cell)
                remove_first_paragraph(cell)
            cant_split(table.rows[r])
            if r < len(rows) - 1:
                _keep_row_with_next(table.rows[r])  # a short table of requisites is not split between pages
        return table

    def _layout(self, widths: tuple[int, ...]):
        """A borderless table used for placing blocks side by side."""
        table = self.doc.add_table(rows=1, cols=len(widths))
        _set_widths(table, widths)
        cant_split(table.rows[0])  # a block beside a block: one page
        return table

    def save(self, name: str, folder: Path = HERE) -> Path:
        props = self.doc.core_properties
        props.title, props.author, props.language = self.title, "kezdocs", "ru-RU"
        props.created = props.modified = dt.datetime(2026, 1, 1)
        props.last_modified_by, props.revision = "kezdocs", 1
        _close_cells(self.doc)
        path = folder / name
        write_bytes_atomic(path, stable_bytes(self.doc))
        return path


def stable_bytes(doc) -> bytes:
    """The document's DOCX bytes, the same on every run (`templates.build_reports` writes its templates so too)."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return _stable_zip(buffer.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """Fixed entry times: rebuilding an unchanged template gives the same bytes (and no diff to commit)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), src.read(info.filename),
                         zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _styles(doc):
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "ru-RU")
    normal.element.get_or_add_rPr().append(lang)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    fmt.widow_control = True


def _page(doc):
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(20), Mm(10)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True
    par = section.header.paragraphs[0]
    par.alignment = C
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    par._p.append(field)


def _set_widths(table, widths):
    """Column widths in the grid and in every cell: Word reads the cells, LibreOffice the grid."""
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Mm(width)


def remove_first_paragraph(cell):
    """A new cell starts with an empty paragraph; drop it once the cell has its own."""
    if len(cell.paragraphs) > 1 and not cell.paragraphs[0].text:
        cell._tc.remove(cell.paragraphs[0]._p)


def repeat_header(row):
    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)


def _no_cell_margins(table):
    """A layout table whose cell starts at the text's left edge."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)


def _close_cells(doc):
    """Word requires every cell to end with a paragraph: a cell that ends with a table gets an empty tiny one."""
    for tc in doc.element.body.iter(qn("w:tc")):
        if len(tc) and tc[-1].tag == qn("w:tbl"):
            par = OxmlElement("w:p")
            ppr = par.get_or_add_pPr()
            ppr.get_or_add_spacing().line = Pt(1)
            rpr = OxmlElement("w:rPr")
            size = OxmlElement("w:sz")
            size.set(qn("w:val"), "2")
            rpr.append(size)
            ppr.append(rpr)
            tc.append(par)


def no_break(text: str) -> str:
    """The literal text with non-breaking spaces where a line may not break (`_NO_BREAK`)."""
    for pattern, replacement in _NO_BREAK:
        text = pattern.sub(replacement, text)
    return text


def cant_split(row):
    """A table row is never split between two pages (w:cantSplit): a charge or a signature stays whole."""
    _cant_split_tr(row._tr)


def _keep_row_with_next(row):
    """Every paragraph of the row keeps with the next one: Word and LibreOffice then keep the row with what follows."""
    for cell in row.cells:
        for par in cell.paragraphs:
            par.paragraph_format.keep_with_next = True


def _is_tag(element) -> bool:
    """A paragraph holding only a `{%p … %}` tag: docxtpl removes it, so it separates nothing."""
    return element.tag == qn("w:p") and "".join(t.text or "" for t in element.iter(qn("w:t"))).startswith("{%p")


def _keep_tail_with_next(doc):
    """The block that ends the body so far keeps with what comes next (the signature): its last paragraph, or the
    last row of its table. A paragraph inside a `{%p if/for %}` may be left out or repeated, so the element before
    the tag keeps too, up to the first element that does not follow a tag."""
    body = [el for el in doc.element.body if el.tag in (qn("w:p"), qn("w:tbl"))]
    i = len(body) - 1
    while i >= 0:
        element = body[i]
        if element.tag == qn("w:p"):
            element.get_or_add_pPr().keepNext_val = True
        else:
            rows = element.findall(qn("w:tr"))
            for tr in rows:
                _cant_split_tr(tr)
            for par in rows[-1].iter(qn("w:p")):
                par.get_or_add_pPr().keepNext_val = True
        if not _is_tag(element) and (i == 0 or not _is_tag(body[i - 1])):
            return
        i -= 1


_AFTER_CANT_SPLIT = tuple(qn(f"w:{name}") for name in ("trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden"))


def _cant_split_tr(tr):
    props = tr.get_or_add_trPr()
    if props.find(qn("w:cantSplit")) is not None:
        return
    element = OxmlElement("w:cantSplit")
    later = next((child for child in props if child.tag in _AFTER_CANT_SPLIT), None)
    if later is None:
        props.append(element)
    else:
        later.addprevious(element)  # the schema's order of w:trPr


