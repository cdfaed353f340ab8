"""Scans made in the test: text rendered to a page image at 200–300 dpi, slightly rotated, with the barcode of a
ШПИ where a receipt has one, saved as an image-only PDF, a JPEG, a PNG or a multi-page TIFF — what an office
scanner and a phone produce, with no text layer for kezdocs to cheat with."""
from __future__ import annotations

from pathlib import Path

import img2pdf
import zxingcpp
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
A4_MM = (210, 297)


def shpi(first13: str) -> str:
    """A domestic ШПИ with its check digit (odd places ×3 plus even places, to a multiple of 10)."""
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(first13))
    return first13 + str((10 - total % 10) % 10)


def page(lines: list[str], *, dpi: int = 200, rotate: float = 0.8, barcode: str | None = None,
         points: int = 12) -> Image.Image:
    """One A4 page, greyscale: the lines at `points` size, a Code 128 barcode of `barcode` at the top right."""
    width, height = (round(mm / 25.4 * dpi) for mm in A4_MM)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, round(points / 72 * dpi))
    margin, step = round(dpi * 0.8), round(points / 72 * dpi * 1.5)
    for i, line in enumerate(lines):
        draw.text((margin, margin + round(dpi * 0.9) + i * step), line, fill=0, font=font)
    if barcode:
        bars = zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(barcode, zxingcpp.BarcodeFormat.Code128),
                                               scale=max(1, round(dpi / 100)))
        mark = Image.fromarray(bars).convert("L").resize((round(dpi * 2.6), round(dpi * 0.5)), Image.NEAREST)
        image.paste(mark, (width - margin - mark.width, round(margin * 0.6)))
    return image.rotate(rotate, resample=Image.BICUBIC, expand=False, fillcolor=255)


def image_pdf(path: Path, pages: list[Image.Image], dpi: int = 200) -> Path:
    """An image-only PDF (no text layer): each page one JPEG."""
    blobs = []
    for i, image in enumerate(pages):
        tmp = path.with_name(f".{path.stem}-{i}.jpg")
        image.save(tmp, "JPEG", quality=85, dpi=(dpi, dpi))
        blobs.append(tmp.read_bytes())
        tmp.unlink()
    path.write_bytes(img2pdf.convert(blobs))
    return path


def jpeg(path: Path, image: Image.Image, dpi: int = 200) -> Path:
    image.save(path, "JPEG", quality=85, dpi=(dpi, dpi))
    return path


def png(path: Path, image: Image.Image, dpi: int = 200) -> Path:
    image.save(path, "PNG", dpi=(dpi, dpi))
    return path


def tiff(path: Path, pages: list[Image.Image], dpi: int = 200) -> Path:
    """A multi-page TIFF, as an office scanner writes a stack of sheets."""
    pages = [image.copy() for image in pages]  # a page saved as JPEG before keeps JPEG settings Pillow would reuse
    pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], compression="tiff_deflate", dpi=(dpi, dpi))
    return path


def receipt_lines(number: str, address: str) -> list[str]:
    return ["АО «Почта России»", "КАССОВЫЙ ЧЕК", "Заказное письмо с уведомлением", f"ШПИ: {number}",
            f"Адресат: {address}", "Вес: 0,020 кг", "Итого: 96,00 руб."]
