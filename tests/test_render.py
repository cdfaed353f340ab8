"""Documents written from the DOCX templates: for a person, an ИП and an organisation, read back from the files.

A root is built in a temporary folder with `настройки.yaml` and case cards;
every document kind is rendered, reopened with python-docx and checked for
the items the law and the regulation require, the exact amounts and the
declined names. Then: escaping, a template asking for data that does not
exist, a root's own template, edited files kept, the QR code decoded back,
and one LibreOffice call converting a document of each kind to PDF.
"""
from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from PIL import Image
from stdnum.ru import inn as stdnum_inn

from kezdocs.cli import main
from kezdocs.core import documents, kinds, payqr
from kezdocs.core.card import GENERATED_DIR
from kezdocs.core.errors import KezdocsError
from kezdocs.core.status import CaseStatus
from kezdocs.folders.casefolder import open_root
from kezdocs.paperwork import generated, libreoffice, render, template_check, template_sources

TODAY = date(2026, 11, 24)
KINDS = list(kinds.KINDS)
LEGAL_NAME = "ООО «Ромашка & Сыновья» <1>"

SETTINGS = """
администрация: Администрация муниципального образования «Муниципальный округ Кезский район Удмуртской Республики»
краткое_наименование: Администрация Кезского района
адрес: "427580, Удмуртская Республика, п. Кез, ул. Кирова, д. 5"
телефон: "+7 (34158) 3-11-11"
email: kez@example.ru
инн: "1831000001"
огрн: "1021800000001"
реквизиты:
  получатель: "УФК по Удмуртской Республике (Администрация Кезского района)"
  инн: "1831000001"
  кпп: "183101001"
  казначейский_счет: "03100643000000011300"
  екс: "40102810545370000081"
  бик: "019401100"
  банк: "ОТДЕЛЕНИЕ-НБ УДМУРТСКАЯ РЕСПУБЛИКА БАНКА РОССИИ//УФК по Удмуртской Республике г. Ижевск"
  октмо: "94626000"
кбк_пеней:
  "00011105012140000120": "00011607090140000140"
глава: {должность: "Глава муниципального образования «Муниципальный округ Кезский район Удмуртской Республики»", фио: "Богданов Игорь Олегович"}
подписант: {должность: "Заместитель главы Администрации по экономике и финансам", фио: "Кузнецова Анна Викторовна"}
представитель: {должность: "Начальник отдела правовой и кадровой работы", фио: "Смирнов Павел Андреевич", доверенность: "№ 15 от 09.01.2026"}
суды:
  мировой: "Мировой судья судебного участка Кезского района Удмуртской Республики, 427580, п. Кез, ул. Кирова, д. 7"
  районный: "Кезский районный суд Удмуртской Республики, 427580, п. Кез, ул. Кирова, д. 9"
  арбитражный: "Арбитражный суд Удмуртской Республики, 426011, г. Ижевск, ул. Ломоносова, д. 5"
фссп: "Кезское РОСП УФССП России по Удмуртской Республике, 427580, п. Кез, ул. Кирова, д. 11"
"""

PERSON_INN = "1831000000" + stdnum_inn.calc_personal_check_digits("1831000000")
IP_INN = "1831001111" + stdnum_inn.calc_personal_check_digits("1831001111")
LEGAL_INN = "183100000" + stdnum_inn.calc_company_check_digit("183100000")
LEGAL_OGRN = "102180000000" + str(int("102180000000") % 11 % 10)
IP_OGRNIP = "31818310000001" + str(int("31818310000001") % 13 % 10)

