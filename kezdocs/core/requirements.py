"""Sufficiency: for a case's next step, what must be in its folder, item by item, with the clause.

Pure: takes the case, the step and the classified documents (`classification.Document`)
and returns a `Checklist`. Documents kezdocs generated (`Сформировано/`)
count only for the items `GENERATED_MAY_SATISFY` names (a generated calculation
is a calculation; a generated claim is never the register's extract).

Steps: `claim` (требование, п. 4.4), `lawsuit` (п. 5.2; ГПК РФ ст. 132 or
АПК РФ ст. 125, 126; after a cancelled court order, the ruling that cancelled it), `court-order` (ГПК РФ ст. 124, АПК РФ ст. 229.3),
`bank` (229-ФЗ ст. 8) and `bailiffs` (229-ФЗ ст. 30). The court is arbitration
for an organisation or ИП, general jurisdiction for a person. Which step a
stage needs is the procedure table's (`stages.STAGES`, column `checklist`),
with the route (`route.Route`) choosing the court order or the lawsuit.

Proof that the claim went to every address of the card (п. 4.5) is matched by
the tracking number (ШПИ) recorded on each «претензия направлена» event (field
`шпи`; field `адрес` names the address by its kind, else events go to
addresses in order) and found in a postal document's name or text; postal
documents that show no ШПИ at all are counted instead. A document whose only
ШПИ fails its check digit (`Document.rejected_tracking`: a misread or a typo)
is never counted: the item asks the clerk to check the number.
"""
from __future__ import annotations

from dataclasses import dataclass

from kezdocs.core import stages
from kezdocs.core.basis_kinds import written_deal
from kezdocs.core.eventrules import shpi_key
from kezdocs.core.model import Address, Case, DebtorType
from kezdocs.core.route import LAWSUIT, ORDER_CANCELLED, Route

# What proves that a letter was sent and delivered (п. 4.5): the kinds intake gives such files.
POSTAL_KINDS = ("postal_receipt", "post_inventory", "delivery_notice", "tracking_report")
_ON_PAPER = {"postal_receipt": "на квитанции", "post_inventory": "в описи вложения",
             "delivery_notice": "на уведомлении о вручении", "tracking_report": "в отчёте об отслеживании"}

STEPS: dict[str, str] = {
    "claim": "требование (претензия)",
    "lawsuit": "исковое заявление",
    "court-order": "заявление о выдаче судебного приказа",
    "bank": "заявление в банк",
    "bailiffs": "заявление в ФССП",
}
GENERAL, ARBITRATION = "general", "arbitration"

BASIS_KINDS = ("contract", "amendment", "act_invoice", "reconciliation")
ENFORCEMENT_KINDS = ("writ", "court_order")  # a court order is itself an enforcement document
# The items a file kezdocs wrote (`Сформировано/`) may satisfy: its calculation, the copy of its claim. Every other
# item needs a source document — the signed contract, the post's receipt, the court's ruling, the register's
# extract — which a file kezdocs wrote never is, whatever its name says («… (по ЕГРЮЛ).docx» is a claim).
GENERATED_MAY_SATISFY = frozenset({"calculation", "claim_copy"})


@dataclass(frozen=True)
class Item:
    """One thing the folder must hold: `key` is stable (`claim_sent:2` is the claim to the 2nd address)."""

    key: str
    item: str
    clause: str
    present: bool
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Checklist:
    step: str
    court: str
    items: tuple[Item, ...]

    @property
    def ready(self) -> bool:
        return all(i.present for i in self.items)

    @property
    def missing(self) -> list[str]:
        return [i.item for i in self.items if not i.present]

    @property
    def label(self) -> str:
        return STEPS[self.step]

    def as_json(self, case: str) -> dict:
        return {"case": case, "step": self.step, "ready": self.ready,
                "items": [{"item": i.item, "clause": i.clause, "present": i.present, "files": list(i.files)}
                          for i in self.items]}


def court_of(case: Case) -> str:
    """Arbitration for an organisation or ИП (АПК РФ ст. 27), general jurisdiction for a person."""
    return GENERAL if case.debtor.type is DebtorType.PERSON else ARBITRATION


