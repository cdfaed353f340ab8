"""Intake: reading the files a clerk drops into a case folder, guarded and bounded, for the classifier.

`classify_folder` opens every PDF and DOCX of a case folder (a damaged or
locked one is reported) and reads its text when the name does not tell what
it is; a scan's text (an image, an image-only PDF) is what OCR left in its
cache (`ocr`) — the scan never runs OCR itself; `core.classification` decides
what the file is. The clerk's files are only read, never renamed, moved or
changed. Every read has a budget (size, time, archive members: `archives`),
so one hostile file neither stops nor stalls a scan.
"""
from __future__ import annotations

import logging
import os
import time
import zipfile
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from kezdocs.core.card import CARD_NAME, GENERATED_DIR
from kezdocs.core.classification import HEAD, KINDS, MAX_TEXT, Document, Rules, document, needs_text
from kezdocs.core.filekinds import card_kind, with_card
from kezdocs.core.model import Problem
from kezdocs.core.names import nfc, shown_name
from kezdocs.folders import barcodes, ocr
from kezdocs.folders.archives import ArchiveRefused, archive_refusal, docx_text, open_archive
from kezdocs.folders.casefiles import FileEntry, folder_name
from kezdocs.folders.casefolder import CaseFolder
from kezdocs.folders.files import os_error_reason

PACKAGE_PREFIX = "Пакет "  # `package` writes Сформировано/Пакет <date>/: copies, not documents of their own
MAX_PAGES = 3  # a title, a tracking number, a stamp: all on the first pages

# Budgets: what reading one dropped file may cost. A clerk's folder may hold anything — a 500 MB
# scan, a 3 MB DOCX that inflates to 1 GB, a PDF whose one page takes minutes to parse — and one
# such file must neither stop nor stall the scan of a root of thousands of cases.
TEXT_PREFIX = MAX_TEXT * 4  # bytes of a plain-text file read (its start says what it is)
PDF_PARSE_LIMIT = 50_000_000  # a larger PDF is checked by its header and tail only, never parsed
PDF_HEAD = 1024  # bytes where «%PDF-» must be
PDF_TAIL = 8192  # bytes at the end where «%%EOF» (and a trailer's /Encrypt) must be
PDF_TIME_BUDGET = 2.0  # seconds of text extraction per PDF; no further page is started after that
PDF_STREAM_LIMIT = 10_000_000  # decompressed bytes of one PDF stream (pypdf's limit is 75 MB)
PDF_PARSE_WORK = 200_000  # tokens parsed in one content stream: a dense text page has some 20 000


# --- the shell: reading files ---------------------------------------------------------------

def classify_folder(folder_path: Path, files: list[FileEntry], rules: Rules, text_cache: dict | None = None,
                    pending: list[str] | None = None, case=None) -> tuple[list[Document], list[Problem]]:
    """Classify every file of a case folder; an unreadable file is a problem, never an exception.

    `files` come from `casefiles.list_files` (ignored names already left out,
    names made safe to show). The card and the package copies are skipped;
    documents in `Сформировано/` are classified by name only. Every PDF and
    DOCX is opened (a damaged or locked one is reported), but its text is read
    only when `needs_text` (the kind the card's «файлы» gives a file — `case` — is known before: a scan the
    card calls a receipt is read for its ШПИ). `text_cache` (key `text_key(entry)`, value
    {"text", "problem"}) lets a caller skip re-reading unchanged files.
    A scan whose text OCR has not read yet is classified by its name and its
    relpath added to `pending` (the OCR worker's queue); when OCR cannot run
    here, the case gets one problem saying so instead.
    Whatever goes wrong with one file — any exception — is a problem of that
    file, and the other files are still classified.
    """
    shown_folder = folder_name(folder_path)
    documents: list[Document] = []
    problems: list[Problem] = []
    waiting: list[str] = []
    for entry in files:
        if not _is_document(entry.relpath):
            continue
        try:
            found, problem = _classify_one(Path(folder_path), entry, rules, text_cache, waiting,
                                           card_kind(case, entry.relpath) if case is not None else None)
        except Exception as exc:  # noqa: BLE001 - one file never stops the others
            found = Document(entry.relpath, "other", KINDS["other"], None, (), "none")
            problem = f"файл не обработан: внутренняя ошибка ({type(exc).__name__}); сообщите разработчикам"
        documents.append(found)
        if problem:
            problems.append(Problem(f"{shown_folder}/{entry.relpath}", None, problem))
    unavailable = ocr.available() if waiting else None
    if unavailable:  # once per case, not once per scan
        problems.append(Problem(shown_folder, None, f"{unavailable} — сканы и фото без текста ({len(waiting)}) "
                                                    "разобраны только по именам файлов"))
    elif pending is not None:
        pending.extend(waiting)
    return documents, problems


