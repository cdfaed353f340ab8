"""The debtor registry: XLSX and CSV in, case folders out; bad rows reported by row and column; the export."""
import json
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner

from kezdocs.cli import main
from kezdocs.core import penalty
from kezdocs.core.card import parse_card
from kezdocs.core.settings import REGULATION_ADMINISTRATORS
from kezdocs.demo import company_inn, ogrn, person_inn
from kezdocs.folders.casefolder import open_root
from kezdocs.paperwork.registry import FIELDS, SHEET
from kezdocs.paperwork.registry_export import export
from kezdocs.paperwork.registry_import import import_registry
from kezdocs.paperwork.registry_read import parse_rows, read_file

ROMASHKA = company_inn("183100001")
ROMASHKA_OGRN = ogrn("102180000001")
IVANOV = person_inn("1831000011")
KBK = "90111105035050000120"
HEADERS = ["Номер дела", "Тип должника", "Наименование", "Фамилия", "Имя", "Отчество", "ИНН", "ОГРН",
           "Адрес по ЕГРЮЛ / регистрации", "Основание", "Номер договора", "Дата договора", "КБК", "Период",
           "Сумма начисления", "Срок уплаты", "Дата платежа", "Сумма платежа", "Документ платежа", "Ответственный"]
CASE = ["2024-017", "юрлицо", "ООО «Ромашка»", None, None, None, ROMASHKA, ROMASHKA_OGRN, "п. Кез, ул. Кирова, 1",
        "Договор аренды", "12/2023", datetime(2023, 1, 10), KBK]
PERSON = ["2024-018", "физлицо", None, "Иванов", "Иван", "Иванович", IVANOV, None, "п. Кез, ул. Мира, 2",
          "Договор оказания услуг", "5", "01.02.2023", "90111302995050000130"]
BLANK_CASE = ["2024-017"] + [None] * 12


def row(case, charge=(None, None, None), payment=(None, None, None), officer="Петрова А. С."):
    return [*case, *charge, *payment, officer]


GOOD_AND_BAD = [
    row(CASE, ("I квартал 2024", 15000, datetime(2024, 3, 10))),                     # 2: new case, charge
    row(BLANK_CASE, ("II квартал 2024", "15 000,50", "10.06.2024"), officer=None),   # 3: charge, case columns blank
    row(BLANK_CASE, payment=(datetime(2024, 4, 2), 5000, "п/п № 123"), officer=None),  # 4: payment
    row(BLANK_CASE, ("I квартал 2024", 15000, datetime(2024, 3, 10)), officer=None),  # 5: duplicate of row 2
    row(PERSON, ("январь 2024", "2500,00", "31.01.2024")),                          # 6: second new case
    row(["2024-019", "юрлицо", "ООО «Клён»", None, None, None, "1831000010", None, "п. Кез", "Договор", None, None,
         KBK], ("2024", 100, "10.01.2024")),                                        # 7: bad ИНН
    row(BLANK_CASE, ("III квартал 2024", None, "10.09.2024"), officer=None),        # 8: charge without amount
    row(BLANK_CASE, payment=("35.13.2024", 100, None), officer=None),               # 9: not a date
    row(BLANK_CASE, payment=("01.05.2024", "сто рублей", None), officer=None),      # 10: not an amount
    row(["2024-017", None, None, None, None, None, company_inn("183100002")] + [None] * 6,
        payment=("01.06.2024", 10, None), officer=None),                           # 11: another ИНН for 2024-017
]


def write_xlsx(path, rows, headers=HEADERS, sheet=SHEET):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.fixture
def root(tmp_path):
    folder = tmp_path / "root"
    folder.mkdir()
    return open_root(folder)


def card_of(root, folder_name):
    text = (root.path / folder_name / "дело.yaml").read_text(encoding="utf-8")
    case, problems = parse_card(text, "дело.yaml", REGULATION_ADMINISTRATORS)
    assert problems == []
    return case, text


