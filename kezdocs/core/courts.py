"""Courts, bailiffs and banks: whom a court or enforcement document is addressed to, and what it cites
(the court case, the writ, the enforcement proceeding).

Pure: each part is a function of the document's `Facts`, as `documents.build` calls it.
"""
from __future__ import annotations

import re
from decimal import Decimal

from kezdocs.core.facts import CASE_NUMBER_KEYS, Facts, event_field, format_rub, last_filing
from kezdocs.core.kinds import Kind
from kezdocs.core.model import Case, DebtorType
from kezdocs.core.money import in_words, parse_amount
from kezdocs.core.route import LAWSUIT, ORDER, Route, price_of, route_for
from kezdocs.core.russian import date_text
from kezdocs.core.settings import Settings

_COURT_STEMS = {"мировой": "миров", "районный": "район", "арбитражный": "арбитраж"}


def _route_of(facts: Facts) -> Route:
    """The case's route (`route.decide`, through the assessment); when nothing is routed today (a withdrawal
    after payment), the same rules at the document's own sums."""
    route = getattr(facts.assessment, "route", None)
    if route is not None:
        return route
    case = facts.case
    return route_for(case, price_of(case, facts.calc.principal, facts.calc.total), facts.settings.thresholds,
                     order_cancelled=case.last_event("court_order_cancelled") is not None)


def court_key(kind: Kind | None, facts: Facts) -> str:
    """Which court of the settings. The route decides (`route.Route.court_for`); once the case is filed,
    a person's court is the one the filing event names («суд»), a fact of the card.

    `kind` None: the court that dealt with the case (of the writ), by the last filing.
    """
    filing = last_filing(facts.case)
    if facts.case.debtor.type is DebtorType.PERSON:
        hint = (filing.fields.get("суд", "") if filing else "").lower()
        for key, stem in _COURT_STEMS.items():
            if stem in hint:
                return key
    route = _route_of(facts)
    if kind is not None and kind.code in (ORDER, LAWSUIT):
        return route.court_for(kind.code)
    if filing is not None:
        return route.court_for(ORDER if filing.kind == "court_order_filed" else LAWSUIT)
    return route.court


def court_text(kind: Kind | None, facts: Facts) -> str:
    """The court's name and address: from the settings, else as the filing event names a full court."""
    key = court_key(kind, facts)
    for name, text in facts.settings.courts.items():
        if text and _COURT_STEMS[key] in name.lower():
            return text
    filing = last_filing(facts.case)
    hint = filing.fields.get("суд", "") if filing else ""
    return hint if len(hint.split()) > 2 else ""


def addressee(text: str) -> dict:
    """Split «Наименование, 427580, адрес» and put the name in the addressee form («Мировому судье …», «В …»)."""
    match = re.search(r",\s*(\d{6}\b.*)$", text)
    name, address = (text[:match.start()], match.group(1)) if match else (text, "")
    if name.lower().startswith("мировой судья"):
        to = "Мировому судье" + name[len("мировой судья"):]
    elif name.lower().startswith("в "):
        to = name
    else:
        to = f"В {name}"
    return {"text": text, "name": name, "address": address, "to": to}


def court(kind: Kind, facts: Facts) -> dict:
    case = facts.case
    filing = last_filing(case)
    number = event_field(case, CASE_NUMBER_KEYS, ("judgment", "court_order_issued", "lawsuit_filed",
                                                                  "court_order_filed"))
    return {**addressee(court_text(kind, facts)), "case_number": number,
            "filed": date_text(filing.date) if filing else "",
            "order": bool(filing and filing.kind == "court_order_filed")}


def bailiffs_text(case: Case, settings: Settings) -> str:
    return event_field(case, ("осп", "фссп"), ("enforcement_opened", "sent_to_bailiffs")) or settings.bailiffs or ""


def bailiffs(kind: Kind, facts: Facts) -> dict:
    return addressee(bailiffs_text(facts.case, facts.settings))


def bank(kind: Kind, facts: Facts) -> dict:
    """The debtor's bank as the addressee (card «должник.банк»: name and postal address) and the known accounts."""
    accounts, known = list(facts.case.debtor.bank_accounts), facts.case.debtor.bank
    name, address = (known.kind, known.text) if known else ("", "")
    return {"accounts": accounts, "first": accounts[0] if accounts else "", "name": name, "address": address,
            "to": addressee(name)["to"] if name else ""}


def writ(kind: Kind, facts: Facts) -> dict:
    """The writ as the card records it: «исполнительный документ получен» with «номер», «выдан», «сумма»."""
    case = facts.case
    event = case.last_event("writ_received")
    fields = event.fields if event else {}
    document = fields.get("документ") or ("судебный приказ" if case.last_event("court_order_issued")
                                         else "исполнительный лист")
    number, issued = fields.get("номер", ""), fields.get("выдан", "")
    court_case = event_field(case, CASE_NUMBER_KEYS,
                        ("writ_received", "judgment", "court_order_issued", "lawsuit_filed", "court_order_filed"))
    text = court_text(None, facts)
    court = addressee(text)["name"] if text else ""
    details = [text for text in (f"выдан {issued}" if issued else "", f"дело № {court_case}" if court_case else "",
                                 f"суд: {court}" if court else "") if text]
    amount = _amount(fields.get("сумма"))
    return {"document": document, "number": number, "issued": issued,
            "received": date_text(event.date) if event else "", "case_number": court_case, "court": court,
            "text": " ".join(x for x in (document, number) if x) + (f" ({'; '.join(details)})" if details else ""),
            "amount": format_rub(amount) if amount is not None else "",
            "amount_words": in_words(amount) if amount is not None else ""}


def _amount(text: str | None) -> Decimal | None:
    try:
        return parse_amount(text) if text else None
    except ValueError:
        return None


def enforcement(kind: Kind, facts: Facts) -> dict:
    event = facts.case.last_event("enforcement_opened")
    fields = event.fields if event else {}
    return {"number": fields.get("номер") or fields.get("номер_ип", ""),
            "opened": date_text(event.date) if event else "", "bailiff": fields.get("пристав", "")}
