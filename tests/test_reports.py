"""Reports from a test root: every figure reopened from the XLSX and checked against hand-computed values."""
import io
import json
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner

from kezdocs.cli import main
from kezdocs.core import penalty, reports, tables
from kezdocs.core.ledger import allocate
from kezdocs.demo import company_inn, ogrnip, person_inn
from kezdocs.folders.casefolder import open_root
from kezdocs.paperwork.report_files import REPORTS_DIR, build, docx_bytes, write

ROMASHKA = company_inn("183100001")
BEREZKA = company_inn("183100002")
YASEN = company_inn("183100003")
IVANOV = person_inn("1831000011")
PETROV = person_inn("1831000022")
ADMIN = "Администрация муниципального образования"
CULTURE = "Отдел культуры"
KBK_RENT = "90111105035050000120"
KBK_SERVICES = "90111302995050000130"
KBK_CULTURE = "90311705050050000180"


def card(number, debtor, kbk, charges, payments=(), events=(), administrator=ADMIN, penalty_terms="{способ: нет}"):
    def rows(items):
        return "\n" + "".join(f"  - {{{item}}}\n" for item in items) if items else " []\n"

    return (f"номер: {number}\nадминистратор: {administrator}\nответственный: {{фио: Петрова А. А.}}\n"
            f"должник:\n{debtor}основание: {{документ: Договор аренды, номер: '7', дата: 01.02.2023}}\n"
            f'код_дохода: "{kbk}"\nнеустойка: {penalty_terms}\n'
            f"начисления:{rows(charges)}платежи:{rows(payments)}события:{rows(events)}")


def company(name, inn, liquidated=False):
    flag = "  ликвидирован: да\n" if liquidated else ""
    return (f"  тип: юрлицо\n  наименование: {name}\n  инн: \"{inn}\"\n{flag}"
            "  адреса: [{вид: по ЕГРЮЛ, адрес: \"п. Кез, ул. Кирова, 1\"}]\n")


PERSON = (f"  тип: физлицо\n  фамилия: Иванов\n  имя: Иван\n  отчество: Иванович\n  инн: \"{IVANOV}\"\n"
          "  адреса: [{вид: регистрации, адрес: \"п. Кез, ул. Мира, 2\"}]\n")
ENTREPRENEUR = (f"  тип: ип\n  фамилия: Петров\n  имя: Пётр\n  отчество: Петрович\n  инн: \"{PETROV}\"\n"
                f"  огрнип: \"{ogrnip('30418000000001')}\"\n  адреса: [{{вид: по ЕГРИП, адрес: \"п. Кез, ул. Лесная, 3\"}}]\n")

CARDS = {
    # 30 000 overdue at 01.01.2026; 10 000 paid 10.01 and 20 000 on 20.04 close IV квартал; I and II stay unpaid.
    "2026-001 ООО Ромашка": card(
        "2026-001", company("ООО «Ромашка»", ROMASHKA), KBK_RENT,
        ["период: IV квартал 2025, сумма: 30000, срок_уплаты: 10.12.2025",
         "период: I квартал 2026, сумма: 30000, срок_уплаты: 10.03.2026",
         "период: II квартал 2026, сумма: 30000, срок_уплаты: 10.06.2026"],
        ["дата: 10.01.2026, сумма: 10000", "дата: 20.04.2026, сумма: 20000"],
        ["дата: 15.01.2026, событие: претензия направлена"]),
    # The same debtor and КБК, paid off in 2025: adds nothing, and its old repayment is not this year's result.
    "2024-005 ООО Ромашка": card(
        "2024-005", company("ООО «Ромашка»", ROMASHKA), KBK_RENT,
        ["период: 2024, сумма: 8000, срок_уплаты: 10.10.2024"], ["дата: 01.11.2025, сумма: 8000"],
        ["дата: 01.11.2024, событие: претензия направлена"]),
    "2026-002 Иванов": card(
        "2026-002", PERSON, KBK_SERVICES, ["период: январь 2026, сумма: 5000, срок_уплаты: 31.01.2026"],
        penalty_terms="{способ: процент в день, ставка: 0.1}"),
    "2025-010 ООО Берёзка": card(
        "2025-010", company("ООО «Берёзка»", BEREZKA, liquidated=True), KBK_RENT,
        ["период: 2025, сумма: 12000, срок_уплаты: 10.02.2025"], ["дата: 01.03.2025, сумма: 2000"],
        ["дата: 20.02.2025, событие: претензия направлена"]),
    "2020-003 ООО Ясень": card(
        "2020-003", company("ООО «Ясень»", YASEN), KBK_RENT,
        ["период: 2019, сумма: 50000, срок_уплаты: 10.01.2020"], [],
        ["дата: 20.01.2020, событие: претензия направлена", "дата: 01.06.2020, событие: sent_to_bailiffs",
         "дата: 15.06.2020, событие: исполнительное производство возбуждено",
         "дата: 10.03.2026, событие: исполнительное производство окончено"]),
    "2026-004 ИП Петров": card(
        "2026-004", ENTREPRENEUR, KBK_CULTURE, ["период: март 2026, сумма: 1000.50, срок_уплаты: 01.03.2026"],
        administrator=CULTURE),
}
BROKEN = "2026-003 Сломанное"


