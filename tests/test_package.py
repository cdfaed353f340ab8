"""The lawsuit package: numbered PDFs, one merged PDF with bookmarks and an inventory, `check` and `package` CLI."""
import hashlib
import json
import re
from datetime import date

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from kezdocs.cli import main
from kezdocs.core.errors import KezdocsError
from kezdocs.folders.casefolder import open_root, settings_template
from kezdocs.paperwork import efiling, libreoffice, package, render
from kezdocs.paperwork.pdftext import text_pdf

TODAY = date(2024, 9, 16)
INN = "183100000" + stdnum_inn.calc_company_check_digit("183100000")
OGRN = "102180000000" + stdnum_ogrn.calc_check_digit("1021800000000")  # takes the full length
SHPI_1, SHPI_2 = "42755012345675", "42755012345682"
needs_libreoffice = pytest.mark.skipif(libreoffice.soffice() is None, reason="LibreOffice (soffice) не установлен")

CARD = f"""номер: 2024-017
администратор: Управление территориального развития
ответственный: {{фио: Иванова Мария Петровна, телефон: "+7 (34158) 3-12-34"}}
должник:
  тип: юрлицо
  наименование: ООО «Ромашка & Сыновья»
  инн: "{INN}"
  огрн: "{OGRN}"
  адреса:
    - {{вид: по договору, адрес: "427550, п. Кез, ул. Кирова, д. 1"}}
    - {{вид: по ЕГРЮЛ, адрес: "426000, г. Ижевск, ул. Пушкина, д. 10"}}
основание:
  документ: Договор аренды земельного участка
  номер: 12/2023
  дата: 10.01.2023
код_дохода: "00011105012140000120"
неустойка: {{способ: процент в день, ставка: 0.1}}
начисления:
  - {{период: I квартал 2024, сумма: "600 000,00", срок_уплаты: 10.03.2024}}
события:
  - {{дата: 15.04.2024, событие: претензия направлена, шпи: "{SHPI_1}", адрес: по договору}}
  - {{дата: 15.04.2024, событие: претензия направлена, шпи: "{SHPI_2}", адрес: по ЕГРЮЛ}}
  - {{дата: 20.05.2024, событие: служебная записка направлена}}
  - {{дата: 10.09.2024, событие: решение о взыскании принято}}
"""


def make_root(tmp_path, with_power_of_attorney=True):
    root = tmp_path / "дела"
    folder = root / "2024-017 ООО Ромашка"
    folder.mkdir(parents=True)
    (root / "настройки.yaml").write_text(settings_template(), encoding="utf-8")
    (folder / "дело.yaml").write_text(CARD, encoding="utf-8")
    pdfs = {
        "Договор/Договор аренды № 12-2023.pdf": [["Договор аренды земельного участка № 12/2023"], ["Приложение 1"]],
        "Претензия/скан претензии.pdf": [["ТРЕБОВАНИЕ (ПРЕТЕНЗИЯ)", "ООО «Ромашка & Сыновья»"]],
        f"Почта/квитанция {SHPI_1}.pdf": [["Кассовый чек", f"ШПИ {SHPI_1}"]],
        f"Почта/квитанция {SHPI_2}.pdf": [["Кассовый чек", f"ШПИ {SHPI_2}"]],
        "Иск/квитанция об отправке иска.pdf": [["Кассовый чек", "ШПИ 42755099999990"]],
        "выписка ЕГРЮЛ.pdf": [["Выписка из Единого государственного реестра юридических лиц"]] * 3,
        # issue 16: a PDF with its text (it was a PNG of a QR code: a picture no court portal takes as a document
        # with text; pictures and scans are tests/test_efiling.py's)
        "диплом Смирнов.pdf": [["ДИПЛОМ", "Смирнов Павел Андреевич, юриспруденция"]],
    }
    for rel, pages in pdfs.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(text_pdf(pages))
    if with_power_of_attorney:
        d = docx.Document()
        d.add_paragraph("ДОВЕРЕННОСТЬ № 15")
        d.add_paragraph("Администрация уполномочивает Смирнова Павла Андреевича")
        d.save(folder / "доверенность Смирнов.docx")
    (folder / "~$доверенность Смирнов.docx").write_bytes(b"lock")
    return root, folder


def snapshot(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file() and "Сформировано" not in p.parts}


def outline_titles(reader):
    return [item.title for item in reader.outline if not isinstance(item, list)]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if libreoffice.soffice() is None:
        pytest.skip("LibreOffice (soffice) не установлен: пакет без него проверяет test_without_libreoffice")
    root, folder = make_root(tmp_path_factory.mktemp("package"))
    before = snapshot(folder)
    result = package.build(open_root(root), "2024-017", TODAY)
    return result, folder, before


