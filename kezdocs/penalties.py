"""The `kezdocs penalty` command's use cases: a case's penalty as its card defines it, or a one-off calculation
from the command line's options (the two do not mix). What it prints is `console`'s."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from kezdocs.core import penalty
from kezdocs.core.dates import parse_date
from kezdocs.core.errors import KezdocsError
from kezdocs.core.model import Charge, Payment, PenaltyMethod, PenaltyTerms
from kezdocs.core.money import parse_amount
from kezdocs.core.workdays import DEFAULT as DEFAULT_CALENDAR
from kezdocs.folders.casefolder import RATES_FILE, Root, find_root, load_rates, open_root


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
