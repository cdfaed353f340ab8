"""Layout of the case documents (issue 14, item 15): what keeps with what, non-breaking spaces, no stray reference
line in an initiative letter, no doubled words or parentheses — in the built templates, in the documents rendered
for the demo's legal entity, ИП and citizen, and on the pages LibreOffice lays out.
"""
from __future__ import annotations

import copy
import io
import re
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from kezdocs import demo
from kezdocs.core.documents import build
from kezdocs.core.kinds import KINDS
from kezdocs.folders.casefolder import open_root
from kezdocs.paperwork.libreoffice import convert_to_pdf, soffice
from kezdocs.paperwork.render import facts_for
from kezdocs.paperwork.sandbox import render_bytes
from kezdocs.paperwork.template_sources import find_template
from kezdocs.templates import build as templates
from kezdocs.templates.layout import no_break

TODAY = date(2026, 11, 24)
CASES = {"legal": "2026-001", "ip": "2026-002", "person": "2026-003"}
NBSP = "\u00a0"
W = {name: qn(f"w:{name}") for name in ("p", "t", "tbl", "tr", "tc", "keepNext", "cantSplit", "trPr", "pPr")}
SIGNED = {"требование.docx", "расчет.docx", "служебная_записка.docx", "заявление_в_банк.docx",
          "заявление_в_фссп.docx", "запрос_в_фссп.docx", "решение_о_безнадежности.docx"}  # signer + executor
REPRESENTED = {"иск_гпк.docx", "иск_апк.docx", "судебный_приказ_гпк.docx", "судебный_приказ_апк.docx",
               "отказ_от_иска.docx", "уменьшение_требований.docx"}  # the representative signs and dates
# who signs each template: the administration's signer, the representative in court, the commission
SIGNED_BY = {**{name: "signer.short" for name in SIGNED - {"решение_о_безнадежности.docx"}},
             **{name: "representative.short" for name in REPRESENTED},
             "решение_о_безнадежности.docx": "Председатель комиссии"}


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(W["t"]))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    return {path.name: Document(str(path)) for path in templates.build(folder)}


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo")
    demo.build(path, TODAY)
    return open_root(path)


# --- the built templates ------------------------------------------------------------------------------------

def _closing(doc):
    """The body's last table: the one-cell block of the signatures and the executor or the date."""
    return [el for el in doc.element.body if el.tag == W["tbl"]][-1]


@pytest.mark.parametrize("name", sorted(SIGNED | REPRESENTED))
def test_the_signature_block_never_starts_a_page_alone(built, name):
    # A signature alone on a page signs nothing a court can see (and «Исполнитель» without it is a stray line):
    # the signatures, the executor and the date are the one row of a table that may not split, and the
    # paragraph before it keeps with it (w:keepNext) — Word and LibreOffice both honour these.
    doc = built[name]
    closing = _closing(doc)
    rows = closing.findall(W["tr"])
    assert len(rows) == 1 and rows[0].find(W["trPr"]).find(W["cantSplit"]) is not None
    inner = text_of(closing)
    assert ("Исполнитель" in inner) == (name in SIGNED)
    assert ("{{ doc.date }}" in inner) == (name in REPRESENTED)
    assert SIGNED_BY[name] in inner  # the one who signs this template
    blocks = [el for el in doc.element.body if el.tag in (W["p"], W["tbl"])]
    before = blocks[blocks.index(closing) - 1]
    assert before.tag == W["p"] and before.find(W["pPr"]).find(W["keepNext"]) is not None, text_of(before)


def test_the_four_signatures_of_the_write_off_decision_stay_together(built):
    closing = _closing(built["решение_о_безнадежности.docx"])
    text = text_of(closing)
    assert text.count("Член комиссии") == 3 and "Председатель комиссии" in text and "Исполнитель" in text


