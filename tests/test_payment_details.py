"""Payment details (issue 14, item 13): the principal and the penalty are two payments to two КБК, each with its own
QR code (ГОСТ Р 56042-2014); the bank's name in a QR code is cut at a word, or is the short name of the settings.

The legal reason: by the instructions on applying budget classification codes (по указаниям о порядке применения
КБК) a penalty or fine under a contract is an income of its own (1 16 07090 …), not the rent's (1 11 05012 …); ГИС
ГМП matches a payment to its charge by КБК and УИН, so one sum of rent and penalty to the rent's КБК and УИН is not
matched. Claims are rendered from the sample facts through the shipped templates and read back (python-docx,
zxingcpp), so the template, the core and the sandbox are checked together.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
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
from kezdocs.core import payqr, samples
from kezdocs.core.documents import build, purpose
from kezdocs.core.keyrates import KeyRates
from kezdocs.core.kinds import KINDS
from kezdocs.core.missing import missing
from kezdocs.core.model import PenaltyMethod, PenaltyTerms
from kezdocs.core.penalty import calculate
from kezdocs.core.settings import PaymentDetails, parse_settings, penalty_kbk
from kezdocs.folders.casefolder import settings_template
from kezdocs.paperwork.sandbox import render_bytes
from kezdocs.paperwork.template_sources import find_template

RENT = "00011105012140000120"  # 000 1 11 05012 14 0000 120: rent of land (the sample case's income)
PENALTY = "00011607090140000140"  # 000 1 16 07090 14 0000 140: penalties under contracts
UIN = "18810000000000000012"
FULL_BANK = "ОТДЕЛЕНИЕ-НБ УДМУРТСКАЯ РЕСПУБЛИКА БАНКА РОССИИ//УФК по Удмуртской Республике г. Ижевск"
NBSP = "\u00a0"
LEGAL_INN = "183100000" + stdnum_inn.calc_company_check_digit("183100000")


def facts(method=PenaltyMethod.PERCENT, fines="0", uin=UIN, penalty_kbks=((RENT, PENALTY),)):
    """The sample case (principal 40 000,00; a 0,1 % penalty of 10 100,00) with the changes a row asks for."""
    base = samples.sample_facts()
    terms = PenaltyTerms(method, Decimal("0.1")) if method is PenaltyMethod.PERCENT else PenaltyTerms(method)
    case = replace(base.case, penalty=terms, fines=Decimal(fines), uin=uin)
    calc = calculate(case.charges, case.payments, case.penalty, base.today, KeyRates([]))
    return replace(base, case=case, calc=calc, settings=replace(base.settings, penalty_kbks=penalty_kbks))


def rendered(kind: str, f) -> bytes:
    """The first document of `kind` filled from the shipped template (what `generate` writes, without a root)."""
    doc = build(KINDS[kind], f)[0]
    return render_bytes(find_template(None, doc.template), doc.context)


def text_of(data: bytes) -> str:
    body = Document(io.BytesIO(data)).element.body
    lines = ("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    return "\n".join(line for line in lines if line).replace(NBSP, " ")


def codes_of(data: bytes) -> list[dict[str, str]]:
    """Every QR code of the document decoded back, as its fields, in the order of the pictures."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        for name in sorted(n for n in docx.namelist() if n.startswith("word/media/")):
            for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(docx.read(name)))):
                header, *pairs = result.text.split("|")
                assert header == payqr.HEADER
                found.append(dict(pair.split("=", 1) for pair in pairs))
    return found


# --- the claim: two sums, two КБК, two QR codes ------------------------------------------------------------

