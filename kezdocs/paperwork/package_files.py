"""The files of a lawsuit package: each attachment copied aside, made a PDF the courts' portals take and checked;
the merged PDF with its inventory page (опись).

PDFs go in as they are, pictures (JPEG, PNG, TIFF with all its pages, HEIC from phones) through img2pdf, office
files through LibreOffice (`paperwork.libreoffice`, one call per batch). A clerk's scan is then brought to the rules
of `efiling`: a PDF without a text layer is replaced by its recognised copy (`ocr.searchable_pdf`: made when a
package first asks, then kept; a scan with no text to recognise goes in as it is and the package's check names it),
and one over 30 MB is rewritten by Ghostscript at 300 dpi greyscale. Every file is read once, into a copy inside
the build folder, so the package never holds a file that changed while it was read; a file that cannot go in gets
its reason (`Attachment.problem`).
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from kezdocs.core import classification
from kezdocs.core import efiling as rules
from kezdocs.core.errors import KezdocsError
from kezdocs.core.filekinds import IMAGE_SUFFIXES
from kezdocs.folders import intake, ocr
from kezdocs.paperwork import efiling
from kezdocs.paperwork.efiling import open_pdf
from kezdocs.paperwork.libreoffice import convert_to_pdf

OFFICE_SUFFIXES = {".docx", ".doc", ".odt", ".rtf", ".xlsx", ".xls", ".ods", ".txt"}
SUPPORTED_SUFFIXES = {".pdf", *IMAGE_SUFFIXES, *OFFICE_SUFFIXES}
PDF_TAIL = 1024  # a whole PDF ends with «%%EOF» within its last 1024 bytes (ISO 32000-1, 7.5.5)
A4_MM = (210, 297)
GHOSTSCRIPT_TIMEOUT = 300  # seconds for rewriting one large scan: a hundred pages at 300 dpi take about a minute


@dataclass
class Attachment:
    title: str
    source: Path  # the file read (a clerk's file, or one kezdocs generated in the build folder)
    doc: classification.Document | None = None  # the clerk's document it comes from; None for kezdocs's own
    file: Path | None = None  # the copy taken of `source` in the build folder: what is packaged without a PDF
    pdf: Path | None = None  # the PDF to package; None when there is none (a DOCX without LibreOffice)
    pages: int | None = None
    problem: str | None = None  # why the file cannot go into the package; None when it can

    @property
    def shown(self) -> str:
        return self.doc.relpath if self.doc is not None else self.source.name



class Converter:
    """Copies each file into the build folder and gives it a checked PDF and its page count: PDFs as they are,
    images via img2pdf, office files via LibreOffice (one call per batch, working inside the build folder); a clerk's
    scan is then brought to the portals' rules (`_court_ready`). A clerk's file that cannot be included gets
    `problem`; kezdocs's own documents are packaged as they are."""

    def __init__(self, root: Path, work: Path, office: str | None, profile: Path, warnings: list[str]):
        self.root, self.work, self.office, self.profile, self.warnings = root, work, office, profile, warnings
        self.count = 0

    def prepare(self, attachments: list[Attachment]) -> None:
        pending = []
        for a in attachments:
            self.count += 1
            self._take(a, self.count)
            if a.problem is None and a.pdf is None and a.file.suffix in OFFICE_SUFFIXES and self.office:
                pending.append(a)
        if pending:
            self._convert(pending)
        for a in attachments:
            if a.pdf is not None and a.problem is None:
                a.pages, a.problem = check_pdf(a.pdf)
                if a.problem:
                    a.pdf = None
                elif a.doc is not None:
                    self._court_ready(a)
            if a.problem and a.doc is None:  # kezdocs's own lawsuit or calculation is never left out
                self.warnings.append(f"«{a.source.name}»: {a.problem} — упакован как есть")
                a.problem, a.pdf = None, None

    def _take(self, a: Attachment, n: int) -> None:
        suffix = a.source.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            a.problem = (f"формат «{suffix or 'без расширения'}» не принимается в пакет — "
                         "сохраните документ в PDF (или JPEG, PNG, TIFF, DOCX)")
            return
        (self.work / "src").mkdir(parents=True, exist_ok=True)
        copy = self.work / "src" / f"{n:03d}{suffix}"  # numbered: two «скан.pdf» from two folders do not collide
        a.problem = _snapshot(a.source, copy)
        if a.problem:
            return
        a.file = copy
        if suffix == ".pdf":
            a.pdf = copy
        elif suffix in IMAGE_SUFFIXES:
            a.pdf, a.problem = _image_pdf(copy, self.work / "src" / f"{n:03d}.pdf")

    def _convert(self, pending: list[Attachment]) -> None:
        out = self.work / "pdf"
        try:
            convert_to_pdf([a.file for a in pending], out, workdir=self.work, profile=self.profile)
        except KezdocsError:
            pass  # which files did convert is seen below
        for a in pending:
            produced = out / f"{a.file.stem}.pdf"
            if produced.is_file():
                a.pdf = produced
            else:
                a.problem = "LibreOffice не смог преобразовать файл в PDF — файл повреждён или защищён паролем"

    def _court_ready(self, a: Attachment) -> None:
        """A clerk's PDF as the portals take it (`efiling`): a scan or photo replaced by its recognised copy with
        a text layer (made now if no package asked before: slow, once); a file over the size limit rewritten at
        300 dpi greyscale. A replacement is used only when it is whole and has the same pages; otherwise the file
        stays as it is, and the package's own check names the rule it breaks."""
        stem = a.file.stem
        if _lacks_text(a.pdf):
            recognised = ocr.searchable_pdf(a.file, self.root)
            if recognised is not None:
                copy = self.work / "src" / f"{stem}-ocr.pdf"
                shutil.copyfile(recognised, copy)
                self._replace(a, copy)
        if a.pdf.stat().st_size > rules.MAX_BYTES:
            smaller = downsample(a.pdf, self.work / "src" / f"{stem}-300dpi.pdf", self.work)
            if smaller is not None and smaller.stat().st_size < a.pdf.stat().st_size:
                self._replace(a, smaller)

    @staticmethod
    def _replace(a: Attachment, candidate: Path) -> None:
        if check_pdf(candidate) == (a.pages, None):
            a.pdf = candidate


