"""The documents kezdocs writes: their kinds, and the data each one is rendered from.

Pure: a `Case`, the `Settings`, the penalty `Calculation` and the stage
`Assessment` come in; plain dictionaries of display-ready Russian text come
out (dates «18 мая 2023 г.», amounts «15 000,00» and in words, names in the
case the sentence needs). The templates only place that text; `render` is the
shell that finds a template, fills it and writes the file.

A template sees the common groups (`COMMON`) and the groups its kind lists,
nothing else, so `kezdocs templates check` can tell which data a template
leaves out. Every variable is documented in `VARIABLES`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kezdocs.core import basis_kinds, claimlaw, courts, parties, payqr, writeoff
from kezdocs.core.attachments import attachments, penalty_genitive
from kezdocs.core.facts import Facts, format_rub
from kezdocs.core.keyrates import percent_text
from kezdocs.core.kinds import Kind
from kezdocs.core.ledger import allocate
from kezdocs.core.model import Address, Basis, Case, DebtorType, PenaltyMethod
from kezdocs.core.money import ZERO, in_words
from kezdocs.core.russian import count_text, date_short, date_text, organisation_genitive
from kezdocs.core.settings import penalty_kbk

COMMON = ("doc", "org", "case", "debtor", "signer", "executor")


@dataclass(frozen=True)
class Document:
    """One document to write: the file name suffix (the address of a per-address copy) and its data."""

    suffix: str
    template: str
    context: dict


def build(kind: Kind, facts: Facts) -> list[Document]:
    """The data of each document of `kind` for the case: one per address for the per-address kinds."""
    case = facts.case
    template = kind.template_for(case.debtor.type)
    base = {name: _GROUPS[name](kind, facts) for name in COMMON + kind.groups}
    if not kind.per_address:
        return [Document("", template, base)]
    copies = _address_copies(case.debtor.addresses)
    return [Document(suffix if len(copies) > 1 else "", template, {**base, "address": address})
            for suffix, address in copies]


def _address_copies(addresses: tuple[Address, ...]) -> list[tuple[str, dict]]:
    """One copy per distinct address (п. 4.5); the same text under two kinds goes once, naming both kinds."""
    merged: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for a in addresses:
        key = " ".join(a.text.lower().replace(",", " ").split())
        merged.setdefault(key, []).append(a.kind)
        texts.setdefault(key, a.text)
    return [(", ".join(kinds), {"kind": ", ".join(kinds), "text": texts[key]}) for key, kinds in merged.items()]


def _doc(kind: Kind, facts: Facts) -> dict:
    return {"title": kind.full_title, "date": date_text(facts.today), "date_short": date_short(facts.today)}


def _org(kind: Kind, facts: Facts) -> dict:
    s = facts.settings
    return {"name": s.name, "genitive": organisation_genitive(s.name), "short_name": s.short_name, "address": s.address or "", "phone": s.phone or "",
            "email": s.email or "", "inn": s.inn or "", "ogrn": s.ogrn or "",
            "ids": ", ".join(f"{label} {value}" for label, value in (("ИНН", s.inn), ("ОГРН", s.ogrn)) if value)}


def _case(kind: Kind, facts: Facts) -> dict:
    c = facts.case
    return {"number": c.number, "administrator": c.administrator, "kbk": c.kbk, "uin": c.uin or ""}


def _basis(kind: Kind, facts: Facts) -> dict:
    return basis_dict(facts.case.basis, facts.case.kbk)


def basis_dict(b: Basis, kbk: str | None = None) -> dict:
    """The basis as documents cite one another: «Договор аренды № 12/2023 от 10.01.2023» (a non-breaking space
    after «№»); its kind (the card's, else the КБК's: `basis_kinds.kind_of`), the object and the clauses of the card."""
    parts = ([b.document] + ([f"№\u00a0{b.number}"] if b.number else [])
             + ([f"от {date_short(b.date)}"] if b.date else []))
    kind = basis_kinds.kind_of(b, kbk)
    obj = b.object
    return {"document": b.document, "number": b.number or "", "date": date_short(b.date) if b.date else "",
            "text": " ".join(parts), "kind": basis_kinds.kind_name(kind),
            "object": {"cadastral_number": (obj and obj.cadastral_number) or "",
                       "area": basis_kinds.area_text(obj.area) if obj else "", "address": (obj and obj.address) or "",
                       "text": basis_kinds.object_text(b, kind)},
            "clauses": {"rent": b.rent_clause or "", "penalty": b.penalty_clause or ""}}


def _law(kind: Kind, facts: Facts) -> dict:
    """What a claim in court cites and demands beyond the sums: the articles of the basis's kind
    (`basis_kinds.LAWS`), the contract's clauses, the penalty until payment, a cancelled court order (`claimlaw`)."""
    case, calc = facts.case, facts.calc
    basis_kind = basis_kinds.kind_of(case.basis, case.kbk)
    label, _, article, _ = _METHOD[case.penalty.method]
    until_paid = claimlaw.until_paid(case.penalty, label, calc.principal, facts.today)
    # the penalty clause is cited for a contractual penalty only: the interest of ГК РФ ст. 395 is the law's
    contractual = case.penalty.method in (PenaltyMethod.PERCENT, PenaltyMethod.KEY_RATE_300)
    penalty_clause = case.basis.penalty_clause if contractual else None
    claimed = calc.total > ZERO or bool(until_paid)
    return {"statement": basis_kinds.law_of(basis_kind).statement,
            "duty": basis_kinds.duty_text(case.basis, basis_kind),
            "penalty_clause": f"в соответствии с пунктом {penalty_clause} договора" if penalty_clause else "",
            "articles": basis_kinds.articles_text(basis_kind, article if claimed else ""),
            "until_paid": until_paid,
            "order_cancelled": claimlaw.cancelled_order(case, case.debtor.type is not DebtorType.PERSON)}


