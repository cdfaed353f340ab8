"""The cases of a root, as the CLI uses them: one function per command, each over the library.

Create a root or a case, record an event, status, agenda, the calendar,
documents (the penalty command's are in `penalties`). `casefolder` reads, `card` validates and edits, `scan`
fills the index, `render` writes documents. Card edits are written atomically
and re-validated before they replace the clerk's card. What a command prints
is `console`'s; what it decides is here.
"""
from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, ContextManager

from pathvalidate import sanitize_filename

from kezdocs.core import card as card_mod
from kezdocs.core import eventrules, newcase, penalty
from kezdocs.core.dates import parse_date
from kezdocs.core.errors import KezdocsError
from kezdocs.core.kinds import resolve_kind
from kezdocs.core.money import parse_amount
from kezdocs.core.names import nfc
from kezdocs.core.route import LAWSUIT, lawsuit_refusal
from kezdocs.core.settings import SETTINGS_NAME, sample_refusal
from kezdocs.core.stages import AgendaItem
from kezdocs.core.stages import agenda as agenda_items
from kezdocs.core.stages import agenda_json, assess, group_by_officer
from kezdocs.core.workdays import DEFAULT as DEFAULT_CALENDAR
from kezdocs.core.workdays import Calendar
from kezdocs.folders import cardedit, cardfile, locks
from kezdocs.folders.casefolder import CALENDAR_FILE, Root, find_root, folder_name, read_text, settings_template
from kezdocs.folders.files import write_text_atomic
from kezdocs.folders.import_journal import messages as unfinished_imports
from kezdocs.folders.scan import ScanResult, scan
from kezdocs.service.sync import Synced, sync

NEW_CASE_LOCK = "new-case.lock"  # under ROOT/.kezdocs/locks: the check of a new number and the new card, together


def init_root(directory: Path) -> list[Path]:
    """A new root: commented settings and one example case. Existing files are left alone."""
    from kezdocs.demo import example_card  # the demo pulls in PDF writing: loaded by the one command that needs it

    directory.mkdir(parents=True, exist_ok=True)
    created = []
    settings = directory / SETTINGS_NAME
    if not settings.exists():
        write_text_atomic(settings, settings_template(sample=True))  # flagged until the clerk replaces it
        created.append(settings)
    example = directory / "Пример 2024-001 ООО Ромашка"
    if not (example / card_mod.CARD_NAME).exists():
        cardfile.create_card(example / card_mod.CARD_NAME, example_card(), lambda text: [])
        created.append(example / card_mod.CARD_NAME)
    return created


class FieldErrors(KezdocsError):
    """Bad values of a form (a new case, an event's fields): `errors` maps each field's key to the Russian reason;
    the message is every reason on its own line, with the field's label."""

    def __init__(self, errors: dict[str, str], labels: dict[str, str]):
        self.errors = dict(errors)
        lines = [(labels.get(key) or key, message) for key, message in errors.items()]
        super().__init__("\n".join(message if message.startswith(label) else f"{label}: {message}"
                                   for label, message in lines))


class EventRefused(KezdocsError):
    """The case's stage does not accept the event (`eventrules.refusal`); `force` records it all the same (the
    CLI says how: --force; the web offers only what the stage accepts)."""


class LawsuitRefused(KezdocsError):
    """Court order first (`route.lawsuit_refusal`); `force` writes the lawsuit all the same."""


class DuplicatePayment(KezdocsError):
    """The payment repeats one on the card (date, amount, document); `confirm` records it all the same."""


def new_case(root: Root, ask, addresses=(), charges=(), **options) -> Path:
    """`kezdocs new`: the options given (`newcase.from_options`), every other field the card needs asked in the
    table's order with `ask(label, check, default)`, which asks again with `check`'s Russian reason until valid."""
    administrators = root.settings.administrators
    values, more_addresses, more_charges = newcase.from_options(options, addresses, charges)
    values["administrator"] = values["administrator"] or next(iter(administrators), "")
    for spec in newcase.NEW_CASE_FIELDS:
        if not values[spec.key] and newcase.needed(spec.key, values, administrators):
            values[spec.key] = ask(newcase.prompt(spec), lambda answer, key=spec.key: newcase.answer_problem(
                key, answer, values, administrators) or (_number_taken(root, answer) if key == "number" else None),
                spec.choices[0] if spec.choices else None).strip()
    return create_case(root, values, addresses=more_addresses, charges=more_charges)


