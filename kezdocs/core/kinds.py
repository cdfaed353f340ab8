"""The kinds of document kezdocs writes: one table (`KINDS`), a template per variant, and when each is due.

Which stage calls for which kind is the procedure table's (`stages.STAGES`, column `documents`);
this module names the kinds, resolves what the user types («претензия», «иск» …) and asks the
table whether a kind is due. What each kind contains is `documents`.
"""
from __future__ import annotations

from dataclasses import dataclass

from kezdocs.core import stages
from kezdocs.core.errors import KezdocsError
from kezdocs.core.model import Case, DebtorType
from kezdocs.core.route import LAWSUIT, ORDER

GPK, APK = "гпк", "апк"


@dataclass(frozen=True)
class Kind:
    """A document kind: `code` on the command line, `title` in file names, a template per variant.

    `variants` maps a procedural code variant («гпк» for a person, «апк» for an
    organisation or ИП; "" when there is one template) to a template file name.
    In which stages the document is due is the procedure table's (`stages.STAGES`, column
    `documents`); `stages` lists them for display.
    """

    code: str
    title: str
    full_title: str
    variants: dict[str, str]
    aliases: tuple[str, ...]
    groups: tuple[str, ...]
    clause: str
    per_address: bool = False

    @property
    def stages(self) -> frozenset[str]:
        """The stages in which the document may be due (whatever the route and the accounts): from the table."""
        return frozenset(code for code in stages.STAGES
                         if any(self.code in stages.stage_documents(code, proceeding, accounts)
                                for proceeding in (ORDER, LAWSUIT) for accounts in (False, True)))

    def variant_for(self, debtor_type: DebtorType) -> str:
        if "" in self.variants:
            return ""
        return GPK if debtor_type is DebtorType.PERSON else APK

    def template_for(self, debtor_type: DebtorType) -> str:
        return self.variants[self.variant_for(debtor_type)]


_KIND_LIST = (
    Kind("claim", "Требование (претензия)", "Требование (претензия) о погашении просроченной задолженности",
         {"": "требование.docx"}, ("претензия", "требование"),
         ("address", "basis", "overdue", "sums", "calc", "payment", "qr", "claim"), "4.4, 4.5", per_address=True),
    Kind("calculation", "Расчёт задолженности и пени", "Расчёт задолженности и пени",
         {"": "расчет.docx"}, ("расчет", "расчёт"), ("basis", "overdue", "sums", "calc"), "4.4, 5.2"),
    Kind("memo", "Служебная записка", "Служебная записка о необходимости принудительного взыскания",
         {"": "служебная_записка.docx"}, ("служебная", "записка"),
         ("head", "basis", "overdue", "sums", "calc", "claim", "route"), "6.1"),
    Kind("lawsuit", "Исковое заявление", "Исковое заявление о взыскании задолженности",
         {GPK: "иск_гпк.docx", APK: "иск_апк.docx"}, ("иск",),
         ("court", "representative", "basis", "overdue", "sums", "calc", "claim", "attachments", "law"), "5.2, 6.3"),
    Kind("court-order", "Заявление о выдаче судебного приказа", "Заявление о вынесении судебного приказа",
         {GPK: "судебный_приказ_гпк.docx", APK: "судебный_приказ_апк.docx"}, ("приказ",),
         ("court", "representative", "basis", "overdue", "sums", "calc", "claim", "attachments", "law"), "5.2, 6.3"),
    Kind("withdrawal", "Заявление об отказе от иска", "Заявление об отказе от иска", {"": "отказ_от_иска.docx"},
         ("отказ",), ("court", "representative", "basis", "paid", "route"), "5.6"),
    Kind("reduction", "Заявление об уменьшении исковых требований",
         "Заявление об уменьшении размера исковых требований", {"": "уменьшение_требований.docx"},
         ("уменьшение",), ("court", "representative", "basis", "paid", "route", "sums", "calc"), "6.3"),
    Kind("bank", "Заявление в банк", "Заявление о направлении исполнительного документа в банк",
         {"": "заявление_в_банк.docx"}, ("банк",), ("bank", "writ", "payment"), "6.4, 7.1"),
    Kind("bailiffs", "Заявление о возбуждении исполнительного производства",
         "Заявление о возбуждении исполнительного производства", {"": "заявление_в_фссп.docx"}, ("фссп", "пристав"),
         ("bailiffs", "writ", "payment"), "6.5, 7.1"),
    Kind("enforcement-query", "Запрос о ходе исполнительного производства",
         "Запрос о ходе исполнительного производства", {"": "запрос_в_фссп.docx"}, ("запрос",),
         ("bailiffs", "writ", "enforcement"), "7.2"),
    Kind("write-off", "Решение о признании задолженности безнадёжной",
         "Решение о признании безнадёжной к взысканию задолженности по платежам в бюджет",
         {"": "решение_о_безнадежности.docx"}, ("списание", "безнадежная", "безнадёжная"),
         ("head", "basis", "overdue", "sums", "grounds"), "3.4"),
    Kind("post-inventory", "Опись вложения", "Опись вложения (форма Ф. 107)", {"": "опись_вложения.docx"},
         ("опись",), ("address", "inventory"), "4.5", per_address=True),
)
KINDS: dict[str, Kind] = {k.code: k for k in _KIND_LIST}


def resolve_kind(text: str) -> Kind:
    """A kind by its code or Russian alias («претензия», «расчёт», «иск» …)."""
    wanted = text.strip().lower().replace("ё", "е")
    for kind in _KIND_LIST:
        if wanted == kind.code or wanted in (a.replace("ё", "е") for a in kind.aliases):
            return kind
    listed = "; ".join(f"{k.code} ({', '.join(k.aliases)})" for k in _KIND_LIST)
    raise KezdocsError(f"неизвестный вид документа «{text}». Допустимые: {listed}")


def template_names() -> list[str]:
    """Every default template file name, in the order of `KINDS`."""
    return [name for kind in _KIND_LIST for name in kind.variants.values()]


# --- which cases need a document now -------------------------------------------------------------

def needed(kind: Kind, case: Case, assessment) -> bool:
    """Whether the case's stage calls for this document (`generate --all`)."""
    route = assessment.route
    return due(kind, assessment.stage, route.proceeding if route else None, bool(case.debtor.bank_accounts))


def due(kind: Kind, stage: str, proceeding: str | None, accounts_known: bool) -> bool:
    """The procedure table decides (`stages.stage_documents`); the route's proceeding picks the lawsuit or
    the court order, known accounts the bank or the ФССП."""
    return kind.code in stages.stage_documents(stage, proceeding, accounts_known)
