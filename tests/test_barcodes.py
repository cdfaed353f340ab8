"""The ШПИ on real scans: read from the barcode (no OCR: works without Tesseract) and from the text, refused with a
wrong check digit; receipts prove the claim went to THEIR address, matched by ШПИ, not by count. A scan waiting for
OCR has its barcodes read by the OCR worker with its text, not by the scan (`status` stays fast)."""
import shutil
from pathlib import Path

import pillow_heif
import pytest
import scans

from kezdocs.core.card import parse_card
from kezdocs.core.classification import DEFAULT_RULES, tracking_numbers
from kezdocs.core.model import Problem
from kezdocs.core.requirements import checklist
from kezdocs.demo import company_inn
from kezdocs.folders import intake, ocr
from kezdocs.folders.barcodes import read_codes
from kezdocs.folders.casefiles import list_files

TO_CONTRACT, TO_EGRUL, TO_NOTICE = scans.shpi("4275501234567"), scans.shpi("4275502765432"), scans.shpi("4275509876543")
MISREAD = TO_CONTRACT[:-1] + str((int(TO_CONTRACT[-1]) + 3) % 10)  # one digit wrong: the check digit no longer fits
CONTRACT_ADDRESS, EGRUL_ADDRESS = "427550, п. Кез, ул. Кирова, д. 1", "426000, г. Ижевск, ул. Пушкина, д. 10"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """One of each kind of scan a clerk drops, made once for the module."""
    folder = tmp_path_factory.mktemp("scans")
    receipt = scans.page(scans.receipt_lines(TO_CONTRACT, CONTRACT_ADDRESS), barcode=TO_CONTRACT)
    notice = scans.page(["УВЕДОМЛЕНИЕ О ВРУЧЕНИИ", f"ШПИ {TO_NOTICE}", "Вручено 05.12.2026"], barcode=TO_NOTICE,
                        rotate=-1.1)
    egrul = scans.page(scans.receipt_lines(TO_EGRUL, EGRUL_ADDRESS), barcode=TO_EGRUL, dpi=300, rotate=1.4)
    blank = scans.page(["Опись вложения", "Требование (претензия) — 1 экз."])
    pillow_heif.register_heif_opener()
    heic = folder / "IMG_0001.heic"
    receipt.convert("RGB").save(heic)
    return {
        "photo.jpg": scans.jpeg(folder / "photo.jpg", receipt),
        "scan.png": scans.png(folder / "scan.png", receipt),
        "notice.pdf": scans.image_pdf(folder / "notice.pdf", [blank, notice]),
        # fresh copies: Pillow keeps a JPEG save's encoder settings on the image, and a TIFF save then fails
        "stack.tiff": scans.tiff(folder / "stack.tiff", [blank.copy(), egrul.copy(), receipt.copy()]),
        "egrul.tiff": scans.tiff(folder / "egrul.tiff", [blank.copy(), egrul.copy()]),
        "IMG_0001.heic": heic,
        "misread.jpg": scans.jpeg(folder / "misread.jpg", scans.page(["Кассовый чек"], barcode=MISREAD)),
        "no barcode.jpg": scans.jpeg(folder / "no barcode.jpg", blank),
        "damaged.pdf": _write(folder / "damaged.pdf", b"%PDF-1.4\n1 0 obj <</Type /Page"),
        "not an image.jpg": _write(folder / "not an image.jpg", b"\xff\xd8\xff\xe0 cut short"),
    }


@pytest.fixture()
def no_tesseract(tmp_path, monkeypatch):
    """A machine without Tesseract: scans wait for no OCR, so the scan reads their barcodes itself."""
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert ocr.available() == ocr.UNAVAILABLE


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name, codes", [
    ("photo.jpg", (TO_CONTRACT,)),
    ("scan.png", (TO_CONTRACT,)),
    ("notice.pdf", (TO_NOTICE,)),  # an image-only PDF: the barcode on its second page
    ("stack.tiff", (TO_EGRUL, TO_CONTRACT)),  # every page of a multi-page TIFF, in order
    ("IMG_0001.heic", (TO_CONTRACT,)),
    ("misread.jpg", ()),  # a barcode whose number fails the check digit is no ШПИ
    ("no barcode.jpg", ()),
    ("damaged.pdf", ()),  # unreadable files have no codes (intake reports them), never an exception
    ("not an image.jpg", ()),
])
def test_the_shpi_is_read_from_the_barcode(files, name, codes):
    assert read_codes(files[name]) == codes


@pytest.mark.parametrize("text, found", [
    (f"ШПИ {TO_CONTRACT}", (TO_CONTRACT,)),
    (f"ШПИ {TO_CONTRACT[:6]} {TO_CONTRACT[6:8]} {TO_CONTRACT[8:13]} {TO_CONTRACT[13]}", (TO_CONTRACT,)),  # grouped
    (f"ШПИ {MISREAD}", ()),  # one digit misread by OCR: refused, not taken for another letter
    (f"ШПИ {MISREAD[:6]} {MISREAD[6:8]} {MISREAD[8:13]} {MISREAD[13]}", ()),
    ("Почтовый идентификатор RA123456785RU", ("RA123456785RU",)),  # international (UPU S10)
    ("Почтовый идентификатор RA123456786RU", ()),
    ("счёт 40702810468000001234, ИНН 1831000001", ()),
])
def test_the_shpi_is_read_from_the_text_with_its_check_digit(text, found):
    assert tracking_numbers(text) == found


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="не установлен Tesseract — текст скана не распознать")
def test_the_shpi_is_read_from_the_text_of_a_scan(files):
    import pytesseract
    from PIL import Image

    with Image.open(files["photo.jpg"]) as image:
        text = pytesseract.image_to_string(image, lang="rus+eng")
    assert tracking_numbers(text) == (TO_CONTRACT,)
    assert tracking_numbers(text.replace(TO_CONTRACT, MISREAD)) == ()