def create_case(root: Root, values: dict[str, str], *, addresses=(), charges=()) -> Path:
    """A new case: the folder «<номер> <должник>» with its commented card, from a form's values (`newcase`);
    `addresses` and `charges` beyond the form's first. FieldErrors names every bad field, and a number another
    case already has."""
    values = newcase.cleaned(values)
    errors = newcase.field_errors(values, root.settings.administrators, addresses=addresses, charges=charges)
    if errors:
        raise FieldErrors(errors, newcase.LABELS)
    name = f"{values['number']} {values['debtor']}".replace("«", "").replace("»", "")
    folder = root.path / sanitize_filename(name, platform="windows")
    # one new case at a time: two clerks giving the same number at the same moment get one case and one refusal
    with locks.held(root.own_dir / "locks" / NEW_CASE_LOCK, "создание нового дела", cardfile.LOCK_TIMEOUT):
        taken = _number_taken(root, values["number"])
        if taken:
            raise FieldErrors({"number": taken}, newcase.LABELS)
        cardfile.create_card(folder / card_mod.CARD_NAME, newcase.card_text(values, addresses, charges),
                             _checker(root, f"{folder.name}/{card_mod.CARD_NAME}"))
    return folder


def _number_taken(root: Root, number: str) -> str | None:
    """Which case already has the number: a folder named «<number> …», or one whose card has that «номер» (a card
    with other problems too); None when none has."""
    number = nfc(number.strip())
    folders = root.case_folders()
    twin = next((f for f in folders if folder_name(f) == number or folder_name(f).startswith(number + " ")), None)
    for folder in folders if twin is None else ():
        text, problem = read_text(folder / card_mod.CARD_NAME, folder_name(folder))
        if problem is None and number in text and newcase.card_number(text) == number:  # `in`: only the cheap skip
            twin = folder
            break
    return f"дело с номером {number} уже есть: папка «{folder_name(twin)}»" if twin else None


def _checker(root: Root, shown: str):
    """The card rules, as the card writer asks them: a text in, its problems out."""
    return lambda text: card_mod.parse_card(text, shown, root.settings.administrators)[1]


def card_checker(root: Root, card_path: Path):
    """`_checker` for a card by its path (the web workspace's card form asks the same rules)."""
    return _checker(root, f"{folder_name(card_path.parent)}/{card_mod.CARD_NAME}")


RECORD_LABELS = {"date": "дата (--date)", "amount": "сумма (--amount)"}


def record_entry(root: Root, ref: str, event: str, when: str, fields: dict[str, str], amount: str | None,
                 document: str | None, *, force: bool = False, confirm: bool = False,
                 expected_version: str | None = None) -> Path:
    """Put an event (or a payment) into the card in date order, keeping its comments. Refused: what would break
    the card; an event the stage does not accept (`EventRefused`, unless `force`); an event's bad fields
    (`FieldErrors`); a payment entered twice (`DuplicatePayment`, unless `confirm`); a card changed since the form
    was built (`cardfile.CardChanged`, when `expected_version` is given)."""
    day = parse_date(when)
    if day is None:
        raise FieldErrors({"date": f"«{when}» — не дата (пишите 15.04.2024)"}, RECORD_LABELS)
    code = eventrules.event_code(event)
    if code is None:
        raise KezdocsError(eventrules.unknown_event(event))
    if code == eventrules.PAYMENT:
        reason = eventrules.amount_problem(amount)
        if reason:
            raise FieldErrors({"amount": reason}, RECORD_LABELS)
        section, entry = "платежи", {"дата": when, "сумма": amount, **({"документ": document} if document else {})}
    else:
        problems = eventrules.field_problems(code, fields)
        if problems:
            raise FieldErrors(problems, {f.key: f.label for f in eventrules.fields_of(code)})
        section, entry = "события", {"дата": when, "событие": eventrules.event_name(code),
                                     **eventrules.normalized(code, fields)}
    folder = _find_settled(root, ref)
    path = folder.path / card_mod.CARD_NAME
    shown = str(path.relative_to(root.path))

    def edit(text: str) -> str:
        case = card_mod.parse_card(text, shown, root.settings.administrators)[0]
        if case is not None:  # a broken card is refused with its problems by the writer
            _check_entry(root, case, code, day, entry, force=force, confirm=confirm)
        return cardedit.insert_entry(text, section, entry)

    cardfile.update_card(path, edit, _checker(root, shown), what="запись", expected_version=expected_version)
    return path