DEBTORS = {
    "person": f"""  тип: физлицо
  фамилия: Черных
  имя: Ольга
  отчество: Викторовна
  пол: женский
  инн: "{PERSON_INN}"
  дата_рождения: 12.05.1979
  место_рождения: п. Кез Удмуртской АССР
  адреса:
    - {{вид: регистрации, адрес: "427580, Удмуртская Республика, п. Кез, ул. Садовая, д. 8"}}
    - {{вид: фактический, адрес: "426057, Удмуртская Республика, г. Ижевск, ул. Майская, д. 21, кв. 40"}}
  счета: ["40817810468000009876 в ПАО Сбербанк"]
  банк: {{наименование: "Удмуртское отделение № 8618 ПАО Сбербанк", адрес: "426033, Удмуртская Республика, г. Ижевск, ул. Карла Маркса, д. 290"}}
""",
    "ip": f"""  тип: ип
  фамилия: Петров
  имя: Сергей
  отчество: Иванович
  инн: "{IP_INN}"
  огрнип: "{IP_OGRNIP}"
  адреса:
    - {{вид: по договору, адрес: "427580, Удмуртская Республика, п. Кез, ул. Ленина, д. 3, кв. 4"}}
    - {{вид: по ЕГРИП, адрес: "427580, Удмуртская Республика, п. Кез, ул. Ленина, д. 3, кв. 4"}}
  счета: ["40802810468000005678 в ПАО Сбербанк"]
  банк: {{наименование: "Удмуртское отделение № 8618 ПАО Сбербанк", адрес: "426033, Удмуртская Республика, г. Ижевск, ул. Карла Маркса, д. 290"}}
""",
    "legal": f"""  тип: юрлицо
  наименование: "{LEGAL_NAME}"
  инн: "{LEGAL_INN}"
  огрн: "{LEGAL_OGRN}"
  кпп: "183101001"
  адреса:
    - {{вид: по договору, адрес: "427550, Удмуртская Республика, п. Кез, ул. Кирова, д. 1"}}
    - {{вид: по ЕГРЮЛ, адрес: "426000, Удмуртская Республика, г. Ижевск, ул. Пушкина, д. 10"}}
  счета: ["40702810468000001234 в Удмуртском отделении № 8618 ПАО Сбербанк"]
  банк: {{наименование: "Удмуртское отделение № 8618 ПАО Сбербанк", адрес: "426033, Удмуртская Республика, г. Ижевск, ул. Карла Маркса, д. 290"}}
""",
}
NUMBERS = {"person": "2026-102", "ip": "2026-103", "legal": "2026-101"}
COURT = {"person": "мировой судья", "ip": "Арбитражный суд Удмуртской Республики",
         "legal": "Арбитражный суд Удмуртской Республики"}
HISTORY = """  - {{дата: 20.02.2026, событие: претензия направлена, шпи: "42755012345675"}}
  - {{дата: 30.03.2026, событие: служебная записка направлена}}
  - {{дата: 06.04.2026, событие: решение о взыскании принято}}
  - {{дата: 15.04.2026, событие: иск подан, суд: "{court}", дело_суда: "А71-1234/2026"}}
"""
ENFORCEMENT = """  - {дата: 10.06.2026, событие: решение суда, результат: удовлетворено}
  - {дата: 13.07.2026, событие: решение вступило в силу}
  - {дата: 03.08.2026, событие: исполнительный документ получен, номер: "ФС № 045678912", выдан: 28.07.2026, сумма: "46 350,00"}
  - {дата: 10.08.2026, событие: направлен в ФССП}
  - {дата: 20.08.2026, событие: исполнительное производство возбуждено, номер: "12345/26/18045-ИП"}
"""

WRITTEN_OFF = '  - {дата: 20.11.2026, событие: признана безнадежной, основание: "5"}\n'


def card(kind: str, paid: bool = False, phone: str = '"+7 (34158) 3-12-34"') -> str:
    """A case that went to enforcement (or, `paid`, was paid in full after the lawsuit was filed)."""
    method = {"person": "395 ГК", "ip": "1/300 ключевой ставки", "legal": "процент в день, ставка: 0.1"}[kind]
    payments = '  - {дата: 01.02.2026, сумма: "5 000,00", документ: п/п № 123}\n'
    if paid:
        payments += '  - {дата: 20.05.2026, сумма: "40 000,00", документ: п/п № 456}\n'
    events = HISTORY.format(court=COURT[kind]) + ("" if paid else ENFORCEMENT)
    return f"""номер: "{NUMBERS[kind]}{'-о' if paid else ''}"
администратор: Управление территориального развития
ответственный: {{фио: Иванова Мария Петровна, телефон: {phone}}}
должник:
{DEBTORS[kind]}основание:
  документ: Договор аренды земельного участка
  номер: 12/2025
  дата: 10.01.2025
код_дохода: "00011105012140000120"
уин: "18810000000000000012"
штрафы: "{'1 500,00' if kind == 'legal' else '0'}"
неустойка: {{способ: {method}}}
начисления:
  - {{период: I квартал 2026, сумма: "15 000,00", срок_уплаты: 10.01.2026}}
  - {{период: II квартал 2026, сумма: "30 000,00", срок_уплаты: 10.04.2026}}
платежи:
{payments}события:
{events}"""


