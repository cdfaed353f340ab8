"""The court route: which proceeding, in which court, for what price of the claim — decided in one place.

`decide` is the only function in kezdocs that chooses between a court order and
a lawsuit and between the magistrate, the district court and the arbitration
court. `status` (the assessment's route), the memo, every court document,
`check` and `package` read the `Route` it returns; none of them decides again.

The thresholds apply to the price of the claim — everything claimed: the
debt, the penalty or interest, the fines (ГПК РФ ст. 91 ч. 1 п. 1; АПК РФ
ст. 103 ч. 1 п. 1). They are settings (`settings.Thresholds`) because they
change with the law.

Pure: the case, the sums and the thresholds come in; a frozen `Route` comes out.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from kezdocs.core.basis_kinds import written_deal
from kezdocs.core.model import Case, DebtorType, Event, PenaltyMethod
from kezdocs.core.money import ZERO, as_text, format_rub
from kezdocs.core.settings import Thresholds

__all__ = ["ORDER", "LAWSUIT", "MAGISTRATE", "DISTRICT", "ARBITRATION", "ORDER_CANCELLED", "Price", "Route", "decide",
           "lawsuit_refusal", "price_of", "route_for"]

# The proceedings, named by the document kind (and checklist step) each one files.
ORDER, LAWSUIT = "court-order", "lawsuit"
# The court levels, named by their keys in the settings («суды: мировой: …»).
MAGISTRATE, DISTRICT, ARBITRATION = "мировой", "районный", "арбитражный"

ORDER_CANCELLED = "court_order_cancelled"  # the event «судебный приказ отменен»; its date is the ruling's



@dataclass(frozen=True)
class Price:
    """The price of the claim as ГПК РФ ст. 91 ч. 1 п. 1 (АПК РФ ст. 103 ч. 1 п. 1) counts it: all that is claimed."""

    debt: Decimal  # the overdue principal
    penalty: Decimal  # the penalty (пени) or the interest of ГК РФ ст. 395
    fines: Decimal  # fines (штрафные санкции) of the card
    penalty_label: str = "пени"  # «пени» or «проценты» — for display

    @property
    def total(self) -> Decimal:
        return self.debt + self.penalty + self.fines

    def text(self) -> str:
        """«51 024,00 руб. (долг 48 000,00 + пени 3 024,00)»; just the total when only the debt is claimed."""
        parts = [(label, amount) for label, amount in (("долг", self.debt), (self.penalty_label, self.penalty),
                                                       ("штрафы", self.fines)) if amount > ZERO]
        detail = "" if len(parts) < 2 else " (" + " + ".join(f"{label} {format_rub(a)}" for label, a in parts) + ")"
        return f"{format_rub(self.total)} руб.{detail}"

    def as_json(self) -> dict:
        return {"debt": as_text(self.debt), "penalty": as_text(self.penalty), "fines": as_text(self.fines),
                "total": as_text(self.total)}


@dataclass(frozen=True)
class Route:
    """Where the claim goes: the proceeding, the court level, the price, and the rule applied (for display)."""

    proceeding: str  # ORDER or LAWSUIT
    order_court: str  # the court of a court order for this debtor
    lawsuit_court: str  # the court of a lawsuit at this price (also after an order is cancelled)
    price: Price
    threshold: Decimal | None  # the threshold the price was compared with (None: none applied)
    articles: str  # the articles applied, as the label cites them
    label: str  # the Russian sentence `status` shows

    @property
    def court(self) -> str:
        """The court level of the route's own proceeding (a key of the settings «суды»)."""
        return self.court_for(self.proceeding)

    @property
    def order(self) -> bool:
        return self.proceeding == ORDER

    def court_for(self, proceeding: str) -> str:
        """The court of `proceeding` — of a document written for the other proceeding too."""
        return self.order_court if proceeding == ORDER else self.lawsuit_court

    @property
    def document(self) -> str:
        """The document and its addressee, without the article: «исковое заявление в районный суд»."""
        return self.label.split(" (", 1)[0]

    def as_json(self) -> dict:
        return {"proceeding": self.proceeding, "court": self.court, "order_court": self.order_court,
                "lawsuit_court": self.lawsuit_court, "price": self.price.as_json(),
                "threshold": as_text(self.threshold) if self.threshold is not None else None,
                "articles": self.articles, "label": self.label}


def price_of(case: Case, overdue_debt: Decimal, penalty: Decimal) -> Price:
    """What is claimed today: the overdue debt, the penalty or interest, the card's fines."""
    label = "проценты" if case.penalty.method is PenaltyMethod.ARTICLE_395 else "пени"
    return Price(overdue_debt, penalty, case.fines, label)


def decide(case: Case, overdue_debt: Decimal, penalty: Decimal, thresholds: Thresholds = Thresholds(),
           order_cancelled: bool = False) -> Route | None:
    """The route of the case's claim; None when no overdue debt or fine is claimed.

    `penalty` is the penalty or interest on the same day as `overdue_debt`
    (`penalty.for_case(...).total`): it is part of the price of the claim.
    `order_cancelled`: a court order was issued and cancelled, so only a lawsuit is left.
    A penalty left after the debt is paid is not routed (the procedure closes such a case, as before).
    """
    if overdue_debt + case.fines <= ZERO:
        return None
    return route_for(case, price_of(case, overdue_debt, penalty), thresholds, order_cancelled)