@pytest.mark.parametrize("method, fines, uin, expected, label", [
    # penalty and fines: the principal with the charge's УИН to the rent's КБК; 10 100 + 1 500 to the penalty КБК
    (PenaltyMethod.PERCENT, "1500", UIN, [("4000000", RENT, UIN), ("1160000", PENALTY, None)],
     "пени и штрафные санкции"),
    # a penalty alone goes to the penalty КБК too, and the УИН stays with the charge it identifies
    (PenaltyMethod.PERCENT, "0", UIN, [("4000000", RENT, UIN), ("1010000", PENALTY, None)], "пени"),
    # fines under the contract without a penalty: the same КБК of sanctions
    (PenaltyMethod.NONE, "1500", UIN, [("4000000", RENT, UIN), ("150000", PENALTY, None)], "штрафные санкции"),
    # the card has no УИН: neither code carries one (the standard's field is left out, never empty)
    (PenaltyMethod.PERCENT, "0", None, [("4000000", RENT, None), ("1010000", PENALTY, None)], "пени"),
])
def test_the_claim_gives_the_principal_and_the_penalty_as_two_payments(method, fines, uin, expected, label):
    f = facts(method, fines, uin)
    data = rendered("claim", f)
    codes = codes_of(data)
    assert [(c["Sum"], c["CBC"], c.get("UIN")) for c in codes] == expected
    # the code carries plain spaces where the document keeps «№ 12» together with a no-break space
    assert codes[0]["Purpose"] == purpose(f.case).replace(NBSP, " ")
    genitive = {"пени": "пени", "штрафные санкции": "штрафных санкций",
                "пени и штрафные санкции": "пени и штрафных санкций"}[label]
    assert codes[1]["Purpose"] == purpose(f.case, genitive).replace(NBSP, " ")
    assert codes[1]["Purpose"].startswith(f"Уплата {genitive}: Договор аренды земельного участка № 12/2025")
    text = text_of(data)
    assert "Реквизиты для перечисления (задолженность уплачивается двумя платежами на разные КБК):" in text
    first, second = (f"{int(s) // 100:,}".replace(",", " ") + f",{int(s) % 100:02d} руб." for s, _, _ in expected)
    assert f"Платёж 1 — основной долг\n{first}\nКБК\n{RENT}" in text
    assert f"Платёж 2 — {label}\n{second}\nКБК\n{PENALTY}\nНазначение платежа" in text  # no УИН row for it
    assert f"QR-код платежа 2 ({label})" in text


def test_a_claim_without_penalty_or_fines_keeps_one_sum_and_one_code():
    # nothing to pay beyond the principal: one payment, exactly as before, even with no penalty КБК in the settings
    f = facts(PenaltyMethod.NONE, "0", penalty_kbks=())
    assert missing(KINDS["claim"], f) == []
    data = rendered("claim", f)
    assert [(c["Sum"], c["CBC"], c.get("UIN")) for c in codes_of(data)] == [("4000000", RENT, UIN)]
    text = text_of(data)
    assert "Реквизиты для перечисления:" in text and "Сумма платежа\n40 000,00 руб." in text
    assert "Платёж" not in text and PENALTY not in text
    assert "QR-код для оплаты в мобильном приложении банка (ГОСТ Р 56042-2014) на сумму 40 000,00 руб." in text


def test_the_decoded_codes_are_the_exact_payment_strings():
    f = facts(fines="1500")
    with zipfile.ZipFile(io.BytesIO(rendered("claim", f))) as docx:
        images = sorted(n for n in docx.namelist() if n.startswith("word/media/"))
        found = [r.text for n in images for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(docx.read(n))))]
    details = f.settings.payment
    assert found == [
        payqr.payment_string(details, RENT, Decimal("40000.00"), purpose(f.case), UIN),
        payqr.payment_string(details, PENALTY, Decimal("11600.00"), purpose(f.case, "пени и штрафных санкций")),
    ]


@pytest.mark.parametrize("method, fines, penalty_kbks, refused", [
    # a penalty and no penalty КБК: refused with where to write it (one sum to the rent's КБК would not be matched)
    (PenaltyMethod.PERCENT, "0", (), True),
    (PenaltyMethod.NONE, "1500", (), True),  # fines alone need it as well
    (PenaltyMethod.PERCENT, "0", (("00011105035140000120", PENALTY),), True),  # given for another income only
    (PenaltyMethod.PERCENT, "1500", ((RENT, PENALTY),), False),
    (PenaltyMethod.NONE, "0", (), False),  # nothing but the principal: one payment needs no penalty КБК
])
def test_the_claim_needs_the_penalty_kbk_of_its_income(method, fines, penalty_kbks, refused):
    found = [m for m in missing(KINDS["claim"], facts(method, fines, penalty_kbks=penalty_kbks)) if "КБК" in m]
    assert found == ([f"КБК пеней для кода дохода {RENT} (настройки: «кбк_пеней»)"] if refused else [])


# --- the bank and the ФССП: the взыскатель's details name both КБК --------------------------------------------