def make_root(base: Path) -> Path:
    base.mkdir(parents=True, exist_ok=True)
    (base / "настройки.yaml").write_text(SETTINGS, encoding="utf-8")
    for kind, number in NUMBERS.items():
        for paid in (False, True):
            folder = base / f"{number}{' оплачено' if paid else ''} {kind}"
            folder.mkdir()
            (folder / "дело.yaml").write_text(card(kind, paid), encoding="utf-8")
            (folder / "Договор").mkdir()
            (folder / "Договор" / "договор аренды 12-2025.pdf").write_bytes(b"%PDF-1.4 not really")
    return base


def text_of(path: Path) -> str:
    """Every paragraph of a DOCX (tables included), one per line, non-breaking spaces as spaces."""
    body = Document(str(path)).element.body
    lines = ("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    return "\n".join(line for line in lines if line).replace("\u00a0", " ")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every kind for every debtor type (withdrawal from the paid cases), written once for the module."""
    base = make_root(tmp_path_factory.mktemp("root"))
    for kind_of_debtor, number in NUMBERS.items():  # the commission's decision needs its recorded ground
        folder = base / f"{number} списание {kind_of_debtor}"
        folder.mkdir()
        (folder / "дело.yaml").write_text(card(kind_of_debtor).replace(f'"{number}"', f'"{number}-с"') + WRITTEN_OFF,
                                          encoding="utf-8")
    root = open_root(base)
    out = {}
    for kind_of_debtor, number in NUMBERS.items():
        for code in KINDS:
            ref = {"withdrawal": f"{number}-о", "write-off": f"{number}-с"}.get(code, number)
            out[kind_of_debtor, code] = render.generate(root, root.find(ref), code, TODAY)
    return root, out


def doc_text(rendered, debtor: str, kind: str, index: int = 0) -> str:
    return text_of(rendered[1][debtor, kind][index])


# --- the documents -----------------------------------------------------------------------------

def test_every_kind_renders_for_every_debtor_type_into_the_generated_folder(rendered):
    _, out = rendered
    for (debtor, code), paths in out.items():
        assert paths, (debtor, code)
        for path in paths:
            assert path.parent.name == GENERATED_DIR and path.suffix == ".docx"
            assert path.name.startswith("2026-11-24 ")
            assert "{{" not in text_of(path) and "{%" not in text_of(path)
    assert out["legal", "claim"][0].name == "2026-11-24 Требование (претензия) 2026-101 (по договору).docx"
    assert out["legal", "claim"][1].name == "2026-11-24 Требование (претензия) 2026-101 (по ЕГРЮЛ).docx"
    assert [p.name for p in out["ip", "claim"]] == ["2026-11-24 Требование (претензия) 2026-103.docx"]
    assert len(out["person", "claim"]) == 2 and len(out["person", "post-inventory"]) == 2


def test_claim_has_all_eight_items_of_the_regulation(rendered):
    text = doc_text(rendered, "legal", "claim")
    assert LEGAL_NAME in text  # 1: the debtor, escaped and unescaped exactly
    assert "Основание начисления: Договор аренды земельного участка № 12/2025 от 10.01.2025." in text  # 2
    # 3; the charge is due Saturday 10.01.2026: payable until Monday 12.01, overdue from 13.01 (ГК РФ ст. 193)
    assert "Период образования просрочки: с 13.01.2026 по 24.11.2026." in text
    assert "Сумма просроченной задолженности: 40 000,00 руб. (Сорок тысяч рублей 00 копеек)." in text  # 4
    # 10 100,00 (not 10 130,00): the charge due Saturday 10.01.2026 is payable on 12.01 (ГК РФ ст. 193), penalty from 13.01
    assert "Пени по состоянию на 24 ноября 2026 г.: 10 100,00 руб. (Десять тысяч сто рублей 00 копеек)" in text
    assert "Штрафные санкции: 1 500,00 руб. (Одна тысяча пятьсот рублей 00 копеек)." in text  # 5
    assert "Всего к уплате: 51 600,00 руб. (Пятьдесят одна тысяча шестьсот рублей 00 копеек)." in text
    assert "в течение 30 календарных дней со дня направления" in text  # 6
    for detail in ("УФК по Удмуртской Республике (Администрация Кезского района)", "1831000001 / 183101001",
                   "03100643000000011300", "40102810545370000081", "019401100", "94626000",
                   "00011105012140000120", "18810000000000000012"):  # 7
        assert detail in text
    assert "Исполнитель: Иванова Мария Петровна" in text and "тел. +7 (34158) 3-12-34" in text  # 8
    assert "427550, Удмуртская Республика, п. Кез, ул. Кирова, д. 1" in text
    assert "426000, Удмуртская Республика, г. Ижевск" in doc_text(rendered, "legal", "claim", 1)
    assert "А.В. Кузнецова" in text and ".." not in text


def test_claim_addressee_declined_for_people_never_for_organisations(rendered):
    assert "Черных Ольге Викторовне" in doc_text(rendered, "person", "claim")
    assert "Индивидуальному предпринимателю Петрову Сергею Ивановичу" in doc_text(rendered, "ip", "claim")
    assert "Фактический" not in doc_text(rendered, "person", "claim", 1)
    assert "426057, Удмуртская Республика, г. Ижевск, ул. Майская" in doc_text(rendered, "person", "claim", 1)


def test_the_qr_code_in_the_claim_decodes_to_the_exact_payment_string(rendered):
    # Issue 14 item 13 (the old assertion wanted one code of 51 600,00 to the rent's КБК): the principal goes to the
    # income КБК with the charge's УИН, the penalty and fines to their own КБК (по указаниям о порядке применения
    # КБК), so ГИС ГМП can match each payment — two codes. tests/test_payment_details.py covers the cases.
    root, out = rendered
    with zipfile.ZipFile(out["legal", "claim"][0]) as docx:
        images = sorted(n for n in docx.namelist() if n.startswith("word/media/"))
        assert len(images) == 2
        found = {r.text for name in images for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(docx.read(name))))}
    case = root.find("2026-101").case
    principal = payqr.payment_string(root.settings.payment, case.kbk, Decimal("40000.00"), documents.purpose(case),
                                     case.uin)
    sanctions = payqr.payment_string(root.settings.payment, "00011607090140000140", Decimal("11600.00"),  # ГК РФ ст. 193
                                     documents.purpose(case, "пени и штрафных санкций"))
    assert found == {principal, sanctions}
    assert "|Sum=4000000|" in principal and "|CBC=00011105012140000120|" in principal and "|UIN=" in principal
    assert "|Sum=1160000|" in sanctions and "|CBC=00011607090140000140|" in sanctions and "UIN" not in sanctions


