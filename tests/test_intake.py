"""Intake: classifying a case folder's files by name, folder and text; reading PDF and DOCX."""
import io
import unicodedata
from datetime import date

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from kezdocs.core.classification import DEFAULT_RULES, document, rules_from_settings, tracking_numbers
from kezdocs.core.settings import parse_settings
from kezdocs.folders.casefiles import list_files
from kezdocs.folders.intake import classify_folder
from kezdocs.paperwork.pdftext import text_pdf


def kind(name, text=""):
    return document(name, text, DEFAULT_RULES).kind


@pytest.mark.parametrize("name, expected", [
    ("Договор аренды 12-2023.pdf", "contract"),
    ("дог. 15.pdf", "contract"),
    ("дог.15.pdf", "contract"),
    ("Доп. соглашение № 2 к договору.pdf", "amendment"),
    ("ДС-2.pdf", "amendment"),
    ("Акт № 5 от 31.03.2024.pdf", "act_invoice"),
    ("счёт на оплату.pdf", "act_invoice"),
    ("Акт сверки на 01.04.2024.pdf", "reconciliation"),
    ("Расчёт пени.xlsx", "calculation"),
    ("Претензия.docx", "claim_copy"),
    ("2024-04-15 квитанция.pdf", "postal_receipt"),
    ("чек.jpg", "postal_receipt"),
    ("опись вложения Ф.107.pdf", "post_inventory"),
    ("Ф 107.pdf", "post_inventory"),
    ("уведомление о вручении.pdf", "delivery_notice"),
    ("отчёт об отслеживании.pdf", "tracking_report"),
    ("трек 42755012345675.pdf", "tracking_report"),
    ("выписка ЕГРЮЛ.pdf", "registry_extract"),
    ("ЕГРИП Петров.pdf", "registry_extract"),
    ("доверенность Смирнов.pdf", "power_of_attorney"),
    ("диплом Смирнов.pdf", "diploma"),
    ("Исковое заявление.docx", "lawsuit"),
    ("Заявление о выдаче судебного приказа.docx", "lawsuit"),
    ("Квитанция об отправке иска.pdf", "lawsuit_sent_proof"),
    ("Иск/квитанция.pdf", "lawsuit_sent_proof"),
    ("Определение о принятии иска.pdf", "court_ruling"),
    ("решение А71-1234-2025.pdf", "judgment"),
    ("Судебный приказ 2-123.pdf", "court_order"),
    ("исполнительный лист.pdf", "writ"),
    ("ИЛ ФС №045678912.pdf", "writ"),
    ("ФС 045678912.pdf", "writ"),
    ("Банк/ответ.pdf", "bank_response"),
    ("Постановление о возбуждении ИП.pdf", "bailiff_decision"),
    ("платёжное поручение 123.pdf", "payment_order"),
    ("платежное 123.pdf", "payment_order"),
    ("п-п 123.pdf", "payment_order"),
    ("Договор/скан 001.pdf", "contract"),
    ("скан 001.pdf", "other"),
])
def test_names_and_folders(name, expected):
    assert kind(name) == expected


def test_word_boundaries_keep_short_keywords_apart():
    assert kind("Фильм.pdf") == "other"  # «ил» inside a word is not «ИЛ»
    assert kind("Досье.pdf") == "other"  # nor «ДС»
    assert kind("Актуальные сведения.pdf") == "other"  # «акт» is a whole word
    assert kind("чековая книжка.pdf") == "other"


def test_e_and_yo_and_case_are_the_same():
    assert kind("РАСЧЕТ.pdf") == kind("расчёт.pdf") == "calculation"
    assert kind("Отчет об отслеживании.pdf") == "tracking_report"


