"""OCR: the text of scans and photos (Tesseract, `rus+eng`), read once per content and kept under `.kezdocs/ocr/`.

An office scanner writes image-only PDFs and TIFFs, a phone writes JPEG and
HEIC: none has text for the classifier or the ШПИ. An image-only PDF goes
through ocrmypdf (its sidecar is the text; its output — PDF/A with a text
layer — is kept for the court's e-filing); an image through pytesseract, one
Tesseract run per page giving both the text and a searchable PDF page.
ocrmypdf and Tesseract run as child processes with time limits, and an image
is decoded here only within a pixel limit: a hostile file costs at most
`FILE_TIMEOUT`, never the process that asked.

The cache is keyed by the file's content (sha256): `<hash>.txt` (and
`<hash>.pdf`) when read, `<hash>.fail` (the reason, in Russian) when the file
cannot be read — a file is never OCR'd twice, even when the same scan lies in
two cases. The clerk's file is only read. Scans never call `ocr_file`: the
OCR worker (`service.ocr_worker`) and `kezdocs ocr` do.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from kezdocs.core.names import nfc
from kezdocs.folders.casefolder import OWN_DIR
from kezdocs.folders.files import os_error_reason, sha256, write_bytes_atomic, write_text_atomic

LANGUAGES = "rus+eng"
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".heif"})
CACHE_DIR = "ocr"  # in the root's own folder
UNAVAILABLE = "распознавание недоступно: не установлен Tesseract (tesseract-ocr, tesseract-ocr-rus)"

# Budgets: what reading one scan may cost. A title, a ШПИ and a stamp are on the first pages.
MAX_PAGES = 20  # pages OCR'd per file; the rest stay as they are
PAGE_TIMEOUT = 60  # seconds of Tesseract on one page
FILE_TIMEOUT = 600  # seconds for one file; an image's next page is not started after that
MAX_PIXELS = 80_000_000  # pixels of one page (A3 at 600 dpi is 70 million): more is a «decompression bomb»
MAX_BYTES = 100_000_000  # a larger file is not OCR'd at all
JOBS = max(1, (os.cpu_count() or 2) // 2)  # ocrmypdf's pages at once: the web workspace and the scans keep the rest
A4_WIDTH_INCHES = 8.27  # a photo without a resolution is taken as an A4 page (the searchable PDF's page size)
EXIF_ORIENTATION = 0x0112
RESCAN = "пересканируйте документ или назовите файл по его виду"
STOPPED = "распознавание прервано: kezdocs остановлен"
TOO_MANY_PIXELS = (f"изображение больше {MAX_PIXELS // 1_000_000} млн точек — kezdocs не распознаёт его; "
                   "отсканируйте с разрешением 300 dpi")

_HASH = re.compile(r"[0-9a-f]{64}")
_SKIPPED = re.compile(r"^\[OCR skipped on page\(s\) [\d, -]+\]$", re.MULTILINE)  # ocrmypdf's sidecar note

@dataclass(frozen=True)
class OcrResult:
    """The text of a scan, or why there is none; `pdf` is its searchable copy in the cache."""

    text: str | None
    problem: str | None
    pdf: Path | None = None
    performed: bool = False  # Tesseract ran for this call (False: the cache answered)


class _Unavailable(Exception):
    """OCR cannot run on this machine now: not the file's fault, so nothing is cached."""


class _Unreadable(Exception):
    """The file cannot be OCR'd (its reason, in Russian): cached, so it is not tried again."""


_runs = 0
_runs_lock = threading.Lock()


def performed() -> int:
    """How many files Tesseract has read in this process (tests and the bench count OCR runs by it)."""
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


def searchable_pdf(path: Path, root: Path | None = None) -> Path | None:
    """The OCR'd copy of a scan or photo, with a text layer, in the cache of `root` (by default the folder above
    `path` that has one); None when it was not OCR'd (yet)."""
    path = Path(path)
    root = root or next((p for p in path.resolve().parents if cache_dir(p).is_dir()), None)
    if root is None:
        return None
    try:
        found = cached_result(root, path)
    except OSError:
        return None
    return found.pdf if found else None


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