def test_calculation_has_the_period_table_with_formulas_and_no_key_rate_warning(rendered):
    legal = doc_text(rendered, "legal", "calculation")
    for row in ("15 000,00 × 20 × 0,1%", "10 000,00 × 296 × 0,1%", "30 000,00 × 228 × 0,1%"):
        assert row in legal
    assert "Итого пени: 10 100,00 руб. (Десять тысяч сто рублей 00 копеек)." in legal
    assert "всего — 51 600,00 руб." in legal
    ip = doc_text(rendered, "ip", "calculation")  # 1/300 of the key rate, calculated after the last known rate
    # Issue 14 item 11 (the old assertion wanted the warning printed): the calculation is a court exhibit, the
    # warning about the key rate is for the user (CLI, СТАТУС.txt) and never in the document.
    assert "× 1/300 ×" in ip and "Внимание:" not in ip and "ключевая_ставка.csv" not in ip
    person = doc_text(rendered, "person", "calculation")
    assert "Расчёт процентов по ст. 395 ГК РФ" in person and "/ 365" in person


def test_memo_goes_to_the_head_in_the_dative(rendered):
    text = doc_text(rendered, "person", "memo")
    assert "Главе муниципального образования «Муниципальный округ Кезский район Удмуртской Республики»" in text
    assert "И.О. Богданову" in text
    assert "пунктом 6.1 Регламента" in text and "от 26.09.2024 № 139н" in text
    assert "Требование (претензия) направлено должнику 20 февраля 2026 г." in text


