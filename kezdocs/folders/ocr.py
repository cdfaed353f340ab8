"""OCR: the text of scans and photos (Tesseract, `rus+eng`), read once per content and kept under `.kezdocs/ocr/`.

An office scanner writes image-only PDFs and TIFFs, a phone writes JPEG and
HEIC: none has text for the classifier or the ШПИ. Their text is read the
fastest way there is — bare Tesseract, one process a page, on the page images
(`scanpages`: a PDF page's own JPEG, or the page rendered) — and the ШПИ
in their barcodes is read with it, so a scan that waits for OCR costs
`status` nothing. The searchable copy a court's e-filing needs (PDF/A with a
text layer, by ocrmypdf; an image's pages by Tesseract's PDF) is made only when
a package asks for it (`searchable_pdf`), once. Every child process runs
with a time limit, and an image is decoded only within a pixel limit: a
hostile file costs at most `FILE_TIMEOUT`, never the process that asked.

The cache is keyed by the file's content (sha256): `<hash>.txt` when read
(its `<hash>.codes` beside it: the valid ШПИ of its barcodes, one a line),
`<hash>.pdf` once a package asked for it, `<hash>.fail` (the reason, in
Russian) when the file cannot be read — or, beside a `.txt`, when its
searchable copy cannot be made. Nothing is OCR'd twice, even when the same
scan lies in two cases. The clerk's file is only read. Scans never call
`ocr_file`: the OCR worker (`service.ocr_worker`) and `kezdocs ocr` do.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Iterable

from kezdocs.core.filekinds import IMAGE_SUFFIXES
from kezdocs.core.names import nfc
from kezdocs.folders import barcodes, scanpages
from kezdocs.folders.casefolder import OWN_DIR
from kezdocs.folders.files import os_error_reason, sha256, write_bytes_atomic, write_text_atomic
from kezdocs.folders.locks import held
from kezdocs.folders.scanpages import MAX_PAGES, PAGE_TIMEOUT, RESCAN, Unavailable, Unreadable

LANGUAGES = "rus+eng"
CACHE_DIR = "ocr"  # in the root's own folder
UNAVAILABLE = "распознавание недоступно: не установлен Tesseract (tesseract-ocr, tesseract-ocr-rus)"

# Budgets: what reading one scan may cost (pages, pixels and a page's time: `scanpages`).
FILE_TIMEOUT = 600  # seconds for one file; its next page is not started after that
OCR_LOCK = "ocr.lock"  # under ROOT/.kezdocs/locks
MAX_BYTES = 100_000_000  # a larger file is not OCR'd at all
JOBS = max(1, (os.cpu_count() or 2) // 2)  # ocrmypdf's pages at once: the web workspace and the scans keep the rest

_HASH = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class OcrResult:
    """The text of a scan, or why there is none; `pdf` is its searchable copy in the cache, once made."""

    text: str | None
    problem: str | None
    pdf: Path | None = None
    performed: bool = False  # Tesseract ran for this call (False: the cache answered)


_runs = 0
_runs_lock = threading.Lock()


def performed() -> int:
    """How many files Tesseract has read the text of in this process (tests and the bench count OCR runs by it)."""
    return _runs


# --- what is there ---------------------------------------------------------------------------------

def available() -> str | None:
    """None when Tesseract with Russian and English is there; else the Russian reason."""
    binary = shutil.which("tesseract")
    if binary is None:
        return UNAVAILABLE
    try:
        return _languages_missing(binary, os.stat(binary).st_mtime_ns)
    except OSError:
        return UNAVAILABLE


@lru_cache(maxsize=4)
def _languages_missing(binary: str, stamp: int) -> str | None:
    """Asked once per Tesseract binary (a new install has a new mtime): does it have rus and eng?"""
    try:
        done = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return UNAVAILABLE
    languages = {line.strip() for line in done.stdout.splitlines()[1:]}
    missing = [name for name, code in (("русского", "rus"), ("английского", "eng")) if code not in languages]
    if missing:
        return (f"распознавание недоступно: у Tesseract нет {' и '.join(missing)} языка "
                "(пакеты tesseract-ocr-rus, tesseract-ocr-eng)")
    return None


def is_scan(relpath: str) -> bool:
    """A file that may need OCR: an image, or a PDF (image-only when it has no text)."""
    suffix = os.path.splitext(relpath)[1].lower()
    return suffix == ".pdf" or suffix in IMAGE_SUFFIXES


def refusal(size: int) -> str | None:
    """Why a file of `size` bytes is not OCR'd at all, or None."""
    if size > MAX_BYTES:
        return (f"скан больше {MAX_BYTES // 1_000_000} МБ — kezdocs не распознаёт его; назовите файл по виду "
                "документа («Квитанция 42755012345675.jpg»)")
    return None