def _snapshot(source: Path, copy: Path) -> str | None:
    """Copy a file read into the build folder (the package is made from this copy, never from a file that
    changes meanwhile); a problem when it cannot be read or changed while being copied (still being copied)."""
    try:
        before = os.stat(source)
        handle = open(source, "rb")
    except OSError as exc:
        return f"файл не открывается: {exc.strerror or exc}"
    copied = 0
    with handle, open(copy, "wb") as out:
        while True:
            try:
                block = handle.read(1 << 20)
            except OSError as exc:
                return f"файл не читается: {exc.strerror or exc}"
            if not block:
                break
            out.write(block)
            copied += len(block)
        out.flush()
        os.fsync(out.fileno())
    try:
        after = os.stat(source)
    except OSError:
        return "файл исчез, пока его читали"
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or copied != after.st_size:
        return "файл ещё изменяется (идёт копирование?) — дождитесь его окончания и повторите"
    return None


def check_pdf(path: Path) -> tuple[int | None, str | None]:
    """(pages, None) for a PDF that can go into the package whole, else (None, why): a file cut short (still
    being copied: no «%%EOF» at its end), one pypdf cannot read or copy page by page, one with no pages."""
    from pypdf import PdfWriter

    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            handle.seek(max(0, size - PDF_TAIL))
            tail = handle.read()
    except OSError as exc:
        return None, f"файл не читается: {exc.strerror or exc}"
    if b"%%EOF" not in tail:
        return None, "PDF обрывается (нет конца файла) — файл ещё копируется или повреждён"
    with intake.quiet("pypdf"):
        try:
            reader = open_pdf(path)
            pages = len(reader.pages)
            if pages:
                trial = PdfWriter()  # exactly what the merge will do, written to nowhere
                trial.append(reader)
                trial.write(_Sink())
        except Exception:  # noqa: BLE001 - any failure of a damaged file means: not in the package
            return None, "PDF не читается — файл повреждён или защищён паролем"
    if not pages:
        return None, "в PDF нет ни одной страницы"
    return pages, None


class _Sink(io.RawIOBase):
    """A stream that counts and forgets: a trial write costs no memory."""

    def __init__(self):
        super().__init__()
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position


def _image_pdf(source: Path, target: Path) -> tuple[Path | None, str | None]:
    """A scan saved as a picture becomes a PDF of A4 pages, one per page of the picture (img2pdf: a JPEG is
    embedded as it is, nothing is re-compressed); a picture cut short or damaged is a problem."""
    import img2pdf

    a4 = img2pdf.get_layout_fun((img2pdf.mm_to_pt(A4_MM[0]), img2pdf.mm_to_pt(A4_MM[1])),
                                fit=img2pdf.FitMode.into, auto_orient=True)
    try:
        data = img2pdf.convert(_image_pages(source), layout_fun=a4, rotation=img2pdf.Rotation.ifvalid)
    except Exception:  # noqa: BLE001 - a damaged picture is reported, the package goes on
        return None, "изображение не читается — файл повреждён или ещё копируется"
    target.write_bytes(data)
    return target, None


