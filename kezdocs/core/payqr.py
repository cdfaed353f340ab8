"""The payments a debtor makes and their QR codes of ГОСТ Р 56042-2014 that Russian bank apps read.

Pure: `transfers` splits what the debtor owes into payments (the principal to
the income КБК with the charge's УИН; the penalty and fines to their own КБК);
the payment string is built from the payment details, and the PNG is made in
memory by segno. The string is «ST00012» (format 0001, encoding 2 = UTF-8)
followed by «|Key=Value» pairs; a value may not contain «|», so any is
replaced by «/», and values are cut (at a word boundary) to the lengths the
standard allows.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

import segno

from kezdocs.core.model import Case
from kezdocs.core.money import ZERO, kopecks
from kezdocs.core.settings import PaymentDetails, Settings, penalty_kbk

PRINCIPAL, SANCTIONS = "principal", "sanctions"


@dataclass(frozen=True)
class Transfer:
    """One payment the debtor makes: a sum to one КБК, with the charge's УИН for the principal only."""

    part: str  # PRINCIPAL or SANCTIONS (the penalty or interest and the fines)
    kbk: str
    amount: Decimal
    uin: str | None = None


def transfers(case: Case, settings: Settings, principal: Decimal, penalty: Decimal) -> list[Transfer]:
    """What the debtor pays, payment by payment: the principal to the income КБК with the charge's УИН, the penalty
    (or interest) and the fines together to the penalty КБК of the settings, without a УИН (the card gives one only
    for the charge).

    Two payments, because ГИС ГМП matches a payment to its charge by the КБК and the УИН and a penalty is its own
    income (`settings.penalty_kbk`, по указаниям о порядке применения КБК). With no penalty and no fines, or with
    no penalty КБК in the settings, one payment of everything to the income КБК — a document that asks the debtor
    to pay is refused in that last case (`missing`), so only the bank and ФССП details ever show it.
    """
    sanctions = penalty + case.fines
    target = penalty_kbk(settings, case.kbk)
    if sanctions <= ZERO or target is None:
        return [Transfer(PRINCIPAL, case.kbk, principal + max(sanctions, ZERO), case.uin)]
    parts = [Transfer(PRINCIPAL, case.kbk, principal, case.uin), Transfer(SANCTIONS, target, sanctions)]
    return [t for t in parts if t.amount > ZERO]

HEADER = "ST00012"

# Maximum value lengths (ГОСТ Р 56042-2014, табл. 1 and 2).
_LIMITS = {"Name": 160, "PersonalAcc": 20, "BankName": 45, "BIC": 9, "CorrespAcc": 20, "PayeeINN": 12,
           "KPP": 9, "CBC": 20, "OKTMO": 11, "Sum": 18, "Purpose": 210, "UIN": 25}


def payment_string(details: PaymentDetails, kbk: str, amount: Decimal, purpose: str, uin: str | None = None) -> str:
    """The text of the QR code: the required fields first, then the budget payment fields.

    `amount` is in roubles; the string carries kopecks («Sum=1234556» for 12 345,56). The bank is the short name
    of the settings (`банк_кратко`), else the full one cut to 45 characters at a word (`_clean`).
    """
    pairs = [
        ("Name", details.recipient), ("PersonalAcc", details.treasury_account),
        ("BankName", details.bank_short or details.bank),
        ("BIC", details.bik), ("CorrespAcc", details.ecs), ("PayeeINN", details.inn), ("KPP", details.kpp),
        ("CBC", kbk), ("OKTMO", details.oktmo), ("Sum", str(int(kopecks(amount) * 100))),
        ("Purpose", purpose), ("UIN", uin),
    ]
    return HEADER + "".join(f"|{key}={_clean(value, _LIMITS[key])}" for key, value in pairs if value)


def _clean(value: str, limit: int) -> str:
    """One line without «|», cut to the limit at a word boundary, never inside a word.

    The standard limits each value (BankName to 45 characters, Purpose to 210). A bank app shows the payer these
    values before the payment is confirmed: a bank name cut inside a word («…БАНКА РОСС») looks like a wrong
    detail and makes the payer doubt the whole code, while whole words lose nothing — the bank itself is
    identified by its БИК. So the cut falls at the last space or «/» within the limit (the treasury writes its
    bank as «…БАНКА РОССИИ//УФК по …»), with the separator and a dangling punctuation mark dropped. Only a
    single word longer than the limit, which no real name has, is cut where the limit falls.
    """
    text = " ".join(str(value).replace("|", "/").split())
    if len(text) <= limit:
        return text
    ends = [i for i in range(1, limit + 1) if text[i] in " /" and text[i - 1] not in " /"]
    if not ends:
        return text[:limit]
    return text[:ends[-1]].rstrip(" /,;:-–—(")


def qr_png(text: str, scale: int = 4) -> bytes:
    """A PNG of the QR code (error correction M, quiet zone of 4 modules, as scanners expect)."""
    buffer = io.BytesIO()
    segno.make(text, error="m", encoding="utf-8", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
