"""OCR behind the scan, on real scans made in the test (`scans`): an image-only PDF receipt, a phone photo turned
by its EXIF orientation, a two-page TIFF, a HEIC — each read once (by content), cached under `.kezdocs/ocr/`, its
text found and the file classified as what the text says; the scan itself never runs OCR, and the clerk's files stay
byte for byte what they were.

OCR is slow (a second a page): the scans are read once, in a module fixture, and every test looks at that run.
"""
import hashlib
import io
import shutil
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import img2pdf
import pytest
import scans
from PIL import Image
from pypdf import PdfReader, PdfWriter

from kezdocs.core.card import STATUS_FILE
from kezdocs.folders import ocr
from kezdocs.folders.casefolder import open_root
from kezdocs.folders.index import Index
from kezdocs.service.ocr_worker import recognise_now
from kezdocs.service.sync import sync

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None,
                                reason="не установлен Tesseract (tesseract-ocr, tesseract-ocr-rus)")

TODAY = date(2026, 11, 24)
PETROV = "2026-002 ИП Петров"
ROMASHKA = "2026-001 ООО Ромашка"
SHPI = scans.shpi("4275509876543")
ADDRESS = "г. Кез, ул. Кирова, д. 5"
SCANS = ("IMG_20261120_101532.jpg", "Scan_0001.tif", "скан 001.pdf")  # as the status lists them
BROKEN = "фото.jpg"


def phone_photo(path: Path, page: Image.Image) -> Path:
    """A phone's JPEG: the pixels lie on their side, the EXIF orientation (6: turn 90° clockwise) says how to
    show them, and there is no resolution (72 dpi)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    page.rotate(90, expand=True).save(path, "JPEG", quality=85, exif=exif)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cache_files(root: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in sorted(ocr.cache_dir(root).iterdir())}


@pytest.fixture(scope="module")
def run(built_demo, tmp_path_factory):
    """The demo root with scans dropped into a case (one of them into a second case too), then: a scan, `kezdocs
    ocr`'s work, and a full re-scan — with the OCR runs counted after each."""
    root = Path(shutil.copytree(built_demo, tmp_path_factory.mktemp("ocr") / "дела"))
    receipt = scans.page(scans.receipt_lines(SHPI, ADDRESS))
    inventory = scans.page(["ОПИСЬ ВЛОЖЕНИЯ", "Претензия о погашении задолженности", "Количество листов: 2"])
    petrov = root / PETROV
    scans.image_pdf(petrov / "скан 001.pdf", [receipt])
    phone_photo(petrov / "IMG_20261120_101532.jpg", receipt)
    scans.tiff(petrov / "Scan_0001.tif", [receipt, inventory])
    (petrov / BROKEN).write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    shutil.copy(petrov / "скан 001.pdf", root / ROMASHKA / "скан 001.pdf")  # the same scan in a second case
    clerks = {path: (digest(path), path.stat().st_mtime_ns) for path in root.glob("*/*") if path.is_file()}
    runs = [ocr.performed()]
    scanned = {r.folder: r for r in sync(open_root(root), TODAY).records}
    status_before = (petrov / STATUS_FILE).read_text(encoding="utf-8-sig")
    runs.append(ocr.performed())
    lines = []
    synced, failed = recognise_now(open_root(root), TODAY, progress=lambda n, total, line: lines.append(line))
    runs.append(ocr.performed())
    cached = cache_files(root)
    rescanned = {r.folder: r for r in sync(open_root(root), TODAY, full=True).records}
    runs.append(ocr.performed())
    return SimpleNamespace(root=root, clerks=clerks, runs=runs, scanned=scanned, status_before=status_before,
                           lines=lines, synced=synced, failed=failed, cached=cached, rescanned=rescanned)


def kinds(record) -> dict[str, str | None]:
    return {d.path: d.kind for d in record.documents}


def test_the_scan_runs_no_ocr_and_lists_the_scans_as_waiting(run):
    assert run.runs[1] == run.runs[0]
    record = run.scanned[PETROV]
    assert record.pending_ocr == (*SCANS, BROKEN)
    assert run.scanned[ROMASHKA].pending_ocr == ("скан 001.pdf",)
    assert [kinds(record)[name] for name in SCANS] == [None, None, None]  # by name only: not recognised yet
    assert "Распознаётся: 4 файла (OCR)" in run.status_before
    assert f"  • {SCANS[2]}" in run.status_before


def test_each_content_is_read_once_and_a_broken_photo_is_its_own_problem(run):
    assert run.runs[2] - run.runs[1] == 4  # three scans and the broken photo; the copy in the second case: cached
    assert len(run.lines) == 5
    assert run.failed == [f"скан «{PETROV}/{BROKEN}» не распознан: файл не читается как изображение — откройте "
                          "и пересохраните его"]
    assert f"скан «{ROMASHKA}/скан 001.pdf»: текст уже есть (такой же файл уже распознан)" in run.lines


@pytest.mark.parametrize("name", SCANS)
def test_the_text_has_the_shpi_and_the_post(run, name):
    text = ocr.cached_text(run.root, run.root / PETROV / name)
    assert SHPI in text.replace(" ", "")
    assert "Почта России" in text
    assert ("ОПИСЬ ВЛОЖЕНИЯ" in text) is (name == "Scan_0001.tif")  # every page of a TIFF