def _store(root: Path, digest: str, text: str, pdf: bytes | None) -> Path | None:
    """The text (and the PDF before it: a `.txt` means «done»), each written atomically."""
    base = cache_dir(root) / digest
    if pdf:
        write_bytes_atomic(base.with_suffix(".pdf"), pdf)
    write_text_atomic(base.with_suffix(".txt"), text)
    return base.with_suffix(".pdf") if pdf else None


# --- reading a scan ----------------------------------------------------------------------------------

def ocr_file(root: Path, path: Path, cancel: threading.Event | None = None) -> OcrResult:
    """The text of a scan or photo: from the cache, or OCR'd now and cached (slow: seconds a page).

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
    try:
        text, pdf = _recognise(path, cancel)
    except _Unavailable as exc:
        return OcrResult(None, str(exc))
    except _Unreadable as exc:
        return _stored_failure(root, digest, str(exc))
    try:
        written = _store(root, digest, text, pdf)
    except OSError as exc:
        return OcrResult(text, f"текст скана не сохранён: {os_error_reason(exc)}", None, True)
    return OcrResult(text, None, written, True)


def _stored_failure(root: Path, digest: str, reason: str) -> OcrResult:
    try:
        write_text_atomic(cache_dir(root) / f"{digest}.fail", reason)
    except OSError:
        pass  # not remembered: tried again next time, which is all it costs
    return OcrResult(None, reason, None, True)


def _recognise(path: Path, cancel: threading.Event | None) -> tuple[str, bytes | None]:
    global _runs
    with _runs_lock:
        _runs += 1
    with tempfile.TemporaryDirectory(prefix="kezdocs-ocr-") as work:
        if path.suffix.lower() == ".pdf":
            text, pdf = _recognise_pdf(path, Path(work), cancel)
        else:
            text, pdf = _recognise_image(path, Path(work), cancel)
    return nfc(_SKIPPED.sub("", text.replace("\f", "\n")).strip()), pdf


def _recognise_pdf(path: Path, work: Path, cancel: threading.Event | None) -> tuple[str, bytes]:
    """ocrmypdf in a child process (its authors' advice: it forks, and a crash stays there)."""
    sidecar, output = work / "text.txt", work / "ocr.pdf"
    command = [sys.executable, "-m", "ocrmypdf", "--language", LANGUAGES, "--skip-text", "--pages", f"1-{MAX_PAGES}",
               "--jobs", str(JOBS), "--tesseract-timeout", str(PAGE_TIMEOUT),
               "--max-image-mpixels", str(MAX_PIXELS // 1_000_000), "--sidecar", str(sidecar), "--quiet",
               str(path), str(output)]
    code, errors = _run(command, FILE_TIMEOUT, cancel)
    if code == 0:
        return sidecar.read_text(encoding="utf-8", errors="replace"), output.read_bytes()
    if code == 3:  # ocrmypdf's «missing dependency»: the machine's fault
        raise _Unavailable(f"распознавание недоступно: ocrmypdf не нашёл нужную программу ({_last_line(errors)})")
    raise _Unreadable(PDF_FAILURES.get(code, f"распознавание не удалось (ocrmypdf, код {code}): "
                                             f"{_last_line(errors)}"))


PDF_FAILURES = {  # ocrmypdf's exit codes that say something about the file
    2: "файл не читается как PDF — откройте и пересохраните его",
    8: "PDF защищён паролем — сохраните копию без пароля",
    7: f"Tesseract не смог прочитать страницу; {RESCAN}",
}


def _last_line(text: str) -> str:
    return ([line.strip()[:200] for line in text.splitlines() if line.strip()] or ["без пояснений"])[-1]


def _run(command: list[str], timeout: float, cancel: threading.Event | None) -> tuple[int, str]:
    """(exit code, stderr) of a child process in its own process group, which is killed whole (Tesseract,
    the rasterizer) when `timeout` passes or `cancel` is set."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               errors="replace", start_new_session=True)
    deadline = time.monotonic() + timeout
    while True:
        try:
            _, errors = process.communicate(timeout=0.5)
            return process.returncode, errors
        except subprocess.TimeoutExpired:
            stopped = cancel is not None and cancel.is_set()
            if stopped or time.monotonic() > deadline:
                _kill(process)
                if stopped:
                    raise _Unavailable(STOPPED) from None
                raise _Unreadable(f"распознавание дольше {timeout // 60:g} мин — остановлено; {RESCAN}") from None


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (OSError, AttributeError):  # gone already; or Windows, which has no process groups
        process.kill()
    process.communicate()


def _recognise_image(path: Path, work: Path, cancel: threading.Event | None) -> tuple[str, bytes | None]:
    """Each page (at most `MAX_PAGES`) through Tesseract once, for its text and its searchable PDF page."""
    import pytesseract

    texts, pages = [], []
    started = time.monotonic()
    for page in _image_pages(path, work):
        if cancel is not None and cancel.is_set():
            raise _Unavailable(STOPPED)
        if time.monotonic() - started > FILE_TIMEOUT:
            break
        try:
            text, pdf = pytesseract.run_and_get_multiple_output(str(page), ["txt", "pdf"], lang=LANGUAGES,
                                                                timeout=PAGE_TIMEOUT)
        except pytesseract.TesseractNotFoundError:
            raise _Unavailable(UNAVAILABLE) from None
        except RuntimeError as exc:  # pytesseract's timeout, and TesseractError (its subclass)
            raise _Unreadable(f"распознавание страницы дольше {PAGE_TIMEOUT} с — остановлено; {RESCAN}"
                              if "timeout" in str(exc).lower() else f"Tesseract не смог прочитать страницу; {RESCAN}")
        texts.append(text)
        pages.append(pdf)
    return "\n".join(texts), _joined(pages)


@lru_cache(maxsize=1)
def _read_heic() -> None:
    """Phones write HEIC: Pillow reads it through pillow-heif, loaded when an image is first read."""
    import pillow_heif

    pillow_heif.register_heif_opener()


def _image_pages(path: Path, work: Path):
    """The pages of an image as files Tesseract reads: the JPEG itself when it needs no turning, else each
    frame turned by its EXIF orientation and saved as JPEG (which Tesseract puts into the PDF as it is)."""
    from PIL import Image, ImageOps, ImageSequence

    _read_heic()

    try:
        with Image.open(path) as image:
            for number, frame in enumerate(ImageSequence.Iterator(image)):
                if number == MAX_PAGES:
                    return
                if frame.width * frame.height > MAX_PIXELS:
                    raise _Unreadable(TOO_MANY_PIXELS)
                if number == 0 and image.format == "JPEG" and getattr(image, "n_frames", 1) == 1 \
                        and image.getexif().get(EXIF_ORIENTATION, 1) == 1 and _dpi(image) == _stated_dpi(image):
                    yield path
                    return
                target = work / f"page-{number}.jpg"
                _flattened(ImageOps.exif_transpose(frame)).save(target, "JPEG", quality=90, dpi=_dpi(frame))
                yield target
    except _Unreadable:
        raise
    except Image.DecompressionBombError:
        raise _Unreadable(TOO_MANY_PIXELS) from None
    except Exception:  # noqa: BLE001 - a damaged image raises anything (OSError, SyntaxError, ValueError…)
        raise _Unreadable("файл не читается как изображение — откройте и пересохраните его") from None


def _stated_dpi(image) -> tuple[int, int] | None:
    dpi = image.info.get("dpi")
    return (round(float(dpi[0])), round(float(dpi[1]))) if dpi else None


def _dpi(image) -> tuple[int, int]:
    """The image's resolution; a photo's 72 dpi (or none) would make a page a metre wide: taken as A4."""
    stated = _stated_dpi(image)
    if stated and min(stated) >= 100:
        return stated
    fitted = max(100, round(image.width / A4_WIDTH_INCHES))
    return fitted, fitted


def _flattened(image):
    """Greyscale or RGB without transparency (a transparent background becomes white, not black)."""
    from PIL import Image

    if "A" in image.getbands() or image.mode == "P":
        return Image.alpha_composite(Image.new("RGBA", image.size, "white"), image.convert("RGBA")).convert("RGB")
    return image.convert("L") if image.mode in ("1", "L", "I", "I;16", "F") else image.convert("RGB")


def _joined(pages: list[bytes]) -> bytes | None:
    """One PDF of the pages' PDFs."""
    if len(pages) <= 1:
        return pages[0] if pages else None
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    for page in pages:
        writer.append(io.BytesIO(page))
    writer.write(out)
    return out.getvalue()