def _overdue(kind: Kind, facts: Facts) -> dict:
    """The overdue charges on `today` (п. 4.4(3)): period, amount, due date, paid, unpaid."""
    case, today = facts.case, facts.today
    ledger = allocate(case.charges, case.payments, facts.calendar)
    # ГК РФ ст. 193: a charge due on a day off is overdue only after the next working day
    rows = [i for i in ledger.order() if ledger.payable_until(i) < today and ledger.balance(i, today) > ZERO]
    since = min((ledger.overdue_from(i) for i in rows), default=None)
    return {
        "since": date_text(since) if since else "",
        "text": f"с {date_short(since)} по {date_short(today)}" if since else "",
        "charges": [{"period": case.charges[i].period, "amount": format_rub(case.charges[i].amount),
                     "due": date_short(case.charges[i].due), "paid": format_rub(ledger.paid_on(i, today)),
                     "unpaid": format_rub(ledger.balance(i, today))} for i in rows],
    }


def _sums(kind: Kind, facts: Facts) -> dict:
    calc, fines = facts.calc, facts.case.fines
    total = calc.principal + calc.total + fines
    return {
        "debt": format_rub(calc.principal), "debt_words": in_words(calc.principal),
        "penalty": format_rub(calc.total), "penalty_words": in_words(calc.total),
        "fines": format_rub(fines), "fines_words": in_words(fines),
        "total": format_rub(total), "total_words": in_words(total),
        "has_penalty": calc.total > ZERO, "has_fines": fines > ZERO,
    }


# label, label with a capital, the article of the ГК РФ, the method in words (the genitive: attachments.penalty_genitive)
_METHOD = {
    PenaltyMethod.PERCENT: ("пени", "Пени", "330", "неустойка (пеня) в размере {pct} от просроченной суммы за "
                            "каждый день просрочки, предусмотренная документом-основанием (ст. 330 ГК РФ)"),
    PenaltyMethod.KEY_RATE_300: ("пени", "Пени", "330", "пеня в размере одной трёхсотой ключевой ставки Банка "
                                 "России от просроченной суммы за каждый день просрочки (ст. 330 ГК РФ)"),
    PenaltyMethod.ARTICLE_395: ("проценты по ст. 395 ГК РФ", "Проценты по ст. 395 ГК РФ", "395",
                                "проценты за пользование чужими денежными средствами (ст. 395 ГК РФ)"),
    PenaltyMethod.NONE: ("пени", "Пени", "", "неустойка документом-основанием не предусмотрена"),
}


