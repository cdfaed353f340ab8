"""The attachment list («Приложение») of a lawsuit or a court-order application: what is attached, and its name.

One rule, one place: the lawsuit written by `generate` and the package (`paperwork.package`) both take
their attachments from `planned` and name them with `title`.

What is attached is the step's checklist (`requirements.checklist`: ГПК РФ ст. 132, 124; АПК РФ ст. 125,
126, 229.3; п. 5.2 of the regulation) — never a file of another stage (a writ, a judgment, a bank's reply,
a bailiff's decision, a payment order): the calculation kezdocs writes first, then each item of the
checklist with its files, one line per file (the package holds one PDF per file, and a court counts the
sheets of each document). An item with no file yet is listed by what it must be (the user is warned:
`kezdocs generate` and `kezdocs check`); the package, which holds only files, leaves it out.

Each line names the document by its KIND and the card's details — never by a file name: «Копия договора
аренды земельного участка № 12/2023 от 10.01.2023», «Копия требования (претензии) от 15.04.2024» (the date of
the «претензия направлена» event), a postal proof with its ШПИ (the event's or the file's), the power of
attorney from the settings, the ruling that cancelled a court order with its date. A copy is a copy; the
registry extract (АПК РФ ст. 126 ч. 1 п. 9: obtained for the filing) and the tracking report (printed from the
Russian Post site) are originals, as is the calculation.

The line is «… — на 5 л. в 1 экз.» (ГОСТ Р 7.0.97-2016 п. 5.24: the name, the number of sheets and of copies),
«… — в 1 экз.» when the sheets are not known (a picture, a document not yet printed).

Pure: the shell classifies the files (`classification.Document`) and counts PDF pages; they come in `Facts`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from kezdocs.core import classification
from kezdocs.core.facts import Facts
from kezdocs.core.filekinds import fold
from kezdocs.core.kinds import Kind
from kezdocs.core.model import Basis, Case, DebtorType, PenaltyMethod
from kezdocs.core.requirements import POSTAL_KINDS, Item, checklist, claim_tracking
from kezdocs.core.route import ORDER, ORDER_CANCELLED
from kezdocs.core.russian import date_short
from kezdocs.core.settings import Settings

NBSP = "\u00a0"
SHPI_MARK = ", ШПИ "  # how a title ends with its letter's number: a file name cut short keeps it whole (`efiling`)
CALCULATION_TITLE = "Расчёт задолженности и пени"  # the name of the file the package generates


def penalty_genitive(method: PenaltyMethod) -> str:
    """What is claimed besides the debt, in the genitive: interest of ГК РФ ст. 395, else пени (ГК РФ ст. 330).
    The calculation's heading, the documents that cite it and their attachment lists all say it so."""
    return "процентов по ст. 395 ГК РФ" if method is PenaltyMethod.ARTICLE_395 else "пени"


def calculation_title(case: Case) -> str:
    """The calculation kezdocs writes, as an attachment names it (an original): «Расчёт задолженности и пени»."""
    return f"Расчёт задолженности и {penalty_genitive(case.penalty.method)}"


@dataclass(frozen=True)
class Planned:
    """One attachment: its name, the file attached (None: the calculation kezdocs writes, or an item with no
    file yet), and the checklist item it satisfies."""

    title: str
    relpath: str | None
    key: str


def attachments(kind: Kind, facts: Facts) -> list[dict]:
    """The `attachments` group of a lawsuit or a court-order application (the caller's list when it gives one)."""
    chosen = facts.attachments if facts.attachments is not None else default_attachments(kind, facts)
    return [{"number": str(n), "title": title, "pages": "" if pages is None else str(pages),
             "text": line(title, pages)}
            for n, (title, pages) in enumerate(chosen, 1)]


def line(title: str, pages: int | None, copies: int = 1) -> str:
    """ГОСТ Р 7.0.97-2016 п. 5.24: «Копия договора … — на 5 л. в 1 экз.»; «— в 1 экз.» when the sheets are unknown."""
    sheets = f"на{NBSP}{pages}{NBSP}л. " if pages else ""
    return f"{title}{NBSP}— {sheets}в{NBSP}{copies}{NBSP}экз."


def default_attachments(kind: Kind, facts: Facts) -> list[tuple[str, int | None]]:
    """(title, pages) of every attachment of the step, from the classified files of the case folder."""
    pages = dict(facts.files)
    documents = facts.documents or _by_name(facts.files)
    return [(p.title, pages.get(p.relpath) if p.relpath else None)
            for p in planned(facts.case, facts.settings, kind.code, documents)]