# --- the cache -------------------------------------------------------------------------------------

_hashes: dict[tuple[str, int, int], str] = {}


def content_hash(path: Path) -> str:
    """The sha256 of a file's content; remembered by (path, size, mtime), so a re-scan reads no byte again."""
    st = os.stat(path)
    key = (os.fspath(path), st.st_size, st.st_mtime_ns)
    found = _hashes.get(key)
    if found is None:
        if len(_hashes) > 50_000:
            _hashes.clear()
        found = _hashes[key] = sha256(Path(path))
    return found


def cache_dir(root: Path) -> Path:
    return Path(root) / OWN_DIR / CACHE_DIR


def _digest(path_or_hash: Path | str) -> str:
    text = os.fspath(path_or_hash)
    return text if isinstance(path_or_hash, str) and _HASH.fullmatch(text) else content_hash(Path(path_or_hash))


def cached_result(root: Path, path_or_hash: Path | str) -> OcrResult | None:
    """What the cache holds for a file (by its path or content hash); None when it was never OCR'd."""
    base = cache_dir(root) / _digest(path_or_hash)
    for suffix in (".txt", ".fail"):
        try:
            content = base.with_suffix(suffix).read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        pdf = base.with_suffix(".pdf")
        return OcrResult(content, None, pdf if pdf.exists() else None) if suffix == ".txt" else OcrResult(None, content)
    return None


def cached_text(root: Path, path_or_hash: Path | str) -> str | None:
    """The OCR'd text of a file (by its path or content hash), or None when there is none yet."""
    found = cached_result(root, path_or_hash)
    return found.text if found else None


def cached_codes(root: Path, path: Path) -> tuple[str, ...] | None:
    """The valid ШПИ the OCR worker found in a scan's barcodes, or None when it has not read them."""
    try:
        text = (cache_dir(root) / f"{content_hash(Path(path))}.codes").read_text(encoding="utf-8")
    except OSError:
        return None
    return tuple(text.split())


def scan_text(root: Path, path: Path, size: int) -> tuple[str | None, str | None]:
    """What a scan of the folders (which never runs OCR: it takes seconds a page, and `status` answers at
    once) knows of a scan's text: (text or None when OCR has not read it yet, a Russian problem or None)."""
    refused = refusal(size)
    if refused:
        return "", refused
    try:
        found = cached_result(root, path)
    except OSError as exc:
        return "", f"не удаётся прочитать файл: {os_error_reason(exc)}"
    if found is None:
        return None, None
    return found.text or "", found.problem and f"скан не распознан: {found.problem}"


def any_read(folder: Path, relpaths: Iterable[str]) -> bool:
    """Whether OCR has read (or given up on) any of a case's waiting scans since the scan listed them: only
    then is the case read again — a status of scans still waiting is fresh, and `status` stays fast."""
    try:
        return any(cached_result(Path(folder).parent, Path(folder) / relpath) is not None for relpath in relpaths)
    except OSError:
        return True  # gone or renamed: the case is read again, and says what it holds now


def _store(root: Path, digest: str, text: str, codes: tuple[str, ...]) -> None:
    """The codes, then the text (a `.txt` means «done»), each written atomically."""
    base = cache_dir(root) / digest
    write_text_atomic(base.with_suffix(".codes"), "".join(f"{code}\n" for code in codes))
    write_text_atomic(base.with_suffix(".txt"), text)


