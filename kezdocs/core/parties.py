"""The parties of a document: the debtor as a party (name in the case the sentence needs, the address of the
party), and the people who sign for the administration — the signer, the head, the representative in court,
the executor — with the document of authority an enforcement application needs.

Pure: the case and the settings come in, display-ready Russian text comes out; `documents` places it in the
groups `debtor`, `signer`, `head`, `representative`, `executor`.
"""
from __future__ import annotations

from kezdocs.core.facts import Facts
from kezdocs.core.kinds import Kind
from kezdocs.core.model import Address, Debtor, DebtorType, Officer
from kezdocs.core.russian import (DATIVE, ENTREPRENEUR, GENITIVE, PersonName, capitalize, date_short, decline,
                                  organisation_genitive, position_dative, split_name)
from kezdocs.core.settings import Person, Settings


def debtor(kind: Kind, facts: Facts) -> dict:
    d = facts.case.debtor
    ogrn_label = "ОГРНИП" if d.type is DebtorType.ENTREPRENEUR else "ОГРН"
    ids = [("ИНН", d.inn), (ogrn_label, d.ogrn), ("КПП", d.kpp), ("СНИЛС", d.snils), ("паспорт", d.passport)]
    main, extra = party_address(d)
    return {
        "type": {DebtorType.LEGAL: "юрлицо", DebtorType.ENTREPRENEUR: "ИП", DebtorType.PERSON: "физлицо"}[d.type],
        "is_person": d.type is DebtorType.PERSON, "is_entrepreneur": d.type is DebtorType.ENTREPRENEUR,
        "is_legal": d.type is DebtorType.LEGAL,
        "name": d.name, "genitive": debtor_name(d, GENITIVE), "dative": debtor_name(d, DATIVE),
        "addressee": capitalize(debtor_name(d, DATIVE)),
        "inn": d.inn or "", "ogrn": d.ogrn or "", "ogrn_label": ogrn_label, "kpp": d.kpp or "",
        "snils": d.snils or "", "passport": d.passport or "",
        "birth_date": date_short(d.birth_date) if d.birth_date else "", "birth_place": d.birth_place or "",
        "ids": ", ".join(f"{label} {value}" for label, value in ids if value),
        "address": main.text if main else "",
        "extra_addresses": [{"kind": a.kind, "text": a.text, "line": f"адрес {a.kind}: {a.text}"} for a in extra],
        "addresses": [{"kind": a.kind, "text": a.text} for a in d.addresses],
        "accounts": list(d.bank_accounts),
    }


_REGISTRY_KINDS = ("егрюл", "егрип")


def _normal(text: str) -> str:
    return " ".join(text.casefold().replace(",", " ").split())


def party_address(d: Debtor) -> tuple[Address | None, list[Address]]:
    """The debtor's address as a party (court papers, bank and ФССП applications), and the other addresses.

    A company's or an entrepreneur's место нахождения is the address in the state register, not the one written
    in the contract (АПК РФ ст. 125 ч. 1 п. 2, ст. 229.3 ч. 1 п. 3; ГК РФ ст. 54 ч. 2; 229-ФЗ ст. 13 ч. 1
    п. 5): the card's address whose kind is «по ЕГРЮЛ» / «по ЕГРИП» (by the kind, case-insensitive), else the
    first address of the card. The other distinct addresses (the contract's) may follow as additional ones.
    A person's address stays the first of the card.
    """
    if not d.addresses:
        return None, []
    main = d.addresses[0]
    if d.type is not DebtorType.PERSON:
        registered = [a for a in d.addresses if _normal(a.kind).removeprefix("по ") in _REGISTRY_KINDS]
        main = registered[0] if registered else main
    seen = {_normal(main.text)}
    extra = []
    if d.type is not DebtorType.PERSON:
        for a in d.addresses:
            if _normal(a.text) not in seen:
                seen.add(_normal(a.text))
                extra.append(a)
    return main, extra


def debtor_name(d: Debtor, grammar: str) -> str:
    """The debtor's name in a grammatical case: persons declined, ИП as «индивидуального предпринимателя …»,
    an organisation in the genitive by its head noun (`organisation_genitive`; «ООО …» as written), in the
    dative as written (and a name given without its parts, too)."""
    if d.type is DebtorType.LEGAL:
        return organisation_genitive(d.name) if grammar == GENITIVE else d.name
    if not (d.last_name and d.first_name):
        return d.name
    person = decline(PersonName(d.last_name, d.first_name, d.middle_name), grammar, d.gender).full
    return f"{ENTREPRENEUR[grammar]} {person}" if d.type is DebtorType.ENTREPRENEUR else person


def _person(p: Person | None, fallback: Person | None = None) -> dict:
    chosen = p or fallback
    if chosen is None:
        return {"position": "", "name": "", "short": ""}
    return {"position": chosen.position, "name": chosen.name, "short": split_name(chosen.name).short}


# The applications an enforcement body or a bank acts upon: who signs them needs a document of authority.
ENFORCEMENT_APPLICATIONS = ("bank", "bailiffs")


def enforcement_signer(settings: Settings) -> tuple[Person | None, str]:
    """Who signs an application to a bank or the ФССП, and the доверенность to attach («» when none is needed).

    An application filed by a representative comes with the document that confirms the authority (229-ФЗ ст. 8
    ч. 2 for a bank, ст. 30 ч. 2 for the ФССП, ст. 57). The head of the administration acts without one; a
    deputy (the settings' «подписант») acts by a доверенность: the signer's own («подписант.доверенность»), or
    the representative's («представитель.доверенность») when the signer is that person. A signer with no known
    доверенность does not sign an enforcement application — the head does.
    """
    head, signer = settings.head, settings.signer
    if signer is None or (head is not None and _same_person(signer, head)):
        return head or signer, ""
    if signer.power_of_attorney:
        return signer, signer.power_of_attorney
    representative, authority = settings.representative, settings.power_of_attorney or ""
    if authority and representative is not None and _same_person(signer, representative):
        return signer, authority
    return (head, "") if head is not None else (signer, "")


def _same_person(a: Person, b: Person) -> bool:
    return " ".join(a.name.casefold().split()) == " ".join(b.name.casefold().split())


def signer(kind: Kind, facts: Facts) -> dict:
    if kind.code in ENFORCEMENT_APPLICATIONS:
        person, authority = enforcement_signer(facts.settings)
        return {**_person(person), "power_of_attorney": authority}
    return {**_person(facts.settings.signer, facts.settings.head), "power_of_attorney": ""}


def head(kind: Kind, facts: Facts) -> dict:
    head = facts.settings.head
    data = _person(head)
    if head is None:
        return {**data, "position_dative": "", "short_dative": ""}
    name = split_name(head.name)
    return {**data, "position_dative": position_dative(head.position), "short_dative": decline(name, DATIVE).short}


def representative(kind: Kind, facts: Facts) -> dict:
    s = facts.settings
    return {**_person(s.representative, s.signer or s.head),
            "power_of_attorney": (s.power_of_attorney or "") if s.representative else ""}


def executor(kind: Kind, facts: Facts) -> dict:
    officer = facts.case.officer or Officer("")
    return {"name": officer.name, "short": split_name(officer.name).short, "phone": officer.phone or "",
            "email": officer.email or ""}