@pytest.mark.parametrize("debtor, declined, duty", [
    ("person", "Взыскать с Черных Ольги Викторовны", "подпункта 19 пункта 1 статьи 333.36"),
    ("ip", "Взыскать с индивидуального предпринимателя Петрова Сергея Ивановича", "подпункта 1.1 пункта 1 статьи 333.37"),
    ("legal", f"Взыскать с {LEGAL_NAME}", "подпункта 1.1 пункта 1 статьи 333.37"),
])
def test_lawsuit_in_the_variant_of_the_court(rendered, debtor, declined, duty):
    text = doc_text(rendered, debtor, "lawsuit")
    assert declined in text and duty in text
    assert "ИСКОВОЕ ЗАЯВЛЕНИЕ" in text and "ПРОШУ:" in text
    # Issue 14 item 12: the old line named the file («Копия: договор аренды 12-2025»), which was wrong; the
    # attachment is named by its kind and the card's basis (the fake PDF has no readable pages: «в 1 экз.»).
    assert "Копия договора аренды земельного участка № 12/2025 от 10.01.2025 — в 1 экз." in text
    assert "1. Расчёт задолженности" in text and "договор аренды 12-2025" not in text
    if debtor == "person":
        assert "статьями 131, 132 Гражданского процессуального кодекса" in text
        # The price of the claim is 40 000,00 + 3 988,64 interest = 43 988,64 ≤ 50 000 (ГПК РФ ст. 91 ч. 1 п. 1,
        # ст. 23 ч. 1 п. 5): the magistrate, which is also the court the filing event names.
        assert "Мировому судье судебного участка Кезского района Удмуртской Республики" in text
        assert "районный суд" not in text
        assert f"ИНН {PERSON_INN}" in text and "дата рождения: 12.05.1979" in text
    else:
        assert "статьями 4, 125, 126 Арбитражного процессуального кодекса" in text
        # Issue 14 item 12: an ИП's extract is from the ЕГРИП (АПК РФ ст. 126 ч. 1 п. 9); the old list gave
        # «Выписка из ЕГРЮЛ (ЕГРИП)» to everyone, which was wrong. An original, never «Копия выписки».
        register = "ЕГРИП" if debtor == "ip" else "ЕГРЮЛ"
        assert "В Арбитражный суд Удмуртской Республики" in text
        assert f"Выписка из {register} в отношении ответчика — в 1 экз." in text
    if debtor == "legal":
        assert f"ОГРН {LEGAL_OGRN}" in text
        assert ("всего 51 600,00 руб. (Пятьдесят одна тысяча шестьсот рублей 00 копеек)" in text)


def test_court_order_applications(rendered):
    person = doc_text(rendered, "person", "court-order")
    assert "Мировому судье судебного участка Кезского района Удмуртской Республики" in person
    assert "Вынести судебный приказ о взыскании с Черных Ольги Викторовны (дата рождения: 12.05.1979" in person
    assert "статьями 121–124 Гражданского процессуального кодекса" in person
    ip = doc_text(rendered, "ip", "court-order")
    assert "о взыскании с индивидуального предпринимателя Петрова Сергея Ивановича" in ip
    assert "229.1–229.3 Арбитражного процессуального кодекса" in ip and "333.37" in ip
    # issue 14 item 12: the line is worded by the core's one naming rule (was «…, подтверждающий направление …»)
    assert "Документ о направлении должнику копии заявления о выдаче судебного приказа с приложениями" in ip


def test_withdrawal_after_payment(rendered):
    text = doc_text(rendered, "legal", "withdrawal")
    assert "об отказе от иска" in text and "статьёй 49 Арбитражного процессуального кодекса" in text
    assert "последний платёж — 20 мая 2026 г., всего уплачено 45 000,00 руб." in text
    assert "прекратить производство по делу № А71-1234/2026" in text
    person = doc_text(rendered, "person", "withdrawal")
    assert "статьёй 39 Гражданского процессуального кодекса" in person and "Мировому судье" in person


def test_bank_bailiffs_and_enforcement_query(rendered):
    bank = doc_text(rendered, "legal", "bank")
    assert "частью 1 статьи 8 Федерального закона от 02.10.2007 № 229-ФЗ" in bank
    assert "40702810468000001234 в Удмуртском отделении № 8618 ПАО Сбербанк" in bank
    assert "исполнительный лист ФС № 045678912" in bank and "46 350,00 руб. (Сорок шесть тысяч триста пятьдесят" in bank
    assert "03100643000000011300" in bank
    bailiffs = doc_text(rendered, "ip", "bailiffs")
    assert "В Кезское РОСП УФССП России по Удмуртской Республике" in bailiffs and "статьи 30" in bailiffs
    assert "о взыскании с индивидуального предпринимателя Петрова Сергея Ивановича" in bailiffs
    query = doc_text(rendered, "person", "enforcement-query")
    assert "исполнительное производство № 12345/26/18045-ИП" in query
    for item in ("1) о мероприятиях", "2) об изменении наименования должника", "3) о сумме непогашенной",
                 "4) о наличии данных об объявлении розыска", "5) об изменении состояния счёта"):
        assert item in query