@pytest.mark.parametrize("kind", ["bank", "bailiffs"])
@pytest.mark.parametrize("penalty_kbks, rows", [
    # the writ covers the principal and the penalty, each credited to its own КБК: the details the collected sums
    # are sent to (229-ФЗ ст. 8 ч. 2, ст. 30 ч. 2) name both
    (((RENT, PENALTY),), [f"КБК (основной долг)\n{RENT}\nКБК (пени)\n{PENALTY}\nУИН (основной долг)\n{UIN}"]),
    ((), [f"КБК\n{RENT}\nУИН\n{UIN}"]),  # no penalty КБК known: the one КБК of the income, as before
])
def test_enforcement_applications_name_both_kbk(kind, penalty_kbks, rows):
    text = text_of(rendered(kind, facts(penalty_kbks=penalty_kbks)))
    for row in rows:
        assert row in text
    assert ("основной долг" in text) is bool(penalty_kbks)
    assert FULL_BANK in text  # the full bank name stays in the tables


# --- the bank's name in the QR code --------------------------------------------------------------------------

@pytest.mark.parametrize("bank", [
    FULL_BANK,
    "ОТДЕЛЕНИЕ-НБ РЕСПУБЛИКА ТАТАРСТАН БАНКА РОССИИ//УФК по Республике Татарстан г. Казань",
    "ОТДЕЛЕНИЕ ИЖЕВСК БАНКА РОССИИ//УФК по Удмуртской Республике г. Ижевск",
    "СЕВЕРО-ЗАПАДНОЕ ГЛАВНОЕ УПРАВЛЕНИЕ ЦЕНТРАЛЬНОГО БАНКА РОССИЙСКОЙ ФЕДЕРАЦИИ//УФК по г. Санкт-Петербургу",
    "ОТДЕЛЕНИЕ ТУЛА БАНКА РОССИИ//УФК по Тульской области, г Тула",
    "ПАО СБЕРБАНК",  # short enough: as it is
])
def test_the_bank_name_is_never_cut_inside_a_word(bank):
    # ГОСТ Р 56042-2014 allows 45 characters; the payer's app shows the name, a half word looks like a wrong detail
    text = payqr.payment_string(PaymentDetails(recipient="УФК", bank=bank), RENT, Decimal("1"), "x")
    name = text.split("|BankName=")[1].split("|")[0]
    assert 0 < len(name) <= 45 and bank.startswith(name)
    rest = bank[len(name):] + " "  # a whole name ends at the end; a cut one, before a space, «/» or punctuation
    assert not rest[0].isalnum()
    assert name[-1] not in " /,("


def test_the_short_bank_name_of_the_settings_goes_into_the_code_and_the_full_one_into_the_table():
    f = facts()
    short = replace(f.settings.payment, bank_short="ОТДЕЛЕНИЕ-НБ УДМУРТСКАЯ РЕСПУБЛИКА")
    data = rendered("claim", replace(f, settings=replace(f.settings, payment=short)))
    assert {c["BankName"] for c in codes_of(data)} == {"ОТДЕЛЕНИЕ-НБ УДМУРТСКАЯ РЕСПУБЛИКА"}
    assert FULL_BANK in text_of(data)


# --- the settings ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("section, line, message", [
    (f'кбк_пеней:\n  "0001110501214000012": "{PENALTY}"\n', 2,
     "«кбк_пеней»: код дохода «0001110501214000012» должен состоять из 20 цифр (в нём 19)"),
    (f'кбк_пеней:\n  "{RENT}": "0001160709014000014"\n', 2,
     f"«кбк_пеней»: КБК пеней «0001160709014000014» для кода дохода {RENT} должен состоять из 20 цифр (в нём 19)"),
    (f'кбк_пеней:\n  "{RENT}": "{RENT}"\n', 2,
     f"«кбк_пеней»: КБК пеней для кода дохода {RENT} совпадает с самим кодом дохода — пени и штрафы зачисляются "
     "на свой КБК (группа 1 16)"),
    # penalties are income group 1 16 (штрафы, санкции, возмещение ущерба), never rent or services
    (f'кбк_пеней:\n  "{RENT}": "00011301994140000130"\n', 2,
     f"«кбк_пеней»: КБК пеней 00011301994140000130 для кода дохода {RENT} — не код группы 1 16 «Штрафы, санкции, "
     "возмещение ущерба» (цифры 4–6 — «113», а нужно «116»)"),
    (f'кбк_пеней:\n  "{RENT}": "{PENALTY}"\n  "000 1 11 05012 14 0000 120": "{PENALTY}"\n', 3,
     f"«кбк_пеней»: код дохода {RENT} указан дважды; используется первая строка"),
    (f'кбк_пеней: "{PENALTY}"\n', 1, "в поле «кбк_пеней» нужны строки «\"КБК дохода\": \"КБК пеней\"» — по 20 цифр"),
    ('реквизиты:\n  банк: "Банк"\n  банк_кратко: "ОТДЕЛЕНИЕ-НБ УДМУРТСКАЯ РЕСПУБЛИКА БАНКА РОССИИ"\n', 3,
     "«реквизиты.банк_кратко»: «ОТДЕЛЕНИЕ-НБ УДМУРТСКАЯ РЕСПУБЛИКА БАНКА РОССИИ» — 47 знаков, а в QR-коде платежа "
     "(ГОСТ Р 56042-2014) наименование банка — не более 45; сократите его, пока используется полное наименование, "
     "сокращённое по целым словам"),
])
def test_settings_problems_name_the_file_and_the_line(section, line, message):
    settings, problems = parse_settings(section, "настройки.yaml")
    assert [str(p) for p in problems] == [f"настройки.yaml:{line}: {message}"]
    assert settings.payment.bank_short is None
    if "дважды" not in message:
        assert penalty_kbk(settings, RENT) is None  # a wrong pair is not used


