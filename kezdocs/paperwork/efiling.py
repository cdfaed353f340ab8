"""The package's check of its own output against what the courts' e-filing portals accept (`core.efiling`: the
rules of Приказы Судебного департамента № 251 and № 252), and the file names it gives.

The package follows these rules (`package_files` converts, OCRs and downsamples to them) and then `check`s the
folder it wrote, so a rule it could not meet — a scan with no text to recognise, a file still too large — is named.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from pathvalidate import sanitize_filename

from kezdocs.core.efiling import LAWSUIT_NUMBER, MAX_BYTES, MERGED_NAME, NAME, short_title
from kezdocs.core.names import nfc


def file_name(number: int, title: str, pages: int | None, suffix: str) -> str:
    """«03 Копия договора аренды (5 л.).pdf»: the number, the title (safe on Windows, cut short: `short_title`),
    the sheets; without a page count (a DOCX kezdocs could not convert) the sheets are left out. The merged PDF's
    bookmark is this name, so both read alike."""
    text = title.replace("\u00a0", " ").replace("/", "-").replace("\\", "-")
    # cut first: pathvalidate cuts at 255 bytes (127 Cyrillic letters), which would lose the title's end
    clean = sanitize_filename(short_title(text), platform="windows").strip(" .")
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
        found.append(f"нет текстового слоя{where} — текст нельзя скопировать, а распознать его не удалось "
                     "(не установлен Tesseract или на странице нет текста); отсканируйте документ заново")
    return found


def _lawsuit_docx_missing(numbered: list[tuple[re.Match, Path]]) -> list[str]:
    """The lawsuit goes as PDF and as DOCX (its text, for the court's own documents)."""
    first = {m.group(4).lower(): p for m, p in numbered if int(m.group(1)) == LAWSUIT_NUMBER}
    if ".pdf" in first and ".docx" not in first:
        return [f"{first['.pdf'].name}: рядом нет того же документа в DOCX (суд берёт из него текст)"]
    return []
