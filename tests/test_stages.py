"""The procedure engine: every stage of one case, illegal events, payments, instalments, the agenda."""
import json
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner

from kezdocs.cli import main
from kezdocs.core.model import (EVENTS, Basis, BasisKind, Case, Charge, Debtor, DebtorType, Event, Instalment, Officer,
                                Payment, PenaltyTerms)
from kezdocs.core.route import Price, decide, route_for
from kezdocs.core.stages import STAGES, Thresholds, agenda, assess, group_by_officer
from kezdocs.core.workdays import DEFAULT, calendar_from_data
from kezdocs.demo import example_card

D = date
R = Decimal


def make_case(events=(), payments=(), charges=None, *, claim_required=True, voluntary_days=None,
              debtor_type=DebtorType.PERSON, accounts=(), basis="договор аренды", number="12/2024",
              officer="Иванова Мария Петровна", basis_kind=BasisKind.PROPERTY_RENT):
    line = iter(range(40, 200))
    return Case(
        number=number, administrator="Администрация", officer=Officer(officer),
        debtor=Debtor(debtor_type, "Петров Пётр Петрович", bank_accounts=tuple(accounts)),
        basis=Basis(basis, "7", D(2023, 1, 10), claim_required, voluntary_days,
                    kind=basis_kind),
        kbk="90311105034140000120", penalty=PenaltyTerms(),
        charges=tuple(charges or (Charge("март 2024", R("45000"), D(2024, 3, 15)),)),
        payments=tuple(payments),
        events=tuple(Event(e[0], e[1], dict(e[2]) if len(e) > 2 else {},
                           schedule=tuple(e[3]) if len(e) > 3 else (), line=next(line)) for e in events),
        source="12-2024 Петров/дело.yaml",
    )


# One case from the due date to closing; each row adds one event (or none) and looks on `today`.
WALK = [
    # event, today, stage, deadline
    (None, D(2024, 3, 15), "current", None),
    (None, D(2024, 3, 16), "overdue", D(2024, 4, 15)),                      # 4.2: 30 days from 16.03
    ((D(2024, 4, 15), "claim_sent"), D(2024, 4, 20), "claim_sent", D(2024, 5, 15)),  # 4.5
    ((D(2024, 4, 25), "claim_delivered"), D(2024, 5, 15), "claim_sent", D(2024, 5, 15)),
    (None, D(2024, 5, 16), "voluntary_expired", D(2024, 5, 22)),            # 6.1: 5 working days
    ((D(2024, 5, 20), "memo_sent"), D(2024, 5, 21), "memo_sent", None),
    ((D(2024, 5, 27), "decision_taken"), D(2024, 5, 28), "decision_taken", D(2024, 6, 10)),  # 6.3: 10 wd
    ((D(2024, 6, 5), "court_order_filed"), D(2024, 6, 6), "court_order_requested", None),
    ((D(2024, 6, 20), "court_order_issued"), D(2024, 6, 21), "court_order_issued", None),
    ((D(2024, 7, 5), "court_order_cancelled"), D(2024, 7, 8), "court_order_cancelled", D(2024, 7, 19)),
    ((D(2024, 7, 15), "lawsuit_filed"), D(2024, 7, 16), "in_court", None),
    ((D(2024, 9, 2), "judgment", {"result": "rejected"}), D(2024, 9, 3), "rejected", D(2024, 10, 2)),  # 5.4
    ((D(2024, 9, 20), "appeal_filed"), D(2024, 9, 21), "appeal", None),
    ((D(2024, 11, 15), "judgment", {"result": "granted"}), D(2024, 11, 18), "judgment", None),
    ((D(2024, 12, 16), "judgment_in_force"), D(2024, 12, 17), "in_force", None),
    ((D(2024, 12, 20), "writ_received"), D(2024, 12, 20), "writ_received", D(2025, 1, 9)),  # 7.1: 14 days
    ((D(2024, 12, 23), "head_instruction"), D(2024, 12, 23), "writ_received", D(2024, 12, 28)),  # 6.6
    ((D(2024, 12, 26), "sent_to_bank"), D(2024, 12, 27), "at_bank", None),
    ((D(2025, 2, 3), "bank_returned"), D(2025, 2, 4), "bank_returned", D(2025, 2, 17)),
    ((D(2025, 2, 10), "sent_to_bailiffs"), D(2025, 2, 11), "at_bailiffs", None),
    ((D(2025, 2, 20), "enforcement_opened"), D(2025, 2, 21), "enforcement", None),
    ((D(2025, 4, 1), "info_request_sent"), D(2025, 4, 2), "enforcement", None),
    ((D(2025, 5, 5), "complaint_filed"), D(2025, 5, 6), "enforcement", None),
    ((D(2025, 6, 2), "enforcement_ended"), D(2025, 6, 3), "enforcement_ended", None),
    ((D(2025, 7, 1), "sent_to_bailiffs"), D(2025, 7, 2), "at_bailiffs", None),
    ((D(2025, 7, 10), "enforcement_opened"), D(2025, 7, 11), "enforcement", None),
]