@pytest.mark.parametrize("section, income, expected", [
    (f'кбк_пеней:\n  "{RENT}": "{PENALTY}"\n', RENT, PENALTY),
    # written with spaces as the budget documents group the code: read as its 20 digits
    ('кбк_пеней:\n  000 1 11 05012 14 0000 120: "000 1 16 07090 14 0000 140"\n', RENT, PENALTY),
    (f'кбк_пеней: {{"{RENT}": "{PENALTY}"}}\n', RENT, PENALTY),
    (f'кбк_пеней:\n  "{RENT}": "{PENALTY}"\n', "00011105035140000120", None),  # another income: not guessed
])
def test_the_penalty_kbk_is_read_per_income_code(section, income, expected):
    settings, problems = parse_settings(section)
    assert problems == [] and penalty_kbk(settings, income) == expected


def test_the_settings_template_gives_a_short_bank_name_and_the_penalty_kbk_of_every_income_of_the_demo():
    settings, problems = parse_settings(settings_template())
    assert problems == []
    assert settings.payment.bank_short == "ОТДЕЛЕНИЕ-НБ УДМУРТСКАЯ РЕСПУБЛИКА"
    for income in (RENT, "00011105035140000120", "00011301994140000130"):
        assert penalty_kbk(settings, income) == PENALTY


# --- `generate claim` refuses, and says where to write the КБК --------------------------------------------------

CARD = f"""номер: "2026-201"
администратор: Управление территориального развития
ответственный: {{фио: Иванова Мария Петровна, телефон: "+7 (34158) 3-12-34"}}
должник:
  тип: юрлицо
  наименование: ООО «Вектор»
  инн: "{LEGAL_INN}"
  адреса:
    - {{вид: по договору, адрес: "427550, Удмуртская Республика, п. Кез, ул. Кирова, д. 1"}}
основание:
  документ: Договор аренды земельного участка
  номер: 12/2025
  дата: 10.01.2025
код_дохода: "{RENT}"
уин: "{UIN}"
неустойка: {{способ: процент в день, ставка: 0.1}}
начисления:
  - {{период: I квартал 2026, сумма: "15 000,00", срок_уплаты: 10.01.2026}}
"""


def test_generate_claim_is_refused_without_the_penalty_kbk_and_written_with_it(tmp_path: Path):
    template = settings_template()
    without = re.sub(r"(?m)^кбк_пеней:\n(?:  .*\n)+", "", template)  # the same settings without the section
    assert parse_settings(without)[0].penalty_kbks == () and parse_settings(without)[1] == []
    (tmp_path / "настройки.yaml").write_text(without, encoding="utf-8")
    (tmp_path / "2026-201 ООО Вектор").mkdir()
    (tmp_path / "2026-201 ООО Вектор" / "дело.yaml").write_text(CARD, encoding="utf-8")
    args = ["generate", "--root", str(tmp_path), "--today", "2026-11-24", "2026-201", "claim"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2
    assert f"КБК пеней для кода дохода {RENT} (настройки: «кбк_пеней»)" in refused.output
    (tmp_path / "настройки.yaml").write_text(template, encoding="utf-8")
    written = CliRunner().invoke(main, args)
    assert written.exit_code == 0, written.output
    claim = next((tmp_path / "2026-201 ООО Вектор").rglob("*Требование*.docx"))
    assert [(c["CBC"], c.get("UIN")) for c in codes_of(claim.read_bytes())] == [(RENT, UIN), (PENALTY, None)]