def _image_pages(source: Path) -> list[bytes]:
    """What img2pdf embeds: a JPEG as it is; any other picture frame by frame (every page of a TIFF), in a mode
    a PDF holds (transparency on white, the orientation the camera recorded applied) — a phone's HEIC as JPEG,
    the rest as PNG. Decoding each frame whole refuses a file cut short."""
    from PIL import Image, ImageOps, ImageSequence

    if source.suffix.lower() in (".heic", ".heif"):
        import pillow_heif

        pillow_heif.register_heif_opener()
    pages = []
    with Image.open(source) as picture:
        picture.load()
        if picture.format == "JPEG":
            return [source.read_bytes()]
        lossy = picture.format in ("HEIF", "AVIF")
        for frame in ImageSequence.Iterator(picture):
            out = io.BytesIO()
            flat = _flat(ImageOps.exif_transpose(frame))
            if lossy:
                flat.convert("RGB").save(out, "JPEG", quality=90)
            else:
                flat.save(out, "PNG", compress_level=1)
            pages.append(out.getvalue())
    return pages


def _flat(frame):
    """A frame in a mode img2pdf embeds: bilevel, grey or RGB; transparency becomes white paper."""
    from PIL import Image

    if frame.mode in ("1", "L", "RGB"):
        return frame.copy()
    if frame.mode in ("P", "LA", "RGBA", "PA") or "transparency" in frame.info:
        rgba = frame.convert("RGBA")
        paper = Image.new("RGB", rgba.size, "white")
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    return frame.convert("RGB")  # CMYK, YCbCr, 16-bit grey


def _lacks_text(pdf: Path) -> bool:
    """A page whose text cannot be copied: a scan (or a page of one) never recognised."""
    try:
        with intake.quiet("pypdf"):
            return bool(efiling.pages_without_text(open_pdf(pdf)))
    except Exception:  # noqa: BLE001 - check_pdf already read it whole; a parser quirk is not a scan
        return False


def downsample(source: Path, target: Path, workdir: Path) -> Path | None:
    """A scan over the portals' size limit rewritten by Ghostscript at `rules.SCAN_DPI` greyscale (the orders
    allow black-and-white or grey); its text layer is kept. None when Ghostscript is not installed, fails or takes
    longer than `GHOSTSCRIPT_TIMEOUT`. Its temporary files stay in `workdir`, inside the root."""
    gs = shutil.which("gs") or shutil.which("gswin64c") or shutil.which("gswin32c")
    if gs is None:
        return None
    dpi = rules.SCAN_DPI
    command = [gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite", "-dAutoRotatePages=/None",
               "-sColorConversionStrategy=Gray", "-dProcessColorModel=/DeviceGray",
               *(f"-d{kind}{option}" for kind in ("Color", "Gray", "Mono") for option in
                 ("ImageDownsampleType=/Bicubic", f"ImageResolution={dpi}", "ImageDownsampleThreshold=1.0")),
               "-dDownsampleColorImages=true", "-dDownsampleGrayImages=true", "-dDownsampleMonoImages=true",
               f"-sOutputFile={target}", str(source)]
    env = {**os.environ, "TMPDIR": str(workdir), "TMP": str(workdir), "TEMP": str(workdir)}
    try:
        subprocess.run(command, capture_output=True, timeout=GHOSTSCRIPT_TIMEOUT, check=True, env=env)
    except (OSError, subprocess.SubprocessError):
        return None
    return target if target.is_file() else None


def merged_pdf(everything: list[Attachment], heading: str) -> bytes:
    """The inventory page, then every PDF with a bookmark: the numbered file's name («03 Копия договора …»),
    so a bookmark and the file it came from read alike."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    inventory = inventory_pdf(everything, heading)
    writer.append(PdfReader(io.BytesIO(inventory)), outline_item="Опись документов")
    with intake.quiet("pypdf"):
        for a in everything:
            if a.pdf is not None:
                writer.append(open_pdf(a.pdf), outline_item=a.pdf.stem)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def inventory_pdf(everything: list[Attachment], heading: str) -> bytes:
    """Опись: number, name, pages of what the package holds.

    A court document: it lists only what the package holds, and no program's words — no «--force», no list of
    what is missing, no note on a file left out of the merged PDF (the CLI tells the user: `console.print_package`)."""
    from kezdocs.paperwork.pdftext import new_document

    pdf = new_document()
    pdf.add_page()
    pdf.set_font("roboto", "B", 14)
    pdf.multi_cell(0, 8, "Опись документов", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("roboto", "", 11)
    pdf.multi_cell(0, 6, heading, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    with pdf.table(col_widths=(12, 140, 25), text_align=("CENTER", "LEFT", "CENTER")) as table:
        table.row(("№", "Наименование документа", "Листов"))
        for n, a in enumerate(everything, 1):
            table.row((str(n), a.title, str(a.pages) if a.pages else "—"))
        total = sum(a.pages or 0 for a in everything)
        table.row(("", "Всего листов", str(total)))
    return bytes(pdf.output())