@pytest.mark.parametrize("upto", range(len(WALK)), ids=[f"{i:02d}-{row[2]}" for i, row in enumerate(WALK)])
def test_walk_through_every_stage(upto):
    events = [row[0] for row in WALK[: upto + 1] if row[0]]
    _, today, stage, deadline = WALK[upto]
    a = assess(make_case(events, accounts=("40702810000000000001 в ПАО Сбербанк",)), today, DEFAULT)
    assert a.problems == ()
    assert (a.stage, a.deadline) == (stage, deadline)
    assert a.stage_label == STAGES[stage].label
    assert a.deadline_missed is False
    assert (a.next_action is None) == (stage == "current")


def test_the_walked_case_is_paid_and_closed_and_its_history_is_kept():
    events = [row[0] for row in WALK if row[0]]
    case = make_case(events, [Payment(D(2025, 9, 1), R("45000"))], accounts=("40702810000000000001",))
    a = assess(case, D(2025, 9, 2), DEFAULT)
    assert (a.stage, a.next_action, a.debt, a.overdue_debt, a.closed) == ("paid", None, R("0"), R("0"), True)
    done = {(d.step, d.due, d.done_on, d.state) for d in a.deadlines}
    assert ("claim", D(2024, 4, 15), D(2024, 4, 15), "met") in done
    assert ("voluntary", D(2024, 5, 15), None, "missed") in done
    assert ("memo", D(2024, 5, 22), D(2024, 5, 20), "met") in done
    assert ("lawsuit", D(2024, 6, 10), D(2024, 6, 5), "met") in done
    assert ("lawsuit", D(2024, 7, 19), D(2024, 7, 15), "met") in done
    assert ("appeal", D(2024, 10, 2), D(2024, 9, 20), "met") in done
    assert ("send_writ", D(2025, 1, 9), D(2024, 12, 26), "met") in done
    assert ("send_writ_instruction", D(2024, 12, 28), D(2024, 12, 26), "met") in done
    assert ("send_writ", D(2025, 2, 17), D(2025, 2, 10), "met") in done


def test_writ_action_names_the_bank_when_accounts_are_known_else_the_bailiffs():
    events = [(D(2024, 12, 16), "judgment_in_force"), (D(2024, 12, 20), "writ_received")]
    pre = [row[0] for row in WALK[:14] if row[0]]
    with_bank = assess(make_case(pre + events, accounts=("40702810000000000001",)), D(2024, 12, 21), DEFAULT)
    without = assess(make_case(pre + events), D(2024, 12, 21), DEFAULT)
    assert "в банк должника" in with_bank.next_action and "40702810000000000001" in with_bank.next_action
    assert without.next_action == "направить исполнительный документ в ФССП (229-ФЗ ст. 30, п. 7.1)"
    assert without.clause == "7.1"


def test_missed_deadline_is_flagged():
    a = assess(make_case(), D(2024, 4, 16), DEFAULT)
    assert (a.stage, a.deadline, a.deadline_missed, a.clause) == ("overdue", D(2024, 4, 15), True, "4.2")
    assert a.deadlines[-1].state == "missed"
    late = assess(make_case([(D(2024, 4, 20), "claim_sent")]), D(2024, 4, 21), DEFAULT)
    assert [(d.step, d.state) for d in late.deadlines] == [("claim", "missed"), ("voluntary", "pending")]


