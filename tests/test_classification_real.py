"""Classification of what clerks really drop (issue 16): real names, transliterations, slang, camera and scanner names,
kinds that looked like others, archives, and kezdocs's own files that never stand for a source document."""
import shutil
from datetime import date

import pytest
import scans
from test_package import CARD, SHPI_1, SHPI_2
from test_requirements import make_case

from kezdocs.core import requirements
from kezdocs.core.classification import DEFAULT_RULES, KINDS, document, needs_text
from kezdocs.folders import ocr
from kezdocs.folders.casefolder import open_root, settings_template
from kezdocs.folders.intake import classify_case
from kezdocs.paperwork import package, render
from kezdocs.paperwork.pdftext import text_pdf

TODAY = date(2024, 9, 16)


def kind(name, text=""):
    return document(name, text, DEFAULT_RULES).kind


@pytest.mark.parametrize("name, expected", [
    # issue 16: each of these was misclassified
    ("Выписка ЕГРН на участок.pdf", "egrn"),
    ("выписка из ЕГРН.pdf", "egrn"),
    ("Выписка по счёту банка.pdf", "bank_statement"),
    ("выписка по счету.pdf", "bank_statement"),
    ("Банк/выписка.pdf", "bank_statement"),
    ("Решение Главы о взыскании.pdf", "admin_decision"),
    ("Постановление администрации № 12.pdf", "admin_decision"),
    ("решение суда А71-1234-2025.pdf", "judgment"),
    ("Суд/решение.pdf", "judgment"),
    ("Претензия_ответ должника.pdf", "debtor_reply"),
    ("ответ на претензию.pdf", "debtor_reply"),
    ("отказ от иска.docx", "withdrawal"),
    ("Заявление об отказе от исковых требований.docx", "withdrawal"),
    ("договор.zip", "archive"),
    ("Договор аренды.rar", "archive"),
    ("сканы.7z", "archive"),
    # transliterations and slang
    ("dogovor.pdf", "contract"),
    ("contract.pdf", "contract"),
    ("dogovor_12.pdf", "contract"),
    ("akt.pdf", "act_invoice"),
    ("akt_sverki.pdf", "reconciliation"),
    ("pretenziya.pdf", "claim_copy"),
    ("isk.docx", "lawsuit"),
    ("reshenie.pdf", "judgment"),
    ("ispolnitelnyi_list.pdf", "writ"),
    ("vypiska_egrul.pdf", "registry_extract"),
    ("dopnik.pdf", "amendment"),
    ("допник.pdf", "amendment"),
    ("Допник №2.pdf", "amendment"),
    ("доп соглашение.pdf", "amendment"),
    ("допсоглашение 3.pdf", "amendment"),
    ("акт сверки.pdf", "reconciliation"),
    # what was right stays right
    ("выписка ЕГРЮЛ.pdf", "registry_extract"),
    ("Банк/ответ.pdf", "bank_response"),
    ("Претензия.docx", "claim_copy"),
    ("Исковое заявление.docx", "lawsuit"),
])
def test_real_names(name, expected):
    assert kind(name) == expected


@pytest.mark.parametrize("name", ["WhatsApp Image 2026-11-20 at 10.15.32.jpeg", "IMG_20261120_101532.jpg",
                                  "скан 001.pdf", "Scan_0001.pdf", "Document (3).pdf"])
def test_camera_and_scanner_names_say_nothing_their_text_decides(name):
    unknown = document(name, "", DEFAULT_RULES)
    assert (unknown.kind, unknown.source_of_kind, unknown.recognised) == ("other", "none", False)
    read = document(name, "ДОГОВОР АРЕНДЫ ЗЕМЕЛЬНОГО УЧАСТКА № 12/2023\nп. Кез", DEFAULT_RULES)
    assert (read.kind, read.source_of_kind, read.recognised) == ("contract", "text", True)


@pytest.mark.parametrize("text, expected", [
    ("ВЫПИСКА ИЗ ЕДИНОГО ГОСУДАРСТВЕННОГО РЕЕСТРА НЕДВИЖИМОСТИ об объекте", "egrn"),
    ("Выписка из Единого государственного реестра юридических лиц", "registry_extract"),
    ("ВЫПИСКА ПО СЧЁТУ № 40702810… за период", "bank_statement"),
    ("Ответ на претензию от 15.04.2024. Требование не признаём", "debtor_reply"),
    ("ТРЕБОВАНИЕ (ПРЕТЕНЗИЯ) о погашении задолженности", "claim_copy"),
    ("Заявление об отказе от иска. Истец отказывается от исковых требований", "withdrawal"),
    ("РЕШЕНИЕ Главы муниципального образования о взыскании задолженности", "admin_decision"),
    ("РЕШЕНИЕ Именем Российской Федерации", "judgment"),
])
def test_text_decides_the_new_kinds(text, expected):
    assert document("Document (3).pdf", text, DEFAULT_RULES).kind == expected


def test_every_new_kind_has_a_label():
    new = ("egrn", "bank_statement", "debtor_reply", "withdrawal", "admin_decision", "archive")
    assert [KINDS[k] for k in new] == [
        "выписка ЕГРН", "выписка по счёту", "ответ должника", "отказ от иска", "решение администрации", "архив"]