@pytest.fixture
def root(tmp_path):
    for folder, text in CARDS.items():
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "дело.yaml").write_text(text, encoding="utf-8")
    (tmp_path / BROKEN).mkdir()
    (tmp_path / BROKEN / "дело.yaml").write_text(CARDS["2026-002 Иванов"].replace(IVANOV, "123"), encoding="utf-8")
    return open_root(tmp_path)


def test_test_cards_are_valid(root):
    loaded = [root.load(f) for f in root.case_folders()]
    assert {cf.name for cf in loaded if cf.case is None} == {BROKEN}
    assert all(cf.problems == [] for cf in loaded if cf.name != BROKEN)


def sheet_rows(path):
    """Data rows (after the numbering row) up to «Итого», as lists of cell values, plus the totals row."""
    ws = openpyxl.load_workbook(path).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    numbering = next(i for i, r in enumerate(values) if r[:3] == [1, 2, 3])
    end = next(i for i, r in enumerate(values) if r[0] == "Итого")
    return ws, values[numbering + 1:end], values[end]


def money(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_overdue_report_on_30_june(root):
    path, report = write(root, "overdue", date(2026, 6, 30))
    assert path == root.path / REPORTS_DIR / "Отчёт о просроченной задолженности на 2026-06-30.xlsx"
    ws, rows, totals = sheet_rows(path)
    by_debtor = {r[2]: r for r in rows}
    assert list(by_debtor) == ["ООО «Берёзка»", "ООО «Ромашка»", "ООО «Ясень»", "Иванов Иван Иванович",
                               "Индивидуальный предприниматель Петров Пётр Петрович"]
    romashka = by_debtor["ООО «Ромашка»"]
    assert romashka[:3] == ["901", KBK_RENT, "ООО «Ромашка»"] and romashka[3].date() == date(2026, 3, 11)
    assert [money(v) for v in romashka[4:7]] == [Decimal("30000.00"), Decimal("60000.00"), Decimal("30000.00")]
    assert romashka[7] == 2
    berezka = by_debtor["ООО «Берёзка»"]
    assert berezka[3].date() == date(2025, 2, 11)
    assert [money(v) for v in berezka[4:7]] == [Decimal("10000.00"), Decimal("10000.00"), Decimal("0.00")]
    assert berezka[7] == 1
    ivanov = by_debtor["Иванов Иван Иванович"]
    # due Saturday 31.01.2026: payable until Monday 02.02, overdue from 03.02 (ГК РФ ст. 193)
    assert ivanov[0:2] == ["901", KBK_SERVICES] and ivanov[3].date() == date(2026, 2, 3)
    assert [money(v) for v in ivanov[4:7]] == [Decimal("0.00"), Decimal("5000.00"), Decimal("5000.00")]
    assert ivanov[7] is None  # no debt at the start of the year: no coefficient
    petrov = by_debtor["Индивидуальный предприниматель Петров Пётр Петрович"]
    assert petrov[0] == "903" and money(petrov[5]) == Decimal("1000.50")
    assert totals[4] == f"=SUM(E{ws.freeze_panes[1:]}:E{int(ws.freeze_panes[1:]) + 4})"
    assert totals[7].startswith("=IF(E") and "/E" in totals[7]
    assert report.totals()[4:8] == (Decimal("90000.00"), Decimal("126000.50"), Decimal("36000.50"),
                                    Decimal("1.4000"))
    assert ws.cell(int(ws.freeze_panes[1:]), 1).value == rows[0][0]  # frozen right above the first data row


def test_overdue_report_heading_numbers_formats_and_skipped(root):
    path, report = write(root, "overdue", date(2026, 6, 30))
    ws = openpyxl.load_workbook(path).active
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert texts[0].startswith("Приложение № 2")
    assert texts[1] == "Сведения (отчет) о состоянии просроченной задолженности на 30.06.2026"
    assert texts[2] == root.settings.name
    assert any("гр. 6 − гр. 5" in t for t in texts)  # the form's column-numbering defect, explained
    # issue 14, items 11 and 15: the file counts the case left out; the reason (the card's diagnostics) is the
    # CLI's — the old notes that named the folder and the card's error in the report were wrong
    assert "Дел, не включённых в отчёт: 1." in texts
    assert not any(BROKEN in t or "дело.yaml" in t for t in texts)
    assert report.skipped and BROKEN in report.skipped[0].message
    row = next(r for r in ws.iter_rows() if r[2].value == "ООО «Ромашка»")
    assert row[3].number_format == "DD.MM.YYYY" and row[3].is_date
    assert row[4].number_format == "#,##0.00" and isinstance(row[4].value, (int, float))
    assert row[1].data_type == "s"  # the КБК stays text, with its zeros
    assert ws.column_dimensions["C"].width == 36
    numbering = next(r for r in ws.iter_rows(values_only=True) if r[:2] == (1, 2))
    assert list(numbering) == list(range(1, 9))


def test_overdue_report_on_15_february_and_by_administrator(root):
    report = build(root, "overdue", date(2026, 2, 15))
    romashka = next(r for r in report.rows if r[2] == "ООО «Ромашка»")
    assert romashka[3:] == (date(2025, 12, 11), Decimal("30000"), Decimal("20000"), Decimal("-10000"), Decimal("0.6667"))
    assert "Индивидуальный предприниматель Петров Пётр Петрович" not in [r[2] for r in report.rows]  # due 01.03
    culture = build(root, "overdue", date(2026, 6, 30), CULTURE)
    assert [r[2] for r in culture.rows] == ["Индивидуальный предприниматель Петров Пётр Петрович"]
    assert culture.organisation.startswith("Отдел культуры Администрации")


def test_measures_report(root):
    path, report = write(root, "measures", date(2026, 6, 30))
    ws, rows, totals = sheet_rows(path)
    by_kbk = {}
    for r in rows:
        by_kbk.setdefault(r[1], []).append(r)
    rent = {r[4].split(":")[0]: r for r in by_kbk[KBK_RENT]}
    romashka = rent["Дело № 2026-001 (ООО «Ромашка»)"]
    assert money(romashka[2]) == Decimal("60000.00") and money(romashka[3]) == Decimal("20000.00")
    assert romashka[4] == "Дело № 2026-001 (ООО «Ромашка»): претензия направлена 15.01.2026"  # 2024-005 is out
    berezka = rent["Дело № 2025-010 (ООО «Берёзка»)"]
    assert money(berezka[2]) == Decimal("10000.00") and money(berezka[3]) == Decimal("2000.00")
    yasen = rent["Дело № 2020-003 (ООО «Ясень»)"]
    assert yasen[4].endswith("исполнительное производство возбуждено 15.06.2020; "
                             "исполнительное производство окончено 10.03.2026")
    ivanov = by_kbk[KBK_SERVICES][0]
    assert ivanov[4].endswith("меры не принимались") and money(ivanov[2]) == Decimal("5000.00")
    assert totals[2].startswith("=SUM(C") and totals[3].startswith("=SUM(D")
    assert report.totals()[2:4] == (Decimal("126000.50"), Decimal("22000"))
    assert "25 декабря" in " ".join(report.notes)


def test_measures_report_keeps_a_case_repaid_this_year(root):
    report = build(root, "measures", date(2025, 12, 25))
    texts = " ".join(r[4] for r in report.rows)
    assert "2024-005" in texts  # its 8 000 came on 01.11.2025, after the claim of 01.11.2024
    row = next(r for r in report.rows if "2024-005" in r[4])
    assert row[3] == Decimal("8000")


def test_inventory_report(root):
    path, report = write(root, "inventory", "2026-Q2")
    assert path.name == "Инвентаризация расчётов с должниками 2026-Q2.xlsx"
    ws, rows, totals = sheet_rows(path)
    by_case = {r[0]: r for r in rows}
    assert set(by_case) == {"2026-001", "2024-005", "2026-002", "2025-010", "2020-003", "2026-004"}
    romashka = by_case["2026-001"]
    assert [money(v) for v in romashka[5:9]] == [Decimal("90000.00"), Decimal("30000.00"), Decimal("60000.00"),
                                                 Decimal("60000.00")]
    assert romashka[10].date() == date(2026, 3, 11) and romashka[11] is None
    ivanov = by_case["2026-002"]
    # 5 000 × 148 days (03.02–30.06) × 0.1 %: due Saturday 31.01.2026, payable 02.02 (ГК РФ ст. 193; the old 750 — wrong)
    assert money(ivanov[9]) == Decimal("740.00")
    case = root.load(root.path / "2026-002 Иванов").case
    assert money(ivanov[9]) == penalty.for_case(case, date(2026, 6, 30), root.rates).total
    assert by_case["2025-010"][11] == "безнадёжная" and "ликвидирован" in by_case["2025-010"][12]
    assert by_case["2020-003"][11] == "безнадёжная" and "более пяти лет" in by_case["2020-003"][12]
    assert by_case["2026-004"][11] is None  # overdue since 02.03.2026: not a year yet
    assert by_case["2024-005"][7] == 0
    assert totals[5].startswith("=SUM(F")
    assert report.totals()[7] == Decimal("60000") + Decimal("5000") + Decimal("10000") + Decimal("50000") + \
        Decimal("1000.50")


def test_inventory_marks_doubtful_after_a_year_without_payment(root):
    report = build(root, "inventory", "2027-Q2")
    ivanov = next(r for r in report.rows if r[0] == "2026-002")
    # overdue from 03.02.2026: the due date 31.01.2026 is a Saturday (ГК РФ ст. 193)
    assert ivanov[11:13] == ("сомнительная", "нет платежей более года (платежей не было с 03.02.2026)")
    romashka = next(r for r in report.rows if r[0] == "2026-001")
    assert romashka[11:13] == ("сомнительная", "нет платежей более года (последний платёж 20.04.2026)")
    earlier = build(root, "inventory", "2027-Q1")  # 20.04.2026 is less than a year before 31.03.2027
    assert next(r for r in earlier.rows if r[0] == "2026-001")[11:13] == ("", "")


def test_enforcement_ended_within_five_years_is_doubtful(root):
    case = root.load(root.path / "2020-003 ООО Ясень").case
    grade, grounds = reports.assess_collectability(case, allocate(case.charges, case.payments), date(2024, 12, 31))
    assert (grade, grounds) == ("сомнительная", "нет платежей более года (платежей не было с 11.01.2020)")
    recent = replace(case, charges=(replace(case.charges[0], due=date(2025, 1, 10)),))
    grade, grounds = reports.assess_collectability(recent, allocate(recent.charges, ()), date(2026, 6, 30))
    assert (grade, grounds) == ("сомнительная", "исполнительное производство окончено 10.03.2026 без полного взыскания")


@pytest.mark.parametrize("text, expected", [
    ("2026-Q3", (date(2026, 7, 1), date(2026, 9, 30))),
    ("2026-Q4", (date(2026, 10, 1), date(2026, 12, 31))),
    ("2025 К1", (date(2025, 1, 1), date(2025, 3, 31))),
])
def test_parse_quarter(text, expected):
    assert reports.parse_quarter(text) == expected


def test_bad_quarter_is_a_russian_error(root):
    result = CliRunner().invoke(main, ["report", "inventory", "--root", str(root.path), "--quarter", "2026-5"])
    assert result.exit_code == 2 and "2026-Q3" in result.output


def test_docx_report_has_the_rows_and_escapes(root):
    report = build(root, "overdue", date(2026, 6, 30))
    data = docx_bytes(report)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "ООО «Ромашка»" in xml and "60 000,00" in xml and "126 000,50" in xml and "1,40" in xml
    assert "{{" not in xml and "{%" not in xml
    tricky = tables.Report(**{**report.__dict__, "organisation": "Отдел <культуры> & спорта"})
    xml = zipfile.ZipFile(io.BytesIO(docx_bytes(tricky))).read("word/document.xml").decode()
    assert "Отдел &lt;культуры&gt; &amp; спорта" in xml


def test_every_report_renders_to_docx(root):
    for kind, when in (("measures", date(2026, 6, 30)), ("inventory", "2026-Q2")):
        path, _ = write(root, kind, when, fmt="docx")
        xml = zipfile.ZipFile(path).read("word/document.xml").decode()
        assert "Итого" in xml and "2026-001" in xml and "{{" not in xml


def test_cli_report_commands(root, tmp_path):
    out = tmp_path / "out.xlsx"
    runner = CliRunner()
    result = runner.invoke(main, ["report", "overdue", "--root", str(root.path), "--date", "30.06.2026",
                                  "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and BROKEN in result.output
    result = runner.invoke(main, ["report", "measures", "--root", str(root.path), "--date", "2026-06-30", "--json"])
    data = json.loads(result.stdout)
    assert data["report"] == "measures" and data["totals"][2] == "126000.50"
    result = runner.invoke(main, ["report", "inventory", "--root", str(root.path), "--quarter", "2026-Q2",
                                  "--format", "docx", "--administrator", CULTURE])
    assert result.exit_code == 0, result.output
    written = list((root.path / REPORTS_DIR).glob("*.docx"))
    assert [p.name for p in written] == ["Инвентаризация расчётов с должниками 2026-Q2 — Отдел культуры.docx"]


def test_templates_are_built_from_the_column_definitions(tmp_path):
    from templates import build_reports

    for path in build_reports.build(tmp_path):
        shipped = zipfile.ZipFile(build_reports.HERE / path.name).read("word/document.xml")
        assert zipfile.ZipFile(path).read("word/document.xml") == shipped


@pytest.mark.parametrize("kind, when", [("overdue", date(2026, 6, 30)), ("measures", date(2026, 6, 30)),
                                        ("inventory", "2026-Q2")])
def test_docx_report_counts_the_cases_left_out_without_program_messages(root, kind, when):
    # Issue 14 item 11: a report is an official paper; the reasons a case was left out («…/дело.yaml:17: …»,
    # an exception's text) are for the user, who sees them in the CLI. The report only says how many.
    report = build(root, kind, when)
    assert report.skipped and "дело.yaml" in str(report.skipped[0]) + report.skipped[0].message  # the CLI's detail
    xml = zipfile.ZipFile(io.BytesIO(docx_bytes(report))).read("word/document.xml").decode()
    assert "Дел, не включённых в отчёт: 1." in xml
    for word in ("дело.yaml", BROKEN, "kezdocs", "исправьте", "Error"):
        assert word not in xml, word