@pytest.mark.parametrize("name", sorted(templates.BUILDERS))
def test_no_table_row_is_split_between_pages(built, name):
    # a charge, a line of the calculation, a requisite or a signature is read on one page
    for row in built[name].element.body.iter(W["tr"]):
        props = row.find(W["trPr"])
        assert props is not None and props.find(W["cantSplit"]) is not None, text_of(row)[:80]


@pytest.mark.parametrize("name", ["требование.docx", "расчет.docx", "иск_гпк.docx", "опись_вложения.docx"])
def test_a_table_header_keeps_with_its_first_row(built, name):
    grids = [t for t in built[name].tables if t.style is not None and t.style.name == "Table Grid"
             and t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None]
    assert grids
    for table in grids:
        assert all(p.paragraph_format.keep_with_next for c in table.rows[0].cells for p in c.paragraphs)


def test_the_attachment_list_keeps_with_its_heading(built):
    heading = next(p for p in built["иск_гпк.docx"].paragraphs if p.text == "Приложение:")
    assert heading.paragraph_format.keep_with_next


@pytest.mark.parametrize("name", ["требование.docx", "запрос_в_фссп.docx"])
def test_an_initiative_letter_has_no_reference_to_an_incoming_one(built, name):
    # «на № ___ от ___» answers a letter (ГОСТ Р 7.0.97-2016, п. 5.12); the claim and the ФССП query start the
    # correspondence, so the line is not there
    text = "\n".join(text_of(p) for p in built[name].element.body.iter(W["p"]))
    assert not re.search(r"\bна № _", text.replace(NBSP, " "))
    assert "{{ doc.date_short }} №" in text.replace(NBSP, " ")  # the registration line itself stays


@pytest.mark.parametrize("literal, expected", [
    ("Дело № {{ case.number }}", f"Дело №{NBSP}{{{{ case.number }}}}"),
    ("статьи 46 ч. 1 ст. 39 ГПК РФ", f"статьи 46 ч.{NBSP}1 ст.{NBSP}39 ГПК{NBSP}РФ"),
    ("пп. 48, 65 и п. 4.5, подп. 1.1", f"пп.{NBSP}48, 65 и п.{NBSP}4.5, подп.{NBSP}1.1"),
    ("«____» ______ 20____ г.", f"«____» ______ 20____{NBSP}г."),
    ("{{ sums.debt }} руб. на 3 л. в 2 экз.", f"{{{{ sums.debt }}}}{NBSP}руб. на 3{NBSP}л. в 2{NBSP}экз."),
    # an abbreviation not before a number, a «п.» ending a word, a place: left alone
    ("п. Кез, ст. Игра, суп. 5", "п. Кез, ст. Игра, суп. 5"),
])
def test_non_breaking_spaces_in_the_literal_text(literal, expected):
    # «№ 12», «ст. 39», «2026 г.», «15 000,00 руб.» are never split at the end of a line (the typographic rule
    # of Russian business papers; ГОСТ Р 7.0.97-2016 gives the forms)
    assert no_break(literal) == expected


@pytest.mark.parametrize("name", sorted(templates.BUILDERS))
def test_every_template_has_its_non_breaking_spaces(built, name):
    text = "\n".join(text_of(p) for p in built[name].element.body.iter(W["p"]))
    assert not re.search(r"№ |\b(?:ст|ч|пп|подп)\. \d|\d г\.|\}\} руб\.", text), name


# --- the documents as rendered ------------------------------------------------------------------------------

def _rendered(root, debtor: str, code: str) -> list[bytes]:
    folder = root.find(CASES[debtor])
    kind = next(k for k in KINDS.values() if k.code == code)
    facts = facts_for(root, folder, kind, TODAY)
    return [render_bytes(find_template(root, doc.template), doc.context) for doc in build(kind, facts)]


DOUBLED = re.compile(r"\b(\w{2,})\s+\1\b", re.IGNORECASE)


