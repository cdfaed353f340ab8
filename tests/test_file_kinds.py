"""The card's «файлы»: a clerk gives a file its kind without renaming it; unrecognised files are listed with how to."""
import shutil
from datetime import date

import pytest
import scans
from click.testing import CliRunner
from test_classification_real import make_root
from test_package import CARD

from kezdocs.cli import main
from kezdocs.core.card import parse_card
from kezdocs.core.classification import DEFAULT_RULES, document, needs_text
from kezdocs.core.filekinds import card_kind, kind_text, with_card
from kezdocs.folders import scan
from kezdocs.folders.casefolder import open_root
from kezdocs.paperwork import package
from kezdocs.paperwork.dashboard import status_text
from kezdocs.paperwork.pdftext import text_pdf

TODAY = date(2024, 9, 16)
CARD_LINES = CARD.count("\n")  # the section is appended: its first entry is on the line after


def card_with(section: str):
    return parse_card(CARD + section, "2024-017/дело.yaml")


def test_the_section_maps_files_to_kind_codes_by_label_code_or_alias():
    case, problems = card_with('файлы: {"Сканы/скан 001.pdf": договор, "фото.jpg": act_invoice}\n'
                               'примечание: x\n')
    assert problems == []
    line = CARD_LINES + 1
    assert case.file_kinds == (("Сканы/скан 001.pdf", "contract", line), ("фото.jpg", "act_invoice", line))
    case, _ = card_with('файлы:\n  "Document (3).pdf": допник\n  "Scan_0001.pdf": выписка ЕГРН\n')
    assert [code for _, code, _ in case.file_kinds] == ["amendment", "egrn"]


@pytest.mark.parametrize("section, line, message", [
    ('файлы:\n  "скан 001.pdf": догвор\n', 2, "файлы: у файла «скан 001.pdf» неизвестный вид «догвор»; "
                                              "может быть, «договор»?"),
    ('файлы:\n  "скан 001.pdf": ЕГРНН\n', 2, "файлы: у файла «скан 001.pdf» неизвестный вид «ЕГРНН»; "
                                             "может быть, «ЕГРН»?"),
    ("файлы: договор\n", 1, 'поле «файлы» — набор «файл: вид»: файлы: {"Сканы/скан 001.pdf": договор}'),
])
def test_a_wrong_section_is_a_problem_at_its_line(section, line, message):
    case, problems = card_with(section)
    assert case is None
    assert [(p.line, p.message) for p in problems] == [(CARD_LINES + line, message)]


def test_with_card_overrides_in_one_place_and_names_a_file_the_folder_lacks():
    case, _ = card_with('файлы:\n  "Сканы/скан 001.pdf": договор\n  "Сканы/скан 02.pdf": расчёт\n'
                        '  "Договор аренды.pdf": решение суда\n')
    docs = [document(p, "", DEFAULT_RULES) for p in ("Сканы/скан 001.pdf", "Договор аренды.pdf", "Сканы/скан 002.pdf")]
    result, problems = with_card(docs, case, "2024-017")
    assert [(d.relpath, d.kind, d.label, d.source_of_kind, d.recognised) for d in result] == [
        ("Сканы/скан 001.pdf", "contract", "договор", "card", True),
        ("Договор аренды.pdf", "judgment", "решение суда", "card", True),  # the clerk's word beats the name
        ("Сканы/скан 002.pdf", "other", "прочее", "none", False)]
    assert [str(p) for p in problems] == [f"2024-017/дело.yaml:{CARD_LINES + 3}: «файлы»: файла «Сканы/скан 02.pdf» "
                                          "нет в папке дела; может быть, «Сканы/скан 002.pdf»?"]


def test_a_path_is_matched_as_shown_regardless_of_case_and_yo():
    case, _ = card_with('файлы: {"сканы/СЧЕТ.pdf": акт}\n')
    result, problems = with_card([document("Сканы/счёт.pdf", "", DEFAULT_RULES)], case, "2024-017")
    assert (result[0].kind, result[0].source_of_kind, problems) == ("act_invoice", "card", [])


@pytest.fixture()
def unnamed(tmp_path):
    """The package's case whose contract is a scan named by the scanner, beside a file nobody can read."""
    root, folder = make_root(tmp_path)
    (folder / "Договор/Договор аренды № 12-2023.pdf").unlink()
    (folder / "Сканы").mkdir()
    (folder / "Сканы/скан 001.pdf").write_bytes(text_pdf([["Лист 1 из 2"]]))
    (folder / "Document (3).doc").write_bytes(b"\xd0\xcf\x11\xe0 old Word")
    return root, folder


def check_output(root, *args):
    return CliRunner().invoke(main, ["check", "2024-017", "--root", str(root), "--today", TODAY.isoformat(), *args])