def test_text_decides_when_the_name_says_nothing():
    lawsuit = "В Арбитражный суд Удмуртской Республики\nЦена иска: 100 руб.\nИСКОВОЕ ЗАЯВЛЕНИЕ\nПретензия направлена"
    assert document("scan.pdf", lawsuit, DEFAULT_RULES).source_of_kind == "text"
    assert kind("scan.pdf", lawsuit) == "lawsuit"
    assert kind("scan.pdf", "Директору ООО\nТРЕБОВАНИЕ (ПРЕТЕНЗИЯ)\nпо договору аренды") == "claim_copy"
    assert kind("scan.pdf", "АКТ сверки взаимных расчётов по договору") == "reconciliation"
    assert kind("scan.pdf", "Кассовый чек\nЗаказное письмо с уведомлением") == "postal_receipt"


def test_date_and_tracking_number_from_the_name():
    d = document("Почта/квитанция от 15.04.2024 № 42755012345675.pdf", "", DEFAULT_RULES)
    assert d.date == date(2024, 4, 15) and d.tracking == ("42755012345675",)
    assert document("2024-04-15 квитанция.pdf", "", DEFAULT_RULES).date == date(2024, 4, 15)
    assert document("квитанция 31.02.2024.pdf", "", DEFAULT_RULES).date is None  # not a date


def test_tracking_numbers_in_text_grouped_or_not():
    text = "ШПИ 427550 12 34567 5; второе 42755012345682; счёт 40702810468000001234; ИНН 1831000001"
    assert tracking_numbers(text) == ("42755012345675", "42755012345682")


def test_user_rules_come_first_and_bad_ones_are_problems():
    settings, problems = parse_settings(
        "классификация:\n"
        "  платёжное поручение: [платёжка]\n"
        "  прочее: [черновик*]\n"
        "  договор:\n"
        "    слова: [соглашение о рассрочке]\n"
        "    текст: [СОГЛАШЕНИЕ О РАССРОЧКЕ]\n"
        "  довереность: [дов]\n"
        "  акт:\n"
        "    слово: [акт]\n"
        "    слова: ['***']\n")
    assert problems == []
    rules, problems = rules_from_settings(settings)
    assert document("платёжка 5.pdf", "", rules).kind == "payment_order"
    assert document("черновик претензии.docx", "", rules).kind == "other"
    assert document("scan.pdf", "Соглашение о рассрочке платежа", rules).kind == "contract"
    messages = {(p.line, p.message) for p in problems}
    assert (7, "«классификация»: неизвестный вид документа «довереность»; может быть, «доверенность»?") in messages
    assert any(line == 9 and "«слово»" in m for line, m in messages)
    assert any(line == 10 and "«***»" in m for line, m in messages)


def test_no_section_gives_the_defaults():
    settings, _ = parse_settings("краткое_наименование: Администрация\n")
    assert rules_from_settings(settings) == (DEFAULT_RULES, [])


# --- real files -------------------------------------------------------------------------------

@pytest.fixture()
def folder(tmp_path):
    f = tmp_path / "2024-017 ООО Ромашка"
    f.mkdir()
    (f / "дело.yaml").write_text("номер: 2024-017\n", encoding="utf-8")
    return f