def test_good_duplicate_and_bad_rows(root, tmp_path):
    result = import_registry(root, write_xlsx(tmp_path / "реестр.xlsx", GOOD_AND_BAD))
    assert result.rows == 10
    assert sorted(result.created) == ["2024-017 ООО Ромашка", "2024-018 Иванов Иван Иванович"]
    assert result.imported == 4  # rows 2, 3, 4, 6
    assert [p.line for p in result.duplicates] == [5]
    assert [(p.line, p.field) for p in result.problems] == [  # one report per bad cell, in row order
        (7, "ИНН"), (8, "Сумма начисления"), (9, "Дата платежа"), (10, "Сумма платежа"), (11, "ИНН")]
    assert all(p.message[0].islower() or p.message[0] in "«ИК" for p in result.problems)
    romashka, text = card_of(root, "2024-017 ООО Ромашка")
    assert romashka.debtor.inn == ROMASHKA and romashka.debtor.ogrn == ROMASHKA_OGRN
    assert romashka.debtor.addresses[0].kind == "по ЕГРЮЛ"
    assert romashka.basis.number == "12/2023" and romashka.basis.date == date(2023, 1, 10)
    assert [(c.period, c.amount, c.due) for c in romashka.charges] == [
        ("I квартал 2024", Decimal("15000.00"), date(2024, 3, 10)),
        ("II квартал 2024", Decimal("15000.50"), date(2024, 6, 10))]
    assert [(p.date, p.amount, p.document) for p in romashka.payments] == [
        (date(2024, 4, 2), Decimal("5000.00"), "п/п № 123")]
    assert romashka.administrator == REGULATION_ADMINISTRATORS[0]
    assert text.startswith("#")  # the card is commented for the clerk
    ivanov, _ = card_of(root, "2024-018 Иванов Иван Иванович")
    assert (ivanov.debtor.last_name, ivanov.debtor.first_name, ivanov.debtor.middle_name) == ("Иванов", "Иван",
                                                                                            "Иванович")
    assert ivanov.debtor.addresses[0].kind == "регистрации" and ivanov.charges[0].amount == Decimal("2500.00")
    assert not (root.path / "2024-019 ООО Клён").exists()


def test_reimport_changes_nothing_and_keeps_comments(root, tmp_path):
    registry = write_xlsx(tmp_path / "реестр.xlsx", GOOD_AND_BAD[:5])
    import_registry(root, registry)
    card_path = root.path / "2024-017 ООО Ромашка" / "дело.yaml"
    card_path.write_text(card_path.read_text(encoding="utf-8") + "# заметка юриста: должник обещал оплатить\n",
                         encoding="utf-8")
    before = card_path.read_bytes()
    again = import_registry(open_root(root.path), registry)
    assert again.created == [] and again.updated == [] and again.imported == 0
    assert [p.line for p in again.duplicates] == [2, 3, 4, 5, 6]
    assert card_path.read_bytes() == before
    more = write_xlsx(tmp_path / "ещё.xlsx", [
        row(BLANK_CASE, payment=(datetime(2024, 7, 1), 1000, "п/п № 200"), officer=None),
        row(BLANK_CASE, ("I квартал 2024", 14000, datetime(2024, 3, 10)), officer=None),  # clashes with the card
    ])
    result = import_registry(open_root(root.path), more)
    assert result.updated == ["2024-017 ООО Ромашка"] and result.imported == 1
    assert [(p.line, p.field) for p in result.problems] == [(3, "Период")]
    assert "15 000,00 руб." in result.problems[0].message
    case, text = card_of(root, "2024-017 ООО Ромашка")
    assert "# заметка юриста: должник обещал оплатить" in text
    assert [p.amount for p in case.payments] == [Decimal("5000.00"), Decimal("1000.00")]
    assert len(case.charges) == 2


def test_dry_run_writes_nothing(root, tmp_path):
    result = import_registry(root, write_xlsx(tmp_path / "реестр.xlsx", GOOD_AND_BAD), dry_run=True)
    assert result.dry_run and len(result.created) == 2 and result.imported == 4
    assert list(root.path.iterdir()) == []


def test_cp1251_csv_with_semicolons_and_decimal_commas(root, tmp_path):
    lines = [";".join(HEADERS),
             f"2024-020;юрлицо;ООО «Берёзка»;;;;{company_inn('183100002')};;п. Кез;Договор аренды;7;01.02.2023;"
             f"{KBK};2024;1 234,56;10.03.2024;15.03.2024;234,56;п/п № 1;Петрова А. С.",
             "2024-020;;;;;;;;;;;;;;;;20.03.2024;1000;;"]
    path = tmp_path / "реестр.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1251"))
    result = import_registry(root, path)
    assert result.problems == [] and result.created == ["2024-020 ООО Берёзка"]
    case, _ = card_of(root, "2024-020 ООО Берёзка")
    assert case.charges[0].amount == Decimal("1234.56")
    assert [p.amount for p in case.payments] == [Decimal("234.56"), Decimal("1000.00")]


