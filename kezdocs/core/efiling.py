"""What the courts' e-filing portals accept: the rules, written once (pure; `paperwork.efiling` applies and checks
them).

Приказ Судебного департамента при Верховном Суде РФ от 27.12.2016 № 251 (ГАС «Правосудие», суды общей
юрисдикции) and от 28.12.2016 № 252 («Мой арбитр», арбитражные суды), п. 2.2 «Требования к электронным образам
документов» and п. 2.3 «Требования к электронным документам» of each Порядок:

- one document, one PDF file, named so that the document and its number of sheets can be told from the name
  (here «03 Копия договора аренды (5 л.).pdf»);
- a PDF of at most 30 MB;
- a scan at 200–300 dpi, black-and-white or greyscale (colour only where colour matters), 1:1;
- an electronic document (the lawsuit) with its text copyable: a text layer on every page; the lawsuit may also go
  as DOCX/RTF, which the package adds beside its PDF.
"""
from __future__ import annotations

import re

from kezdocs.core.attachments import SHPI_MARK

MAX_BYTES = 30_000_000  # «не более 30 Мб»: counted in decimal megabytes, so either reading of «Мб» is met
SCAN_DPI = 300  # the resolution a scan over MAX_BYTES is brought down to (the orders' upper bound)
MAX_TITLE = 100  # characters of a name's title part: court portals and Windows paths are short
MERGED_NAME = "Пакет одним файлом.pdf"  # for paper filing: not uploaded, so not held to these rules
LAWSUIT_NUMBER = 1  # the lawsuit (or the court-order application) is always the package's first document
NAME = re.compile(r"^(\d{2}) (.+?)(?: \((\d+) л\.\))?(\.\w+)$")  # «03 Копия договора (5 л.).pdf»


def short_title(title: str) -> str:
    """`title` in at most `MAX_TITLE` characters, cut at a word. A letter's number at its end («…, ШПИ
    42755012345675»: `attachments.SHPI_MARK`) tells two receipts apart: the start of the title is shortened,
    so the number stays whole."""
    if len(title) <= MAX_TITLE:
        return title
    start, mark, number = title.rpartition(SHPI_MARK)
    if mark and start.strip(" .,") and " " not in number and len(mark + number) <= MAX_TITLE // 4:
        return _cut(start, MAX_TITLE - len(mark) - len(number)) + mark + number
    return _cut(title, MAX_TITLE)


def _cut(text: str, limit: int) -> str:
    """`text` cut at the last word that ends within `limit` characters (a single long word: at `limit`), and
    without a one-letter word left dangling at the cut («… приказа с»: a preposition that leads nowhere)."""
    if len(text) <= limit:
        return text
    cut = text[:limit + 1]
    cut = (cut.rsplit(" ", 1)[0] if " " in cut else text[:limit]).rstrip(" .,")
    return re.sub(r"\s+[^\W\d_]$", "", cut).rstrip(" .,")
