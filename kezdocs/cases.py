"""The cases of a root, as the CLI uses them: one function per command, each over the library.

Create a root or a case, record an event, status, agenda, the calendar, a
penalty, documents. `casefolder` reads, `card` validates and edits, `scan`
fills the index, `render` writes documents. Card edits are written atomically
and re-validated before they replace the clerk's card. What a command prints
is `console`'s; what it decides is here.
"""
from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Callable, ContextManager

from pathvalidate import sanitize_filename

from kezdocs.core import card as card_mod
from kezdocs.core import penalty
from kezdocs.core.card import EVENT_CODES
from kezdocs.core.dates import parse_date
from kezdocs.core.errors import KezdocsError
from kezdocs.core.kinds import resolve_kind
from kezdocs.core.model import EVENTS, JUDGMENT_RESULTS, Charge, Payment, PenaltyMethod, PenaltyTerms
from kezdocs.core.money import parse_amount
from kezdocs.core.names import nfc
from kezdocs.core.newcard import new_card_text
from kezdocs.core.route import LAWSUIT, lawsuit_refusal
from kezdocs.core.settings import SETTINGS_NAME
from kezdocs.core.stages import AgendaItem
from kezdocs.core.stages import agenda as agenda_items
from kezdocs.core.stages import agenda_json, assess, group_by_officer
from kezdocs.core.workdays import DEFAULT as DEFAULT_CALENDAR
from kezdocs.core.workdays import Calendar
from kezdocs.demo import example_card
from kezdocs.folders import cardedit, cardfile
from kezdocs.folders.casefolder import (CALENDAR_FILE, RATES_FILE, Root, find_root, load_rates, open_root,
                                        settings_template)
from kezdocs.folders.files import write_text_atomic
from kezdocs.folders.import_journal import messages as unfinished_imports
from kezdocs.folders.scan import ScanResult, scan
from kezdocs.service.sync import Synced, sync

PAYMENT_WORDS = {"платеж", "платёж", "оплата", "payment"}


def init_root(directory: Path) -> list[Path]:
    """A new root: commented settings and one example case. Existing files are left alone."""
    directory.mkdir(parents=True, exist_ok=True)
    created = []
    settings = directory / SETTINGS_NAME
    if not settings.exists():
        write_text_atomic(settings, settings_template())
        created.append(settings)
    example = directory / "Пример 2024-001 ООО Ромашка"
    if not (example / card_mod.CARD_NAME).exists():
        cardfile.create_card(example / card_mod.CARD_NAME, example_card(), lambda text: [])
        created.append(example / card_mod.CARD_NAME)
    return created


def new_case(root: Root, ask, number=None, debtor_type=None, debtor=None, inn="", addresses=(), administrator=None,
             officer=None, phone="", basis="Договор аренды", basis_number="", basis_date="", kbk="",
             charges=()) -> Path:
    """Create `<number> <debtor>/дело.yaml`; what the options leave out is asked with `ask`."""
    number = number or ask("Номер дела")
    debtor_type = debtor_type or ask("Тип должника (юрлицо, ип, физлицо)", default="юрлицо")
    debtor = debtor or ask("Наименование или ФИО должника")
    administrator = administrator or root.settings.administrators[0]
    officer = officer or ask("ФИО ответственного")
    pairs = [tuple(a.split("=", 1)) if "=" in a else ("по договору", a) for a in addresses]
    if not pairs:
        kind = "регистрации" if debtor_type == "физлицо" else "по договору"
        pairs = [(kind, ask(f"Адрес должника ({kind})"))]
    rows = [tuple((c.split(";") + ["", "", ""])[:3]) for c in charges] or [("", "0", "")]
    folder = root.path / sanitize_filename(f"{number} {debtor}".replace("«", "").replace("»", ""), platform="windows")
    text = new_card_text(number, administrator, officer, phone, debtor_type, debtor, inn, pairs, basis,
                                  basis_number, basis_date, kbk, rows)
    cardfile.create_card(folder / card_mod.CARD_NAME, text, _checker(root, f"{folder.name}/{card_mod.CARD_NAME}"))
    return folder


def _checker(root: Root, shown: str):
    """The card rules, as the card writer asks them: a text in, its problems out."""
    return lambda text: card_mod.parse_card(text, shown, root.settings.administrators)[1]