CARD = f"""номер: 2026-001
администратор: Управление территориального развития
ответственный: {{фио: Иванова Мария Петровна}}
должник:
  тип: юрлицо
  наименование: ООО «Ромашка»
  инн: "{company_inn('183100000')}"
  адреса:
    - {{вид: по договору, адрес: "{CONTRACT_ADDRESS}"}}
    - {{вид: по ЕГРЮЛ, адрес: "{EGRUL_ADDRESS}"}}
основание:
  документ: Договор аренды земельного участка
  претензия_обязательна: да
код_дохода: "00011105012140000120"
начисления:
  - {{период: I квартал 2026, сумма: "15 000,00", срок_уплаты: 10.03.2026}}
события:
  - {{дата: 20.04.2026, событие: претензия направлена, шпи: "{TO_CONTRACT}", адрес: по договору}}
  - {{дата: 20.04.2026, событие: претензия направлена, шпи: "{TO_EGRUL}", адрес: по ЕГРЮЛ}}
"""


def test_each_receipt_proves_the_claim_to_its_own_address(files, tmp_path, no_tesseract):
    """The receipt to the ЕГРЮЛ address comes first by name: by count it would prove the contract address."""
    case, problems = parse_card(CARD)
    assert problems == []
    (tmp_path / "Почта").mkdir()
    shutil.copy(files["egrul.tiff"], tmp_path / "Почта" / "а квитанция.tiff")  # the ЕГРЮЛ address
    shutil.copy(files["photo.jpg"], tmp_path / "Почта" / "б квитанция.jpg")  # the contract address
    shutil.copy(files["misread.jpg"], tmp_path / "Почта" / "в квитанция.jpg")  # its ШПИ refused: no proof of any
    documents, problems = intake.classify_folder(tmp_path, list_files(tmp_path), DEFAULT_RULES)
    assert problems == [Problem(tmp_path.name, None, f"{ocr.UNAVAILABLE} — сканы и фото без текста (3) разобраны "
                                                     "только по именам файлов")]
    assert {d.relpath: d.tracking for d in documents} == {
        "Почта/а квитанция.tiff": (TO_EGRUL,), "Почта/б квитанция.jpg": (TO_CONTRACT,),
        "Почта/в квитанция.jpg": ()}
    items = {i.key: i for i in checklist(case, "lawsuit", documents).items}
    assert items["claim_sent:1"].files == ("Почта/б квитанция.jpg",)
    assert items["claim_sent:2"].files == ("Почта/а квитанция.tiff",)
    assert f"по ЕГРЮЛ: {EGRUL_ADDRESS} (ШПИ {TO_EGRUL})" in items["claim_sent:2"].item
    assert "по порядку" not in items["claim_sent:2"].item


def test_a_receipt_without_a_readable_shpi_is_given_by_count_and_says_so(files, tmp_path, no_tesseract):
    case = parse_card(CARD)[0]
    shutil.copy(files["photo.jpg"], tmp_path / "б квитанция.jpg")
    shutil.copy(files["no barcode.jpg"], tmp_path / "а квитанция.jpg")
    documents, _ = intake.classify_folder(tmp_path, list_files(tmp_path), DEFAULT_RULES)
    items = {i.key: i for i in checklist(case, "lawsuit", documents).items}
    assert (items["claim_sent:1"].files, items["claim_sent:2"].files) == (("б квитанция.jpg",), ("а квитанция.jpg",))
    assert items["claim_sent:2"].item.endswith("в файлах нет ШПИ: они отнесены к этому адресу по порядку, проверьте")


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="не установлен Tesseract — скан не распознать")
def test_a_waiting_scans_barcode_comes_with_its_text_from_the_ocr_worker(files, tmp_path):
    """A receipt whose ШПИ is only in its barcode: while it waits for OCR the scan does not decode it; the OCR
    run reads the barcode with the text and caches it, and the scan then takes the ШПИ from the cache."""
    folder = tmp_path / "дело"
    folder.mkdir()
    receipt = scans.jpeg(folder / "квитанция.jpg", scans.page(["Кассовый чек", "Заказное письмо"], barcode=TO_NOTICE))
    waiting: list[str] = []
    before, _ = intake.classify_folder(folder, list_files(folder), DEFAULT_RULES, pending=waiting)
    result = ocr.ocr_file(tmp_path, receipt)
    after, _ = intake.classify_folder(folder, list_files(folder), DEFAULT_RULES)
    assert (waiting, before[0].tracking) == (["квитанция.jpg"], ())
    assert (result.problem, tracking_numbers(result.text)) == (None, ())  # the ШПИ is in no text
    assert ocr.cached_codes(tmp_path, receipt) == (TO_NOTICE,)
    assert after[0].tracking == (TO_NOTICE,)
