"""The pages of a scan as image files Tesseract reads, and the child processes that read them.

Tesseract reads images, one process a page: that is the fastest OCR there is
(bare `tesseract page.jpg`), so every scan is brought to it. An image's pages
are its frames, turned by their EXIF orientation; a PDF's page is the one
image a scanner (or img2pdf) put on it — a JPEG is handed over byte for byte,
as it was scanned — or, when a page is anything else, the page rendered by
Ghostscript. Everything is bounded: pages, pixels (measured before a byte is
decoded), pypdf's stream limits, and each child process's time; a child is
killed with its process group when its time is up or the caller cancels.
"""
from __future__ import annotations

import math
import os
import shutil
import signal
import subprocess
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Iterator

MAX_PAGES = 20  # pages OCR'd per file; the rest stay as they are
PAGE_TIMEOUT = 60  # seconds of one child process (Tesseract, Ghostscript) on one page
MAX_PIXELS = 80_000_000  # pixels of one page (A3 at 600 dpi is 70 million): more is a «decompression bomb»
RASTER_DPI = 300  # a page Ghostscript renders for OCR (never finer than the page's own scan)
RASTER_PIXELS = 36_000_000  # at most (A2 at 300 dpi): a larger page is rendered coarser
A4_WIDTH_INCHES = 8.27  # a photo without a resolution is taken as an A4 page
EXIF_ORIENTATION = 0x0112
ONE_THREAD = {"OMP_THREAD_LIMIT": "1"}  # Tesseract's OpenMP threads fight each other: one page, one thread is fastest
RESCAN = "пересканируйте документ или назовите файл по его виду"
STOPPED = "распознавание прервано: kezdocs остановлен"
TOO_MANY_PIXELS = (f"изображение больше {MAX_PIXELS // 1_000_000} млн точек — kezdocs не распознаёт его; "
                   "отсканируйте с разрешением 300 dpi")
NOT_AN_IMAGE = "файл не читается как изображение — откройте и пересохраните его"
NOT_A_PDF = "файл не читается как PDF — откройте и пересохраните его"
NO_GHOSTSCRIPT = "распознавание недоступно: не установлен Ghostscript (gs), а страницу PDF нужно отрисовать"


class Unavailable(Exception):
    """OCR cannot run on this machine now: not the file's fault, so nothing is cached."""


class Unreadable(Exception):
    """The file cannot be OCR'd (its reason, in Russian): cached, so it is not tried again."""


def child_env() -> dict[str, str]:
    """The environment of every Tesseract, ocrmypdf and Ghostscript run: one OpenMP thread (on 2 cores the
    default — a thread per core — makes Tesseract five times slower). Only the child's: nothing leaks."""
    return {**os.environ, **ONE_THREAD}


