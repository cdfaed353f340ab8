"""Barcodes on scans: the ШПИ a postal receipt or a delivery notice carries as a barcode.

Почта России prints the letter's identifier (ШПИ) as a Code 128 barcode on its receipts, notices (ф. 119) and
labels; newer receipts add DataMatrix and QR codes. zxing-cpp reads every format it knows from an image file
(JPG, PNG, TIFF — every page —, HEIC from phones) or from the images of a PDF's first pages (a scanner's
image-only PDF). A barcode needs no OCR, so this works without Tesseract, and a barcode does not misread a
digit as OCR may. Only values that are a valid ШПИ count (`classification.tracking_numbers`, which asks
`eventrules.shpi_problem`). The file is only read; every read is bounded (pages, pixels, time), and a file that
cannot be read simply has no codes — intake reports unreadable files itself.
"""
from __future__ import annotations

import time
from pathlib import Path, PurePosixPath
from typing import Iterator

from kezdocs.core.classification import TRACKED_KINDS, tracking_numbers
from kezdocs.core.filekinds import IMAGE_SUFFIXES

MAX_PAGES = 3  # pages of a PDF, frames of a TIFF: a receipt's or a notice's barcode is on its first pages
MAX_IMAGES = 4  # images looked at on one PDF page
MAX_PIXELS = 40_000_000  # a larger image is not decoded (an A4 page at 600 dpi has 35 million)
MAX_FILE = 50_000_000  # bytes: a larger file is not opened
LONG_SIDE = 2400  # pixels: a larger image is read reduced (about 200 dpi on A4; a barcode still reads)
TIME_BUDGET = 3.0  # seconds: no further image is started after that


def wanted(document) -> bool:
    """Whether a file's barcodes are worth reading: an image or a PDF that is a postal document, or whose kind is
    only a guess (not recognised, or only its folder's: a receipt in «Претензия/»), not kezdocs's own, and that
    shows no ШПИ in its name or text yet."""
    return (not document.generated and not document.tracking and (document.kind in TRACKED_KINDS or document.tentative)
            and PurePosixPath(document.relpath).suffix.lower() in (*IMAGE_SUFFIXES, ".pdf"))


def read_codes(path: Path) -> tuple[str, ...]:
    """Every valid ШПИ in the barcodes of an image file or of a PDF's first pages, in order, once each."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (*IMAGE_SUFFIXES, ".pdf"):
        return ()
    found: list[str] = []
    started = time.monotonic()
    try:
        if path.stat().st_size > MAX_FILE:
            return ()
        images = _pdf_images(path) if suffix == ".pdf" else _file_images(path)
        for image in images:
            found += _codes(image)
            if time.monotonic() - started > TIME_BUDGET:
                break
    except Exception:  # noqa: BLE001 - a damaged or hostile file has no codes; intake reports what it cannot read
        pass
    return tuple(dict.fromkeys(found))


def _codes(image) -> list[str]:
    """The valid ШПИ among the barcodes zxing finds in one image (all formats)."""
    import zxingcpp

    image = image.convert("L")
    if max(image.size) > LONG_SIDE:
        image = image.reduce(-(-max(image.size) // LONG_SIDE))
    return [number for code in zxingcpp.read_barcodes(image) for number in tracking_numbers(code.text)]


def _file_images(path: Path) -> Iterator:
    """The pages of an image file (a TIFF's first frames), each within the pixel limit; HEIC through pillow-heif."""
    from PIL import Image

    if path.suffix.lower() in (".heic", ".heif"):
        import pillow_heif

        pillow_heif.register_heif_opener()
    with Image.open(path) as image:
        for frame in range(min(getattr(image, "n_frames", 1), MAX_PAGES)):
            image.seek(frame)
            if image.format == "JPEG" and max(image.size) > LONG_SIDE:  # decoded reduced (by 2, 4 or 8): far faster
                scale = LONG_SIDE / max(image.size)
                image.draft("L", (round(image.width * scale), round(image.height * scale)))
            if image.width * image.height <= MAX_PIXELS:
                yield image.copy()


def _pdf_images(path: Path) -> Iterator:
    """The images of a PDF's first pages, each within the pixel limit (measured before it is decoded)."""
    from pypdf import PdfReader

    from kezdocs.folders.intake import quiet

    with quiet("pypdf"), open(path, "rb") as file:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return
        for page in reader.pages[:MAX_PAGES]:
            for name in _image_names(page)[:MAX_IMAGES]:
                yield _jpeg_reduced(page, name) or page.images[name].image


def _jpeg_reduced(page, name: str):
    """A page's JPEG opened straight from its bytes and decoded reduced (by 2, 4 or 8: several times faster than
    pypdf's full decode); None for any other image, which pypdf decodes."""
    import io

    from PIL import Image

    obj = page["/Resources"]["/XObject"][name].get_object()
    if obj.get("/Filter") != "/DCTDecode" or obj.get("/ColorSpace") not in ("/DeviceGray", "/DeviceRGB") \
            or "/Decode" in obj:
        return None
    image = Image.open(io.BytesIO(obj.get_data()))
    scale = min(1.0, LONG_SIDE / max(image.size))
    image.draft("L", (round(image.width * scale), round(image.height * scale)))
    return image


def _image_names(page) -> list[str]:
    """The names of a page's own images small enough to decode (images inside forms are left alone)."""
    resources = page.get("/Resources")
    objects = resources.get_object().get("/XObject") if resources is not None else None
    if objects is None:
        return []
    names = []
    for name, ref in objects.get_object().items():
        obj = ref.get_object()
        if obj.get("/Subtype") == "/Image" and int(obj.get("/Width", 0)) * int(obj.get("/Height", 0)) <= MAX_PIXELS:
            names.append(name)
    return names