def next_step(stage: str, route: Route | None = None, bank_accounts: bool = False) -> str | None:
    """The step whose documents a case in `stage` prepares next; None when no document is due.

    The procedure table says (`stages.stage_checklist`); `route` picks the court order or the lawsuit.
    From the claim on, the court step is shown early, so missing papers are
    collected while the voluntary term runs.
    """
    return stages.stage_checklist(stage, route.proceeding if route else None, bank_accounts)


def court_step(route: Route | None) -> str:
    """The court step of the route: a court order or a lawsuit (a lawsuit when nothing is routed)."""
    return route.proceeding if route else LAWSUIT


def for_assessment(case: Case, assessment, documents) -> Checklist | None:
    """The checklist of the step after the case's stage (`stages.Assessment`), or None."""
    step = assessment.checklist_step
    return checklist(case, step, documents) if step else None


def checklist(case: Case, step: str, documents, court: str | None = None) -> Checklist:
    """What `step` needs, each item present (with its files) or missing, with the clause."""
    if step not in STEPS:
        raise ValueError(f"неизвестный шаг «{step}»: допустимы {', '.join(STEPS)}")
    court = court or court_of(case)
    docs = list(documents)
    build = {"claim": _claim, "lawsuit": _lawsuit, "court-order": _court_order,
             "bank": _bank, "bailiffs": _bailiffs}[step]
    return Checklist(step, court, tuple(build(case, docs, court)))


# --- the items ---------------------------------------------------------------------------

def usable(docs, key: str) -> list:
    """The documents item `key` may take: kezdocs's own files only where `GENERATED_MAY_SATISFY` allows."""
    return list(docs) if key.split(":")[0] in GENERATED_MAY_SATISFY else [d for d in docs if not d.generated]


def _files(docs, kinds, key: str) -> tuple[str, ...]:
    """Files of the given kinds that item `key` may take (`usable`), in the order of `kinds`, then by path."""
    order = {k: i for i, k in enumerate(kinds)}
    return tuple(d.relpath for d in sorted((d for d in usable(docs, key) if d.kind in order),
                                           key=lambda d: (order[d.kind], d.relpath)))


def _item(key: str, item: str, clause: str, files: tuple[str, ...]) -> Item:
    return Item(key, item, clause, bool(files), files)


def _basis(case: Case, docs, clause: str) -> Item:
    """The basis document and what proves the debt; a contract basis needs the contract itself."""
    b = case.basis
    title = b.document + (f" № {b.number}" if b.number else "") + (f" от {b.date:%d.%m.%Y}" if b.date else "")
    files = _files(docs, BASIS_KINDS, "basis")
    needs_contract = written_deal(b, case.kbk)  # a written transaction is proved by the contract itself
    present = any(d.kind == "contract" for d in usable(docs, "basis")) if needs_contract else bool(files)
    return Item("basis", f"Документ-основание «{title}» и документы, подтверждающие долг (акты, сверка)",
                clause, present, files)


def _calculation(docs, clause: str) -> Item:
    return _item("calculation", "Расчёт взыскиваемой суммы (долг, пени, проценты)", clause,
                 _files(docs, ("calculation",), "calculation"))


def _claim(case: Case, docs, court: str) -> list[Item]:
    return [_basis(case, docs, "п. 4.4(2) регламента"), _calculation(docs, "п. 4.4(4), 4.4(8) регламента")]


def _lawsuit(case: Case, docs, court: str) -> list[Item]:
    arb = court == ARBITRATION
    items = [
        _basis(case, docs, "п. 5.2(1) регламента; " + ("АПК РФ ст. 126 ч. 1 п. 3" if arb else "ГПК РФ ст. 132 п. 4")),
        _calculation(docs, "п. 5.2(2) регламента; " + ("АПК РФ ст. 125 ч. 1 п. 7" if arb else "ГПК РФ ст. 132 п. 5")),
    ]
    if case.basis.claim_required:
        items += _claim_proofs(case, docs, arb)
    if any(e.kind == ORDER_CANCELLED for e in case.events):
        # After a court order is cancelled the claim goes by lawsuit (ГПК РФ ст. 129; АПК РФ ст. 229.5 ч. 4); without
        # the ruling the court sees a claim for a court order and returns the lawsuit (ГПК РФ ст. 135 ч. 1 п. 1.1)
        # or leaves it without consideration (АПК РФ ст. 148 ч. 1 п. 2.1).
        items.append(_item("order_cancellation", "Определение об отмене судебного приказа",
                           "АПК РФ ст. 229.5 ч. 4, ст. 148 ч. 1 п. 2.1" if arb else "ГПК РФ ст. 129, ст. 135 ч. 1 п. 1.1",
                           _files(docs, ("order_cancellation",), "order_cancellation")))
    items.append(_item("lawsuit_sent", "Доказательство направления ответчику копии иска с приложениями",
                       "АПК РФ ст. 126 ч. 1 п. 1" if arb else "ГПК РФ ст. 132 п. 6",
                       _files(docs, ("lawsuit_sent_proof",), "lawsuit_sent")))
    items += _representative(docs, arb, "АПК РФ ст. 126 ч. 1 п. 5" if arb else "ГПК РФ ст. 132 п. 2")
    if arb:
        items.append(_registry(case, docs))
    items.append(_state_duty(arb))
    return items