def test_write_off_decision_and_post_inventory(rendered):
    decision = doc_text(rendered, "legal", "write-off")
    assert "статьёй 47.2 Бюджетного кодекса" in decision and "от 06.05.2016 № 393" in decision
    # БК РФ ст. 47.2 п. 1 пп. 5: the recorded ground alone, with what confirms it (ППРФ № 393, п. 4)
    assert "☒ подпункт 5 — постановление судебного пристава-исполнителя об окончании" in decision
    assert "подпункт 3" not in decision and "☐" not in decision
    assert "— постановление судебного пристава-исполнителя об окончании исполнительного производства и о " \
           "возвращении взыскателю исполнительного документа по пункту 3 или 4" in decision
    assert "от 06.12.2011 № 402-ФЗ" in decision and "И.О. Богданов" in decision
    inventory = doc_text(rendered, "person", "post-inventory", 1)
    assert "ОПИСЬ ВЛОЖЕНИЯ" in inventory and "Ф. 107" in inventory
    assert "426057, Удмуртская Республика, г. Ижевск, ул. Майская, д. 21, кв. 40" in inventory
    assert "Требование (претензия) о погашении просроченной задолженности от 24.11.2026" in inventory


# --- templates and files -----------------------------------------------------------------------

@pytest.fixture
def root(tmp_path):
    return open_root(make_root(tmp_path / "root"))


def user_template(root, name: str, *lines: str) -> Path:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    folder = root.path / template_sources.USER_TEMPLATES
    folder.mkdir(exist_ok=True)
    doc.save(folder / name)
    return folder / name


def test_a_variable_the_document_lacks_is_refused_naming_template_and_variable(root):
    user_template(root, "требование.docx", "Должник: {{ debtor.nme }}")
    with pytest.raises(KezdocsError, match=r"требование\.docx.*шаблоны/.*«debtor\.nme» не определена"):
        render.generate(root, root.find("2026-101"), "claim", TODAY)
    user_template(root, "расчет.docx", "{{ nothing_here }}")
    with pytest.raises(KezdocsError, match="«nothing_here»"):
        render.generate(root, root.find("2026-101"), "расчёт", TODAY)
    assert not (root.find("2026-101").path / GENERATED_DIR).exists()  # never a document with a gap


def test_a_root_template_overrides_the_default(root):
    user_template(root, "расчет.docx", "Наш расчёт по делу {{ case.number }}: {{ sums.total }} руб., {{ debtor.genitive }}")
    sources = {s.name: s for s in template_sources.list_templates(root)}
    assert sources["расчет.docx"].origin == "шаблоны/" and sources["требование.docx"].origin == "по умолчанию"
    path = render.generate(root, root.find("2026-102"), "calculation", TODAY)[0]
    assert text_of(path).startswith("Наш расчёт по делу 2026-102: ")
    assert "Черных Ольги Викторовны" in text_of(path)


def test_templates_check_reports_unknown_variables_and_unused_data(root):
    assert all(r.ok and not r.unknown for r in template_check.check_templates(None))
    user_template(root, "служебная_записка.docx", "{{ head.position_dative }} {{ colour }} {{ debtor.name }}")
    report = {r.source.name: r for r in template_check.check_templates(root)}["служебная_записка.docx"]
    assert report.unknown == ("colour",) and not report.ok
    assert "sums" in report.unused and "head" not in report.unused
    user_template(root, "лишний.docx", "x")
    assert "ни один вид документа" in {r.source.name: r for r in template_check.check_templates(root)}["лишний.docx"].error


def test_an_edited_document_is_kept_and_the_new_one_gets_a_version(root):
    folder = root.find("2026-103")
    first = render.generate(root, folder, "claim", TODAY)[0]
    stamp = first.stat().st_mtime_ns
    assert render.generate(root, folder, "claim", TODAY) == [first]  # unedited, same content: left alone
    assert first.stat().st_mtime_ns == stamp
    edited = Document(str(first))
    edited.add_paragraph("Правка исполнителя")
    edited.save(str(first))
    second = render.generate(root, folder, "claim", TODAY)[0]
    assert second.name == "2026-11-24 Требование (претензия) 2026-103 (2).docx"
    assert "Правка исполнителя" in text_of(first) and "Правка исполнителя" not in text_of(second)
    card_path = folder.path / "дело.yaml"
    card_path.write_text(card_path.read_text(encoding="utf-8").replace('"30 000,00"', '"31 000,00"'), encoding="utf-8")
    third = render.generate(root, root.find("2026-103"), "claim", TODAY)[0]
    assert third == second  # unedited but different content: replaced
    assert "31 000,00" in text_of(second) and "31 000,00" not in text_of(first)