def test_contract_voluntary_term_replaces_thirty_days():
    a = assess(make_case([(D(2024, 4, 15), "claim_sent")], voluntary_days=10), D(2024, 4, 20), DEFAULT)
    assert a.deadline == D(2024, 4, 25)
    assert assess(make_case([(D(2024, 4, 15), "claim_sent")], voluntary_days=10),
                  D(2024, 4, 26), DEFAULT).stage == "voluntary_expired"


# Each illegal event: (events before, the event, the stage it was refused in, today).
ILLEGAL = [
    ([], (D(2024, 3, 10), "claim_sent"), "current", D(2024, 3, 20)),
    ([], (D(2024, 4, 1), "lawsuit_filed"), "overdue", D(2024, 4, 2)),
    ([], (D(2024, 4, 1), "memo_sent"), "overdue", D(2024, 4, 2)),
    ([(D(2024, 4, 15), "claim_sent")], (D(2024, 5, 6), "memo_sent"), "claim_sent", D(2024, 5, 7)),
    ([(D(2024, 4, 15), "claim_sent")], (D(2024, 5, 17), "decision_taken"), "voluntary_expired", D(2024, 5, 18)),
    ([(D(2024, 4, 15), "claim_sent"), (D(2024, 5, 20), "memo_sent")], (D(2024, 5, 21), "judgment", {"result": "granted"}),
     "memo_sent", D(2024, 5, 22)),
    ([(D(2024, 4, 15), "claim_sent"), (D(2024, 5, 20), "memo_sent"), (D(2024, 5, 27), "decision_taken"),
      (D(2024, 6, 5), "lawsuit_filed")], (D(2024, 6, 20), "writ_received"), "in_court", D(2024, 6, 21)),
    ([(D(2024, 4, 15), "claim_sent"), (D(2024, 5, 20), "memo_sent"), (D(2024, 5, 27), "decision_taken"),
      (D(2024, 6, 5), "lawsuit_filed")], (D(2024, 6, 20), "court_order_cancelled"), "in_court", D(2024, 6, 21)),
    ([(D(2024, 4, 1), "written_off")], (D(2024, 4, 15), "claim_sent"), "written_off", D(2024, 4, 16)),
    ([], (D(2024, 4, 1), "sent_to_bailiffs"), "overdue", D(2024, 4, 2)),
    ([], (D(2024, 4, 1), "enforcement_ended"), "overdue", D(2024, 4, 2)),
]


@pytest.mark.parametrize("before, event, stage, today", ILLEGAL, ids=[f"{r[1][1]}-in-{r[2]}" for r in ILLEGAL])
def test_illegal_event_is_a_problem_naming_stage_and_event(before, event, stage, today):
    case = make_case([*before, event])
    a = assess(case, today, DEFAULT)
    assert len(a.problems) == 1
    problem = a.problems[0]
    assert problem.file == case.source and problem.line == case.events[-1].line
    assert f"на стадии «{STAGES[stage].label}»" in problem.message
    assert f"«{EVENTS[event[1]]}» {event[0]:%d.%m.%Y} недопустимо" in problem.message
    assert a.stage == assess(make_case(before), today, DEFAULT).stage  # the refused event does not move the case


def test_cancelling_a_court_order_needs_one():
    events = [row[0] for row in WALK[:7] if row[0]] + [(D(2024, 6, 5), "lawsuit_filed"),
                                                       (D(2024, 7, 1), "judgment", {"result": "granted"}),
                                                       (D(2024, 8, 1), "writ_received"),
                                                       (D(2024, 8, 5), "court_order_cancelled")]
    a = assess(make_case(events), D(2024, 8, 6), DEFAULT)
    assert a.stage == "writ_received"
    assert [p.message for p in a.problems] == [
        "событие «судебный приказ отменен» 05.08.2024 недопустимо на стадии «исполнительный документ получен»: "
        "судебный приказ по делу не выносился"]