def test_after_ocr_the_scans_are_postal_receipts_in_both_cases(run):
    records = {r.folder: r for r in run.synced.records}
    assert sorted(records) == [ROMASHKA, PETROV]
    assert {name: kinds(records[PETROV])[name] for name in SCANS} == dict.fromkeys(SCANS, "postal_receipt")
    assert kinds(records[ROMASHKA])["скан 001.pdf"] == "postal_receipt"
    assert records[PETROV].pending_ocr == () and records[ROMASHKA].pending_ocr == ()
    assert f"{PETROV}/{BROKEN}" in {p.file for p in records[PETROV].problems}
    status = (run.root / PETROV / STATUS_FILE).read_text(encoding="utf-8-sig")
    assert "Распознаётся" not in status
    assert "скан 001.pdf — почтовая квитанция" in status
    assert Index(run.root).records()[PETROV].pending_ocr == ()


def test_a_rescan_costs_no_ocr_and_leaves_the_cache_alone(run):
    assert run.runs[3] == run.runs[2]
    assert cache_files(run.root) == run.cached
    assert kinds(run.rescanned[PETROV]) == kinds({r.folder: r for r in run.synced.records}[PETROV])


def test_the_clerks_files_are_byte_for_byte_unchanged(run):
    assert {path: (digest(path), path.stat().st_mtime_ns) for path in run.clerks} == run.clerks


@pytest.mark.parametrize("name, pages", [("скан 001.pdf", 1), ("IMG_20261120_101532.jpg", 1), ("Scan_0001.tif", 2)])
def test_each_scan_has_a_searchable_pdf_in_the_cache(run, name, pages):
    found = ocr.searchable_pdf(run.root / PETROV / name)
    assert found.parent == ocr.cache_dir(run.root)
    reader = PdfReader(found)
    assert len(reader.pages) == pages
    assert SHPI in reader.pages[0].extract_text().replace(" ", "")


def test_ocr_caches_text_and_barcodes_and_leaves_the_searchable_pdf_to_the_package(run):
    assert {name.rsplit(".", 1)[1] for name in run.cached} == {"txt", "codes", "fail"}  # no PDF made behind the scan
    first = ocr.searchable_pdf(run.root / PETROV / "скан 001.pdf")
    made = first.stat().st_mtime_ns
    assert ocr.searchable_pdf(run.root / ROMASHKA / "скан 001.pdf") == first  # the same content: made once
    assert first.stat().st_mtime_ns == made
    assert ocr.searchable_pdf(run.root / PETROV / BROKEN) is None


def test_the_pdf_of_an_image_only_pdf_is_pdfa(run):
    reader = PdfReader(ocr.searchable_pdf(run.root / PETROV / "скан 001.pdf"))
    assert b"pdfaid:part" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()


def test_a_heic_from_a_phone_is_read(tmp_path):
    path = tmp_path / "photo.heic"
    scans.page(scans.receipt_lines(SHPI, ADDRESS), rotate=0).convert("RGB").save(path, quality=90)
    result = ocr.ocr_file(tmp_path, path)
    assert (result.problem, result.performed) == (None, True)
    assert SHPI in result.text.replace(" ", "")


@pytest.mark.parametrize("name, make, message", [
    ("огромный.png", lambda p: Image.new("1", (9_000, 9_000), 1).save(p), "изображение больше 80 млн точек"),
    ("обрезанный.jpg", lambda p: p.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF"), "не читается как изображение"),
    ("не pdf.pdf", lambda p: p.write_bytes(b"%PDF-1.4\n%%EOF\n"), "не читается как PDF"),
])
def test_a_bad_file_is_a_problem_of_that_file_remembered(tmp_path, name, make, message):
    path = tmp_path / name
    make(path)
    first, again = ocr.ocr_file(tmp_path, path), ocr.ocr_file(tmp_path, path)
    assert message in first.problem and first.text is None and first.performed
    assert again == ocr.OcrResult(None, first.problem)  # from the cache: not tried twice


def test_a_pdf_page_that_is_not_one_scanned_image_is_read_too(tmp_path):
    """Page 1: a scan on a larger square page (not a scanner's page: rendered by Ghostscript); page 2: a scan lying
    on its side, turned by the page's /Rotate."""
    first, second = scans.page(["ДОГОВОР АРЕНДЫ № 7"]), scans.page(["ОПИСЬ ВЛОЖЕНИЯ"])
    jpeg = io.BytesIO()
    first.save(jpeg, "JPEG", dpi=(200, 200))
    square = img2pdf.mm_to_pt(250)
    placed = img2pdf.convert(jpeg.getvalue(), layout_fun=img2pdf.get_layout_fun((square, square)))
    writer = PdfWriter()
    writer.append(io.BytesIO(placed))
    writer.append(PdfReader(scans.image_pdf(tmp_path / "на боку.pdf", [second.rotate(90, expand=True)])))
    writer.pages[1].rotate(90)
    writer.write(tmp_path / "скан.pdf")
    result = ocr.ocr_file(tmp_path, tmp_path / "скан.pdf")
    assert result.problem is None
    assert ["ДОГОВОР АРЕНДЫ № 7", "ОПИСЬ ВЛОЖЕНИЯ"] == [line for line in result.text.splitlines() if line.strip()]
