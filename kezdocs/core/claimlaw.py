"""What a lawsuit states beyond the sums: the demand of the penalty (interest) until the debt is paid, and the
court order that was cancelled before it.

Pure: the penalty terms, the principal and the day of the calculation, or the case's events, come in; one
sentence of Russian legal text comes out, «» when there is nothing to state. Every fact comes from the card.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from kezdocs.core.facts import CASE_NUMBER_KEYS, field_of, format_rub
from kezdocs.core.keyrates import percent_text
from kezdocs.core.model import Case, Event, PenaltyMethod, PenaltyTerms
from kezdocs.core.money import ZERO
from kezdocs.core.route import ORDER_CANCELLED
from kezdocs.core.russian import date_short, date_text

__all__ = ["until_paid", "cancelled_order"]


def _rate(terms: PenaltyTerms) -> str:
    """The rate the court applies from the day after the calculation to the day of payment."""
    if terms.method is PenaltyMethod.PERCENT and terms.percent is not None:
        return f"{percent_text(terms.percent)} за каждый день просрочки"
    if terms.method is PenaltyMethod.KEY_RATE_300:
        # 1/300 of the key rate in force on the day of payment (44-ФЗ ст. 34 ч. 7; ЖК РФ ст. 155 ч. 14), or the
        # rate of each period when the contract says so (the card's «ставка_на: по периодам»)
        when = ("действовавшей в соответствующие периоды" if terms.rate_mode == "per-period"
                else "действующей на день фактической уплаты")
        return f"одной трёхсотой ключевой ставки Банка России, {when}, за каждый день просрочки"
    if terms.method is PenaltyMethod.ARTICLE_395:
        # ГК РФ ст. 395 п. 1: the key rate of the Bank of Russia in force in the respective periods
        return "ключевой ставки Банка России, действовавшей в соответствующие периоды"
    return ""


def until_paid(terms: PenaltyTerms, label: str, principal: Decimal, end: date) -> str:
    """«а также пени, начисленные на сумму основного долга 15 000,00 руб. с 25 ноября 2026 г. по день фактической
    уплаты долга, исходя из 0,1% за каждый день просрочки» — or «» with no penalty or no principal.

    A creditor may claim the penalty (Пленум ВС РФ от 24.03.2016 № 7, п. 65) and the interest of ГК РФ ст. 395
    (п. 48) until the debt is actually paid: the court awards them to the day of payment, so the debtor's delay
    after the judgment is covered without a new suit. They run from the day after the calculated period (`end`,
    the day the sums are calculated to) on the principal left unpaid; a contract's cap on the penalty still
    applies (ГК РФ ст. 330, the parties' agreement), so the demand names it.
    """
    rate = _rate(terms)
    if not rate or principal <= ZERO:
        return ""
    text = (f"а также {label}, начисленные на сумму основного долга {format_rub(principal)}\u00a0руб. "
            f"с {date_text(end + timedelta(days=1))} по день фактической уплаты долга, исходя из {rate}")
    if terms.cap_percent is not None and terms.method is not PenaltyMethod.ARTICLE_395:
        text += (f", с учётом установленного договором предела неустойки (не более {percent_text(terms.cap_percent)} "
                 f"от суммы долга)")
    return text


def _number(*events: Event | None) -> str:
    """The court's case number from the first of `events` that records one."""
    return next((found for event in events if event is not None
                 for found in (field_of(event, CASE_NUMBER_KEYS),) if found), "")


def _last_before(case: Case, kind: str, day: date) -> Event | None:
    found = [e for e in case.events if e.kind == kind and e.date is not None and e.date <= day]
    return found[-1] if found else None


def cancelled_order(case: Case, arbitration: bool) -> str:
    """The court order and its cancellation, as the lawsuit that follows states them; «» when none is recorded.

    After a court order is cancelled the claim may be brought by a lawsuit (ГПК РФ ст. 129; АПК РФ ст. 229.5
    ч. 4), and the lawsuit says so (ГПК РФ ст. 131 ч. 2 п. 5, АПК РФ ст. 125 ч. 1 п. 5: the circumstances of
    the claim). The ruling of ст. 129 (ч. 4 ст. 229.5) is made on the debtor's objections, so the cancellation
    event (its date is the ruling's) carries that reason. The order's date and case number come from the events
    «судебный приказ вынесен» / «заявление о выдаче судебного приказа подано» and the cancellation itself
    (their «дело_суда»); what the card does not record is not stated.
    """
    cancel = case.last_event(ORDER_CANCELLED)
    if cancel is None or cancel.date is None:
        return ""
    issued = _last_before(case, "court_order_issued", cancel.date)
    filed = _last_before(case, "court_order_filed", issued.date if issued else cancel.date)
    number = _number(cancel, issued, filed)
    applied = f" (заявление подано {date_short(filed.date)})" if filed else ""
    order = "судебный приказ" + (f" от {date_short(issued.date)}" if issued else "") \
        + (f" по делу №\u00a0{number}" if number else "")
    # non-breaking spaces: a reference to the law never breaks across lines (as `templates.layout.no_break` does)
    article = "часть\u00a04 статьи\u00a0229.5 АПК\u00a0РФ" if arbitration else "статья\u00a0129 ГПК\u00a0РФ"
    return (f"Ранее истец обращался с заявлением о выдаче судебного приказа{applied}; {order} отменён определением "
            f"от {date_short(cancel.date)} в связи с поступлением возражений должника ({article}).")