def write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(text_pdf([["Договор"]]))))
    writer.encrypt("секрет", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_folder_with_real_files(folder):
    write(folder / "scan 1.pdf", text_pdf([["ДОВЕРЕННОСТЬ № 15", "г. Кез, 09.01.2026"]]))
    write(folder / "Почта" / "scan 2.pdf", text_pdf([["Кассовый чек", "Почтовый идентификатор 42755012345675"]]))
    write(folder / "квитанция.pdf", text_pdf([["АО «Почта России»", "ШПИ 427550 12 34568 2"]]))
    document_ = docx.Document()
    document_.add_paragraph("ВЫПИСКА из Единого государственного реестра юридических лиц")
    document_.save(folder / "без названия.docx")
    write(folder / "договор.pdf", b"%PDF-1.4\nthis is not a pdf at all")
    write(folder / "защищён.pdf", encrypted_pdf())
    write(folder / "пустой.pdf", b"")
    write(folder / "битый.docx", b"PK\x03\x04 broken zip")
    write(folder / "Сформировано" / "Расчёт задолженности.docx", b"generated")
    write(folder / "Сформировано" / "Пакет 2024-05-20" / "01 Исковое заявление.pdf", b"copy")
    for litter in ("~$договор.docx", ".~lock.договор.docx#", "Thumbs.db", "desktop.ini", ".DS_Store", "x.tmp"):
        write(folder / litter, b"x")

    docs, problems = classify_folder(folder, list_files(folder), DEFAULT_RULES)
    by_path = {d.relpath: d for d in docs}
    assert set(by_path) == {"scan 1.pdf", "Почта/scan 2.pdf", "квитанция.pdf", "без названия.docx", "договор.pdf",
                            "защищён.pdf", "пустой.pdf", "битый.docx", "Сформировано/Расчёт задолженности.docx"}
    assert by_path["scan 1.pdf"].kind == "power_of_attorney" and by_path["scan 1.pdf"].source_of_kind == "text"
    assert by_path["Почта/scan 2.pdf"].kind == "postal_receipt"
    assert by_path["Почта/scan 2.pdf"].tracking == ("42755012345675",)
    assert by_path["квитанция.pdf"].tracking == ("42755012345682",)
    assert by_path["без названия.docx"].kind == "registry_extract"
    assert by_path["договор.pdf"].kind == "contract"  # unreadable, but the name says what it is
    generated = by_path["Сформировано/Расчёт задолженности.docx"]
    assert generated.generated and generated.kind == "calculation"
    messages = {p.file: p.message for p in problems}
    assert set(messages) == {f"{folder.name}/{n}" for n in ("договор.pdf", "защищён.pdf", "пустой.pdf", "битый.docx")}
    assert "повреждён" in messages[f"{folder.name}/договор.pdf"]
    assert "паролем" in messages[f"{folder.name}/защищён.pdf"]
    assert "пустой" in messages[f"{folder.name}/пустой.pdf"]
    assert "DOCX" in messages[f"{folder.name}/битый.docx"]


def test_nfd_names_are_read_and_reported_in_nfc(folder):
    nfd = unicodedata.normalize("NFD", "Квитанция йод ёж.pdf")
    write(folder / unicodedata.normalize("NFD", "Почта") / nfd,
          text_pdf([["Кассовый чек", "ШПИ 42755012345675"]]))
    docs, problems = classify_folder(folder, list_files(folder), DEFAULT_RULES)
    assert problems == []
    assert [(d.relpath, d.kind, d.tracking) for d in docs] == [
        ("Почта/Квитанция йод ёж.pdf", "postal_receipt", ("42755012345675",))]


def test_the_text_cache_spares_rereading(folder):
    write(folder / "scan.pdf", text_pdf([["Доверенность"]]))
    write(folder / "Договор аренды.pdf", text_pdf([["Договор аренды"]]))
    cache: dict = {}
    files = list_files(folder)
    first, _ = classify_folder(folder, files, DEFAULT_RULES, text_cache=cache)
    (folder / "scan.pdf").write_bytes(b"")  # changed on disk, but the cache key (size, mtime) is the old one
    again, problems = classify_folder(folder, files, DEFAULT_RULES, text_cache=cache)
    assert first == again and problems == []
    assert [d.kind for d in first] == ["power_of_attorney", "contract"]
    by_name = {key.split("\0")[0]: value for key, value in cache.items()}
    assert by_name["scan.pdf"]["text"].startswith("Доверенность")
    assert by_name["Договор аренды.pdf"] == {"text": None, "problem": None}  # opened, its text not needed


def test_source_files_are_never_changed(folder):
    write(folder / "договор.pdf", text_pdf([["Договор"]]))
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.rglob("*") if p.is_file()}
    classify_folder(folder, list_files(folder), DEFAULT_RULES)
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.rglob("*") if p.is_file()}
    assert before == after