def _by_name(files) -> tuple[classification.Document, ...]:
    """Files given without their classification (a sample, a test): classified by their names, pure."""
    return tuple(classification.document(rel, "", classification.DEFAULT_RULES) for rel, _ in files)


def planned(case: Case, settings: Settings, step: str, documents, items: tuple[Item, ...] | None = None) -> list[Planned]:
    """The attachments of `step` («lawsuit», «court-order»): the calculation, then the checklist's items in
    order, each file once. `items`: the checklist already drawn from `documents` (the package's)."""
    docs = list(documents)
    if items is None:
        items = checklist(case, step, docs).items
    by_path = {d.relpath: d for d in docs}
    result = [Planned(calculation_title(case), None, "calculation")]
    seen: set[str] = set()
    for item in items:
        if item.key in ("calculation", "state_duty"):  # kezdocs's own calculation is first; the duty is no paper
            continue
        files = chosen(item, by_path)
        if not files:
            result.append(Planned(title(step, case, settings, item, None), None, item.key))
        for doc in files:
            if doc.relpath not in seen:  # a receipt proving two letters is attached once
                seen.add(doc.relpath)
                result.append(Planned(title(step, case, settings, item, doc), doc.relpath, item.key))
    return result


def chosen(item: Item, by_path: dict) -> list:
    """The files an item attaches: the clerk's (signed scans) when there are any, else the ones kezdocs generated;
    each document once (`_once`)."""
    docs = [by_path[f] for f in item.files if f in by_path]
    own = [d for d in docs if not d.generated]
    return _once(own or docs)


def _once(docs: list) -> list:
    """One file per document: a document kept as DOCX and as the PDF made from it (kezdocs writes both for
    each address of a claim) is attached once, as the PDF — what a court takes; the order is kept."""
    def key(doc) -> str:
        return fold(str(PurePosixPath(doc.relpath).with_suffix("")))

    def is_pdf(doc) -> bool:
        return doc.relpath.lower().endswith(".pdf")

    best: dict[str, object] = {}
    for doc in docs:
        if key(doc) not in best or (is_pdf(doc) and not is_pdf(best[key(doc)])):
            best[key(doc)] = doc
    return [doc for doc in docs if best[key(doc)] is doc]


# --- names ---------------------------------------------------------------------------------------

def title(step: str, case: Case, settings: Settings, item: Item, doc) -> str:
    """The name of one attachment: by the item of the checklist and the file's kind, with the card's details."""
    key = item.key.split(":")[0]
    party = _PARTY[step]
    kind = doc.kind if doc is not None else None
    if key == "basis":
        return _basis_title(case.basis, kind)
    if key == "claim_copy":
        dates = sorted({e.date for e in case.events_of("claim_sent")})
        return "Копия требования (претензии)" + (" от " + ", ".join(date_short(d) for d in dates) if dates else "")
    if key == "claim_sent":
        return _postal_title(case, item, doc)
    if key == "lawsuit_sent":
        paper = "искового заявления" if step != ORDER else "заявления о выдаче судебного приказа"
        shpi = f"{SHPI_MARK}{doc.tracking[0]}" if doc is not None and doc.tracking else ""
        return f"Документ о направлении {party['dative']} копии {paper} с приложениями{shpi}"
    if key == "order_cancellation":
        cancelled = case.events_of(ORDER_CANCELLED)
        # the event's date is the ruling's (route.ORDER_CANCELLED)
        return "Копия определения об отмене судебного приказа" + (
            f" от {date_short(cancelled[-1].date)}" if cancelled else "")
    if key == "power_of_attorney":
        return "Копия доверенности представителя" + (f" {settings.power_of_attorney}" if settings.power_of_attorney
                                                     else "")
    if key == "diploma":  # АПК РФ ст. 126 ч. 1 п. 5, ст. 59 ч. 3
        return "Копия документа о высшем юридическом образовании представителя"
    if key == "registry_extract":  # АПК РФ ст. 126 ч. 1 п. 9: an extract obtained for the filing, not a copy
        register = "ЕГРИП" if case.debtor.type is DebtorType.ENTREPRENEUR else "ЕГРЮЛ"
        return f"Выписка из {register} в отношении {party['genitive']}"
    return item.item  # an item this module does not know yet: the checklist's own words


