"""The cases of a root, as the CLI uses them: create a root or a case, record an event, status.

Shell functions, one per command, each over the library: `casefolder` reads,
`card` validates and edits, `scan` fills the index. Card edits are written
atomically and re-validated before they replace the clerk's card.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

from pathvalidate import sanitize_filename

from . import card as card_mod
from .card import EVENT_CODES
from .casefolder import Root
from .errors import KezdocsError
from .files import write_text_atomic
from .model import EVENTS, JUDGMENT_RESULTS
from .money import format_rub, parse_amount
from .scan import ScanResult, scan
from .settings import SETTINGS_NAME

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
        from .demo import example_card

        write_text_atomic(example / card_mod.CARD_NAME, example_card())
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
    if (folder / card_mod.CARD_NAME).exists():
        raise KezdocsError(f"дело уже есть: {folder}")
    text = card_mod.new_card_text(number, administrator, officer, phone, debtor_type, debtor, inn, pairs, basis,
                                  basis_number, basis_date, kbk, rows)
    write_text_atomic(folder / card_mod.CARD_NAME, text)
    return folder


def record_entry(root: Root, ref: str, event: str, when: str, fields: dict[str, str], amount: str | None,
                 document: str | None) -> Path:
    """Append an event (or a payment) to a card, keeping its comments; refuse what would break it."""
    folder = root.find(ref)
    path = folder.path / card_mod.CARD_NAME
    if card_mod.parse_date(when) is None:
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
    text = path.read_text(encoding="utf-8-sig")
    updated = card_mod.append_entry(text, section, entry)
    case, problems = card_mod.parse_card(updated, str(path.relative_to(root.path)), root.settings.administrators)
    if case is None:
        raise KezdocsError("запись не сделана — карточка стала бы ошибочной:\n" + "\n".join(str(p) for p in problems))
    write_text_atomic(path, updated)
    return path


def _event_name(event: str) -> str:
    """An event by its Russian name or code; the Russian name is what goes on the card."""
    lowered = event.strip().lower()
    if lowered in EVENTS:
        return EVENTS[lowered]
    if lowered in EVENT_CODES:
        return EVENTS[EVENT_CODES[lowered]]
    raise KezdocsError(f"неизвестное событие «{event}». Допустимые: {', '.join(EVENTS.values())}, платеж")


def status(root: Root, today: date, ref: str | None) -> ScanResult:
    """Scan (incrementally) and return every case's record, or one case's."""
    result = scan(root, today)
    if ref is None:
        return result
    wanted = root.find(ref).name
    return ScanResult([r for r in result.records if r["folder"] == wanted], result.warnings)


def reindex(root: Root, today: date) -> ScanResult:
    """Rebuild the index from the folders, re-reading every card."""
    return scan(root, today, full=True)


def public_record(record: dict) -> dict:
    return {key: record.get(key) for key in PUBLIC_KEYS}


def rub(text: str | None) -> str:
    return format_rub(Decimal(text)) if text is not None else "—"

