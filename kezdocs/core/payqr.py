"""The payment QR code of ГОСТ Р 56042-2014 that Russian bank apps read.

Pure: the payment string is built from the payment details, and the PNG is
made in memory by segno. The string is «ST00012» (format 0001, encoding 2 =
UTF-8) followed by «|Key=Value» pairs; a value may not contain «|», so any is
replaced by «/», and values are cut (at a word boundary) to the lengths the
standard allows.
"""
from __future__ import annotations

import io
from decimal import Decimal

import segno

from kezdocs.core.money import kopecks
from kezdocs.core.settings import PaymentDetails

HEADER = "ST00012"

# Maximum value lengths (ГОСТ Р 56042-2014, табл. 1 and 2).
_LIMITS = {"Name": 160, "PersonalAcc": 20, "BankName": 45, "BIC": 9, "CorrespAcc": 20, "PayeeINN": 12,
           "KPP": 9, "CBC": 20, "OKTMO": 11, "Sum": 18, "Purpose": 210, "UIN": 25}


def payment_string(details: PaymentDetails, kbk: str, amount: Decimal, purpose: str, uin: str | None = None) -> str:
    """The text of the QR code: the required fields first, then the budget payment fields.

    `amount` is in roubles; the string carries kopecks («Sum=1234556» for 12 345,56).
    """
    pairs = [
        ("Name", details.recipient), ("PersonalAcc", details.treasury_account), ("BankName", details.bank),
        ("BIC", details.bik), ("CorrespAcc", details.ecs), ("PayeeINN", details.inn), ("KPP", details.kpp),
        ("CBC", kbk), ("OKTMO", details.oktmo), ("Sum", str(int(kopecks(amount) * 100))),
        ("Purpose", purpose), ("UIN", uin),
    ]
    return HEADER + "".join(f"|{key}={_clean(value, _LIMITS[key])}" for key, value in pairs if value)


def _clean(value: str, limit: int) -> str:
    """One line without «|», cut to the limit at a word boundary (the bank is known by its БИК anyway)."""
    text = " ".join(str(value).replace("|", "/").split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return (cut.rsplit(" ", 1)[0] if text[limit] != " " and " " in cut else cut).rstrip()


def qr_png(text: str, scale: int = 4) -> bytes:
    """A PNG of the QR code (error correction M, quiet zone of 4 modules, as scanners expect)."""
    buffer = io.BytesIO()
    segno.make(text, error="m", encoding="utf-8", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