def test_generate_all_writes_what_each_stage_needs_and_reports_what_is_missing(root):
    for name, number, phone in (("2026-201 a", "2026-201", '"+7 1"'), ("2026-202 b", "2026-202", '""'),
                                ("2026-203 c", "2026-203", '"+7 3"')):
        folder = root.path / name
        folder.mkdir()
        text = card("legal", phone=phone).replace('"2026-101"', f'"{number}"')
        text = text.split("события:")[0] + "события: []\n"  # overdue, no claim sent yet
        (folder / "дело.yaml").write_text(text, encoding="utf-8")
    (root.path / "2026-204 broken").mkdir()
    (root.path / "2026-204 broken" / "дело.yaml").write_text("номер: 1\n", encoding="utf-8")
    done = []
    result = render.generate_all(root, "претензия", TODAY, on_progress=done.append, processes=2)
    assert sorted(ref for ref, _ in result.written) == ["2026-201", "2026-203"]
    assert all(len(paths) == 2 for _, paths in result.written)
    skipped = dict(result.skipped)
    assert "телефон ответственного" in skipped["2026-202"]
    assert "в карточке ошибок" in skipped["2026-204 broken"]
    assert "2026-101" in result.not_needed  # in enforcement: no claim now
    assert len(done) == len(root.case_folders())
    everything = render.generate_all(root, "calculation", TODAY, select=False, processes=1)
    assert len(everything.written) == 9


def test_file_names_are_safe_on_windows():
    kind = kinds.KINDS["claim"]
    assert generated.file_name(kind, "2024/017", TODAY, "по ЕГРЮЛ") == "2026-11-24 Требование (претензия) 2024-017 (по ЕГРЮЛ).docx"
    assert generated.file_name(kind, 'a:b*"c"', TODAY) == "2026-11-24 Требование (претензия) a-b--c-.docx"


def test_a_case_folder_may_be_given_by_its_path_and_the_watcher_asks_which_kinds_are_due(root):
    paths = render.generate(root, root.path / "2026-102 person", "служебная", TODAY)
    assert [p.name for p in paths] == ["2026-11-24 Служебная записка 2026-102.docx"]
    assert render.due_kinds(status(stage="overdue")) == ["claim", "calculation", "post-inventory"]
    writ = {"stage": "writ_received", "accounts_known": True}  # read from the record's fields, never from its text
    assert render.due_kinds(status(**writ)) == ["bank"]
    assert render.due_kinds(status(**{**writ, "accounts_known": False})) == ["bailiffs"]
    assert render.due_kinds(status(stage="decision_taken", route_detail={"proceeding": "court-order"})) == \
        ["calculation", "court-order"]


def status(**fields) -> CaseStatus:
    """A case's status with only the fields a test sets (the rest as for a case not yet processed)."""
    return CaseStatus.from_json({"folder": "2026-102 person", **fields})


def test_cli_generate_and_templates(root):
    runner = CliRunner()
    # The route is a court order, so a lawsuit needs --force (ГПК РФ ст. 135 ч. 1 п. 1.1; АПК РФ ст. 148 ч. 1 п. 2.1).
    ok = runner.invoke(main, ["generate", "--root", str(root.path), "--today", "2026-11-24", "2026-101", "иск",
                              "--force"])
    assert ok.exit_code == 0, ok.output
    assert "Исковое заявление 2026-101.docx" in ok.output
    (root.path / "настройки.yaml").write_text(SETTINGS.split("реквизиты:")[0], encoding="utf-8")
    refused = runner.invoke(main, ["generate", "--root", str(root.path), "--today", "2026-11-24", "2026-101", "claim"])
    assert refused.exit_code == 2 and "реквизиты для перечисления" in refused.output
    listed = runner.invoke(main, ["templates", "vars", "--json"])
    assert listed.exit_code == 0 and '"debtor.genitive"' in listed.output


# --- PDF -----------------------------------------------------------------------------------------

# The walk of issue 14: every document of every kind, for a legal entity, an ИП and a citizen, converted to PDF by
# LibreOffice in one call and read back as a court or a debtor reads it.
PROGRAM_WORDS = ("ключевая_ставка.csv", "пересчитайте", "не подтверждена", "дело.yaml", "kezdocs", "--force",
                 "Внимание", "не хватает", "{{", "{%", "None", "Сформировано")
