"""A case's status as of one day: what the scan produces, the index stores, and every reader reads.

`CaseStatus` is typed (dates are dates, money is Decimal); its JSON form
(`to_json`) is what the index keeps and what `status --json` prints (the
public keys, `public_json`): dates as ISO text, money as text with two places.
`from_json` reads any stored record without failing on a missing key — a
record of an older layout comes back with its own `version`, and the scan,
which compares versions, builds it again. A value of the wrong type raises
ValueError (the index treats such a record as absent).

The defaults of `CaseStatus` are what a case holds when its processing failed
before the value was known (no card, an internal error): the dashboard and
СТАТУС.txt read them like any other status.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Iterable, Sequence

from kezdocs.core.money import as_text
from kezdocs.core.russian import plural

CARD_ERROR = "card_error"  # the stage of a case whose card could not be read

# Keys of the status JSON as `status --json` prints them, in order (the index keeps a few more for itself).
PUBLIC_KEYS = ("case", "folder", "debtor", "debtor_type", "administrator", "officer", "kbk", "stage", "stage_label",
               "next_action", "deadline", "deadline_missed", "clause", "route", "debt", "penalty", "penalty_warnings",
               "deadlines", "documents", "missing", "problems", "suggestions", "pending_ocr")


@dataclass(frozen=True)
class StatusDeadline:
    """One term of the regulation for this case (`stages.Deadline`, as the status keeps it)."""

    step: str
    label: str
    clause: str
    due: date
    done_on: date | None
    state: str  # met, missed, pending

    def to_json(self) -> dict:
        return {"clause": self.clause, "done_on": _iso(self.done_on), "due": self.due.isoformat(), "label": self.label,
                "state": self.state, "step": self.step}

    @classmethod
    def from_json(cls, data: dict) -> StatusDeadline:
        return cls(data["step"], data["label"], data["clause"], _day(data["due"]), _day(data.get("done_on")),
                   data["state"])


@dataclass(frozen=True)
class StatusDocument:
    path: str  # relative to the case folder, with «/»
    kind: str | None  # a code of `classification.KINDS`; None when not recognised
    # its content's hash (`folders.duplicates`: the same file twice, or in two cases); not what the document is
    digest: str | None = field(default=None, compare=False)

    def to_json(self) -> dict:
        return {"digest": self.digest, "kind": self.kind, "path": self.path}

    @classmethod
    def from_json(cls, data: dict) -> StatusDocument:
        return cls(data["path"], data.get("kind"), data.get("digest"))


@dataclass(frozen=True)
class StatusProblem:
    file: str | None  # relative to the root («2026-001 …/дело.yaml»)
    line: int | None
    message: str

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message}

    @classmethod
    def from_json(cls, data: dict) -> StatusProblem:
        return cls(data.get("file"), data.get("line"), data["message"])


@dataclass(frozen=True)
class StatusSuggestion:
    """An event kezdocs proposes from a file (`delivery.Suggestion`), for the user to confirm; never recorded
    without them. `command` is the `kezdocs record` line that records it."""

    event: str  # a code of `model.EVENTS`
    date: date
    fields: tuple[tuple[str, str], ...]
    source: str  # the file, relative to the case folder
    text: str
    command: str

    @classmethod
    def of(cls, suggestion, case: str) -> StatusSuggestion:
        """From a `delivery.Suggestion` of the case numbered `case` (duck-typed, as `StatusRoute.of`)."""
        return cls(suggestion.event, suggestion.date, tuple(suggestion.fields), suggestion.source, suggestion.text,
                   suggestion.command(case))

    @property
    def line(self) -> str:
        """How `status` and СТАТУС.txt show it: «предложение: записать … — по файлу «…»; команда: kezdocs record …»."""
        return f"предложение: {self.text}; команда: {self.command}"

    def to_json(self) -> dict:
        return {"command": self.command, "date": self.date.isoformat(), "event": self.event,
                "fields": dict(self.fields), "source": self.source, "text": self.text}

    @classmethod
    def from_json(cls, data: dict) -> StatusSuggestion:
        return cls(data["event"], _day(data["date"]), tuple((data.get("fields") or {}).items()), data["source"],
                   data["text"], data["command"])


@dataclass(frozen=True)
class StatusRoute:
    """Where the claim goes (`route.Route`, as the status keeps it): what `render.due_kinds` and tests read."""

    proceeding: str
    court: str
    order_court: str
    lawsuit_court: str
    price: dict[str, Decimal]  # debt, penalty, fines, total
    threshold: Decimal | None
    articles: str
    label: str

    @classmethod
    def of(cls, route) -> StatusRoute:
        """From a `route.Route` (duck-typed: this module imports nothing of the procedure)."""
        return cls.from_json(route.as_json())

    def to_json(self) -> dict:
        return {"articles": self.articles, "court": self.court, "label": self.label,
                "lawsuit_court": self.lawsuit_court, "order_court": self.order_court,
                "price": {key: as_text(value) for key, value in sorted(self.price.items())},
                "proceeding": self.proceeding, "threshold": _money_text(self.threshold)}

    @classmethod
    def from_json(cls, data: dict) -> StatusRoute:
        return cls(data.get("proceeding"), data.get("court"), data.get("order_court"), data.get("lawsuit_court"),
                   {key: _money(value) for key, value in (data.get("price") or {}).items()},
                   _money(data.get("threshold")), data.get("articles"), data.get("label"))


@dataclass(frozen=True)
class CaseStatus:
    folder: str
    case: str
    debtor: str | None = None
    debtor_type: str | None = None
    administrator: str | None = None
    officer: str | None = None
    kbk: str | None = None
    inn: str | None = None  # the debtor's ИНН: the web workspace searches by it
    stage: str = CARD_ERROR
    stage_label: str = "дело не обработано"
    next_action: str | None = None
    deadline: date | None = None
    deadline_missed: bool = False
    clause: str | None = None
    deadlines: tuple[StatusDeadline, ...] = ()
    route: str | None = None  # the Russian sentence `status` shows
    route_detail: StatusRoute | None = None
    accounts_known: bool = False  # the debtor's bank accounts are known (the writ goes to the bank)
    debt: Decimal | None = None
    penalty: Decimal | None = None
    penalty_warnings: tuple[str, ...] | None = None  # None: no penalty was computed
    documents: tuple[StatusDocument, ...] = ()
    missing: tuple[str, ...] = ()  # the checklist items the folder lacks for the next step
    problems: tuple[StatusProblem, ...] = ()
    suggestions: tuple[StatusSuggestion, ...] = ()  # events to confirm, read from the files (a day of delivery)
    pending_ocr: tuple[str, ...] = ()  # scans (relpaths) whose text OCR has not read yet: classified by name meanwhile
    fingerprint: str | None = None  # of the folder's files when the status was computed
    as_of: date | None = None  # the day the status is for
    version: int | None = None  # of the scan that computed it (`scan.RECORD_VERSION`)

    @property
    def proceeding(self) -> str | None:
        return self.route_detail.proceeding if self.route_detail else None

    @property
    def card_error(self) -> bool:
        return self.stage == CARD_ERROR

    def to_json(self) -> dict:
        """The record as the index stores it: every field, JSON types only."""
        value = {f.name: getattr(self, f.name) for f in fields(self)}
        value.update(
            deadline=_iso(self.deadline), as_of=_iso(self.as_of), debt=_money_text(self.debt),
            penalty=_money_text(self.penalty), route_detail=self.route_detail.to_json() if self.route_detail else None,
            penalty_warnings=list(self.penalty_warnings) if self.penalty_warnings is not None else None,
            deadlines=[d.to_json() for d in self.deadlines], documents=[d.to_json() for d in self.documents],
            missing=list(self.missing), problems=[p.to_json() for p in self.problems],
            suggestions=[s.to_json() for s in self.suggestions], pending_ocr=list(self.pending_ocr),
        )
        return value

    def public_json(self) -> dict:
        """The record as `status --json` prints it."""
        value = self.to_json()
        return {key: value[key] for key in PUBLIC_KEYS}

    @classmethod
    def from_json(cls, data: dict) -> CaseStatus:
        """A stored record; a key it lacks takes its default (ValueError when a value has the wrong type)."""
        try:
            return cls._parse(data)
        except (KeyError, TypeError, AttributeError, InvalidOperation) as exc:
            raise ValueError(f"not a status record: {exc!r}") from None

    @classmethod
    def _parse(cls, data: dict) -> CaseStatus:
        value = {key: item for key, item in data.items() if key in _FIELDS}
        warnings = data.get("penalty_warnings")
        detail = data.get("route_detail")
        value.update(
            deadline=_day(data.get("deadline")), as_of=_day(data.get("as_of")), debt=_money(data.get("debt")),
            penalty=_money(data.get("penalty")), route_detail=StatusRoute.from_json(detail) if detail else None,
            penalty_warnings=tuple(warnings) if warnings is not None else None,
            deadlines=tuple(StatusDeadline.from_json(d) for d in data.get("deadlines") or ()),
            documents=tuple(StatusDocument.from_json(d) for d in data.get("documents") or ()),
            missing=tuple(data.get("missing") or ()),
            problems=tuple(StatusProblem.from_json(p) for p in data.get("problems") or ()),
            suggestions=tuple(StatusSuggestion.from_json(s) for s in data.get("suggestions") or ()),
            pending_ocr=tuple(data.get("pending_ocr") or ()),
        )
        value.setdefault("case", data.get("folder"))
        return cls(**value)


_FIELDS = frozenset(f.name for f in fields(CaseStatus))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _money(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def _money_text(amount: Decimal | None) -> str | None:
    return as_text(amount) if amount is not None else None


def ocr_waiting(record: CaseStatus) -> str | None:
    """«распознаётся: 2 файла» — the scans OCR has not read yet, as СТАТУС.txt and `status` say it; None: none."""
    count = len(record.pending_ocr)
    return f"распознаётся: {count} {plural(count, 'файл', 'файла', 'файлов')} (OCR)" if count else None


# --- one number, one case ----------------------------------------------------------------------------

def duplicate_message(number: str, folders: Sequence[str]) -> str:
    """«номер дела 2024-001 повторяется: папки «A» и «B»»: the one wording of a repeated number."""
    names = [f"«{folder}»" for folder in folders]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} и {names[-1]}"
    return f"номер дела {number} повторяется: папки {listed}"


def duplicates(numbered: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """(number, folder) pairs in folder order -> each number more than one folder's card gives, with its folders.

    The number is the case's name everywhere (commands, reports, the court's papers); two cards giving one
    number are two cases nobody can tell apart, so each is a problem and every count takes only the first.
    """
    folders: dict[str, list[str]] = {}
    for number, folder in numbered:
        folders.setdefault(number, []).append(folder)
    return {number: tuple(names) for number, names in folders.items() if len(names) > 1}


def repeats(records: Iterable[CaseStatus]) -> set[str]:
    """The folders whose case repeats the number of a folder before it: a total counts each case once."""
    return {folder for folders in _numbered_duplicates(records).values() for folder in folders[1:]}


def with_duplicates(records: list[CaseStatus]) -> list[CaseStatus]:
    """The records, each case whose number another card repeats carrying the problem that names the folders.

    Computed over all records after every scan and never stored in the index: it changes when the other
    folder changes, which this case's fingerprint does not see.
    """
    repeated = _numbered_duplicates(records)
    shown = {folder: duplicate_message(number, folders) + " — у каждого дела свой номер: исправьте «номер» в "
                                                          "карточке одного из них"
             for number, folders in repeated.items() for folder in folders}
    return [replace(r, problems=(*r.problems, StatusProblem(None, None, shown[r.folder]))) if r.folder in shown else r
            for r in records]


def _numbered_duplicates(records: Iterable[CaseStatus]) -> dict[str, tuple[str, ...]]:
    """`duplicates` of the cases whose card was read (a broken card's record is named by its folder)."""
    return duplicates((r.case, r.folder) for r in records if not r.card_error)
