"""What the courts' e-filing portals accept, written once, and the package's check of its own output.

Приказ Судебного департамента при Верховном Суде РФ от 27.12.2016 № 251 (ГАС «Правосудие», суды общей
юрисдикции) and от 28.12.2016 № 252 («Мой арбитр», арбитражные суды), п. 2.2 «Требования к электронным образам
документов» and п. 2.3 «Требования к электронным документам» of each Порядок:

- one document, one PDF file, named so that the document and its number of sheets can be told from the name
  (here «03 Копия договора аренды (5 л.).pdf»);
- a PDF of at most 30 MB;
- a scan at 200–300 dpi, black-and-white or greyscale (colour only where colour matters), 1:1;
- an electronic document (the lawsuit) with its text copyable: a text layer on every page; the lawsuit may also go
  as DOCX/RTF, which the package adds beside its PDF.

The package follows these rules (`package_files` converts, OCRs and downsamples to them) and then `check`s the
folder it wrote, so a rule it could not meet — a scan not recognised yet, a file still too large — is named.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from pathvalidate import sanitize_filename

from kezdocs.core.names import nfc

MAX_BYTES = 30_000_000  # «не более 30 Мб»: counted in decimal megabytes, so either reading of «Мб» is met
SCAN_DPI = 300  # the resolution a scan over MAX_BYTES is brought down to (the orders' upper bound)
MAX_TITLE = 100  # characters of a name's title part: court portals and Windows paths are short
MERGED_NAME = "Пакет одним файлом.pdf"  # for paper filing: not uploaded, so not held to these rules
LAWSUIT_NUMBER = 1  # the lawsuit (or the court-order application) is always the package's first document
NAME = re.compile(r"^(\d{2}) (.+?)(?: \((\d+) л\.\))?(\.\w+)$")  # «03 Копия договора (5 л.).pdf»


def file_name(number: int, title: str, pages: int | None, suffix: str) -> str:
    """«03 Копия договора аренды (5 л.).pdf»: the number, the title (safe on Windows, cut at a word), the
    sheets; without a page count (a DOCX kezdocs could not convert) the sheets are left out."""
    text = title.replace("\u00a0", " ").replace("/", "-").replace("\\", "-")
    clean = sanitize_filename(text, platform="windows").strip(" .")
    if len(clean) > MAX_TITLE:
        cut = clean[:MAX_TITLE + 1]
        clean = (cut.rsplit(" ", 1)[0] if " " in cut else clean[:MAX_TITLE]).rstrip(" .,")
    sheets = f" ({pages} л.)" if pages else ""
    return f"{number:02d} {clean or 'Документ'}{sheets}{suffix}"


def open_pdf(path: Path):
    """A pypdf reader; a PDF with an owner password only (no password to open) is opened as a viewer would."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt("")
    return reader


def pages_without_text(reader) -> list[int]:
    """The pages (from 1) whose text cannot be copied: nothing extractable, as on a scan never recognised."""
    return [n for n, page in enumerate(reader.pages, 1) if not (page.extract_text() or "").strip()]


def check(folder: Path) -> list[str]:
    """Every rule the package folder breaks, one line each naming the file («03 … .pdf: нет текстового
    слоя …»); an empty list when the portals will take every file. The merged PDF is for paper filing and
    files someone else put into the folder are theirs: neither is checked."""
    from kezdocs.folders.intake import quiet

    paths = sorted(p for p in Path(folder).iterdir() if p.name != MERGED_NAME and p.is_file())
    numbered = [(m, p) for p in paths if (m := NAME.match(nfc(p.name)))]
    problems = []
    with quiet("pypdf"):
        for match, path in numbered:
            problems += [f"{path.name}: {p}" for p in _file_problems(match, path)]
    return problems + _lawsuit_docx_missing(numbered)


def _file_problems(match: re.Match, path: Path) -> list[str]:
    suffix = match.group(4).lower()
    if suffix == ".docx" and int(match.group(1)) == LAWSUIT_NUMBER and path.with_suffix(".pdf").is_file():
        return []  # the lawsuit's text for the court, beside its PDF
    if suffix != ".pdf":
        return ["не PDF — суд в электронном виде принимает документы только в PDF (для файлов Word нужен "
                "LibreOffice: установите его и повторите kezdocs package)"]
    found = []
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        megabytes = f"{size / 1_000_000:.1f}".replace(".", ",")
        found.append(f"{megabytes} МБ — больше {MAX_BYTES // 1_000_000} МБ, суд такой файл не примет "
                     "(отсканируйте документ заново в оттенках серого, 300 dpi)")
    try:
        reader = open_pdf(path)
        pages = len(reader.pages)
        blank = pages_without_text(reader)
    except Exception:  # noqa: BLE001 - a file the portal could not open either
        return [*found, "PDF не открывается"]
    if match.group(3) is None or int(match.group(3)) != pages:
        found.append(f"в имени не указано верное число листов: в файле {pages} л.")
    if blank:
        where = "" if len(blank) == pages else " на страницах " + ", ".join(map(str, blank))
        found.append(f"нет текстового слоя{where} — текст нельзя скопировать; дождитесь распознавания скана "
                     "(kezdocs ocr) и повторите kezdocs package")
    return found


def _lawsuit_docx_missing(numbered: list[tuple[re.Match, Path]]) -> list[str]:
    """The lawsuit goes as PDF and as DOCX (its text, for the court's own documents)."""
    first = {m.group(4).lower(): p for m, p in numbered if int(m.group(1)) == LAWSUIT_NUMBER}
    if ".pdf" in first and ".docx" not in first:
        return [f"{first['.pdf'].name}: рядом нет того же документа в DOCX (суд берёт из него текст)"]
    return []
