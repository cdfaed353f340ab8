"""The cases of a root, as the CLI uses them: create a root or a case, record an event, status.

Shell functions, one per command, each over the library: `casefolder` reads,
`card` validates and edits, `scan` fills the index. Card edits are written
atomically and re-validated before they replace the clerk's card.
"""
from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

from pathvalidate import sanitize_filename

from kezdocs.core import card as card_mod
from kezdocs.folders import cardedit
from kezdocs.folders import cardfile
from kezdocs.core import penalty
from kezdocs.core.card import EVENT_CODES
from kezdocs.folders.casefolder import RATES_FILE, Root, load_rates, nfc
from kezdocs.core.dates import parse_date
from kezdocs.core.errors import KezdocsError
from kezdocs.folders.files import write_text_atomic
from kezdocs.core.model import EVENTS, JUDGMENT_RESULTS, Charge, Payment, PenaltyMethod, PenaltyTerms
from kezdocs.core.money import format_rub, parse_amount
from kezdocs.folders.scan import ScanResult, scan
from kezdocs.core.settings import SETTINGS_NAME
from kezdocs.service.sync import Synced, sync

PAYMENT_WORDS = {"платеж", "платёж", "оплата", "payment"}

# Keys of the status JSON, in order (the index keeps a few more for itself).
PUBLIC_KEYS = ("case", "folder", "debtor", "debtor_type", "administrator", "officer", "kbk", "stage", "stage_label",
               "next_action", "deadline", "deadline_missed", "clause", "route", "debt", "penalty", "penalty_warnings",
               "deadlines", "documents", "missing", "problems")


def settings_template() -> str:
    return resources.files("kezdocs.data").joinpath("settings_template.yaml").read_text(encoding="utf-8")


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
        from kezdocs.demo import example_card

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
    text = card_mod.new_card_text(number, administrator, officer, phone, debtor_type, debtor, inn, pairs, basis,
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
    """Bring what is stale up to date (index, СТАТУС.txt, Сводка.html); every case's record, or one case's."""
    if ref is None:
        return sync(root, today)
    wanted = root.find(ref).name
    synced = sync(root, today, only=[wanted])
    synced.records = [r for r in synced.records if r["folder"] == wanted]
    return synced


def reindex(root: Root, today: date) -> ScanResult:
    """Rebuild the index from the folders, re-reading every card."""
    return scan(root, today, full=True)


def case_penalty(root: Root, ref: str, end: date):
    """A case's penalty as its card defines it, with the root's key rates; and the rates file's problems."""
    folder = root.find(ref)
    if folder.case is None:
        raise KezdocsError(f"в карточке дела «{ref}» есть ошибки:\n" + "\n".join(f"  {p}" for p in folder.problems))
    return penalty.for_case(folder.case, end, root.rates), [p for p in root.root_problems if p.file == RATES_FILE]


def manual_penalty(root: Root | None, end: date, options: dict):
    """A one-off calculation from the command line's options; a root only adds its ключевая_ставка.csv."""
    if not (options["amount"] and options["due"] and options["method"]):
        raise KezdocsError("укажите номер дела или --amount, --due и --method")
    charges, payments, terms = parse_options(**{**options, "rate_mode": options["rate_mode"] or "on-date",
                                                "moratorium": options["moratorium"] or "auto"})
    rates, problems = load_rates(root.path if root else None)
    return penalty.calculate(charges, payments, terms, end, rates), problems


def public_record(record: dict) -> dict:
    return {key: record.get(key) for key in PUBLIC_KEYS}


def rub(text: str | None) -> str:
    return format_rub(Decimal(text)) if text is not None else "—"


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