GENITIVE = {"person": "с Черных Ольги Викторовны",  # declined by pytrovich
            "ip": "с индивидуального предпринимателя Петрова Сергея Ивановича",
            "legal": "с ООО «Ромашка & Сыновья» <1>"}  # a legal form in front: not declined
COURT_TO = {"person": "Мировому судье судебного участка Кезского района Удмуртской Республики",
            "ip": "В Арбитражный суд Удмуртской Республики", "legal": "В Арбитражный суд Удмуртской Республики"}
EGRUL = "426000, Удмуртская Республика, г. Ижевск, ул. Пушкина, д. 10"


@pytest.mark.skipif(libreoffice.soffice() is None, reason="LibreOffice (soffice) не установлен: PDF не проверяются")
def test_every_document_of_every_debtor_reads_right_as_pdf(rendered, tmp_path):
    from pypdf import PdfReader

    _, out = rendered
    files = [path for paths in out.values() for path in paths]
    pdfs = libreoffice.convert_to_pdf(files, tmp_path)
    assert [p.stem for p in pdfs] == [p.stem for p in files]
    read = {path: " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\u00a0", " ")
                           .split()) for path, pdf in zip(files, pdfs)}
    text = {key: [read[path] for path in paths] for key, paths in out.items()}
    for (debtor, code), copies in text.items():
        for copy in copies:
            assert [w for w in PROGRAM_WORDS if w in copy] == [], (debtor, code)  # legal text only (item 11)
            assert "договор аренды 12-2025" not in copy  # no file name of the folder (item 12)
    for debtor in NUMBERS:
        lawsuit, order = text[debtor, "lawsuit"][0], text[debtor, "court-order"][0]
        for paper in (lawsuit, order):
            assert paper.startswith(COURT_TO[debtor])  # the court of the route (ГПК РФ ст. 23, АПК РФ ст. 27)
            assert GENITIVE[debtor] in paper  # «Взыскать с …»
            # ГПК РФ ст. 131, АПК РФ ст. 125: the creditor in the genitive, «в пользу истца — Администрации …»
            assert "— Администрации муниципального образования «Муниципальный округ Кезский район" in paper
            # item 12: the basis named by its kind and the card's details, never by the file
            assert "Копия договора аренды земельного участка № 12/2025 от 10.01.2025" in paper
        # item 14: land rent cites ГК РФ ст. 606, 614 and ЗК РФ ст. 39.7, 65; the demand to the day of payment
        assert "606, 614 Гражданского кодекса Российской Федерации" in lawsuit
        assert "39.7, 65 Земельного кодекса Российской Федерации" in lawsuit
        assert "по день фактической уплаты" in lawsuit
        assert ("Арбитражного процессуального кодекса" in lawsuit) is (debtor != "person")
    # item 6: a company is at its ЕГРЮЛ address in court and enforcement papers; the contract's follows as extra
    for code in ("lawsuit", "court-order", "bank", "bailiffs"):
        assert EGRUL in text["legal", code][0]
    assert f"место нахождения: {EGRUL}" in text["legal", "lawsuit"][0]
    assert "адрес по договору: 427550, Удмуртская Республика, п. Кез, ул. Кирова, д. 1" in text["legal", "lawsuit"][0]
    # item 13: the claim asks for two payments, the principal and the penalty, to two КБК
    claim = text["legal", "claim"][0]
    assert "00011105012140000120" in claim and "Платёж 2" in claim
    # item 10: the bank and the ФССП division get a postal address
    assert "426033, Удмуртская Республика, г. Ижевск, ул. Карла Маркса, д. 290" in text["legal", "bank"][0]
    assert "427580, п. Кез, ул. Кирова, д. 11" in text["ip", "bailiffs"][0]
    assert "ТРЕБОВАНИЕ (ПРЕТЕНЗИЯ)" in claim and "ОПИСЬ ВЛОЖЕНИЯ" in text["person", "post-inventory"][0]
    # item 1: due 10.01.2026, a Saturday — payable on Monday 12.01, the penalty from 13.01 (ГК РФ ст. 193), and
    # the calculation says so in its method
    calc = text["legal", "calculation"][0]
    assert "13.01.2026" in calc and "11.01.2026" not in calc
    assert "статья 193 Гражданского кодекса Российской Федерации" in calc


def test_pdf_without_libreoffice_says_so_in_russian(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    source = tmp_path / "a.docx"
    source.write_bytes(b"x")
    with pytest.raises(KezdocsError, match="LibreOffice.*не установлен"):
        libreoffice.convert_to_pdf([source])