def classify_case(folder: CaseFolder, rules: Rules, text_cache: dict | None = None,
                  pending: list[str] | None = None) -> tuple[list[Document], list[Problem]]:
    """`classify_folder` of a loaded case with the card's «файлы» applied (`filekinds.with_card`): what
    every command that looks at a case's files calls (the scan, check, package, the attachment list)."""
    documents, problems = classify_folder(folder.path, folder.files, rules, text_cache, pending, folder.case)
    documents, notices = with_card(documents, folder.case, folder.name)
    return documents, [*problems, *notices]


def _classify_one(folder: Path, entry: FileEntry, rules: Rules, text_cache: dict | None,
                  waiting: list[str], given: str | None) -> tuple[Document, str | None]:
    text, problem, scanned = "", None, False
    if not entry.relpath.startswith(GENERATED_DIR + "/"):
        read = _cached_read(folder, entry, needs_text(entry.relpath, rules, given), text_cache)
        text, problem = read["text"] or "", read["problem"]
        if read["text"] is not None and not text.strip() and problem is None and ocr.is_scan(entry.relpath):
            text, problem = ocr.scan_text(folder.parent, folder / entry.disk, entry.size)  # the root: its parent
            if text is None:
                waiting.append(entry.relpath)
            scanned = True
    waits = text is None and ocr.available() is None  # its barcodes come with its text, from the OCR worker
    found = document(entry.relpath, text or "", rules, given, awaiting_ocr=waits)
    if not waits and barcodes.wanted(found):
        found = replace(found, tracking=_barcode_shpi(folder.parent, folder / entry.disk, scanned))
    return found, problem


def _barcode_shpi(root: Path, path: Path, scanned: bool) -> tuple[str, ...]:
    """The ШПИ of a receipt's or a notice's barcode (no OCR needed: read without Tesseract too). A scan's are
    read by the OCR worker with its text and taken from its cache — `status` does not decode a scan that
    waits for OCR anyway; any other file's (or a scan's OCR did not read) are read now."""
    cached = ocr.cached_codes(root, path) if scanned else None
    return cached if cached is not None else barcodes.read_codes(path)


def _is_document(relpath: str) -> bool:
    parts = relpath.split("/")
    if relpath == CARD_NAME:
        return False
    return not (len(parts) > 2 and parts[0] == GENERATED_DIR and parts[1].startswith(PACKAGE_PREFIX))


def text_key(entry: FileEntry) -> str:
    """The cache key of a file's text: a file with the same path, size and mtime has the same text."""
    return f"{entry.relpath}\0{entry.size}\0{entry.mtime_ns}"


def _cached_read(folder: Path, entry: FileEntry, want_text: bool, cache: dict | None) -> dict:
    """{"text": text or None when not read, "problem": message or None}, from the cache when it has enough."""
    key = text_key(entry)
    cached = cache.get(key) if cache is not None else None
    if cached is not None and (cached["text"] is not None or not want_text):
        return cached
    if entry.size == 0:
        result = {"text": "", "problem": "файл пустой (0 байт)"}
    else:
        text, problem = read_file(folder / entry.disk, want_text)
        result = {"text": None if text is None else text[:MAX_TEXT], "problem": problem}
    if cache is not None:
        cache[key] = result
    return result


def real_path(folder: Path, relpath: str) -> Path:
    """The file on disk for a `relpath` as records hold it: names written in NFD (macOS), with control
    characters or not in UTF-8 are found by comparing the names as kezdocs shows them."""
    path = Path(folder) / relpath
    if path.exists():
        return path
    current = Path(folder)
    for part in relpath.split("/"):
        try:
            current = next((c for c in current.iterdir() if shown_name(nfc(c.name)) == part), current / part)
        except OSError:
            return path
    return current