def run(command: list[str], timeout: float, cancel: threading.Event | None) -> tuple[int, str]:
    """(exit code, stderr) of a child process in its own process group, which is killed whole when `timeout`
    passes or `cancel` is set (`Unavailable` both: neither is the file's fault for sure, so nothing is cached)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               errors="replace", start_new_session=True, env=child_env())
    deadline = time.monotonic() + timeout
    while True:
        try:
            _, errors = process.communicate(timeout=0.2)
            return process.returncode, errors
        except subprocess.TimeoutExpired:
            stopped = cancel is not None and cancel.is_set()
            if stopped or time.monotonic() > deadline:
                _kill(process)
                if stopped:
                    raise Unavailable(STOPPED) from None
                # not cached: a busy machine may be why; the service tries it again after a restart, not in a loop
                raise Unavailable(f"распознавание дольше {max(1, round(timeout / 60))} мин — остановлено; "
                                  f"{RESCAN}") from None


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (OSError, AttributeError):  # gone already; or Windows, which has no process groups
        process.kill()
    process.communicate()


# --- images ----------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _read_heic() -> None:
    """Phones write HEIC: Pillow reads it through pillow-heif, loaded when an image is first read."""
    import pillow_heif

    pillow_heif.register_heif_opener()


def image_pages(path: Path, work: Path) -> Iterator[tuple[Path, int | None]]:
    """The pages of an image (at most `MAX_PAGES`) as (file, dpi or None when the file states it): the JPEG
    itself when it needs no turning, else each frame turned by its EXIF orientation and saved as JPEG (which
    Tesseract's PDF keeps as it is)."""
    from PIL import Image, ImageOps, ImageSequence

    _read_heic()
    try:
        with Image.open(path) as image:
            for number, frame in enumerate(ImageSequence.Iterator(image)):
                if number == MAX_PAGES:
                    return
                if frame.width * frame.height > MAX_PIXELS:
                    raise Unreadable(TOO_MANY_PIXELS)
                if number == 0 and image.format == "JPEG" and getattr(image, "n_frames", 1) == 1 \
                        and image.getexif().get(EXIF_ORIENTATION, 1) == 1 and _dpi(image) == _stated_dpi(image):
                    yield path, None
                    return
                target = work / f"page-{number}.jpg"
                _flattened(ImageOps.exif_transpose(frame)).save(target, "JPEG", quality=90, dpi=_dpi(frame))
                yield target, None
    except Unreadable:
        raise
    except Image.DecompressionBombError:
        raise Unreadable(TOO_MANY_PIXELS) from None
    except Exception:  # noqa: BLE001 - a damaged image raises anything (OSError, SyntaxError, ValueError…)
        raise Unreadable(NOT_AN_IMAGE) from None


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


# --- PDFs ------------------------------------------------------------------------------------------

def pdf_pages(path: Path, work: Path, cancel: threading.Event | None) -> Iterator[tuple[Path, int | None]]:
    """The first `MAX_PAGES` pages of a PDF as (image file, its dpi on the page): the page's own image when
    the page is one full-page image, else the page rendered by Ghostscript (`_rendered`)."""
    from pypdf import PdfReader

    from kezdocs.folders.intake import pdf_budget, quiet

    with quiet("pypdf"), pdf_budget(), open(path, "rb") as file:
        try:
            reader = PdfReader(file, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise Unreadable("PDF защищён паролем — сохраните копию без пароля")
            count = len(reader.pages)
        except Unreadable:
            raise
        except Exception:  # noqa: BLE001 - a damaged file raises anything
            raise Unreadable(NOT_A_PDF) from None
        if count == 0:
            raise Unreadable(NOT_A_PDF)
        for number in range(min(count, MAX_PAGES)):
            target = work / f"page-{number}"
            try:
                found = _own_image(reader.pages[number], target)
            except Exception:  # noqa: BLE001 - a page pypdf cannot take apart (or decode within its limits) is rendered
                found = None
            yield found or _rendered(path, number, reader.pages[number], target, cancel)


def _own_image(page, target: Path) -> tuple[Path, int] | None:
    """The page's one image when it fills the page (a scanner's page), written to `target` — a JPEG as it is
    stored, anything else decoded by pypdf as PNG — with its dpi; None when the page is anything else."""
    image, dpi = _full_page_image(page)
    if image is None:
        return None
    turn = int(page.get("/Rotate", 0) or 0) % 360
    if _plain_jpeg(image) and turn == 0:
        target = target.with_suffix(".jpg")
        target.write_bytes(image.get_data())
        return target, dpi
    decoded = next(iter(page.images)).image
    target = target.with_suffix(".png")
    _flattened(decoded.rotate(-turn, expand=True) if turn else decoded).save(target, "PNG", compress_level=1)
    return target, dpi


def _full_page_image(page) -> tuple[object | None, int]:
    """The page's one image and its dpi on the page, when the page is that image (the same proportions)."""
    image = _single_image(page)
    if image is None:
        return None, 0
    width_in = float(page.mediabox.width) / 72
    if abs(float(image["/Width"]) / float(image["/Height"]) - width_in * 72 / float(page.mediabox.height)) > 0.02:
        return None, 0
    return image, round(int(image["/Width"]) / width_in)


def _single_image(page):
    """The image XObject of a page that draws exactly one image and nothing else, within the pixel limit."""
    resources = page.get("/Resources")
    objects = resources.get_object().get("/XObject") if resources is not None else None
    if objects is None:
        return None
    found = [ref.get_object() for ref in objects.get_object().values()]
    contents = page.get_contents()
    drawn = contents.get_data() if contents is not None else b""
    if len(found) != 1 or found[0].get("/Subtype") != "/Image" or len(drawn) > 512 or drawn.count(b"Do") != 1 \
            or b"BT" in drawn:
        return None
    image = found[0]
    pixels = int(image.get("/Width", 0)) * int(image.get("/Height", 0))
    return image if 0 < pixels <= MAX_PIXELS else None


def _plain_jpeg(image) -> bool:
    """A JPEG a viewer shows as it is: grey or RGB, no decode array (CMYK and inverted ones are decoded)."""
    filters = image.get("/Filter")
    filters = list(filters) if isinstance(filters, list) else [filters]
    space = image.get("/ColorSpace")
    space = space.get_object() if space is not None else None
    return filters == ["/DCTDecode"] and space in ("/DeviceGray", "/DeviceRGB") and "/Decode" not in image


def _rendered(path: Path, number: int, page, target: Path, cancel) -> tuple[Path, int]:
    """Page `number` rendered by Ghostscript in grey at `RASTER_DPI` — coarser for a page so large it would
    pass `RASTER_PIXELS`, or for a scan coarser than that (more pixels would add no detail, only time)."""
    gs = shutil.which("gs") or shutil.which("gswin64c") or shutil.which("gswin32c")
    if gs is None:
        raise Unavailable(NO_GHOSTSCRIPT)
    try:
        box = page.cropbox
        square_inches = max(float(box.width) * float(box.height) / 72 / 72, 1e-6)
        scanned = _full_page_image(page)[1]
    except Exception:  # noqa: BLE001 - a page without a readable box: Ghostscript's own default
        square_inches, scanned = A4_WIDTH_INCHES * 11.7, 0
    dpi = max(1, min(RASTER_DPI, scanned or RASTER_DPI, math.floor(math.sqrt(RASTER_PIXELS / square_inches))))
    target = target.with_suffix(".png")
    code, errors = run([gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", f"-r{dpi}", "-dUseCropBox",
                        f"-dFirstPage={number + 1}", f"-dLastPage={number + 1}", f"-sOutputFile={target}", str(path)],
                       PAGE_TIMEOUT, cancel)
    if code != 0 or not target.is_file():
        raise Unreadable(f"страница {number + 1} PDF не отрисовывается — откройте и пересохраните файл")
    return target, dpi