@pytest.mark.parametrize("debtor, code", [(d, k) for d in CASES for k in (kind.code for kind in KINDS.values())])
def test_no_doubled_words_parentheses_or_spaces(demo_root, debtor, code):
    for data in _rendered(demo_root, debtor, code):
        for par in Document(io.BytesIO(data)).element.body.iter(W["p"]):
            text = text_of(par).replace(NBSP, " ")
            assert "))" not in text and "((" not in text, text
            assert "  " not in text.strip(), text
            assert not re.search(r" [,.;:]", text), text  # a field left empty before a comma: «№ , возбуждённое ,»
            found = DOUBLED.search(text)
            assert not found, (found.group(0), text)


def test_dates_and_signer_initials_do_not_break(demo_root):
    text = "\n".join(text_of(p) for p in Document(io.BytesIO(_rendered(demo_root, "legal", "claim")[0]))
                     .element.body.iter(W["p"]))
    assert re.search(rf"\d{{4}}{NBSP}г\.", text)  # russian.date_text
    assert re.search(rf"[А-ЯЁ]\.[А-ЯЁ]\.{NBSP}[А-ЯЁ][а-яё]+", text)  # «А.В. Кузнецова» (russian.PersonName.short)


# --- the pages LibreOffice lays out ---------------------------------------------------------------------------

def _lengthened(root, debtor: str, code: str, rows: int) -> bytes:
    """The document with its tables lengthened to `rows` lines: the signature lands at every place of a page."""
    folder = root.find(CASES[debtor])
    kind = next(k for k in KINDS.values() if k.code == code)
    doc = build(kind, facts_for(root, folder, kind, TODAY))[0]
    context = copy.deepcopy(doc.context)
    charges = context["overdue"]["charges"]
    context["overdue"]["charges"] = [charges[i % len(charges)] for i in range(rows)]
    lines = context["calc"]["rows"]
    context["calc"]["rows"] = [dict(lines[i % len(lines)], number=str(i + 1)) for i in range(rows)]
    return render_bytes(find_template(root, doc.template), context)


def _signature(data: bytes) -> tuple[str, str]:
    """(position, name) as rendered: the first signature of the closing block."""
    leaves = [tc for tc in _closing(Document(io.BytesIO(data))).iter(W["tc"]) if tc.find(".//" + W["tc"]) is None]
    return text_of(leaves[0]).replace(NBSP, " "), text_of(leaves[1]).replace(NBSP, " ")


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_on_the_pdf_pages_a_signature_never_starts_a_page(demo_root, tmp_path):
    from pypdf import PdfReader

    # Before this change a calculation of 26 or 27 lines put «Заместитель главы … А.В. Кузнецова» alone at the top
    # of page 3 and a row of the table split between pages; lines 20–34 walk the signature across a page break.
    cases = [("calculation", n) for n in range(20, 35)] + [("lawsuit", n) for n in range(10, 42, 3)]
    paths, signers = [], []
    for code, n in cases:
        data = _lengthened(demo_root, "legal", code, n)
        path = tmp_path / f"{code}_{n}.docx"
        path.write_bytes(data)
        paths.append(path)
        signers.append(_signature(data))
    pdfs = convert_to_pdf(paths, tmp_path)
    for (code, n), pdf, (position, name) in zip(cases, pdfs, signers):
        assert position and name
        pages = [(page.extract_text() or "").replace(NBSP, " ") for page in PdfReader(str(pdf)).pages]
        signed = [i for i, page in enumerate(pages) if name in page]
        assert signed, (code, n)
        lines = [line.strip() for line in pages[signed[-1]].splitlines() if line.strip()]
        if signed[-1] > 0:
            lines = lines[1:]  # the page number at the top
        first = next(i for i, line in enumerate(lines) if position.startswith(line[:20]) or name in line)
        assert first > 0, (code, n, lines[:3])  # some text of the document precedes the signature on its page
        if code == "calculation":
            assert "Исполнитель" in pages[signed[-1]], (code, n)  # and the executor follows on the same page