def test_future_event_is_reported_and_ignored():
    a = assess(make_case([(D(2024, 4, 15), "claim_sent")]), D(2024, 4, 1), DEFAULT)
    assert a.stage == "overdue"
    assert "позже сегодняшнего дня" in a.problems[0].message


def test_partial_payments_leave_the_rest_to_drive_the_procedure():
    payments = [Payment(D(2024, 4, 1), R("20000"))]
    a = assess(make_case([(D(2024, 4, 15), "claim_sent")], payments), D(2024, 5, 16), DEFAULT)
    assert (a.stage, a.debt, a.overdue_debt, a.overdue_since) == ("voluntary_expired", R("25000"), R("25000"), D(2024, 3, 16))
    payments.append(Payment(D(2024, 5, 10), R("25000")))
    a = assess(make_case([(D(2024, 4, 15), "claim_sent")], payments), D(2024, 5, 16), DEFAULT)
    assert (a.stage, a.debt, a.deadline, a.overdue_since) == ("paid", R("0"), None, None)
    assert ("voluntary", D(2024, 5, 15), D(2024, 5, 10), "met") in {(d.step, d.due, d.done_on, d.state) for d in a.deadlines}


def test_paid_in_court_means_withdraw_the_claim():
    events = [(D(2024, 4, 15), "claim_sent"), (D(2024, 5, 20), "memo_sent"), (D(2024, 5, 27), "decision_taken"),
              (D(2024, 6, 5), "lawsuit_filed")]
    paid = [Payment(D(2024, 7, 1), R("45000"))]
    a = assess(make_case(events, paid), D(2024, 7, 2), DEFAULT)
    assert (a.stage, a.next_action, a.clause) == ("paid_in_court", "заявить об отказе от иска (п. 5.6)", "5.6")
    a = assess(make_case([*events, (D(2024, 7, 3), "claim_withdrawn")], paid), D(2024, 7, 4), DEFAULT)
    assert (a.stage, a.closed, a.problems) == ("withdrawn", True, ())


@pytest.mark.parametrize("penalty, stage, documents", [
    # Everything claimed is paid: withdraw the claim in full (п. 5.6).
    ("0", "paid_in_court", ("withdrawal",)),
    # The penalty sued for is not paid: a withdrawal would give it up, so the claim is reduced to it
    # (ГПК РФ ст. 39 ч. 1, АПК РФ ст. 49 ч. 1).
    ("1350.00", "principal_paid_in_court", ("reduction",)),
])
def test_paid_principal_in_court_reduces_the_claim_while_the_penalty_is_unpaid(penalty, stage, documents):
    events = [(D(2024, 4, 15), "claim_sent"), (D(2024, 5, 20), "memo_sent"), (D(2024, 5, 27), "decision_taken"),
              (D(2024, 6, 5), "lawsuit_filed")]
    paid = [Payment(D(2024, 7, 1), R("45000"))]
    a = assess(make_case(events, paid), D(2024, 7, 2), DEFAULT, penalty=R(penalty))
    assert (a.stage, a.documents, a.closed) == (stage, documents, False)
    if documents == ("reduction",):
        assert a.next_action == "заявить об уменьшении исковых требований (ГПК РФ ст. 39 / АПК РФ ст. 49)"
    a = assess(make_case([*events, (D(2024, 7, 3), "claim_withdrawn")], paid), D(2024, 7, 4), DEFAULT,
               penalty=R(penalty))
    assert (a.stage, a.problems) == ("withdrawn", ())


def test_paid_before_the_claim_closes_and_a_new_overdue_reopens():
    charges = [Charge("март", R("10000"), D(2024, 3, 15)), Charge("апрель", R("10000"), D(2024, 4, 15))]
    payments = [Payment(D(2024, 3, 20), R("10000"))]
    a = assess(make_case(charges=charges, payments=payments), D(2024, 3, 25), DEFAULT)
    assert (a.stage, a.debt, a.overdue_debt) == ("current", R("10000"), R("0"))
    a = assess(make_case(charges=charges, payments=payments), D(2024, 4, 16), DEFAULT)
    assert (a.stage, a.overdue_since, a.deadline) == ("overdue", D(2024, 4, 16), D(2024, 5, 16))