# Issue 14 item 12: the old names were the clerk's file names («03 Договор аренды № 12-2023», «04 Скан претензии»),
# which was wrong; each attachment is named by its kind and the card's details (core.attachments), the file name
# being that title («/» of the contract number as «-»).
# Issue 16: the courts' portals want the number of sheets in each file's name (Приказы № 251, № 252), so every
# name now ends «(K л.)»; the old expectation «03 Копия договора … от 10.01.2023.pdf» had none. The two generated
# documents' sheets are their PDFs' (the templates decide); the clerk's files have the pages make_root wrote.
EXPECTED = ["01 Исковое заявление", "02 Расчёт задолженности и пени",
            "03 Копия договора аренды земельного участка № 12-2023 от 10.01.2023 (2 л.).pdf",
            "04 Копия требования (претензии) от 15.04.2024 (1 л.).pdf",
            f"05 Копия почтовой квитанции об отправке требования (претензии), ШПИ {SHPI_1} (1 л.).pdf",
            f"06 Копия почтовой квитанции об отправке требования (претензии), ШПИ {SHPI_2} (1 л.).pdf",
            "07 Документ о направлении ответчику копии искового заявления с приложениями, ШПИ 42755099999990 (1 л.).pdf",
            "08 Копия доверенности представителя № 15 от 09.01.2026 (1 л.).pdf",
            "09 Копия документа о высшем юридическом образовании представителя (1 л.).pdf",
            "10 Выписка из ЕГРЮЛ в отношении ответчика (3 л.).pdf"]


@needs_libreoffice
def test_numbered_files_in_the_order_of_the_attachment_list(built):
    result, folder, _ = built
    assert result.folder == folder / "Сформировано" / "Пакет 2024-09-16"
    generated = [f"{name} ({len(PdfReader(p).pages)} л.).pdf" for name, p in zip(EXPECTED[:2], result.files)]
    assert [p.name for p in result.files] == generated + EXPECTED[2:]
    assert result.missing == [] and result.step == "lawsuit"
    assert all(PdfReader(p).pages for p in result.files)


@needs_libreoffice
def test_merged_pdf_has_inventory_bookmarks_and_every_page(built):
    result, _, _ = built
    merged = PdfReader(result.merged)
    pages = [len(PdfReader(p).pages) for p in result.files]
    inventory_pages = len(merged.pages) - sum(pages)
    assert inventory_pages == 1
    assert outline_titles(merged) == ["Опись документов"] + [p.stem for p in result.files]
    inventory = merged.pages[0].extract_text()
    assert "Опись документов" in inventory and "Всего листов" in inventory
    # Issue 14 item 12: the extract was listed by its file name «Выписка ЕГРЮЛ» (wrong): now by its kind
    assert "Расчёт задолженности и пени" in inventory and "Выписка из ЕГРЮЛ в отношении ответчика" in inventory
    assert str(sum(pages)) in inventory
    assert pages[2] == 2 and pages[9] == 3  # the contract and the extract, as written


@needs_libreoffice
def test_the_lawsuit_lists_exactly_the_package(built):
    result, _, _ = built
    lawsuit = " ".join(page.extract_text() for page in PdfReader(result.files[0]).pages)
    lawsuit = " ".join(lawsuit.split()).replace("/", "-")  # a file name writes «12/2023» as «12-2023» (item 12)
    position = 0
    for path in result.files[1:]:
        # issue 16: a name ends «(K л.)», the attachment list gives the title and the sheets in its own words
        title, pages = efiling.NAME.match(path.name).group(2), len(PdfReader(path).pages)
        found = re.compile(re.escape(title) + r"\D{0,20}(\d+)").search(lawsuit, position)
        assert found and found.group(1) == str(pages), title
        position = found.end()


@needs_libreoffice
def test_the_lawsuit_also_as_docx_and_the_self_check(built):
    """Issue 16: the lawsuit's DOCX beside its PDF, under the same name; the package checks its own output and,
    every file being a PDF with text, finds nothing the portals would refuse."""
    result, _, _ = built
    assert result.lawsuit_text == result.files[0].with_suffix(".docx")
    assert "ИСКОВОЕ ЗАЯВЛЕНИЕ" in " ".join(p.text for p in docx.Document(result.lawsuit_text).paragraphs).upper()
    assert result.efiling == [] and result.left_out == []