def _court_order(case: Case, docs, court: str) -> list[Item]:
    """ГПК РФ ст. 124 asks less than a lawsuit; in arbitration (АПК РФ ст. 229.3) the lawsuit's list is kept."""
    arb = court == ARBITRATION
    law = "АПК РФ ст. 229.3" if arb else "ГПК РФ ст. 124"
    items = [_basis(case, docs, f"{law}; п. 5.2(1) регламента"), _calculation(docs, f"{law}; п. 5.2(2) регламента")]
    if arb and case.basis.claim_required:
        items += _claim_proofs(case, docs, arb)
    items.append(_item("lawsuit_sent", "Доказательство направления должнику копии заявления о выдаче судебного приказа",
                       law if arb else "ГПК РФ ст. 124 (с 01.09.2024)",
                       _files(docs, ("lawsuit_sent_proof",), "lawsuit_sent")))
    items += _representative(docs, arb, law)
    if arb:
        items.append(_registry(case, docs))
    items.append(_state_duty(arb))
    return items


def _bank(case: Case, docs, court: str) -> list[Item]:
    return [_item("writ", "Исполнительный документ (исполнительный лист или судебный приказ)",
                  "229-ФЗ ст. 8 ч. 1; п. 6.4 регламента", _files(docs, ENFORCEMENT_KINDS, "writ"))]


def _bailiffs(case: Case, docs, court: str) -> list[Item]:
    return [_item("writ", "Исполнительный документ (исполнительный лист или судебный приказ)",
                  "229-ФЗ ст. 30 ч. 1; п. 7.1 регламента", _files(docs, ENFORCEMENT_KINDS, "writ"))]


def _representative(docs, arb: bool, clause: str) -> list[Item]:
    items = [_item("power_of_attorney", "Доверенность представителя", clause,
                   _files(docs, ("power_of_attorney",), "power_of_attorney"))]
    if arb:
        items.append(_item("diploma", "Копия диплома представителя о высшем юридическом образовании",
                           "АПК РФ ст. 126 ч. 1 п. 5, ст. 59 ч. 3", _files(docs, ("diploma",), "diploma")))
    return items


def _registry(case: Case, docs) -> Item:
    register = "ЕГРИП" if case.debtor.type is DebtorType.ENTREPRENEUR else "ЕГРЮЛ"
    return _item("registry_extract", f"Выписка из {register} о должнике", "АПК РФ ст. 126 ч. 1 п. 9",
                 _files(docs, ("registry_extract",), "registry_extract"))


def _state_duty(arb: bool) -> Item:
    """No file: a local self-government body is exempt, and the lawsuit cites the exemption."""
    clause = "НК РФ ст. 333.37 п. 1 пп. 1.1" if arb else "НК РФ ст. 333.36 п. 1 пп. 19"
    return Item("state_duty", "Государственная пошлина: администрация освобождена (льгота указана в заявлении)",
                clause, True)


# --- claim proofs, address by address -------------------------------------------------------

