"""The domain's plain data: what a case card says, after validation.

Pure values only (frozen dataclasses, `Decimal` money, `date` dates). The card
parser (`card`) builds them, the core modules (`penalty`, `stages`,
`requirements`) read them, and nothing here touches files or the clock.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, reported to the user in Russian.

    Errors are values (as in beancount): parsers return them, never raise them,
    so one broken card never stops the other cases.
    """

    file: str
    line: int | None
    message: str
    field: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


class DebtorType(str, Enum):
    LEGAL = "legal"  # юрлицо
    ENTREPRENEUR = "entrepreneur"  # ИП
    PERSON = "person"  # физлицо


@dataclass(frozen=True)
class Address:
    kind: str  # as written on the card: «по договору», «по ЕГРЮЛ», «регистрации», «фактический»
    text: str


@dataclass(frozen=True)
class Debtor:
    type: DebtorType
    name: str  # full name as it appears in documents (for a person: «Фамилия Имя Отчество»)
    inn: str | None = None
    ogrn: str | None = None  # ОГРН of an entity, ОГРНИП of an entrepreneur
    kpp: str | None = None
    last_name: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    birth_date: date | None = None
    birth_place: str | None = None
    snils: str | None = None
    passport: str | None = None
    gender: str | None = None  # "male" | "female" when the card says so, else guessed by declension
    addresses: tuple[Address, ...] = ()
    bank_accounts: tuple[str, ...] = ()  # known bank accounts (free text), for 229-ФЗ ст. 8
    liquidated: bool = False
    bank: Address | None = None  # the bank an application of 229-ФЗ ст. 8 goes to: `kind` its name, `text` its address


class BasisKind(str, Enum):
    """What the basis is, as a stable code (card: «основание.вид»; `basis_kinds` gives each its articles)."""

    LAND_RENT = "land-rent"  # аренда земли
    PROPERTY_RENT = "property-rent"  # аренда имущества
    SERVICES = "services"  # услуги
    SALE = "sale"  # продажа
    DAMAGES = "damages"  # возмещение
    OTHER = "other"  # иное


# The Russian name a clerk writes for each kind («основание.вид»); `card` accepts these, documents print them.
BASIS_KIND_NAMES: dict[BasisKind, str] = {
    BasisKind.LAND_RENT: "аренда земли",
    BasisKind.PROPERTY_RENT: "аренда имущества",
    BasisKind.SERVICES: "услуги",
    BasisKind.SALE: "продажа",
    BasisKind.DAMAGES: "возмещение",
    BasisKind.OTHER: "иное",
}


@dataclass(frozen=True)
class BasisObject:
    """The object of the contract (of a lease): «основание.объект» — each part optional."""

    cadastral_number: str | None = None  # «18:13:041001:25», as the ЕГРН writes it
    area: Decimal | None = None  # square metres
    address: str | None = None


@dataclass(frozen=True)
class Basis:
    """The document a debt arises from (договор, постановление, акт)."""

    document: str
    number: str | None
    date: date | None
    claim_required: bool = True
    voluntary_days: int | None = None  # the contract's own term for voluntary payment (4.5)
    kind: BasisKind | None = None  # as the card says; None: `basis_kinds.kind_of` derives it from the КБК
    object: BasisObject | None = None
    rent_clause: str | None = None  # the contract's clause on the payment («основание.пункты.плата»): «3.1»
    penalty_clause: str | None = None  # the contract's clause on the penalty («основание.пункты.неустойка»)


@dataclass(frozen=True)
class Charge:
    """One начисление: an amount due by a date."""

    period: str
    amount: Decimal
    due: date
    line: int | None = None


@dataclass(frozen=True)
class Payment:
    date: date
    amount: Decimal
    document: str | None = None
    charge: str | None = None  # the `period` of the charge it pays, when the payer named it
    line: int | None = None


@dataclass(frozen=True)
class Instalment:
    due: date
    amount: Decimal