def route_for(case: Case, price: Price, thresholds: Thresholds = Thresholds(), order_cancelled: bool = False) -> Route:
    """The route at a given price: the rules themselves (`decide` adds when there is nothing to claim)."""
    amount = price.total  # ГПК РФ ст. 91 ч. 1 п. 1; АПК РФ ст. 103 ч. 1 п. 1: debt + penalty/interest + fines
    # A court order needs a claim on a written transaction (ГПК РФ ст. 122; АПК РФ ст. 229.2 п. 1);
    # once cancelled, the claim goes by lawsuit (ГПК РФ ст. 129; АПК РФ ст. 229.5 ч. 4).
    order_ok = written_deal(case.basis, case.kbk) and not order_cancelled
    if case.debtor.type in (DebtorType.LEGAL, DebtorType.ENTREPRENEUR):
        return _arbitration(price, amount, thresholds, order_ok)  # АПК РФ ст. 27, 28: organisations and ИП
    return _general(price, amount, thresholds, order_ok)


def _arbitration(price: Price, amount: Decimal, thresholds: Thresholds, order_ok: bool) -> Route:
    limit = thresholds.arbitration_order
    if order_ok and amount <= limit:  # АПК РФ ст. 229.2: an arbitration court order up to the threshold
        return Route(ORDER, ARBITRATION, ARBITRATION, price, limit, "АПК РФ ст. 229.2",
                     f"заявление о выдаче судебного приказа в арбитражный суд (АПК РФ ст. 229.2): "
                     f"{price.text()} не более {format_rub(limit)} руб.")
    return Route(LAWSUIT, ARBITRATION, ARBITRATION, price, limit if order_ok else None, "АПК РФ ст. 125, 126",
                 f"исковое заявление в арбитражный суд (АПК РФ ст. 125, 126): {price.text()}")


def _general(price: Price, amount: Decimal, thresholds: Thresholds, order_ok: bool) -> Route:
    magistrate = thresholds.magistrate
    # ГПК РФ ст. 23 ч. 1 п. 5: property disputes up to the threshold go to the magistrate; above it,
    # the district court (ГПК РФ ст. 24).
    lawsuit_court = MAGISTRATE if amount <= magistrate else DISTRICT
    if order_ok and amount <= thresholds.court_order:  # ГПК РФ ст. 121: a court order up to the threshold
        # ГПК РФ ст. 23 ч. 1 п. 1: a court order is always the magistrate's.
        return Route(ORDER, MAGISTRATE, lawsuit_court, price, thresholds.court_order, "ГПК РФ ст. 121, 23",
                     f"заявление о выдаче судебного приказа мировому судье (ГПК РФ ст. 121, 23): "
                     f"{price.text()} не более {format_rub(thresholds.court_order)} руб.")
    if lawsuit_court == MAGISTRATE:
        return Route(LAWSUIT, MAGISTRATE, lawsuit_court, price, magistrate, "ГПК РФ ст. 23 ч. 1 п. 5",
                     f"исковое заявление мировому судье (ГПК РФ ст. 23 ч. 1 п. 5): "
                     f"цена иска {price.text()} не более {format_rub(magistrate)} руб.")
    return Route(LAWSUIT, MAGISTRATE, lawsuit_court, price, magistrate, "ГПК РФ ст. 24",
                 f"исковое заявление в районный суд (ГПК РФ ст. 24): "
                 f"цена иска {price.text()} больше {format_rub(magistrate)} руб.")


def lawsuit_refusal(route: Route | None, events: Iterable[Event]) -> str | None:
    """Why a lawsuit may not be written now (in Russian, for the user), or None when it may.

    Court order first: a claim that belongs to a court order, brought as a lawsuit, is returned
    (ГПК РФ ст. 135 ч. 1 п. 1.1) or left without consideration (АПК РФ ст. 148 ч. 1 п. 2.1). Only a
    cancelled order (the event «судебный приказ отменен», ГПК РФ ст. 129; АПК РФ ст. 229.5 ч. 4) opens the
    lawsuit; the user may still force it (each interface says how).
    """
    if route is None or not route.order or any(e.kind == ORDER_CANCELLED for e in events):
        return None
    if route.order_court == ARBITRATION:
        consequence = ("иск по такому требованию оставляется без рассмотрения (АПК РФ ст. 148 ч. 1 п. 2.1; "
                       "приказное производство — АПК РФ ст. 229.2)")
    else:
        consequence = ("иск по такому требованию возвращается (ГПК РФ ст. 135 ч. 1 п. 1.1; "
                       "приказное производство — ГПК РФ ст. 121, 122)")
    return (f"исковое заявление не сформировано: требование подлежит рассмотрению в порядке приказного "
            f"производства — {route.label}; {consequence}. Сначала подайте заявление о выдаче судебного приказа. "
            f"Если приказ отменён, запишите событие «судебный приказ отменен» с датой определения")
