"""The ГОСТ Р 56042-2014 payment string and its QR code, read back by a barcode reader."""
import io
from dataclasses import replace
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image

from kezdocs.core import payqr, samples
from kezdocs.core.settings import PaymentDetails

DETAILS = PaymentDetails(
    recipient="УФК по Удмуртской Республике (Администрация Кезского района)", inn="1831000001", kpp="183101001",
    treasury_account="03100643000000011300", ecs="40102810545370000081", bik="019401100",
    bank="ОТДЕЛЕНИЕ-НБ УДМУРТСКАЯ РЕСПУБЛИКА БАНКА РОССИИ//УФК по Удмуртской Республике г. Ижевск", oktmo="94626000",
)


def test_payment_string_has_the_fields_in_order_and_the_sum_in_kopecks():
    text = payqr.payment_string(DETAILS, "00011105012140000120", Decimal("12345.56"), "Аренда № 12", "18810000000000000012")
    assert text == (
        "ST00012|Name=УФК по Удмуртской Республике (Администрация Кезского района)"
        "|PersonalAcc=03100643000000011300|BankName=ОТДЕЛЕНИЕ-НБ УДМУРТСКАЯ РЕСПУБЛИКА БАНКА"
        "|BIC=019401100|CorrespAcc=40102810545370000081|PayeeINN=1831000001|KPP=183101001"
        "|CBC=00011105012140000120|OKTMO=94626000|Sum=1234556|Purpose=Аренда № 12|UIN=18810000000000000012"
    )


def test_no_uin_field_without_a_uin_and_whole_roubles_in_kopecks():
    text = payqr.payment_string(DETAILS, "00011105012140000120", Decimal("8400"), "x")
    assert "UIN" not in text
    assert "|Sum=840000|" in text


def test_a_separator_in_a_value_is_replaced_and_long_values_are_cut_at_a_word():
    text = payqr.payment_string(DETAILS, "00011105012140000120", Decimal("1"), "оплата|по  договору " + "слово " * 60)
    purpose = text.split("|Purpose=")[1]
    assert purpose.startswith("оплата/по договору слово")
    assert 200 < len(purpose) <= 210
    assert purpose.endswith(" слово")


def test_the_qr_code_reads_back_to_the_exact_payment_string():
    text = payqr.payment_string(DETAILS, "00011105012140000120", Decimal("51630.00"),
                                "Погашение задолженности: Договор аренды № 12/2025 от 10.01.2025; дело № 2026-101")
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(payqr.qr_png(text))))
    assert [r.text for r in found] == [text]


def test_the_short_bank_name_is_used_as_it_is_and_the_full_one_is_cut_at_a_word():
    # ГОСТ Р 56042-2014: BankName ≤ 45 characters; the settings' «банк_кратко» goes in whole, else whole words only
    short = payqr.payment_string(replace(DETAILS, bank_short="ОТДЕЛЕНИЕ-НБ УДМУРТСКАЯ РЕСПУБЛИКА"), "1", Decimal("1"), "x")
    assert "|BankName=ОТДЕЛЕНИЕ-НБ УДМУРТСКАЯ РЕСПУБЛИКА|" in short
    assert "|BankName=ОТДЕЛЕНИЕ-НБ УДМУРТСКАЯ РЕСПУБЛИКА БАНКА|" in payqr.payment_string(DETAILS, "1", Decimal("1"), "x")


RENT, PENALTY, UIN = "00011105012140000120", "00011607090140000140", "18810000000000000012"


@pytest.mark.parametrize("penalty, fines, kbks, expected", [
    # by the instructions on applying КБК a penalty or fine under a contract is its own income (1 16 07090): the
    # principal keeps the income КБК and the charge's УИН, the penalty and fines go together to theirs, no УИН
    ("10100", "1500", ((RENT, PENALTY),), [("principal", RENT, "40000", UIN), ("sanctions", PENALTY, "11600", None)]),
    ("0", "0", ((RENT, PENALTY),), [("principal", RENT, "40000", UIN)]),  # nothing else owed: one payment
    # no penalty КБК known: one payment of everything (a claim is refused then, see core/missing.py)
    ("10100", "0", (), [("principal", RENT, "50100", UIN)]),
    ("10100", "0", (("00011105035140000120", PENALTY),), [("principal", RENT, "50100", UIN)]),
])
def test_transfers_split_the_principal_from_the_penalty_and_fines(penalty, fines, kbks, expected):
    case = replace(samples.sample_case(), fines=Decimal(fines))
    settings = replace(samples.sample_settings(), penalty_kbks=kbks)
    found = payqr.transfers(case, settings, Decimal("40000"), Decimal(penalty))
    assert [(t.part, t.kbk, t.amount, t.uin) for t in found] == [(p, k, Decimal(a), u) for p, k, a, u in expected]