def record_entry(root: Root, ref: str, event: str, when: str, fields: dict[str, str], amount: str | None,
                 document: str | None) -> Path:
    """Append an event (or a payment) to a card, keeping its comments; refuse what would break it."""
    folder = _find_settled(root, ref)
    path = folder.path / card_mod.CARD_NAME
    if parse_date(when) is None:
        raise KezdocsError(f"--date: «{when}» — не дата (пишите 15.04.2024)")
    if event.lower() in PAYMENT_WORDS:
        if amount is None:
            raise KezdocsError("для платежа нужна --amount")
        try:
            if parse_amount(amount) <= 0:
                raise ValueError
        except ValueError:
            raise KezdocsError(f"--amount: «{amount}» — не положительная сумма") from None
        section, entry = "платежи", {"дата": when, "сумма": amount, **({"документ": document} if document else {})}
    else:
        name = _event_name(event)
        if name == EVENTS["judgment"] and "результат" not in fields:
            raise KezdocsError("для «решение суда» нужно --field результат=" + "|".join(JUDGMENT_RESULTS.values()))
        section, entry = "события", {"дата": when, "событие": name, **fields}
    shown = str(path.relative_to(root.path))
    cardfile.update_card(path, lambda text: cardedit.append_entry(text, section, entry),
                         _checker(root, shown), what="запись")
    return path


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


def _event_name(event: str) -> str:
    """An event by its Russian name or code; the Russian name is what goes on the card."""
    lowered = event.strip().lower()
    if lowered in EVENTS:
        return EVENTS[lowered]
    if lowered in EVENT_CODES:
        return EVENTS[EVENT_CODES[lowered]]
    raise KezdocsError(f"неизвестное событие «{event}». Допустимые: {', '.join(EVENTS.values())}, платеж")


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


def penalty_of(root: Path | None, ref: str | None, end: date, options: dict):
    """`kezdocs penalty`: a case's penalty as its card defines it, or a one-off calculation from the options
    (the two do not mix); and the problems of the key rates used."""
    if ref is None:
        return manual_penalty(find_root(root), end, options)
    given = [f"--{k.replace('_', '-')}" for k, v in options.items() if v]
    if given:
        raise KezdocsError(f"для дела условия неустойки берутся из карточки; уберите {', '.join(given)}")
    return case_penalty(open_root(root), ref, end)


def case_penalty(root: Root, ref: str, end: date):
    """A case's penalty as its card defines it, with the root's key rates; and the rates file's problems."""
    folder = root.find(ref)
    if folder.case is None:
        raise KezdocsError(f"в карточке дела «{ref}» есть ошибки:\n" + "\n".join(f"  {p}" for p in folder.problems))
    return penalty.for_case(folder.case, end, root.rates, root.calendar), [p for p in root.root_problems if p.file == RATES_FILE]


def manual_penalty(root: Root | None, end: date, options: dict):
    """A one-off calculation from the command line's options; a root only adds its ключевая_ставка.csv."""
    if not (options["amount"] and options["due"] and options["method"]):
        raise KezdocsError("укажите номер дела или --amount, --due и --method")
    charges, payments, terms = parse_options(**{**options, "rate_mode": options["rate_mode"] or "on-date",
                                                "moratorium": options["moratorium"] or "auto"})
    rates, problems = load_rates(root.path if root else None)
    calendar = root.calendar if root else DEFAULT_CALENDAR  # ГК РФ ст. 193: a due date on a day off moves
    return penalty.calculate(charges, payments, terms, end, rates, calendar), problems


def parse_options(
    amount: str, due: str, payments: tuple[str, ...], method: str, percent: str | None = None,
    rate_mode: str = "on-date", moratorium: str = "auto", cap: str | None = None,
) -> tuple[tuple[Charge, ...], tuple[Payment, ...], PenaltyTerms]:
    """A one-off calculation as typed on the command line; KezdocsError with a Russian message on bad input.

    Payments are «дата:сумма» («2024-06-01:20000», «01.06.2024:20 000,50»).
    """
    terms = PenaltyTerms(
        method=PenaltyMethod(method),
        percent=_option_amount("--percent", percent) if percent is not None else None,
        rate_mode=rate_mode, moratorium=moratorium,
        cap_percent=_option_amount("--cap", cap) if cap is not None else None,
    )
    if terms.method == PenaltyMethod.PERCENT and not terms.percent:
        raise KezdocsError("для --method percent укажите --percent (процент в день, например 0.1)")
    charge = Charge("долг", _option_amount("--amount", amount), _option_date("--due", due))
    return (charge,), tuple(_option_payment(text) for text in payments), terms


def _option_payment(text: str) -> Payment:
    when, sep, amount = text.partition(":")
    if not sep:
        raise KezdocsError(f"--payment: «{text}» — нужно «дата:сумма», например 2024-06-01:20000")
    return Payment(_option_date("--payment", when), _option_amount("--payment", amount))


def _option_amount(option: str, text: str) -> Decimal:
    try:
        value = parse_amount(text)
    except ValueError as exc:
        raise KezdocsError(f"{option}: {exc}") from None
    if value <= 0:
        raise KezdocsError(f"{option}: «{text}» — нужно число больше нуля")
    return value


def _option_date(option: str, text: str) -> date:
    parsed = parse_date(text)
    if parsed is None:
        raise KezdocsError(f"{option}: «{text}» — не дата (пишите 2024-01-10 или 10.01.2024)")
    return parsed


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
        raise KezdocsError(f"дело {folder.ref}: {refusal}")


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