def _claim_proofs(case: Case, docs, arb: bool) -> list[Item]:
    """A copy of the claim, and proof it was sent to each address of the card (п. 4.5): the item names the
    address and the letter's ШПИ, and says when its files were given to it by count rather than by ШПИ."""
    clause = "п. 4.5, 5.2(3) регламента; " + ("АПК РФ ст. 126 ч. 1 п. 7" if arb else "ГПК РФ ст. 132 п. 3")
    items = [_item("claim_copy", "Копия требования (претензии)", "п. 4.4, 5.2(3) регламента",
                   _files(docs, ("claim_copy",), "claim_copy"))]
    addresses = case.debtor.addresses
    tracks = claim_tracking(case)
    postal = [d for d in usable(docs, "claim_sent") if d.kind in POSTAL_KINDS]
    found = match_claim_proofs(addresses, tracks, postal)
    stray = sorted({t for d in postal for t in d.tracking} - set(tracks.values()))
    for i, address in enumerate(addresses):
        text = f"Доказательство направления претензии по адресу {address.kind}: {address.text}"
        text += f" (ШПИ {tracks[i]})" if i in tracks else ""
        files = tuple(found.get(i, ()))
        if files and not (i in tracks and any(tracks[i] in d.tracking for d in postal if d.relpath in files)):
            text += " — в файлах нет ШПИ: они отнесены к этому адресу по порядку, проверьте"
        elif not files and i not in tracks and stray:
            text += (f" — в папке есть отправления с ШПИ {', '.join(stray)}, а в событии «претензия направлена» "
                     "ШПИ не записан: запишите его")
        if not files:
            text += _refused_numbers(postal)
        items.append(Item(f"claim_sent:{i + 1}", text, clause, bool(files), files))
    return items


def _refused_numbers(postal) -> str:
    """« — ШПИ … на квитанции «…» не проходит проверку контрольной цифры — проверьте номер» for each postal
    document whose only ШПИ is refused: it may be this address's letter, but kezdocs cannot tell whose."""
    refused = [f"ШПИ {', '.join(d.rejected_tracking)} {_ON_PAPER[d.kind]} «{d.relpath}»"
               for d in postal if d.rejected_tracking and not d.tracking]
    return "".join(f" — {line} не проходит проверку контрольной цифры — проверьте номер" for line in refused)


def claim_tracking(case: Case) -> dict[int, str]:
    """Address index -> the ШПИ of the claim sent there, from the «претензия направлена» events.

    An event's `адрес` names the address by its kind (or text); a later event
    for the same address replaces an earlier one. Events without `адрес` fill
    the remaining addresses in order.
    """
    addresses = case.debtor.addresses
    tracks: dict[int, str] = {}
    unplaced: list[str] = []
    for event in case.events_of("claim_sent"):
        shpi = shpi_key(event.fields.get("шпи") or "")
        if not shpi:
            continue
        index = _address_index(event.fields.get("адрес"), addresses)
        if index is None:
            unplaced.append(shpi)
        else:
            tracks[index] = shpi
    free = [i for i in range(len(addresses)) if i not in tracks]
    tracks.update(zip(free, unplaced))
    return tracks


def _address_index(name: str | None, addresses: tuple[Address, ...]) -> int | None:
    if not name:
        return None
    wanted = name.strip().casefold()
    for i, a in enumerate(addresses):
        if wanted in (a.kind.casefold(), a.text.casefold()):
            return i
    return None


def match_claim_proofs(addresses: tuple[Address, ...], tracks: dict[int, str], postal) -> dict[int, list[str]]:
    """Address index -> postal documents proving the claim went there.

    By ШПИ: an address whose claim has a recorded ШПИ takes every document
    that shows it (receipt, inventory, notice of one letter). By count only
    documents that show no ШПИ at all (a scan whose number was not read): such
    letters go to the addresses still without proof, in order. A document whose
    ШПИ no claim records proves nothing: it is another letter; nor does one whose
    only ШПИ fails the check digit (`rejected_tracking`): counted, it would be
    filed under a number it does not show.
    """
    found: dict[int, list[str]] = {}
    for i, shpi in tracks.items():
        files = [d.relpath for d in postal if shpi in d.tracking]
        if files:
            found[i] = files
    untracked = _letters([d for d in postal if not d.tracking and not d.rejected_tracking])
    for i in range(len(addresses)):
        if i not in found and untracked:
            found[i] = untracked.pop(0)
    return found


def _letters(docs) -> list[list[str]]:
    """Postal documents without a ШПИ grouped into letters: the n-th of each kind (by path) together."""
    by_kind: dict[str, list[str]] = {}
    for d in sorted(docs, key=lambda d: d.relpath):
        by_kind.setdefault(d.kind, []).append(d.relpath)
    count = max((len(v) for v in by_kind.values()), default=0)
    return [[files[n] for files in by_kind.values() if n < len(files)] for n in range(count)]