def _stored_failure(root: Path, digest: str, reason: str) -> None:
    try:
        write_text_atomic(cache_dir(root) / f"{digest}.fail", reason)
    except OSError:
        pass  # not remembered: tried again next time, which is all it costs


# --- reading a scan's text ---------------------------------------------------------------------------

def ocr_file(root: Path, path: Path, cancel: threading.Event | None = None) -> OcrResult:
    """The text of a scan or photo (and the ШПИ of its barcodes): from the cache, or OCR'd now and cached
    (slow: about a second a page).

    Whatever is wrong with the file is the result's `problem`, never an
    exception; `cancel` stops a run between pages (a stopping service).
    """
    path = Path(path)
    try:
        too_big = refusal(path.stat().st_size)
        digest = content_hash(path)
        found = cached_result(root, digest)
    except OSError as exc:
        return OcrResult(None, f"не удаётся прочитать файл: {os_error_reason(exc)}")
    if too_big or found is not None:
        return found or OcrResult(None, too_big)
    reason = available()
    if reason:
        return OcrResult(None, reason)
    # one OCR at a time in a root, whichever process asks (`serve`'s worker, `kezdocs ocr`): the second waits, then
    # finds the first one's text in the cache — a content is never OCR'd twice
    with held(Path(root) / OWN_DIR / "locks" / OCR_LOCK, "распознавание скана", FILE_TIMEOUT + 60):
        found = cached_result(root, digest)
        return found if found is not None else _recognised(root, path, digest, cancel)


def _recognised(root: Path, path: Path, digest: str, cancel: threading.Event | None) -> OcrResult:
    with ThreadPoolExecutor(1, thread_name_prefix="kezdocs-barcodes") as pool:
        codes = pool.submit(barcodes.read_codes, path)  # meanwhile: its time hides behind Tesseract's
        try:
            text = _recognise(path, cancel)
        except Unavailable as exc:
            return OcrResult(None, str(exc))
        except Unreadable as exc:
            _stored_failure(root, digest, str(exc))
            return OcrResult(None, str(exc), None, True)
    try:
        _store(root, digest, text, codes.result())
    except OSError as exc:
        return OcrResult(text, f"текст скана не сохранён: {os_error_reason(exc)}", None, True)
    return OcrResult(text, None, None, True)


def _recognise(path: Path, cancel: threading.Event | None) -> str:
    """The pages through bare Tesseract, their text to a file: the pages of one resolution in one run (a list
    of images: Tesseract loads its models once a run, not once a page); within `FILE_TIMEOUT` for the file."""
    global _runs
    with _runs_lock:
        _runs += 1
    texts = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kezdocs-ocr-") as work:
        pages = list(_pages(path, Path(work), cancel))
        for number, (dpi, group) in enumerate(groupby(pages, key=lambda page: page[1])):
            files = [str(page) for page, _dpi in group]
            left = FILE_TIMEOUT - (time.monotonic() - started)
            if left <= 0:
                break
            listed = Path(work) / f"pages-{number}.txt"
            listed.write_text("".join(f"{name}\n" for name in files), encoding="utf-8")
            out = Path(work) / f"text-{number}"
            _tesseract(listed if len(files) > 1 else Path(files[0]), dpi, out, "txt", cancel,
                       min(left, PAGE_TIMEOUT * len(files)))
            texts.append(out.with_suffix(".txt").read_text(encoding="utf-8", errors="replace"))
    return nfc("\n".join(texts).replace("\f", "\n").strip())


def _pages(path: Path, work: Path, cancel: threading.Event | None):
    if path.suffix.lower() == ".pdf":
        return scanpages.pdf_pages(path, work, cancel)
    return scanpages.image_pages(path, work)


def _tesseract(page: Path, dpi: int | None, out: Path, kind: str, cancel: threading.Event | None,
               timeout: float = PAGE_TIMEOUT) -> None:
    """`tesseract PAGE OUT -l rus+eng [--dpi N] txt|pdf`: one process, one thread (PAGE: an image, or a list)."""
    if cancel is not None and cancel.is_set():
        raise Unavailable(scanpages.STOPPED)
    binary = shutil.which("tesseract")
    if binary is None:
        raise Unavailable(UNAVAILABLE)
    command = [binary, str(page), str(out), "-l", LANGUAGES, *(["--dpi", str(dpi)] if dpi else []), kind]
    code, _errors = scanpages.run(command, timeout, cancel)
    if code != 0 or not out.with_suffix(f".{kind}").is_file():
        raise Unreadable(f"Tesseract не смог прочитать страницу; {RESCAN}")