def test_claim_not_required_goes_to_court_after_thirty_days():
    a = assess(make_case(claim_required=False), D(2024, 3, 20), DEFAULT)
    assert (a.stage, a.deadline, a.clause) == ("overdue_no_claim", D(2024, 4, 22), "6.1")
    a = assess(make_case(claim_required=False), D(2024, 4, 16), DEFAULT)
    assert (a.stage, a.deadline) == ("voluntary_expired", D(2024, 4, 22))
    a = assess(make_case([(D(2024, 4, 18), "memo_sent")], claim_required=False), D(2024, 4, 19), DEFAULT)
    assert (a.stage, a.problems) == ("memo_sent", ())
    assert ("memo", D(2024, 4, 22), "met") in {(d.step, d.due, d.state) for d in a.deadlines}


def test_several_charges_the_oldest_overdue_drives_the_deadlines():
    charges = [Charge("февраль", R("10000"), D(2024, 2, 29)), Charge("январь", R("10000"), D(2024, 1, 31))]
    a = assess(make_case(charges=charges), D(2024, 3, 5), DEFAULT)
    assert (a.overdue_since, a.deadline, a.overdue_debt) == (D(2024, 2, 1), D(2024, 3, 4), R("20000"))
    paid_january = [Payment(D(2024, 3, 5), R("10000"))]
    a = assess(make_case(charges=charges, payments=paid_january), D(2024, 3, 6), DEFAULT)
    assert (a.overdue_since, a.deadline, a.overdue_debt) == (D(2024, 3, 1), D(2024, 4, 1), R("10000"))


SCHEDULE = [Instalment(D(2024, 4, 30), R("15000")), Instalment(D(2024, 5, 31), R("15000")),
            Instalment(D(2024, 6, 28), R("15000"))]
GRANTED = [(D(2024, 4, 1), "instalment_granted", {}, SCHEDULE)]


def test_instalment_kept():
    payments = [Payment(D(2024, 4, 25), R("15000")), Payment(D(2024, 5, 30), R("15000"))]
    a = assess(make_case(GRANTED, payments), D(2024, 6, 10), DEFAULT)
    assert (a.stage, a.deadline, a.debt) == ("instalment", D(2024, 6, 28), R("15000"))
    assert a.next_action == "контролировать платёж по графику рассрочки: 15 000,00 руб. до 28.06.2024"
    assert [d.state for d in a.deadlines if d.step == "instalment"] == ["met", "met", "pending"]
    a = assess(make_case(GRANTED, [*payments, Payment(D(2024, 6, 27), R("15000"))]), D(2024, 7, 1), DEFAULT)
    assert a.stage == "paid"


def test_instalment_broken_makes_the_rest_overdue_again():
    payments = [Payment(D(2024, 4, 25), R("15000"))]
    a = assess(make_case(GRANTED, payments), D(2024, 6, 3), DEFAULT)
    assert (a.stage, a.debt, a.deadline, a.clause) == ("instalment_broken", R("30000"), D(2024, 7, 1), "4.2")
    assert [d.state for d in a.deadlines if d.step == "instalment"] == ["met", "missed", "pending"]
    a = assess(make_case([*GRANTED, (D(2024, 6, 10), "claim_sent")], payments), D(2024, 6, 11), DEFAULT)
    assert (a.stage, a.deadline, a.problems) == ("claim_sent", D(2024, 7, 10), ())


def test_judgment_partly_granted_offers_appeal_and_the_writ():
    events = [row[0] for row in WALK[:11] if row[0]] + [(D(2024, 9, 2), "judgment", {"result": "partly"})]
    a = assess(make_case(events), D(2024, 9, 3), DEFAULT)
    assert (a.stage, a.deadline, a.clause) == ("judgment", D(2024, 10, 2), "5.4")
    assert "в части отказа" in a.next_action


def test_decision_action_names_the_route():
    events = [(D(2024, 4, 15), "claim_sent"), (D(2024, 5, 20), "memo_sent"), (D(2024, 5, 27), "decision_taken")]
    a = assess(make_case(events), D(2024, 5, 28), DEFAULT)
    assert a.next_action == "подготовить и подать заявление о выдаче судебного приказа мировому судье (п. 5.2, 6.3)"
    assert a.officer == "Иванова Мария Петровна"