# --- kezdocs's own files ------------------------------------------------------------------------

GENERATED_CLAIM = "Сформировано/2024-09-16 Требование (претензия) 2024-017 (по ЕГРЮЛ).docx"


@pytest.mark.parametrize("relpath, expected", [
    (GENERATED_CLAIM, "claim_copy"),
    ("Сформировано/2024-09-16 Расчёт задолженности и пени 2024-017.docx", "calculation"),
    ("Сформировано/2024-09-16 Опись вложения 2024-017 (по ЕГРЮЛ).docx", "post_inventory"),
    ("Сформировано/2024-09-16 Заявление об отказе от иска 2024-017.docx", "withdrawal"),
    ("Сформировано/2024-09-16 Решение о признании задолженности безнадёжной 2024-017.docx", "admin_decision"),
])
def test_generated_files_are_what_kezdocs_wrote(relpath, expected):
    assert kind(relpath) == expected


def test_a_generated_file_never_satisfies_an_item_that_needs_a_source_document():
    case = make_case()
    own = [document(p, "", DEFAULT_RULES) for p in (
        GENERATED_CLAIM, "Сформировано/2024-09-16 Расчёт задолженности и пени 2024-017.docx",
        "Сформировано/2024-09-16 Опись вложения 2024-017 (по ЕГРЮЛ).docx")]
    bogus = document("Сформировано/выписка ЕГРЮЛ.docx", "", DEFAULT_RULES)  # whatever its name says
    items = {i.key: i for i in requirements.checklist(case, "lawsuit", [*own, bogus]).items}
    assert (items["calculation"].present, items["claim_copy"].files) == (True, (GENERATED_CLAIM,))
    assert (items["registry_extract"].present, items["registry_extract"].files) == (False, ())
    assert (items["claim_sent:1"].present, items["claim_sent:2"].present) == (False, False)


def make_root(tmp_path):
    """The package's case without the ЕГРЮЛ extract: only kezdocs's claim «… (по ЕГРЮЛ).docx» names the register."""
    root = tmp_path / "дела"
    folder = root / "2024-017 ООО Ромашка"
    folder.mkdir(parents=True)
    (root / "настройки.yaml").write_text(settings_template(), encoding="utf-8")
    (folder / "дело.yaml").write_text(CARD, encoding="utf-8")
    for rel, text in {"Договор/Договор аренды № 12-2023.pdf": "Договор аренды", "Претензия/скан претензии.pdf":
                      "ТРЕБОВАНИЕ", "доверенность.pdf": "ДОВЕРЕННОСТЬ № 15", "диплом.pdf": "ДИПЛОМ",
                      # the second receipt's number had a wrong check digit (…685): it proved the ЕГРЮЛ address by
                      # count, under a number it does not show — issue 16 review, finding 2; now it must be right
                      f"Почта/квитанция {SHPI_1}.pdf": "Кассовый чек", f"Почта/квитанция {SHPI_2}.pdf":
                      "Кассовый чек", "Иск/квитанция об отправке иска.pdf": "Кассовый чек"}.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(text_pdf([[text, f"лист дела «{rel}»"]]))  # no two files alike
    return root, folder