def read_file(path: Path, want_text: bool = True) -> tuple[str | None, str | None]:
    """Open a PDF or DOCX to see that it is readable; with `want_text`, also its first pages' text.

    Returns (text, or None when not read; a Russian problem, or None). Other
    formats (.doc, and images, whose text is OCR's: `ocr.scan_text`) give no text
    and no problem here. The one guarded place where a dropped file is
    read: it stays within the budgets above, and any failure — an OSError, a
    parser's exception, even MemoryError — becomes the file's problem.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            return _pdf_text(path, want_text)
        if suffix == ".docx":
            return docx_text(path, want_text)
        if suffix == ".xlsx":
            with open_archive(path) as archive:
                refusal = archive_refusal(archive)
            return "", (f"файл XLSX не открыт: {refusal}" if refusal else None)
        if suffix == ".txt":
            with open(path, "rb") as file:
                return file.read(TEXT_PREFIX).decode("utf-8", errors="replace"), None
    except OSError as exc:
        return "", f"не удаётся прочитать файл: {os_error_reason(exc)}"
    except ArchiveRefused as exc:
        return "", f"файл {suffix[1:].upper()} не открыт: {exc}"
    except zipfile.BadZipFile:
        return "", f"файл {suffix[1:].upper()} повреждён (не архив Office); откройте и пересохраните его"
    except MemoryError:
        return "", "файл слишком сложен — kezdocs не хватило памяти, чтобы его прочитать; пересохраните его"
    except Exception as exc:  # noqa: BLE001 - a hostile file raises anything; it must not stop the scan
        return "", f"файл повреждён и не читается ({type(exc).__name__}); откройте и пересохраните его"
    return "", None


@contextmanager
def quiet(logger_name: str):
    """pypdf logs every oddity of a damaged file; the problem list says it once, in Russian."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def pdf_budget():
    """pypdf's own resource limits (pypdf >= 7), tightened for reading a title (and, in `scanpages`, the
    images of a scan's pages)."""
    import pypdf

    return pypdf.apply_configuration(**{"zlib_maximum_output_length": PDF_STREAM_LIMIT, "lzw_maximum_output_length": PDF_STREAM_LIMIT,
              "run_length_maximum_output_length": PDF_STREAM_LIMIT, "brotli_maximum_output_length": PDF_STREAM_LIMIT,
              "array_based_stream_maximum_output_length": PDF_STREAM_LIMIT,
              "stream_decoding_work_maximum_length": 3 * PDF_STREAM_LIMIT,
              "stream_parsing_work_maximum_count": PDF_PARSE_WORK})


def _pdf_text(path: Path, want_text: bool) -> tuple[str | None, str | None]:
    """A PDF's first pages' text, within the budgets: only its header and tail are read when its text
    is not needed or when it is larger than `PDF_PARSE_LIMIT`."""
    from pypdf import PdfReader

    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        head = file.read(PDF_HEAD)
        file.seek(max(0, size - PDF_TAIL))
        verdict = _pdf_shape(head, file.read(PDF_TAIL))
        if not want_text and verdict != "encrypted":
            return None, verdict
        if size > PDF_PARSE_LIMIT:
            if verdict not in (None, "encrypted"):
                return ("" if want_text else None), verdict
            return (("", f"PDF больше {PDF_PARSE_LIMIT // 1_000_000} МБ — kezdocs не читает его текст; назовите "
                         "файл по виду документа («Договор.pdf», «Квитанция 42755012345675.pdf»)")
                    if want_text else (None, None))
        file.seek(0)
        with quiet("pypdf"), pdf_budget():
            try:
                reader = PdfReader(file, strict=False)
                if reader.is_encrypted and not _decrypt(reader):
                    return "", "PDF защищён паролем — kezdocs не может его прочитать; сохраните копию без пароля"
                pages = reader.pages
                if len(pages) == 0:
                    return "", "в PDF нет ни одной страницы — файл повреждён"
                if not want_text:
                    return None, None
                text, complete = _first_pages_text(pages)
            except Exception as exc:  # noqa: BLE001 - a damaged file raises anything; it must not stop the scan
                return "", f"PDF повреждён и не читается ({type(exc).__name__}); откройте и пересохраните его"
    if not complete and not text.strip():
        return "", ("текст PDF слишком сложен — kezdocs не стал читать его дальше; назовите файл по виду "
                    "документа («Договор.pdf», «Квитанция.pdf»)")
    return nfc(text), (verdict if verdict != "encrypted" else None)  # a truncated file that pypdf mended is still cut


def _first_pages_text(pages) -> tuple[str, bool]:
    """The text of the first pages, stopping once there is enough to classify by (extraction is slow),
    or when the time budget is spent or a page is beyond pypdf's limits; (text, whether all was read)."""
    from pypdf import errors

    started = time.monotonic()
    parts: list[str] = []
    for number in range(min(len(pages), MAX_PAGES)):
        try:
            parts.append(pages[number].extract_text() or "")
        except errors.LimitReachedError:
            return "\n".join(parts), False
        if sum(map(len, parts)) >= HEAD:
            break
        if time.monotonic() - started > PDF_TIME_BUDGET:
            return "\n".join(parts), False
    return "\n".join(parts), True


def _pdf_shape(head: bytes, tail: bytes) -> str | None:
    """A cheap look at a PDF whose text is not needed: its header, its end, its encryption.

    Opening every PDF with pypdf costs milliseconds a file; a half-copied or
    truncated file lacks «%%EOF» at its end, a non-PDF lacks the header. An
    encrypted one is left to pypdf (many open with an empty password).
    """
    if b"%PDF-" not in head:
        return "файл не является PDF (нет заголовка %PDF) — откройте и пересохраните его"
    if b"%%EOF" not in tail[-2048:]:
        return "PDF обрезан (нет конца файла) — файл повреждён или ещё не докопирован"
    if b"/Encrypt" in tail:
        return "encrypted"
    return None


def _decrypt(reader) -> bool:
    """Many PDFs are «encrypted» with an empty password only to forbid editing: those open."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 - a missing crypto backend or a broken header: both mean «cannot open»
        return False