@pytest.mark.parametrize("debtor, amount, deal, cancelled, expected", [
    (DebtorType.PERSON, "45000", True, False, "заявление о выдаче судебного приказа мировому судье (ГПК РФ ст. 121, 23)"),
    (DebtorType.PERSON, "45000", False, False, "исковое заявление мировому судье (ГПК РФ ст. 23 ч. 1 п. 5)"),
    (DebtorType.PERSON, "45000", True, True, "исковое заявление мировому судье (ГПК РФ ст. 23 ч. 1 п. 5)"),
    (DebtorType.PERSON, "60000", False, False, "исковое заявление в районный суд (ГПК РФ ст. 24)"),
    (DebtorType.PERSON, "600000", True, False, "исковое заявление в районный суд (ГПК РФ ст. 24)"),
    (DebtorType.LEGAL, "400000", True, False, "заявление о выдаче судебного приказа в арбитражный суд (АПК РФ ст. 229.2)"),
    (DebtorType.ENTREPRENEUR, "600000", True, False, "исковое заявление в арбитражный суд (АПК РФ ст. 125, 126)"),
])
def test_route_hint(debtor, amount, deal, cancelled, expected):
    # ГПК РФ ст. 122, АПК РФ ст. 229.2: a court order only on a written transaction — the basis kind says so
    case = make_case(debtor_type=debtor, basis="договор аренды" if deal else "акт о причинении ущерба",
                     basis_kind=BasisKind.PROPERTY_RENT if deal else BasisKind.DAMAGES)
    hint = route_for(case, Price(R(amount), R("0"), R("0")), Thresholds(), cancelled).label
    assert hint.startswith(expected)


def test_route_thresholds_come_from_settings():
    low = Thresholds(court_order=R("500000"), magistrate=R("50000"), arbitration_order=R("100000"))
    legal = make_case(debtor_type=DebtorType.LEGAL)
    assert route_for(legal, Price(R("400000"), R("0"), R("0")), low).label.startswith("исковое заявление в арбитражный суд")
    assert decide(make_case(), R("0"), R("0"), low) is None
    a = assess(make_case(debtor_type=DebtorType.LEGAL, charges=[Charge("2024", R("400000"), D(2024, 3, 15))]),
               D(2024, 3, 20), DEFAULT, low)
    assert a.route.label == "исковое заявление в арбитражный суд (АПК РФ ст. 125, 126): 400 000,00 руб."


def test_calendar_overrides_move_deadlines():
    cal, _ = calendar_from_data({"нерабочие_дни": ["2024-04-15"]})
    assert assess(make_case(), D(2024, 3, 20), cal).deadline == D(2024, 4, 16)


def test_agenda_groups_by_officer_and_sorts_by_deadline():
    today = D(2024, 4, 10)
    cases = [
        make_case(number="1", officer="Сидоров"),  # overdue: claim by 15.04.2024
        make_case(number="2", officer="Иванова", charges=[Charge("январь", R("1000"), D(2024, 1, 31))]),  # 04.03: missed
        make_case([(D(2024, 4, 1), "claim_sent")], number="3", officer="Иванова"),  # voluntary until 02.05.2024
        make_case(number="4", officer="Иванова", payments=[Payment(D(2024, 3, 1), R("45000"))]),  # paid
    ]
    pairs = [(c, assess(c, today, DEFAULT)) for c in cases]
    items = agenda(pairs, today, 7)
    assert [(i.officer, i.case, i.deadline, i.missed) for i in items] == [
        ("Иванова", "2", D(2024, 3, 4), True),
        ("Сидоров", "1", D(2024, 4, 15), False),
    ]
    assert items[0].clause == "4.2" and items[0].action.startswith("направить требование")
    longer = agenda([a for _, a in pairs], today, 30)
    assert [i.case for i in longer] == ["2", "3", "1"]
    assert [(officer, [i.case for i in group]) for officer, group in group_by_officer(longer)] == [
        ("Иванова", ["2", "3"]), ("Сидоров", ["1"])]