def test_utf8_bom_csv_with_commas_and_a_17_digit_kbk(root, tmp_path):
    (root.path / "настройки.yaml").write_text('код_главного_администратора: "901"\n', encoding="utf-8")
    lines = [",".join(HEADERS),
             f'2024-021,ИП,,Петров,Пётр,,{person_inn("1831000022")},,п. Кез,Договор аренды,,,{KBK[3:]},'
             '2024,"100,50",10.03.2024,,,,Петрова А. С.']
    path = tmp_path / "реестр.csv"
    path.write_bytes("\ufeff".encode() + "\n".join(lines).encode("utf-8"))
    result = import_registry(open_root(root.path), path)
    assert result.problems == [], result.problems
    case, _ = card_of(root, "2024-021 ИП Петров Пётр")
    assert case.kbk == KBK and case.charges[0].amount == Decimal("100.50")
    assert case.debtor.name == "Индивидуальный предприниматель Петров Пётр" and case.debtor.last_name == "Петров"


def test_a_new_case_needs_its_columns(root, tmp_path):
    registry = write_xlsx(tmp_path / "реестр.xlsx", [
        ["2024-030", "юрлицо", None, None, None, None, ROMASHKA, None, None, None, None, None, KBK,
         "2024", 10, "10.01.2024", None, None, None, "Петрова А. С."]])
    result = import_registry(root, registry)
    assert result.created == [] and len(result.problems) == 1
    message = result.problems[0].message
    assert "«Наименование»" in message and "«Основание»" in message and "«Адрес по ЕГРЮЛ / регистрации»" in message


def test_rows_of_a_broken_card_are_not_imported(root, tmp_path):
    folder = root.path / "2024-017 ООО Ромашка"
    folder.mkdir()
    (folder / "дело.yaml").write_text("номер: 2024-017\nдолжник: [\n", encoding="utf-8")
    result = import_registry(root, write_xlsx(tmp_path / "р.xlsx", GOOD_AND_BAD[:3]))
    assert result.created == [] and [p.line for p in result.problems] == [2, 3, 4]
    assert "в карточке ошибки" in result.problems[0].message
    assert (folder / "дело.yaml").read_text(encoding="utf-8") == "номер: 2024-017\nдолжник: [\n"


def test_unknown_columns_and_a_missing_number_column(root, tmp_path):
    records, notices = read_file(write_xlsx(tmp_path / "р.xlsx", [], headers=[*HEADERS, "Сумма начислений"]))
    assert [n.message for n in notices] == ["столбец «Сумма начислений» не распознан и не загружается; "
                                            "может быть, «Сумма начисления»?"]
    result = CliRunner().invoke(main, ["import", str(write_xlsx(tmp_path / "x.xlsx", [], headers=["Должник"])),
                                       "--root", str(root.path)])
    assert result.exit_code == 2 and "«Номер дела»" in result.output