def _check_entry(root: Root, case, code: str, day: date, entry: dict[str, str], *, force: bool, confirm: bool) -> None:
    """The rules that need the card as it is now, read under its lock: the stage on the entry's date accepts the
    event; a payment is not one already recorded."""
    if code == eventrules.PAYMENT:
        twin = eventrules.repeated_payment(case.payments, day, parse_amount(entry["сумма"]), entry.get("документ"))
        if twin is not None and not confirm:
            raise DuplicatePayment(eventrules.repeated_payment_text(twin))
        return
    reason = None if force else eventrules.stage_refusal(case, code, day, root.calendar, root.settings.thresholds)
    if reason:
        raise EventRefused(reason)


def _find_settled(root: Root, ref: str):
    """The case to write to; a card an editor is half-way through saving is looked at again once it settles."""
    waited = 0.0
    while True:
        try:
            return root.find(ref)
        except KezdocsError:
            likely = any(nfc(f.name) == ref or nfc(f.name).startswith(ref + " ") for f in root.case_folders())
            if not likely or waited >= cardfile.SETTLE_MAX:
                raise
        time.sleep(cardfile.QUIET)
        waited += cardfile.QUIET


def status(root: Root, today: date, ref: str | None) -> Synced:
    """Bring what is stale up to date (index, СТАТУС.txt, Сводка.html); every case's record, or one case's.
    An import that was interrupted is among the warnings until it is run again."""
    if ref is None:
        synced = sync(root, today)
    else:
        wanted = root.find(ref).name
        synced = sync(root, today, only=[wanted])
        synced.records = [r for r in synced.records if r.folder == wanted]
    synced.warnings = [*synced.warnings, *unfinished_imports(root.path)]
    return synced


@dataclass
class Agenda:
    """What is due within `days` days of `today` (and what is already missed), sorted by officer."""

    items: list[AgendaItem]
    warnings: list[str]
    today: date
    days: int

    def by_officer(self) -> list[tuple[str, list[AgendaItem]]]:
        return group_by_officer(self.items)

    def as_json(self) -> list[dict]:
        return [agenda_json(item) for item in self.items]


def agenda(root: Root, today: date, days: int) -> Agenda:
    """Every case brought up to date (as `status` does), then the deadlines of the coming `days` days."""
    synced = sync(root, today)
    return Agenda(agenda_items(synced.records, today, days), synced.warnings, today, days)


def root_calendar(root: Path | None) -> tuple[Calendar, list]:
    """The root's calendar (with its календарь.yaml) and that file's problems; the package's calendar when
    no root is given or found."""
    opened = find_root(root)
    if opened is None:
        return DEFAULT_CALENDAR, []
    return opened.calendar, [p for p in opened.root_problems if p.file == CALENDAR_FILE]


def reindex(root: Root, today: date) -> ScanResult:
    """Rebuild the index from the folders, re-reading every card."""
    return scan(root, today, full=True)


@dataclass
class Missing:
    """What a court document's step still lacks (the checklist `kezdocs check` shows), to warn the user."""

    case: str
    step: str
    items: list[str]
    command: str  # the command that shows the whole checklist