@needs_libreoffice
def test_the_clerks_files_are_untouched(built):
    _, folder, before = built
    assert snapshot(folder) == before


def test_check_cli_json_and_exit_codes(tmp_path):
    root, folder = make_root(tmp_path)
    run = CliRunner().invoke(main, ["check", "2024-017", "--root", str(root), "--today", TODAY.isoformat(), "--json"])
    data = json.loads(run.stdout)
    assert run.exit_code == 1  # the calculation is not in the folder yet
    assert data["case"] == "2024-017" and data["step"] == "lawsuit" and data["ready"] is False
    assert [i["item"] for i in data["items"] if not i["present"]] == ["Расчёт взыскиваемой суммы (долг, пени, проценты)"]
    render.generate(open_root(root), open_root(root).find("2024-017"), "calculation", TODAY)
    run = CliRunner().invoke(main, ["check", "2024-017", "--root", str(root), "--today", TODAY.isoformat()])
    assert run.exit_code == 0 and "всё на месте" in run.stdout
    run = CliRunner().invoke(main, ["check", "2024-017", "--root", str(root), "--today", TODAY.isoformat(),
                                    "--step", "bailiffs"])
    assert run.exit_code == 1 and "Исполнительный документ" in run.stdout


def test_missing_documents_stop_the_package_unless_forced(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")  # no LibreOffice: fast, and the DOCX path is exercised
    root, folder = make_root(tmp_path, with_power_of_attorney=False)
    with pytest.raises(KezdocsError, match="Доверенность представителя"):
        package.build(open_root(root), "2024-017", TODAY)
    assert not (folder / "Сформировано" / "Пакет 2024-09-16").exists()
    result = package.build(open_root(root), "2024-017", TODAY, force=True)
    assert result.missing == ["Доверенность представителя"]
    first = PdfReader(result.merged).pages[0].extract_text()
    # Issue 14 items 11, 12: the inventory is a court document — the old assertion wanted the missing list printed
    # on it, which was wrong; the user is told by the CLI (console.print_package, test_package_cli).
    assert "не хватает" not in first and "Доверенность" not in first and "доверенности" not in first


def test_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    root, folder = make_root(tmp_path)
    result = package.build(open_root(root), "2024-017", TODAY)
    names = [p.name for p in result.files]
    assert names[0] == "01 Исковое заявление.docx" and names[1] == "02 Расчёт задолженности и пени.docx"
    assert "08 Копия доверенности представителя № 15 от 09.01.2026.docx" in names  # issue 14 item 12: named by kind, not by file
    assert "09 Копия документа о высшем юридическом образовании представителя (1 л.).pdf" in names  # issue 16: sheets
    assert any("LibreOffice не установлен" in w for w in result.warnings)
    merged = PdfReader(result.merged)
    pdfs = [p for p in result.files if p.suffix == ".pdf"]
    assert outline_titles(merged) == ["Опись документов"] + [p.stem for p in pdfs]
    # Issue 14 item 12: the old assertion wanted «(не PDF — в общий файл не вошёл)» in the inventory, a court
    # document (wrong); the user is warned instead.
    assert "не вошёл" not in merged.pages[0].extract_text() and "не PDF" not in merged.pages[0].extract_text()
    assert any("08 Копия доверенности представителя № 15 от 09.01.2026.docx" in w and "не вошёл" in w for w in result.warnings)


def test_rebuilding_the_same_day_replaces_the_package(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    root, folder = make_root(tmp_path)
    first = package.build(open_root(root), "2024-017", TODAY)
    (folder / "выписка ЕГРЮЛ.pdf").unlink()
    second = package.build(open_root(root), "2024-017", TODAY, force=True)
    on_disk = sorted(p.name for p in second.folder.iterdir())
    assert on_disk == sorted([p.name for p in second.files] + [package.MERGED_NAME])
    assert len(second.files) == len(first.files) - 1


def test_package_cli(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    root, _ = make_root(tmp_path, with_power_of_attorney=False)
    run = CliRunner().invoke(main, ["package", "2024-017", "--root", str(root), "--today", TODAY.isoformat()])
    assert run.exit_code == 2 and "Доверенность представителя" in run.stderr and "--force" in run.stderr
    run = CliRunner().invoke(main, ["package", "2024-017", "--root", str(root), "--today", TODAY.isoformat(), "--force"])
    assert run.exit_code == 0 and "пакет сформирован" in run.stdout and package.MERGED_NAME in run.stdout
    assert "не хватает документов" in run.stderr and "Доверенность представителя" in run.stderr  # told to the user