_PARTY = {"lawsuit": {"genitive": "ответчика", "dative": "ответчику"},
          "court-order": {"genitive": "должника", "dative": "должнику"}}


def _basis_title(basis: Basis, kind: str | None) -> str:
    """The basis document or a document proving the debt under it (п. 5.2(1); ГПК РФ ст. 132 п. 4)."""
    of = basis_phrase(basis, "genitive")
    under = basis_phrase(basis, "dative")
    by = f" по {under}" if under else ""
    if kind == "amendment":
        return "Копия дополнительного соглашения" + (f" к {under}" if under else "")
    if kind == "act_invoice":
        return "Копия акта (счёта)" + by
    if kind == "reconciliation":
        return "Копия акта сверки взаимных расчётов" + by
    if kind == "contract" and of is None:
        return "Копия договора"
    # the basis itself (a contract file, or the item still without a file)
    return f"Копия {of}" if of else f"Копия документа-основания: {_basis_text(basis)}"


def _postal_title(case: Case, item: Item, doc) -> str:
    """Proof that the claim went to one address (п. 4.5), with the ШПИ of the letter: the file's, else the event's."""
    index = int(item.key.split(":")[1]) - 1
    recorded = claim_tracking(case).get(index)
    if doc is not None and doc.tracking:
        shpi = recorded if recorded in doc.tracking else doc.tracking[0]
    else:
        shpi = recorded
    number = f"{SHPI_MARK}{shpi}" if shpi else ""
    names = {
        "postal_receipt": "Копия почтовой квитанции об отправке требования (претензии)",
        "post_inventory": "Копия описи вложения в почтовое отправление с требованием (претензией)",
        "delivery_notice": "Копия уведомления о вручении почтового отправления с требованием (претензией)",
        "tracking_report": "Отчёт об отслеживании почтового отправления с требованием (претензией)",
    }
    kind = doc.kind if doc is not None else None
    if kind in POSTAL_KINDS:
        return names[kind] + number
    if shpi:
        return "Копия документа, подтверждающего направление требования (претензии)" + number
    address = case.debtor.addresses[index].text if index < len(case.debtor.addresses) else ""
    return "Копия документа, подтверждающего направление требования (претензии)" + (
        f" по адресу: {address}" if address else "")


# --- the basis in the case a phrase needs -----------------------------------------------------------

# The head nouns of the documents a debt arises from, and the adjectives that may stand before them:
# (genitive, dative). Only these words change («Договор аренды земельного участка» → «договора аренды
# земельного участка»: the words after the head noun depend on it and keep their form); a basis whose head is
# not here is never declined by guess.
_NOUNS = {
    "договор": ("договора", "договору"), "контракт": ("контракта", "контракту"),
    "соглашение": ("соглашения", "соглашению"), "постановление": ("постановления", "постановлению"),
    "распоряжение": ("распоряжения", "распоряжению"), "решение": ("решения", "решению"),
    "приказ": ("приказа", "приказу"), "акт": ("акта", "акту"), "счёт": ("счёта", "счёту"),
    "счет": ("счета", "счету"), "протокол": ("протокола", "протоколу"),
}
_ADJECTIVES = {
    "муниципальный": ("муниципального", "муниципальному"), "государственный": ("государственного", "государственному"),
    "дополнительное": ("дополнительного", "дополнительному"), "мировое": ("мирового", "мировому"),
}
_CASES = {"genitive": 0, "dative": 1}


def basis_phrase(basis: Basis, grammar: str) -> str | None:
    """«договора аренды земельного участка № 12/2023 от 10.01.2023» (or the dative «договору …»), or None
    when the head noun of the basis is not a known one."""
    words = basis.document.split()
    out: list[str] = []
    for i, word in enumerate(words):
        low = word.lower()
        if low in _ADJECTIVES:
            out.append(_ADJECTIVES[low][_CASES[grammar]])
            continue
        if low in _NOUNS:
            head = _NOUNS[low][_CASES[grammar]]
            out.append(head.upper() if word.isupper() and len(word) > 1 else head)
            return " ".join(out + words[i + 1:]) + _details(basis)
        return None
    return None


def _details(basis: Basis) -> str:
    return (f" №{NBSP}{basis.number}" if basis.number else "") + (f" от {date_short(basis.date)}" if basis.date else "")


def _basis_text(basis: Basis) -> str:
    return basis.document + _details(basis)