@dataclass(frozen=True)
class Event:
    """A step of the procedure that happened, as recorded on the card.

    `kind` is a stable English code (see `card.EVENT_NAMES` for the Russian
    names); `fields` keeps the event's extra keys (шпи, результат, суд, ...).
    """

    date: date
    kind: str
    fields: dict = field(default_factory=dict, compare=False, hash=False)
    schedule: tuple[Instalment, ...] = ()
    line: int | None = None


class PenaltyMethod(str, Enum):
    PERCENT = "percent"  # a contractual percent per day
    KEY_RATE_300 = "1/300"  # 1/300 of the key rate per day
    ARTICLE_395 = "395"  # ГК РФ ст. 395
    NONE = "none"


@dataclass(frozen=True)
class PenaltyTerms:
    method: PenaltyMethod = PenaltyMethod.NONE
    percent: Decimal | None = None  # percent per day, for PERCENT (0.1 means 0.1 %)
    rate_mode: str = "on-date"  # for 1/300: "on-date" (rate on the end date) | "per-period"
    moratorium: str = "auto"  # "auto" | "include" | "exclude-428"
    cap_percent: Decimal | None = None  # the penalty may not exceed this percent of the debt (100 = the debt)


@dataclass(frozen=True)
class Officer:
    name: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Case:
    """A validated case card (`дело.yaml`)."""

    number: str
    administrator: str
    officer: Officer
    debtor: Debtor
    basis: Basis
    kbk: str  # 20 digits: chief administrator code + 17-digit income code
    penalty: PenaltyTerms
    charges: tuple[Charge, ...]
    payments: tuple[Payment, ...] = ()
    events: tuple[Event, ...] = ()
    uin: str | None = None
    fines: Decimal = Decimal("0")  # штрафные санкции, п. 4.4(5)
    note: str | None = None
    source: str = "дело.yaml"
    file_kinds: tuple[tuple[str, str, int | None], ...] = ()  # the card's «файлы»: (file as shown, kind code, line)

    def events_of(self, kind: str) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.kind == kind)

    def last_event(self, kind: str) -> Event | None:
        found = self.events_of(kind)
        return found[-1] if found else None


# The event vocabulary of the card: stable code -> the Russian name a clerk writes.
# `stages` gives each code its meaning; `card` accepts the names (and the codes).
EVENTS: dict[str, str] = {
    "claim_sent": "претензия направлена",
    "claim_delivered": "претензия вручена",
    "claim_returned": "претензия возвращена",
    "memo_sent": "служебная записка направлена",
    "decision_taken": "решение о взыскании принято",
    "lawsuit_filed": "иск подан",
    "court_order_filed": "заявление о выдаче судебного приказа подано",
    "court_order_issued": "судебный приказ вынесен",
    "court_order_cancelled": "судебный приказ отменен",
    "judgment": "решение суда",
    "appeal_filed": "жалоба подана",
    "judgment_in_force": "решение вступило в силу",
    "writ_received": "исполнительный документ получен",
    "head_instruction": "поручение о направлении исполнительного документа",
    "sent_to_bank": "направлен в банк",
    "bank_returned": "возвращен банком",
    "sent_to_bailiffs": "направлен в ФССП",
    "enforcement_opened": "исполнительное производство возбуждено",
    "info_request_sent": "запрос в ФССП направлен",
    "gis_gmp_reconciled": "сверка с ГИС ГМП",  # п. 3.2: the charges reconciled with ГИС ГМП (a note, any stage)
    "complaint_filed": "жалоба на бездействие подана",
    "enforcement_ended": "исполнительное производство окончено",
    "claim_withdrawn": "отказ от иска",
    "instalment_granted": "рассрочка предоставлена",
    "written_off": "признана безнадежной",
}

# Results of a judgment («результат» of the «решение суда» event).
JUDGMENT_RESULTS: dict[str, str] = {
    "granted": "удовлетворено",
    "partly": "удовлетворено частично",
    "rejected": "отказано",
}