def test_every_stage_is_reachable_and_every_target_exists():
    targets = {t for s in STAGES.values() for t in s.on.values()} - {"@result"}
    assert targets <= set(STAGES)
    reached = {row[2] for row in WALK} | {"paid", "written_off", "withdrawn", "paid_in_court",
                                          "principal_paid_in_court", "instalment",
                                          "instalment_broken", "overdue_no_claim", "voluntary_expired", "at_bank"}
    assert reached == set(STAGES)


def test_agenda_command_reads_the_root(tmp_path):
    card = example_card()
    (tmp_path / "2024-001 Ромашка").mkdir()
    (tmp_path / "2024-001 Ромашка" / "дело.yaml").write_text(card, encoding="utf-8")
    overdue = card.replace("номер: 2024-001", "номер: 2024-002").replace("Иванова Мария Петровна", "Сидоров Илья")
    overdue = overdue[: overdue.index("события:")]
    (tmp_path / "2024-002 Лютик").mkdir()
    (tmp_path / "2024-002 Лютик" / "дело.yaml").write_text(overdue, encoding="utf-8")
    args = ["agenda", "--root", str(tmp_path), "--today", "2024-04-20", "--days", "30"]
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {"case": "2024-001", "action": "контролировать добровольную оплату по претензии (п. 4.5)",
         "deadline": "2024-05-15", "missed": False, "clause": "4.5", "officer": "Иванова Мария Петровна"},
        # Due Sunday 10.03.2024: by ГК РФ ст. 193 payable on Monday 11.03, overdue from 12.03, so the claim term of
        # п. 4.2 ends 11.04 (the old 10.04, counted from 11.03, was wrong).
        {"case": "2024-002", "action": "направить требование (претензию) должнику по всем адресам (п. 4.4, 4.5)",
         "deadline": "2024-04-11", "missed": True, "clause": "4.2", "officer": "Сидоров Илья"},
    ]
    text = CliRunner().invoke(main, args).stdout
    assert "Сидоров Илья" in text and "11.04.2024 просрочено" in text


# --- projected terms (issue 14, item 16): what follows if nothing is paid, so officers can plan ahead ---------

def test_while_the_voluntary_term_runs_the_memo_and_court_dates_are_projected():
    a = assess(make_case([(D(2024, 4, 15), "claim_sent")]), D(2024, 4, 20), DEFAULT)
    assert [(d.step, d.due, d.state) for d in a.deadlines] == [
        ("claim", D(2024, 4, 15), "met"), ("voluntary", D(2024, 5, 15), "pending")]
    assert a.deadline == D(2024, 5, 15)
    # 6.1: the memo within 5 working days after the voluntary period (15.05.2024) — 22.05.2024;
    # 6.3: the court within 10 working days of a decision taken that day — 05.06.2024 (the same dates the
    # walk above reaches when nothing is paid).
    assert [(d.step, d.due, d.state, d.clause) for d in a.projected] == [
        ("memo", D(2024, 5, 22), "projected", "6.1"), ("lawsuit", D(2024, 6, 5), "projected", "5.2, 6.3")]


def test_before_the_claim_the_whole_chain_is_projected_and_a_closed_case_projects_nothing():
    a = assess(make_case(), D(2024, 3, 20), DEFAULT)
    assert [(d.step, d.due) for d in a.projected] == [
        ("voluntary", D(2024, 5, 15)), ("memo", D(2024, 5, 22)), ("lawsuit", D(2024, 6, 5))]
    paid = assess(make_case(payments=[Payment(D(2024, 3, 20), R("45000"))]), D(2024, 3, 25), DEFAULT)
    assert paid.projected == ()


def test_status_json_lists_projected_terms_after_the_running_ones(tmp_path):
    (tmp_path / "дело 1").mkdir()
    (tmp_path / "дело 1" / "дело.yaml").write_text(example_card(), encoding="utf-8")
    result = CliRunner().invoke(main, ["status", "--root", str(tmp_path), "--today", "2024-03-20", "--json"])
    deadlines = json.loads(result.stdout)[0]["deadlines"]
    states = [d["state"] for d in deadlines]
    assert "projected" in states and states.index("projected") > 0
    assert all(s == "projected" for s in states[states.index("projected"):])