# --- the searchable copy, for a package ----------------------------------------------------------------

def searchable_pdf(path: Path, root: Path | None = None) -> Path | None:
    """The OCR'd copy of a scan or photo, with a text layer, in the cache of `root` (by default the folder above
    `path` that has one): made now when a package first asks (slow), then kept. None when the scan has no
    text to add (OCR found none, or cannot read it) or the copy cannot be made — that is remembered too."""
    path = Path(path)
    root = root or next((p for p in path.resolve().parents if cache_dir(p).is_dir()), None)
    if root is None:
        return None
    read = ocr_file(root, path)
    if read.problem or not (read.text or "").strip():
        return None
    try:
        base = cache_dir(root) / content_hash(path)
    except OSError:
        return None
    if base.with_suffix(".pdf").is_file():
        return base.with_suffix(".pdf")
    if base.with_suffix(".fail").is_file():
        return None
    try:
        made = _made_pdf(path, cancel=None)
        write_bytes_atomic(base.with_suffix(".pdf"), made)
    except Unavailable:
        return None
    except Unreadable as exc:
        _stored_failure(root, base.name, str(exc))
        return None
    except OSError:
        return None
    return base.with_suffix(".pdf")


def _made_pdf(path: Path, cancel: threading.Event | None) -> bytes:
    with tempfile.TemporaryDirectory(prefix="kezdocs-ocr-") as work:
        if path.suffix.lower() == ".pdf":
            return _ocrmypdf(path, Path(work), cancel)
        pages = []
        for number, (page, dpi) in enumerate(scanpages.image_pages(path, Path(work))):
            out = Path(work) / f"pdf-{number}"
            _tesseract(page, dpi, out, "pdf", cancel)
            pages.append(out.with_suffix(".pdf").read_bytes())
        return _joined(pages)


def _ocrmypdf(path: Path, work: Path, cancel: threading.Event | None) -> bytes:
    """ocrmypdf in a child process (its authors' advice: it forks, and a crash stays there): PDF/A, the
    pages with text kept as they are."""
    output = work / "ocr.pdf"
    command = [sys.executable, "-m", "ocrmypdf", "--language", LANGUAGES, "--skip-text", "--pages", f"1-{MAX_PAGES}",
               "--jobs", str(JOBS), "--tesseract-timeout", str(PAGE_TIMEOUT),
               "--max-image-mpixels", str(scanpages.MAX_PIXELS // 1_000_000), "--quiet", str(path), str(output)]
    code, errors = scanpages.run(command, FILE_TIMEOUT, cancel)
    if code == 0:
        return output.read_bytes()
    if code == 3:  # ocrmypdf's «missing dependency»: the machine's fault
        raise Unavailable(f"распознавание недоступно: ocrmypdf не нашёл нужную программу ({_last_line(errors)})")
    raise Unreadable(PDF_FAILURES.get(code, f"копия с текстом не сделана (ocrmypdf, код {code}): "
                                            f"{_last_line(errors)}"))


PDF_FAILURES = {  # ocrmypdf's exit codes that say something about the file
    2: scanpages.NOT_A_PDF,
    8: "PDF защищён паролем — сохраните копию без пароля",
    7: f"Tesseract не смог прочитать страницу; {RESCAN}",
}


def _last_line(text: str) -> str:
    return ([line.strip()[:200] for line in text.splitlines() if line.strip()] or ["без пояснений"])[-1]


def _joined(pages: list[bytes]) -> bytes:
    """One PDF of the pages' PDFs."""
    if len(pages) == 1:
        return pages[0]
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    for page in pages:
        writer.append(io.BytesIO(page))
    writer.write(out)
    return out.getvalue()
