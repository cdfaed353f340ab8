"""Charges and payments: what is owed on each charge on any day.

Payments go to the oldest charge first unless the payer named the charge
(a payment made on day P reduces the debt from P + 1, see `penalty`). A charge
is overdue from the day after its last day to pay — its due date, moved to the
next working day when it falls on a day off (ГК РФ ст. 193,
`Calendar.payable_until`): the ledger carries the production calendar. This is
the one place that allocates payments; `penalty`, `stages` and the reports all
read balances from here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kezdocs.core.model import Charge, Payment
from kezdocs.core.workdays import DEFAULT, Calendar

ZERO = Decimal("0")


@dataclass(frozen=True)
class Allocation:
    """A part of one payment applied to one charge."""

    charge_index: int
    date: date
    amount: Decimal


@dataclass(frozen=True)
class Ledger:
    charges: tuple[Charge, ...]
    allocations: tuple[Allocation, ...]
    overpaid: Decimal  # paid beyond every charge
    calendar: Calendar = DEFAULT  # the production calendar: a due date on a day off moves (ГК РФ ст. 193)

    def payable_until(self, index: int) -> date:
        """The last day to pay charge `index` in time (ГК РФ ст. 193: a day off moves it to the next working day)."""
        return self.calendar.payable_until(self.charges[index].due)

    def overdue_from(self, index: int) -> date:
        """The first day of delay of charge `index`: the day after `payable_until` (ГК РФ ст. 193)."""
        return self.calendar.overdue_from(self.charges[index].due)

    def paid_on(self, index: int, until: date | None = None) -> Decimal:
        """What was paid on charge `index` up to and including `until`."""
        return sum(
            (a.amount for a in self.allocations if a.charge_index == index and (until is None or a.date <= until)),
            ZERO,
        )

    def balance(self, index: int, on: date | None = None) -> Decimal:
        """Unpaid part of charge `index` at the end of day `on` (all payments when None)."""
        return self.charges[index].amount - self.paid_on(index, on)

    def outstanding(self, on: date | None = None) -> Decimal:
        """Total unpaid over all charges (charges not yet due included)."""
        return sum((self.balance(i, on) for i in range(len(self.charges))), ZERO)

    def overdue(self, on: date) -> Decimal:
        """Unpaid part of the charges whose last day to pay (`payable_until`) has passed by `on`."""
        return sum(
            (self.balance(i, on) for i in range(len(self.charges)) if self.payable_until(i) < on),
            ZERO,
        )

    def oldest_overdue(self, on: date) -> int | None:
        """Index of the oldest charge still unpaid after its last day to pay (`payable_until`), as of `on`."""
        for i in self.order():
            if self.payable_until(i) < on and self.balance(i, on) > 0:
                return i
        return None

    def paid_in_full_on(self, index: int) -> date | None:
        """The day the charge was fully paid, or None."""
        running = ZERO
        for a in sorted((a for a in self.allocations if a.charge_index == index), key=lambda a: a.date):
            running += a.amount
            if running >= self.charges[index].amount:
                return a.date
        return None

    def order(self) -> list[int]:
        """Charge indexes, oldest due date first (card order breaks ties)."""
        return sorted(range(len(self.charges)), key=lambda i: (self.charges[i].due, i))


def allocate(charges: tuple[Charge, ...], payments: tuple[Payment, ...], calendar: Calendar = DEFAULT) -> Ledger:
    """Apply payments in date order: to the named charge, else oldest charge first; `calendar` decides when a
    charge is overdue (ГК РФ ст. 193)."""
    remaining = [c.amount for c in charges]
    order = sorted(range(len(charges)), key=lambda i: (charges[i].due, i))
    allocations: list[Allocation] = []
    overpaid = ZERO
    for payment in sorted(payments, key=lambda p: p.date):
        left = payment.amount
        named = [i for i in order if payment.charge and charges[i].period == payment.charge]
        for i in named + [i for i in order if i not in named]:
            if left <= 0:
                break
            take = min(left, remaining[i])
            if take > 0:
                allocations.append(Allocation(i, payment.date, take))
                remaining[i] -= take
                left -= take
        overpaid += left
    return Ledger(tuple(charges), tuple(allocations), overpaid, calendar)