def _calc(kind: Kind, facts: Facts) -> dict:
    calc, terms = facts.calc, facts.case.penalty
    label, label_cap, article, method = _METHOD[terms.method]
    label_genitive = penalty_genitive(terms.method)
    pct = f"{percent_text(terms.percent)} в день" if terms.percent else ""
    rows = [{
        "number": str(n), "charge": r.charge, "start": date_short(r.start), "end": date_short(r.end),
        "days": "" if r.days is None else str(r.days), "debt": format_rub(r.debt),
        "rate": _rate_text(r.rate, terms.method), "formula": r.formula, "amount": format_rub(r.amount), "note": r.note,
    } for n, r in enumerate(calc.rows, 1)]
    return {"title": calc.title, "label": label, "label_cap": label_cap, "label_genitive": label_genitive,
            "article": article, "method": method.format(pct=pct),
            "end": date_text(facts.today), "end_short": date_short(facts.today), "rows": rows,
            "has_rows": bool(rows), "total": format_rub(calc.total), "total_words": in_words(calc.total),
            "principal": format_rub(calc.principal)}
    # No `calc.warnings` here: a warning («добавьте ставку в файл … и пересчитайте», «ставка не подтверждена»)
    # is for the user (the CLI, СТАТУС.txt, the dashboard); a calculation is an exhibit a court and the debtor read.


def _rate_text(rate: Decimal | None, method: PenaltyMethod) -> str:
    if rate is None:
        return ""
    return f"{percent_text(rate)} в день" if method is PenaltyMethod.PERCENT else f"{percent_text(rate)} годовых"


def _payment(kind: Kind, facts: Facts) -> dict:
    """The recipient's details and the payments the debtor makes (`payqr.transfers`): the principal to the income
    КБК with the charge's УИН, the penalty and fines to their own КБК (`split`); each with its QR string when the
    document carries QR codes."""
    p, case, calc = facts.settings.payment, facts.case, facts.calc
    parts = payqr.transfers(case, facts.settings, calc.principal, calc.total)
    label, label_genitive = _sanctions_label(case, calc.total)
    rows = []
    for t in parts:
        principal = t.part == payqr.PRINCIPAL
        text = purpose(case) if principal else purpose(case, label_genitive)
        rows.append({"label": "основной долг" if principal else label, "amount": format_rub(t.amount),
                     "amount_words": in_words(t.amount), "kbk": t.kbk, "uin": t.uin or "", "purpose": text,
                     "qr": payqr.payment_string(p, t.kbk, t.amount, text, t.uin) if "qr" in kind.groups else ""})
    return {"recipient": p.recipient or "", "inn": p.inn or "", "kpp": p.kpp or "",
            "treasury_account": p.treasury_account or "", "ecs": p.ecs or "", "bik": p.bik or "",
            "bank": p.bank or "", "oktmo": p.oktmo or "", "kbk": case.kbk, "uin": case.uin or "",
            "purpose": purpose(case), "split": any(t.part == payqr.SANCTIONS for t in parts),
            "penalty_kbk": penalty_kbk(facts.settings, case.kbk) or "", "penalty_label": label, "transfers": rows}


def _sanctions_label(case: Case, penalty: Decimal) -> tuple[str, str]:
    """What the second payment is, in the nominative and the genitive: «пени и штрафные санкции», «проценты по
    ст. 395 ГК РФ», «штрафные санкции»."""
    label, _, _, _ = _METHOD[case.penalty.method]
    genitive = penalty_genitive(case.penalty.method)
    if penalty > ZERO and case.fines > ZERO:
        return f"{label} и штрафные санкции", f"{genitive} и штрафных санкций"
    if case.fines > ZERO:
        return "штрафные санкции", "штрафных санкций"
    if penalty > ZERO:
        return label, genitive
    return "пени и штрафные санкции", "пени и штрафных санкций"


def purpose(case: Case, sanctions: str | None = None) -> str:
    """Назначение платежа: what the payer writes, so the payment finds its charge; with `sanctions` (the genitive
    of what the second payment is, «пени и штрафных санкций»), the purpose of the payment to the penalty КБК."""
    what = f"Уплата {sanctions}" if sanctions else "Погашение задолженности"
    return f"{what}: {basis_dict(case.basis)['text']}; дело № {case.number}"


