"""Simple PDFs with Cyrillic text: the package's inventory pages and the demo's sample scans.

fpdf2's built-in fonts have no Cyrillic, so a TrueType font is needed: Roboto
ships as a dependency (font-roboto), so this works on any machine.
"""
from __future__ import annotations

from pathlib import Path

import font_roboto
from fpdf import FPDF

FONT_DIR = Path(font_roboto.__file__).parent / "files"


def font_path(bold: bool = False) -> Path:
    return FONT_DIR / ("Roboto-Bold.ttf" if bold else "Roboto-Regular.ttf")


def new_document() -> FPDF:
    """An A4 portrait document with the Cyrillic font registered as «roboto»."""
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 10)
    pdf.add_font("roboto", "", str(font_path()))
    pdf.add_font("roboto", "B", str(font_path(bold=True)))
    pdf.set_font("roboto", size=12)
    return pdf


def text_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A PDF whose pages carry the given lines (the first line of each page in bold)."""
    pdf = new_document()
    if title:
        pdf.set_title(title)
    for lines in pages:
        pdf.add_page()
        for number, line in enumerate(lines):
            pdf.set_font("roboto", "B" if number == 0 else "", 14 if number == 0 else 12)
            pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
