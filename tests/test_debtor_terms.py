"""ГК РФ ст. 193 on the debtor's own terms: a charge or an instalment due on a day off may be paid on the next
working day; the delay — the stage, the claim term of п. 4.2 and the penalty — starts the day after that
(consistent court practice: a delivery due Sunday 05.04.2020 → penalty from 07.04.2020)."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from kezdocs.core import penalty
from kezdocs.core.keyrates import KeyRates
from kezdocs.core.ledger import allocate
from kezdocs.core.model import (Basis, Case, Charge, Debtor, DebtorType, Event, Instalment, Officer, Payment,
                                PenaltyMethod, PenaltyTerms)
from kezdocs.core.stages import assess
from kezdocs.core.workdays import DEFAULT, Calendar

D = date
R = Decimal
ONE = timedelta(days=1)
PERCENT = PenaltyTerms(method=PenaltyMethod.PERCENT, percent=R("0.1"))

# due date, the last day to pay by ГК РФ ст. 193, why
DAYS_OFF = [
    (D(2024, 5, 4), D(2024, 5, 6), "a Saturday"),
    (D(2024, 5, 5), D(2024, 5, 6), "a Sunday"),
    (D(2025, 1, 1), D(2025, 1, 9), "New Year holidays (01.01–08.01.2025)"),
    (D(2024, 5, 10), D(2024, 5, 13), "a transferred day off (ПП РФ от 10.08.2023 № 1314)"),
    (D(2024, 11, 2), D(2024, 11, 2), "a working Saturday: nothing moves"),
    (D(2024, 3, 15), D(2024, 3, 15), "a working Friday: nothing moves"),
]


def make_case(due, payments=(), events=(), terms=PERCENT):
    line = iter(range(40, 200))
    return Case(
        number="1/2024", administrator="Администрация", officer=Officer("Иванова Мария Петровна"),
        debtor=Debtor(DebtorType.PERSON, "Петров Пётр Петрович"),
        basis=Basis("договор аренды", "7", D(2023, 1, 10), True, None), kbk="90311105034140000120",
        penalty=terms, charges=(Charge("долг", R("10000"), due),), payments=tuple(payments),
        events=tuple(Event(e[0], e[1], {}, schedule=tuple(e[2]) if len(e) > 2 else (), line=next(line))
                     for e in events),
        source="1-2024/дело.yaml",
    )


@pytest.mark.parametrize("due, until, why", DAYS_OFF)
def test_the_calendar_moves_the_last_day_to_pay(due, until, why):
    assert DEFAULT.payable_until(due) == until, why
    assert DEFAULT.overdue_from(due) == until + ONE, why


@pytest.mark.parametrize("due, until, why", DAYS_OFF)
def test_a_payment_on_the_moved_day_is_in_time(due, until, why):
    # Paid in full on the last day to pay: the case never became overdue, and no penalty accrues.
    case = make_case(due, [Payment(until, R("10000"))])
    for day in (until, until + ONE):
        a = assess(case, day, DEFAULT)
        assert a.stage == "paid" and a.overdue_since is None, why
        assert not a.deadlines, why  # never overdue: no claim term was ever opened (п. 4.2)
    assert penalty.for_case(case, until + timedelta(days=10), KeyRates([])).total == R("0"), why


@pytest.mark.parametrize("due, until, why", DAYS_OFF)
def test_unpaid_on_the_moved_day_is_overdue_the_next_day(due, until, why):
    case = make_case(due)
    assert assess(case, until, DEFAULT).stage == "current", why
    late = assess(case, until + ONE, DEFAULT)
    assert late.stage == "overdue" and late.overdue_since == until + ONE, why
    assert allocate(case.charges, case.payments).overdue(until) == R("0"), why
    assert allocate(case.charges, case.payments).overdue(until + ONE) == R("10000"), why


@pytest.mark.parametrize("due, until, why", DAYS_OFF)
def test_a_payment_the_day_after_costs_exactly_one_day(due, until, why):
    # 10 000 × 0,1 % × 1 day = 10,00: the only day of delay is the day after the last day to pay.
    case = make_case(due, [Payment(until + ONE, R("10000"))])
    calc = penalty.for_case(case, until + timedelta(days=30), KeyRates([]))
    assert calc.total == R("10.00"), why
    assert [(r.start, r.end, r.days) for r in calc.rows] == [(until + ONE, until + ONE, 1)], why


@pytest.mark.parametrize("due, until, why", DAYS_OFF)
def test_the_claim_term_counts_from_the_day_after_the_moved_day(due, until, why):
    # п. 4.2: the claim within 30 calendar days of the day the debt became overdue (ГК РФ ст. 191, 193).
    a = assess(make_case(due), until + ONE, DEFAULT)
    assert a.deadline == DEFAULT.calendar_deadline(until + ONE, 30), why


def test_the_penalty_uses_the_roots_calendar():
    # A day off the root adds in календарь.yaml moves the debtor's term too (ГК РФ ст. 193).
    due = D(2028, 3, 1)
    extra = Calendar(extra_days_off=frozenset({due}))
    case = make_case(due)
    assert penalty.for_case(case, D(2028, 3, 3), KeyRates([])).total == R("20.00")  # 02.03–03.03
    assert penalty.for_case(case, D(2028, 3, 3), KeyRates([]), extra).total == R("10.00")  # 03.03 only


SUNDAY, MONDAY = D(2024, 6, 30), D(2024, 7, 1)


@pytest.mark.parametrize("paid_on, stage", [
    (MONDAY, "instalment"),  # the instalment due on Sunday paid on Monday: the schedule holds (ГК РФ ст. 193)
    (MONDAY + ONE, "instalment_broken"),  # paid on Tuesday: late, the schedule is broken
])
def test_an_instalment_due_on_a_sunday_may_be_paid_on_monday(paid_on, stage):
    schedule = (Instalment(SUNDAY, R("5000")), Instalment(D(2024, 8, 30), R("5000")))
    case = make_case(D(2024, 3, 15), [Payment(paid_on, R("5000"))],
                     [(D(2024, 4, 1), "claim_sent"), (D(2024, 4, 20), "instalment_granted", schedule)])
    a = assess(case, D(2024, 7, 10), DEFAULT)
    assert a.stage == stage
    first = [d for d in a.deadlines if d.step == "instalment"][0]
    assert first.due == MONDAY  # the last day to pay the Sunday instalment
    assert first.state == ("met" if stage == "instalment" else "missed")