def _qr(kind: Kind, facts: Facts) -> str:
    """The ГОСТ Р 56042-2014 string of the first payment (the principal; everything when there is one payment);
    `render` turns it into the QR picture. Each payment's own string is `payment.transfers[].qr`."""
    return _payment(kind, facts)["transfers"][0]["qr"]


def _claim(kind: Kind, facts: Facts) -> dict:
    case = facts.case
    sent = case.events_of("claim_sent")
    days = case.basis.voluntary_days or 30
    end = _last_deadline(facts.assessment, "voluntary")
    return {"required": case.basis.claim_required, "sent": date_text(sent[-1].date) if sent else "",
            "tracking": ", ".join(e.fields["шпи"] for e in sent if e.fields.get("шпи")),
            "voluntary_days": days, "voluntary_days_text": count_text(days, "календарный день", "календарных дня",
                                                                      "календарных дней"),
            "voluntary_end": date_text(end) if end else ""}


def _last_deadline(assessment, step: str) -> date | None:
    found = [d.due for d in getattr(assessment, "deadlines", ()) if d.step == step]
    return found[-1] if found else None


def _route(kind: Kind, facts: Facts) -> dict:
    arbitration = facts.case.debtor.type is not DebtorType.PERSON
    route = getattr(facts.assessment, "route", None)
    return {"text": route.label if route else "", "arbitration": arbitration,
            "code": "АПК РФ" if arbitration else "ГПК РФ"}


def _paid(kind: Kind, facts: Facts) -> dict:
    payments = sorted(facts.case.payments, key=lambda p: p.date)
    total = sum((p.amount for p in payments), ZERO)
    return {"date": date_text(payments[-1].date) if payments else "", "total": format_rub(total),
            "total_words": in_words(total)}


# --- the write-off decision and the postal inventory -------------------------------------------------

def _grounds(kind: Kind, facts: Facts) -> list[dict]:
    """The ground of БК РФ ст. 47.2 п. 1 recorded on the «признана безнадежной» event (closed list,
    `writeoff.GROUNDS`) with the documents that confirm it (ППРФ № 393, п. 4); none when nothing valid is
    recorded — `missing` then refuses the decision. Never read from a note."""
    ground = writeoff.recorded_ground(facts.case)
    return [{"clause": ground.code, "text": ground.text, "marked": True, "mark": "☒",
             "documents": list(ground.documents)}] if ground else []


def _inventory(kind: Kind, facts: Facts) -> dict:
    """Ф. 107: the claim and, when a penalty is claimed, its calculation; declared value 1 рубль per item."""
    entries = [f"Требование (претензия) о погашении просроченной задолженности от {date_short(facts.today)}"]
    if facts.calc.rows:
        entries.append(f"Расчёт задолженности и пени по состоянию на {date_short(facts.today)}")
    value = Decimal("1.00")
    return {"entries": [{"number": str(n), "title": title, "count": "1", "value": format_rub(value)}
                        for n, title in enumerate(entries, 1)],
            "count": str(len(entries)), "value": format_rub(value * len(entries)),
            "value_words": in_words(value * len(entries))}


_GROUPS = {
    "doc": _doc, "org": _org, "case": _case, "debtor": parties.debtor, "signer": parties.signer,
    "executor": parties.executor, "head": parties.head, "representative": parties.representative, "basis": _basis, "overdue": _overdue, "sums": _sums,
    "calc": _calc, "payment": _payment, "qr": _qr, "claim": _claim, "route": _route, "court": courts.court,
    "bailiffs": courts.bailiffs, "bank": courts.bank, "writ": courts.writ, "enforcement": courts.enforcement, "paid": _paid,
    "attachments": attachments, "grounds": _grounds, "inventory": _inventory, "law": _law,
    "address": lambda kind, facts: ({"kind": facts.case.debtor.addresses[0].kind,
                                     "text": facts.case.debtor.addresses[0].text}
                                    if facts.case.debtor.addresses else {"kind": "", "text": ""}),
}