def test_unrecognised_files_are_listed_by_check_and_in_the_status_file(unnamed):
    root, folder = unnamed
    run = check_output(root)
    assert run.exit_code == 1
    listed = [line for line in run.stdout.splitlines() if "не распознан" in line or line.startswith("Как указать")]
    # issue 16 review, finding 6: the hint said «Как указать вид: вид указывается …»
    hint = 'Как указать вид: в карточке дела, файл не переименовывается: файлы: {"Document (3).doc": договор}'
    assert listed == ["Document (3).doc — не распознан: укажите вид", "Сканы/скан 001.pdf — не распознан: укажите вид",
                      hint]
    record = scan.scan(open_root(root), TODAY).records[0]
    text = status_text(record, TODAY)
    assert "  • Сканы/скан 001.pdf — не распознан: укажите вид\r\n" in text
    assert "  • Document (3).doc — не распознан: укажите вид\r\n" in text
    assert f"  {hint}\r\n" in text
    assert {d.path: d.kind for d in record.documents}["Сканы/скан 001.pdf"] is None


def test_the_card_gives_the_kind_and_the_checklist_takes_it(unnamed):
    root, folder = unnamed
    before = (folder / "Сканы/скан 001.pdf").read_bytes()
    assert {i.key: i.present for i in package.check(open_root(root), "2024-017", TODAY, "lawsuit").checklist.items}[
        "basis"] is False
    card = folder / "дело.yaml"
    section = 'файлы: {"Сканы/скан 001.pdf": договор, "Старое/акт.pdf": акт}\n'
    card.write_text(card.read_text(encoding="utf-8") + section, encoding="utf-8")
    result = package.check(open_root(root), "2024-017", TODAY, "lawsuit")
    items = {i.key: i for i in result.checklist.items}
    assert (items["basis"].present, items["basis"].files) == (True, ("Сканы/скан 001.pdf",))
    assert [p.message for p in result.problems if p.field == "файлы"] == [
        "«файлы»: файла «Старое/акт.pdf» нет в папке дела (путь пишется от папки дела, через «/»)"]
    run = check_output(root)
    assert "Сканы/скан 001.pdf — не распознан" not in run.stdout and "Document (3).doc — не распознан" in run.stdout
    record = scan.scan(open_root(root), TODAY).records[0]
    assert {d.path: d.kind for d in record.documents}["Сканы/скан 001.pdf"] == "contract"
    assert any("файла «Старое/акт.pdf» нет в папке дела" in p.message for p in record.problems)
    assert (folder / "Сканы/скан 001.pdf").read_bytes() == before  # the clerk's file is neither renamed nor changed


# --- issue 16 review, finding 1: the card's kind is known before a file is read ----------------------------

def test_the_cards_kind_is_known_before_the_file_is_read():
    """A scan the card calls a receipt is read for its ШПИ; one it calls a contract needs no reading at all."""
    case, _ = card_with('файлы: {"Сканы/СКАН 001.pdf": квитанция, "Сканы/скан 002.pdf": договор}\n')
    kinds = [card_kind(case, p) for p in ("сканы/скан 001.pdf", "Сканы/скан 002.pdf", "Сканы/скан 003.pdf")]
    assert (kinds, card_kind(None, "Сканы/скан 001.pdf")) == (["postal_receipt", "contract", None], None)
    reads = [needs_text(p, DEFAULT_RULES, card_kind(case, p)) for p in ("Сканы/скан 001.pdf", "Сканы/скан 002.pdf")]
    assert reads == [True, False]
    read = document("Сканы/скан 001.pdf", "ШПИ 42755012345675", DEFAULT_RULES, card_kind(case, "Сканы/скан 001.pdf"))
    assert (read.kind, read.source_of_kind, read.tracking) == ("postal_receipt", "card", ("42755012345675",))


# --- issue 16 review, finding 6: a scan waiting for OCR is not «не распознан» --------------------------------

@pytest.mark.parametrize("label, awaiting, expected", [
    ("договор", False, "договор"),
    (None, False, "не распознан: укажите вид"),
    (None, True, "распознаётся"),
    ("почтовая квитанция", True, "почтовая квитанция, распознаётся"),
])
def test_what_a_list_says_of_a_file(label, awaiting, expected):
    assert kind_text(label, awaiting) == expected


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="не установлен Tesseract — скан не ждёт распознавания")
def test_a_scan_waiting_for_ocr_says_so_in_the_status_file_and_is_not_unrecognised(unnamed):
    """The status file listed a waiting photo twice: «не распознан: укажите вид» and under «Распознаётся»."""
    root, folder = unnamed
    scans.jpeg(folder / "Сканы/IMG_0002.jpg", scans.page(["Кассовый чек"]))
    record = scan.scan(open_root(root), TODAY).records[0]
    assert record.pending_ocr == ("Сканы/IMG_0002.jpg",)
    text = status_text(record, TODAY)
    assert "  • Сканы/IMG_0002.jpg — распознаётся\r\n" in text
    assert [line for line in text.split("\r\n") if "не распознан" in line] == [
        "  • Document (3).doc — не распознан: укажите вид", "  • Сканы/скан 001.pdf — не распознан: укажите вид"]