@dataclass
class Generated:
    """What `generate` wrote: files per case, their PDFs, the cases skipped with the reason, and what the court
    documents written still lack (`missing`)."""

    written: list[tuple[str, list[Path]]]
    skipped: list[tuple[str, str]]
    pdfs: list[Path]
    batch: bool  # --all: every case whose stage needs the document now
    missing: list[Missing] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return [path for _, written in self.written for path in written]


Progress = Callable[[int], ContextManager[Callable[[str], None]]]


def generate(root: Root, ref: str | None, kind: str | None, today: date, out: Path | None = None, *,
             all_cases: bool = False, pdf: bool = False, progress: Progress | None = None,
             force: bool = False) -> Generated:
    """`kezdocs generate`: one case's document, or (`all_cases`, the kind given as `ref`) every case whose
    stage needs it now; with `pdf`, each file converted by LibreOffice. `progress(total)` shows the batch.
    A lawsuit while the route is a court order is refused with the reason (`route.lawsuit_refusal`) unless
    `force`. A lawsuit or a court-order application comes with what its checklist still lacks (`missing`): the
    document lists what the step needs, and the user is told what to add before filing."""
    from kezdocs.paperwork import render  # docxtpl and fpdf: loaded by the one command that renders
    from kezdocs.paperwork.libreoffice import convert_to_pdf

    refusal = sample_refusal(root.settings, resolve_kind(ref if all_cases else kind)) if (kind or all_cases) else None
    if refusal:  # said once for a batch (render.generate refuses each document too)
        raise KezdocsError(refusal)
    if all_cases:
        if kind is not None or ref is None:
            raise KezdocsError("с --all укажите только вид документа: kezdocs generate --all claim")
        with (progress or _no_progress)(len(root.case_folders())) as advance:
            result = render.generate_all(root, ref, today, out, on_progress=advance)
    else:
        if kind is None:
            raise KezdocsError("укажите дело и вид документа: kezdocs generate 2024-017 claim")
        folder = root.find(ref)
        if not force:
            _refuse_lawsuit(root, folder, kind, today)
        result = render.BatchResult(written=[(ref, render.generate(root, folder, kind, today, out))])
    generated = Generated(result.written, result.skipped, [], all_cases)
    if not all_cases:
        generated.missing = _court_missing(root, ref, kind, today)
    if pdf and generated.files:
        generated.pdfs = convert_to_pdf(generated.files)
    return generated


def _refuse_lawsuit(root: Root, folder, kind: str, today: date) -> None:
    """Court order first (ГПК РФ ст. 135 ч. 1 п. 1.1; АПК РФ ст. 148 ч. 1 п. 2.1): the core's rule, asked here."""
    if folder.case is None or resolve_kind(kind).code != LAWSUIT:
        return
    calc = penalty.for_case(folder.case, today, root.rates, root.calendar)  # the price of the claim decides the route
    assessment = assess(folder.case, today, root.calendar, root.settings.thresholds, penalty=calc.total)
    refusal = lawsuit_refusal(assessment.route, folder.case.events)
    if refusal:
        raise LawsuitRefused(f"дело {folder.ref}: {refusal}")


def _court_missing(root: Root, ref: str, kind: str, today: date) -> list[Missing]:
    """The missing items of a court document's step — the very checklist `kezdocs check` draws."""
    from kezdocs.paperwork import package  # the checklist of a case folder (classifies its files)

    document = resolve_kind(kind)
    if "attachments" not in document.groups:  # only a document filed with a list of attachments has a checklist
        return []
    step = document.code
    checked = package.check(root, ref, today, step)
    if checked.checklist is None or checked.checklist.ready:
        return []
    command = f"kezdocs check {ref}" + ("" if checked.assessment.checklist_step == step else f" --step {step}")
    return [Missing(checked.case, step, checked.checklist.missing, command)]


def _no_progress(total: int):
    return nullcontext(lambda ref: None)