def test_template_ships_with_every_column_and_its_example_imports(root, tmp_path):
    target = tmp_path / "образец.xlsx"
    result = CliRunner().invoke(main, ["import", "--template", str(target)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(target)
    assert [c.value for c in wb[SHEET][1]] == [f.header for f in FIELDS]
    assert wb[SHEET]["H2"].number_format == "@"  # ИНН typed in stays text
    assert wb[SHEET].data_validations.dataValidation  # the debtor type is a drop-down list
    wb.remove(wb[SHEET])
    wb["Пример"].title = SHEET
    wb.save(tmp_path / "пример.xlsx")
    imported = import_registry(root, tmp_path / "пример.xlsx")
    assert imported.problems == [] and imported.created == ["2024-017 ООО Ромашка"] and imported.imported == 2


def test_shipped_template_is_up_to_date():
    import io

    from kezdocs.paperwork.registry import build_template, template_bytes

    def sheets(data):
        wb = openpyxl.load_workbook(io.BytesIO(data))
        return {ws.title: [[c.value for c in r] for r in ws.iter_rows()] for ws in wb.worksheets}

    assert sheets(template_bytes()) == sheets(build_template())


def test_import_then_export_round_trip(root, tmp_path):
    import_registry(root, write_xlsx(tmp_path / "реестр.xlsx", GOOD_AND_BAD))
    out = tmp_path / "выгрузка.xlsx"
    result = CliRunner().invoke(main, ["export", str(out), "--root", str(root.path), "--today", "2024-07-01"])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    cases = [[c.value for c in r] for r in wb["Дела"].iter_rows()]
    header = next(i for i, r in enumerate(cases) if r[0] == "Номер дела")
    romashka = next(r for r in cases if r[0] == "2024-017")
    columns = dict(zip(cases[header], romashka))
    assert columns["Начислено, руб."] == pytest.approx(30000.50)
    assert columns["Оплачено, руб."] == pytest.approx(5000)
    assert columns["Долг, руб."] == pytest.approx(25000.50)
    assert columns["В т. ч. просрочено, руб."] == pytest.approx(25000.50)
    status = json.loads(CliRunner().invoke(main, ["status", "2024-017", "--root", str(root.path), "--today",
                                                  "2024-07-01", "--json"]).stdout)[0]
    assert Decimal(str(columns["Долг, руб."])).quantize(Decimal("0.01")) == Decimal(status["debt"])
    assert columns["Стадия"] == status["stage_label"] and columns["Следующее действие"] == status["next_action"]
    case, _ = card_of(root, "2024-017 ООО Ромашка")
    assert Decimal(str(columns["Пени, руб."])) == penalty.for_case(case, date(2024, 7, 1), open_root(root.path).rates).total
    total_row = next(r for r in cases if r[0] == "Итого")
    assert total_row[8].startswith("=SUM(I")
    # the «Реестр» sheet imports back: into the same root, nothing new; into an empty one, the same cases
    again = import_registry(open_root(root.path), out)
    assert again.problems == [] and again.imported == 0 and len(again.duplicates) == 4
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    copy = import_registry(open_root(fresh), out)
    assert copy.problems == [] and sorted(copy.created) == sorted(
        ["2024-017 ООО Ромашка", "2024-018 Иванов Иван Иванович"])
    for folder in copy.created:
        original, _ = card_of(root, folder)
        copied, _ = card_of(open_root(fresh), folder)
        assert (copied.debtor, copied.basis, copied.kbk, copied.charges, copied.payments) == \
            (original.debtor, original.basis, original.kbk, original.charges, original.payments)


def test_export_lists_a_broken_card(root, tmp_path):
    (root.path / "сломано").mkdir()
    (root.path / "сломано" / "дело.yaml").write_text("номер: [\n", encoding="utf-8")
    path, count = export(root, date(2024, 7, 1), tmp_path / "в.xlsx")
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(path)["Дела"].iter_rows()]
    broken = next(r for r in rows if r[1] == "сломано")
    assert count == 1 and broken[13] == "ошибка в карточке" and "синтаксиса" in broken[17]


def test_cli_import_reports_rows_and_exits_1(root, tmp_path):
    registry = write_xlsx(tmp_path / "реестр.xlsx", GOOD_AND_BAD)
    result = CliRunner().invoke(main, ["import", str(registry), "--root", str(root.path), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["imported"] == 4 and {"line": 7, "column": "ИНН"}.items() <= data["problems"][0].items()
    text = CliRunner().invoke(main, ["import", str(registry), "--root", str(root.path), "--dry-run"]).output
    assert "пропущено строк: 5 (строки 2, 3, 4, 5, 6)" in text and "строка 7, столбец «ИНН»" in text


def test_parse_rows_reads_excel_numbers_as_text_and_money():
    rows, problems = parse_rows([(2, {"number": 17.0, "inn": 1831000019, "charge_amount": 0.1 + 0.2,
                                      "period": "x", "due": datetime(2024, 1, 1)})], "р.xlsx", None)
    assert problems == [] and rows[0].number == "17" and rows[0].case["inn"] == "1831000019"
    assert rows[0].charge == ("x", Decimal("0.30"), date(2024, 1, 1))
    _, problems = parse_rows([(2, {"number": "1", "inn": 831000019})], "р.xlsx", None)
    assert "текстовый формат" in problems[0].message
    _, problems = parse_rows([(2, {"number": "1", "kbk": 9.0111105035050000e19})], "р.xlsx", None)
    assert problems[0].field == "КБК" and "потерял цифры" in problems[0].message