def test_check_and_package_never_file_the_claim_as_the_extract(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")  # no LibreOffice: the DOCX path, fast
    root, folder = make_root(tmp_path)
    written = render.generate(open_root(root), open_root(root).find("2024-017"), "claim", TODAY)
    assert any("(по ЕГРЮЛ)" in p.name for p in written)
    result = package.check(open_root(root), "2024-017", TODAY, "lawsuit")
    items = {i.key: i for i in result.checklist.items}
    assert (items["registry_extract"].present, items["registry_extract"].files) == (False, ())
    with pytest.raises(package.Incomplete) as refused:
        package.build(open_root(root), "2024-017", TODAY)
    assert refused.value.missing == ["Выписка из ЕГРЮЛ о должнике"]


def test_an_archive_is_listed_with_the_notice_and_is_never_a_contract(tmp_path):
    root, folder = make_root(tmp_path)
    (folder / "Договор/Договор аренды № 12-2023.pdf").unlink()
    (folder / "договор.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    case_folder = open_root(root).find("2024-017")
    documents, problems = classify_case(case_folder, open_root(root).rules)
    zipped = next(d for d in documents if d.relpath == "договор.zip")
    assert (zipped.kind, zipped.label) == ("archive", "архив")
    assert [str(p) for p in problems] == [
        "2024-017 ООО Ромашка/договор.zip: архив не распаковывается — положите файлы из него в папку дела"]
    items = {i.key: i for i in requirements.checklist(case_folder.case, "lawsuit", documents).items}
    assert items["basis"].present is False


# --- issue 16 review, finding 1: a folder says where a file is kept, not what it is ------------------------

RECEIPT_TEXT = f"АО «Почта России»\nКАССОВЫЙ ЧЕК\nЗаказное письмо\nШПИ: {SHPI_2}"


@pytest.mark.parametrize("relpath, text, expected", [
    # the demo keeps its receipts in «Претензия/»: a scanner's or a phone's name there is a receipt by its text
    ("Претензия/скан 001.pdf", RECEIPT_TEXT, ("postal_receipt", "text", True)),
    ("Претензия/WhatsApp Image 2026-11-20 at 10.15.32.jpeg", RECEIPT_TEXT, ("postal_receipt", "text", True)),
    ("Претензия/скан 001.pdf", "", ("claim_copy", "folder", True)),  # nothing read yet: the folder's guess
    ("Претензия/Претензия.docx", RECEIPT_TEXT, ("claim_copy", "name", False)),  # a name still outranks the text
    ("Почта/квитанция.pdf", RECEIPT_TEXT, ("postal_receipt", "name", True)),  # its ШПИ is not in its name
])
def test_a_folder_kind_yields_to_the_text_and_is_read_for_it(relpath, text, expected):
    found = document(relpath, text, DEFAULT_RULES)
    assert (found.kind, found.source_of_kind, needs_text(relpath, DEFAULT_RULES)) == expected


def test_a_receipt_kept_in_the_claim_folder_proves_its_address_and_is_no_claim_copy(tmp_path, monkeypatch):
    """Review finding 1 on real files: «Претензия/скан 001.pdf» (a PDF with the receipt's text) was «претензия
    (копия)» by its folder, never read, and `package` filed the receipt as «Копия требования (претензии)»."""
    monkeypatch.setenv("PATH", "")  # no LibreOffice: the DOCX path, fast
    root, folder = make_root(tmp_path)
    (folder / f"Почта/квитанция {SHPI_2}.pdf").unlink()
    (folder / "Претензия/скан 001.pdf").write_bytes(text_pdf([RECEIPT_TEXT.splitlines()]))
    result = package.check(open_root(root), "2024-017", TODAY, "lawsuit")
    items = {i.key: i for i in result.checklist.items}
    assert items["claim_copy"].files == ("Претензия/скан претензии.pdf",)
    assert (items["claim_sent:2"].files, items["claim_sent:2"].item.endswith(f"(ШПИ {SHPI_2})")) == (
        ("Претензия/скан 001.pdf",), True)
    built = package.build(open_root(root), "2024-017", TODAY, force=True)  # the ЕГРЮЛ extract is missing
    assert [p.name[3:] for p in built.files if "Копия требования" in p.name or SHPI_2 in p.name] == [
        "Копия требования (претензии) от 15.04.2024 (1 л.).pdf",
        f"Копия почтовой квитанции об отправке требования (претензии), ШПИ {SHPI_2} (1 л.).pdf"]


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="не установлен Tesseract — фото не распознать")
def test_a_phone_photo_in_the_claim_folder_is_read_as_the_receipt_it_is(tmp_path):
    """Review finding 1: «Претензия/WhatsApp Image ….jpeg» stayed a claim copy by its folder after OCR."""
    root, folder = make_root(tmp_path)
    (folder / f"Почта/квитанция {SHPI_2}.pdf").unlink()
    photo = scans.jpeg(folder / "Претензия/WhatsApp Image 2026-11-20 at 10.15.32.jpeg",
                       scans.page(scans.receipt_lines(SHPI_2, "426000, г. Ижевск, ул. Пушкина, д. 10")))
    assert ocr.ocr_file(root, photo).problem is None  # what the OCR worker does behind the scan
    documents, _ = classify_case(open_root(root).find("2024-017"), open_root(root).rules)
    found = next(d for d in documents if d.relpath == "Претензия/" + photo.name)
    assert (found.kind, found.source_of_kind, found.tracking) == ("postal_receipt", "text", (SHPI_2,))


def test_a_receipt_whose_shpi_fails_its_check_digit_is_not_filed_under_the_cards_number(tmp_path, monkeypatch):
    """Review finding 2 on real files: the receipt's only number (misread: its check digit fails) was refused,
    so the receipt went to the ЕГРЮЛ address «by count» and the package filed it as «…, ШПИ <the card's>»."""
    monkeypatch.setenv("PATH", "")
    root, folder = make_root(tmp_path)
    misread = SHPI_2[:-1] + str((int(SHPI_2[-1]) + 7) % 10)
    (folder / f"Почта/квитанция {SHPI_2}.pdf").unlink()
    (folder / "Почта/скан 002.pdf").write_bytes(text_pdf([RECEIPT_TEXT.replace(SHPI_2, misread).splitlines()]))
    item = {i.key: i for i in package.check(open_root(root), "2024-017", TODAY, "lawsuit").checklist.items}[
        "claim_sent:2"]
    assert (item.present, item.item.split(f"(ШПИ {SHPI_2})")[1]) == (
        False, f" — ШПИ {misread} на квитанции «Почта/скан 002.pdf» не проходит проверку контрольной цифры — "
               "проверьте номер")
    built = package.build(open_root(root), "2024-017", TODAY, force=True)
    assert [p.name for p in built.files if SHPI_2 in p.name or misread in p.name] == []
    assert "Почта/скан 002.pdf: почтовая квитанция — ни один пункт списка приложений его не требует" in built.left_out
