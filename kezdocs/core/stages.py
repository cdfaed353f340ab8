"""The collection procedure of Regulation No. 779 as a state machine.

The machine is one transition table (`STAGES` below), the single source of
what each stage means: its Russian label, the next action, the clause, the
deadline step it runs (`STEPS`: the rule and its clause), the documents it
calls for (`documents`: kind codes of `kinds.KINDS`), the checklist step
of its folder (`checklist`: a step of `requirements.STEPS`), and the card
events it accepts — `on` moves to another stage, `notes` are recorded without
moving. `COURT` in `documents`/`checklist` is the route's proceeding (court
order or lawsuit, `route.decide`), `WRIT` the bank when the debtor's accounts
are known, else the ФССП. `stage_documents` and `stage_checklist` read them;
nothing else keeps a list of stages. Walking the card's events in order
through the table gives the stage; an event the stage does not accept is a
`Problem` naming the stage and the event, and is skipped.

Besides events, money and time move a case (checked before each event and on
`today`, see `_settle`):
- the overdue debt paid in full closes the case (`paid`), except while a
  lawsuit waits for judgment: then the next action is to withdraw it (5.6);
- a debt not paid by the due date makes the case `overdue` (4.2);
- the voluntary term of a claim ends (4.5), or, when the contract requires
  no claim, 30 days of overdue pass (4.4): `voluntary_expired`;
- a missed instalment makes the rest overdue again (`instalment_broken`).

Pure: `today` and the production calendar are passed in. The module is long
because it is one coherent table (`STEPS` and `STAGES`, half of it) with the
walk that reads it; splitting them would put the states in two places.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Iterable

from kezdocs.core.ledger import Ledger, allocate
from kezdocs.core.model import EVENTS, JUDGMENT_RESULTS, Case, Event, Problem
from kezdocs.core.money import format_rub
from kezdocs.core.route import LAWSUIT, Route, decide
from kezdocs.core.settings import Thresholds
from kezdocs.core.workdays import Calendar

__all__ = ["STAGES", "STEPS", "COURT", "WRIT", "Assessment", "Deadline", "AgendaItem", "Thresholds",
           "allowed_events", "assess", "agenda", "agenda_json", "group_by_officer", "stage_checklist",
           "stage_documents", "stage_label"]

ZERO = Decimal("0")
DEFAULT_VOLUNTARY_DAYS = 30  # п. 4.5
CLAIM_DAYS = 30  # п. 4.2; also the wait before court when no claim is required, п. 4.4
MEMO_WORKING_DAYS = 5  # п. 6.1
LAWSUIT_WORKING_DAYS = 10  # п. 5.2, 6.3
WRIT_DAYS = 14  # п. 7.1
WRIT_INSTRUCTION_WORKING_DAYS = 5  # п. 6.6
APPEAL_MONTHS = 1  # ГПК РФ ст. 321 ч. 2, АПК РФ ст. 259 ч. 1


@dataclass(frozen=True)
class Step:
    """A duty with a term: who counts what from when (shown in the docs and the status)."""

    label: str
    clause: str
    rule: str
    done_by: tuple[str, ...] = ()  # events that fulfil it
    debtor: bool = False  # the debtor's term, not the administration's


STEPS: dict[str, Step] = {
    "claim": Step("направить требование (претензию)", "4.2",
                  "не позднее 30 календарных дней со дня образования просроченной задолженности "
                  "(день после срока уплаты)", ("claim_sent",)),
    "voluntary": Step("добровольная оплата по претензии", "4.5",
                      "30 календарных дней со дня направления претензии (или срок по договору)", debtor=True),
    "memo": Step("служебная записка Главе о принудительном взыскании", "6.1",
                 "не позднее 5 рабочих дней со дня истечения срока добровольной оплаты "
                 "(без претензии — 30 дней просрочки, п. 4.4)", ("memo_sent",)),
    "lawsuit": Step("подать иск или заявление о выдаче судебного приказа", "5.2, 6.3",
                    "не позднее 10 рабочих дней со дня решения Главы (после отмены приказа — со дня отмены)",
                    ("lawsuit_filed", "court_order_filed")),
    "appeal": Step("обжаловать решение суда при наличии оснований", "5.4",
                   "1 месяц со дня решения (ГПК РФ ст. 321, АПК РФ ст. 259)", ("appeal_filed",)),
    "send_writ": Step("направить исполнительный документ в банк или ФССП", "7.1",
                      "14 календарных дней со дня поступления исполнительного документа",
                      ("sent_to_bank", "sent_to_bailiffs")),
    "send_writ_instruction": Step("направить исполнительный документ по поручению Главы", "6.6",
                                  "не позднее 5 рабочих дней со дня поручения Главы",
                                  ("sent_to_bank", "sent_to_bailiffs")),
    "instalment": Step("платёж по графику рассрочки", "4.1",
                       "срок очередного платежа по графику", debtor=True),
}


COURT = "@court"  # the route's proceeding: «court-order» or «lawsuit» (route.decide)
WRIT = "@writ"  # «bank» when the debtor's accounts are known (229-ФЗ ст. 8, п. 6.4), else «bailiffs» (ст. 30, п. 7.1)


@dataclass(frozen=True)
class Stage:
    label: str
    action: str | None
    clause: str
    step: str | None = None  # the STEPS key whose term runs in this stage
    on: dict[str, str] = field(default_factory=dict)  # event -> next stage ("@result": by judgment result)
    notes: tuple[str, ...] = ()  # events recorded without a move
    closed: bool = False
    documents: tuple[str, ...] = ()  # document kinds the stage calls for (`generate --all`, the watcher)
    checklist: str | None = None  # the step whose papers the folder must hold next (`check`, `package`, status)


# The transition table. Every open stage also accepts «признана безнадежной» -> written_off (3.4).
STAGES: dict[str, Stage] = {
    "current": Stage("текущая: срок уплаты не наступил", None, "3.1"),
    "overdue": Stage(
        "просрочена: претензия не направлена",
        "направить требование (претензию) должнику по всем адресам (п. 4.4, 4.5)", "4.2", "claim",
        {"claim_sent": "claim_sent", "instalment_granted": "instalment"},
        documents=("claim", "calculation", "post-inventory"), checklist="claim"),
    "overdue_no_claim": Stage(
        "просрочена: претензия по договору не требуется",
        "по истечении 30 дней просрочки подготовить служебную записку Главе о принудительном взыскании (п. 4.4, 6.1)",
        "4.4", "memo", {"claim_sent": "claim_sent", "instalment_granted": "instalment"},
        checklist=COURT),  # the court's papers are collected early, while the term runs
    "claim_sent": Stage(
        "претензия направлена: идёт срок добровольной оплаты",
        "контролировать добровольную оплату по претензии (п. 4.5)", "4.5", "voluntary",
        {"claim_sent": "claim_sent", "instalment_granted": "instalment"},
        ("claim_delivered", "claim_returned"), checklist=COURT),
    "voluntary_expired": Stage(
        "срок добровольной оплаты истёк",
        "подготовить служебную записку Главе о необходимости принудительного взыскания (п. 6.1)", "6.1", "memo",
        {"memo_sent": "memo_sent", "claim_sent": "claim_sent", "instalment_granted": "instalment"},
        ("claim_delivered", "claim_returned"), documents=("memo",), checklist=COURT),
    "memo_sent": Stage(
        "служебная записка направлена Главе",
        "получить решение Главы о принудительном взыскании (п. 6.2)", "6.2", None,
        {"decision_taken": "decision_taken", "instalment_granted": "instalment"},
        ("claim_delivered", "claim_returned"), checklist=COURT),
    "decision_taken": Stage(
        "принято решение о принудительном взыскании",
        "подготовить и подать {route_short} (п. 5.2, 6.3)", "6.3", "lawsuit",
        {"lawsuit_filed": "in_court", "court_order_filed": "court_order_requested",
         "instalment_granted": "instalment"}, documents=("calculation", COURT), checklist=COURT),
    "court_order_requested": Stage(
        "подано заявление о выдаче судебного приказа",
        "ожидать вынесения судебного приказа", "6.3", None,
        {"court_order_issued": "court_order_issued", "claim_withdrawn": "withdrawn"}),
    "court_order_issued": Stage(
        "судебный приказ вынесен",
        "получить судебный приказ для предъявления к исполнению", "5.5", None,
        {"writ_received": "writ_received", "court_order_cancelled": "court_order_cancelled"}),
    "court_order_cancelled": Stage(
        "судебный приказ отменён: требование предъявляется в порядке искового производства",
        "подать исковое заявление (п. 5.2, 6.3)", "6.3", "lawsuit",
        {"lawsuit_filed": "in_court", "instalment_granted": "instalment"},
        documents=("calculation", LAWSUIT), checklist=LAWSUIT),  # ГПК РФ ст. 129, АПК РФ ст. 229.5: a lawsuit now
    "in_court": Stage(
        "иск подан, дело в суде",
        "представлять администрацию в суде, ожидать решения (п. 6.3)", "6.3", None,
        {"judgment": "@result", "claim_withdrawn": "withdrawn"}),
    "paid_in_court": Stage(
        "долг погашен до решения суда",
        "заявить об отказе от иска (п. 5.6)", "5.6", None,
        {"claim_withdrawn": "withdrawn", "judgment": "@result", "court_order_issued": "court_order_issued"},
        documents=("withdrawal",)),
    # The principal paid but the penalty or interest sued for is not: withdrawing the whole claim would give up
    # the unpaid part, so the claim is reduced to it (ГПК РФ ст. 39 ч. 1, АПК РФ ст. 49 ч. 1); see `assess`.
    "principal_paid_in_court": Stage(
        "основной долг погашен до решения суда, пени (проценты) не уплачены",
        "заявить об уменьшении исковых требований (ГПК РФ ст. 39 / АПК РФ ст. 49)", "6.3", None,
        {"claim_withdrawn": "withdrawn", "judgment": "@result", "court_order_issued": "court_order_issued"},
        documents=("reduction",)),
    "judgment": Stage(
        "решение суда о взыскании",
        "после вступления решения в силу получить исполнительный лист (п. 5.5){partly}", "5.5", None,
        {"judgment_in_force": "in_force", "appeal_filed": "appeal", "writ_received": "writ_received"}),
    "rejected": Stage(
        "в удовлетворении требований отказано",
        "обжаловать решение суда при наличии оснований (п. 5.4)", "5.4", "appeal",
        {"appeal_filed": "appeal"}, ("judgment_in_force",)),
    "appeal": Stage(
        "подана жалоба на решение суда",
        "представлять администрацию в суде вышестоящей инстанции, ожидать решения", "5.4", None,
        {"judgment": "@result", "claim_withdrawn": "withdrawn"}),
    "in_force": Stage(
        "решение суда вступило в силу",
        "получить исполнительный лист (п. 5.5)", "5.5", None,
        {"writ_received": "writ_received", "appeal_filed": "appeal"}),
    "writ_received": Stage(
        "исполнительный документ получен",
        "направить исполнительный документ {writ_target}", "7.1", "send_writ",
        {"sent_to_bank": "at_bank", "sent_to_bailiffs": "at_bailiffs",
         "court_order_cancelled": "court_order_cancelled"},
        ("head_instruction",), documents=(WRIT,), checklist=WRIT),
    "at_bank": Stage(
        "исполнительный документ направлен в банк",
        "контролировать исполнение банком (229-ФЗ ст. 8)", "6.4", None,
        {"bank_returned": "bank_returned", "court_order_cancelled": "court_order_cancelled"}),
    "bank_returned": Stage(
        "исполнительный документ возвращён банком",
        "получить поручение Главы и направить исполнительный документ в ФССП (п. 6.5, 6.6)", "7.1", "send_writ",
        {"sent_to_bailiffs": "at_bailiffs", "sent_to_bank": "at_bank"},
        ("head_instruction",), documents=("bailiffs",), checklist="bailiffs"),
    "at_bailiffs": Stage(
        "исполнительный документ направлен в ФССП",
        "контролировать возбуждение исполнительного производства (229-ФЗ ст. 30)", "7.2", None,
        {"enforcement_opened": "enforcement", "court_order_cancelled": "court_order_cancelled"},
        ("info_request_sent", "complaint_filed")),
    "enforcement": Stage(
        "исполнительное производство",
        "запрашивать сведения о ходе исполнительного производства, контролировать сроки (п. 7.2); "
        "при бездействии пристава — жалоба (п. 7.3)", "7.2", None,
        {"enforcement_ended": "enforcement_ended", "court_order_cancelled": "court_order_cancelled"},
        ("info_request_sent", "complaint_filed"), documents=("enforcement-query",)),
    "enforcement_ended": Stage(
        "исполнительное производство окончено без полного взыскания",
        "повторно предъявить исполнительный документ (229-ФЗ ст. 21) "
        "или подготовить решение о признании задолженности безнадёжной (п. 3.4)", "7.2", None,
        {"sent_to_bailiffs": "at_bailiffs", "sent_to_bank": "at_bank"},
        ("info_request_sent", "complaint_filed"), documents=("bailiffs", "write-off"), checklist="bailiffs"),
    "instalment": Stage(
        "рассрочка: график соблюдается",
        "контролировать платёж по графику рассрочки{next_instalment}", "4.1", "instalment",
        {"instalment_granted": "instalment"}),
    "instalment_broken": Stage(
        "рассрочка нарушена: остаток долга снова просрочен",
        "направить требование (претензию) об уплате остатка долга (п. 4.2)", "4.2", "claim",
        {"claim_sent": "claim_sent", "instalment_granted": "instalment"},
        documents=("claim", "calculation", "post-inventory"), checklist="claim"),
    "paid": Stage(
        "погашена", None, "3.4", None, {},
        ("claim_delivered", "claim_returned", "judgment_in_force", "writ_received", "bank_returned",
         "enforcement_ended", "info_request_sent", "claim_withdrawn"), closed=True),
    "written_off": Stage("признана безнадёжной к взысканию", None, "3.4", closed=True),
    "withdrawn": Stage("отказ от иска", None, "5.6", closed=True),
}

ALWAYS = {"written_off": "written_off"}  # from every open stage (3.4)
ANYTIME = frozenset({"gis_gmp_reconciled"})  # п. 3.2: the reconciliation with ГИС ГМП is recorded at any stage
REQUIRES = {"court_order_cancelled": ("court_order_issued", "судебный приказ по делу не выносился")}
JUDGMENT_TARGET = {"granted": "judgment", "partly": "judgment", "rejected": "rejected"}
COURT_PENDING = frozenset({"in_court", "court_order_requested", "appeal", "paid_in_court",
                           "principal_paid_in_court"})
PRE_COURT = frozenset({"current", "overdue", "overdue_no_claim", "claim_sent", "voluntary_expired", "memo_sent",
                       "decision_taken", "instalment", "instalment_broken", "paid"})


def stage_label(code: str) -> str:
    return STAGES[code].label


def allowed_events(stage: str) -> tuple[str, ...]:
    """The event codes `stage` accepts, in the table's order: its moves, its notes, the write-off while the case is
    open (3.4) and what is recorded at any stage (3.2). What `record` offers and refuses; the walk (`_apply`) reads
    the same table."""
    info = STAGES[stage]
    return tuple(dict.fromkeys([*info.on, *info.notes, *([] if info.closed else ALWAYS), *sorted(ANYTIME)]))


def stage_documents(stage: str, proceeding: str | None, accounts_known: bool) -> tuple[str, ...]:
    """The document kinds `stage` calls for, in the table's order (none for a stage not in the table).

    `proceeding` is the route's (`Route.proceeding`; None — nothing to route — means a lawsuit);
    `accounts_known`: the debtor's bank accounts are known (the writ goes to the bank).
    """
    info = STAGES.get(stage)
    return tuple(_resolve(code, proceeding, accounts_known) for code in info.documents) if info else ()


def stage_checklist(stage: str, proceeding: str | None, accounts_known: bool) -> str | None:
    """The checklist step of `stage` (`requirements.STEPS`), resolved like `stage_documents`; None when none."""
    info = STAGES.get(stage)
    return _resolve(info.checklist, proceeding, accounts_known) if info and info.checklist else None


def _resolve(code: str, proceeding: str | None, accounts_known: bool) -> str:
    if code == COURT:
        return proceeding or LAWSUIT
    if code == WRIT:
        return "bank" if accounts_known else "bailiffs"  # 229-ФЗ ст. 8 (п. 6.4) when accounts are known, else ст. 30
    return code


@dataclass(frozen=True)
class Deadline:
    """One term of the procedure: `state` is met / missed / pending, or projected (follows if nothing is paid)."""

    step: str  # a STEPS key
    label: str
    clause: str
    due: date
    done_on: date | None
    state: str


@dataclass(frozen=True)
class Assessment:
    case: str  # the case number
    stage: str
    stage_label: str
    next_action: str | None
    deadline: date | None
    deadline_missed: bool
    clause: str
    deadlines: tuple[Deadline, ...]
    problems: tuple[Problem, ...]
    debt: Decimal  # outstanding principal today
    overdue_debt: Decimal
    overdue_since: date | None
    route: Route | None  # where the claim goes (route.decide); None when nothing is claimed
    officer: str | None
    accounts_known: bool = False  # the debtor's bank accounts are known (the writ goes to the bank)
    projected: tuple[Deadline, ...] = ()  # the terms that follow if nothing is paid (state «projected»)

    @property
    def closed(self) -> bool:
        return STAGES[self.stage].closed

    @property
    def proceeding(self) -> str | None:
        return self.route.proceeding if self.route else None

    @property
    def documents(self) -> tuple[str, ...]:
        """The document kinds this case calls for now (the table's, resolved by the route and the accounts)."""
        return stage_documents(self.stage, self.proceeding, self.accounts_known)

    @property
    def checklist_step(self) -> str | None:
        """The step whose papers the folder must hold next (`requirements.checklist`)."""
        return stage_checklist(self.stage, self.proceeding, self.accounts_known)


@dataclass
class _Walk:
    """The walker's running state (local to one `assess` call)."""

    case: Case
    calendar: Calendar
    ledger: Ledger
    stage: str = "current"
    since: date | None = None  # when the stage's term started (see `_terms`)
    last: dict[str, Event] = field(default_factory=dict)  # the latest event of each kind
    deadlines: list[Deadline] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def move(self, stage: str, since: date) -> None:
        self.stage, self.since = stage, since


def assess(case: Case, today: date, calendar: Calendar, thresholds: Thresholds = Thresholds(),
           penalty: Decimal = ZERO) -> Assessment:
    """Walk the card's events through `STAGES` and say where the case stands on `today`.

    `penalty` is the case's penalty or interest on `today` (`penalty.for_case(case, today, rates).total`):
    it is part of the price of the claim, so it decides the route (ГПК РФ ст. 91; АПК РФ ст. 103).
    """
    walk = _Walk(case, calendar, allocate(case.charges, case.payments, calendar))
    for event in case.events:
        if event.date is not None and event.date > today:
            walk.problems.append(_problem(case, event, f"событие «{_event_name(event.kind)}» датировано "
                                                        f"{event.date:%d.%m.%Y}, позже сегодняшнего дня"))
            continue
        _settle(walk, event.date)
        _apply(walk, event)
    _settle(walk, today)
    if walk.stage == "paid_in_court" and penalty > ZERO:
        # Something claimed is still unpaid (the penalty or interest on `today`): reduce the claim to it
        # (ГПК РФ ст. 39 ч. 1, АПК РФ ст. 49 ч. 1); a full withdrawal (п. 5.6) only when everything is paid.
        walk.move("principal_paid_in_court", walk.since or today)
    terms = _terms(walk, today)
    walk.deadlines.extend(_deadline(step, due, None, today) for step, due in terms if step != "instalment")
    walk.deadlines.extend(_instalment_deadlines(walk, today))  # every row of the schedule, the next one included
    due = min((d for _, d in terms), default=None)
    overdue_debt = walk.ledger.overdue(today)
    route = decide(case, overdue_debt, penalty, thresholds, order_cancelled="court_order_cancelled" in walk.last)
    stage = STAGES[walk.stage]
    clause = STEPS[min(terms, key=lambda t: t[1])[0]].clause if terms else stage.clause
    return Assessment(
        case=case.number, stage=walk.stage, stage_label=stage.label,
        next_action=_action(walk, stage, route, today), deadline=due,
        deadline_missed=due is not None and due < today, clause=clause,
        deadlines=tuple(walk.deadlines), projected=tuple(_projected(walk, terms)), problems=tuple(walk.problems),
        debt=walk.ledger.outstanding(today), overdue_debt=overdue_debt,
        overdue_since=_overdue_since(walk.ledger, today), route=route,
        officer=case.officer.name if case.officer else None, accounts_known=bool(case.debtor.bank_accounts),
    )


# --- events ---------------------------------------------------------------------------------

def _apply(walk: _Walk, event: Event) -> None:
    """Move the walk by one card event, or report it as not allowed in the current stage."""
    stage = STAGES[walk.stage]
    target = stage.on.get(event.kind) or (None if stage.closed else ALWAYS.get(event.kind))
    needed, reason = REQUIRES.get(event.kind, (None, ""))
    if target is not None and needed is not None and needed not in walk.last:
        walk.problems.append(_illegal(walk, event, reason))
        return
    if target is None:
        if event.kind not in stage.notes and event.kind not in ANYTIME:
            walk.problems.append(_illegal(walk, event))
        else:
            walk.last[event.kind] = event
        return
    if target == "@result":
        target = _judgment_target(walk, event)
    for step, due in _terms(walk, event.date):
        if event.kind in STEPS[step].done_by:
            walk.deadlines.append(_deadline(step, due, event.date, event.date))
    walk.last[event.kind] = event
    walk.move(target, event.date)


def _judgment_target(walk: _Walk, event: Event) -> str:
    result = event.fields.get("result")
    if result not in JUDGMENT_TARGET:
        walk.problems.append(_problem(walk.case, event, "у события «решение суда» не указан результат ("
                                      + ", ".join(JUDGMENT_RESULTS.values()) + "); принято «удовлетворено»"))
        return "judgment"
    return JUDGMENT_TARGET[result]


def _illegal(walk: _Walk, event: Event, reason: str = "") -> Problem:
    stage = STAGES[walk.stage]
    allowed = [*stage.on, *([] if stage.closed else ALWAYS)]
    hint = ("; на этой стадии ожидается: " + ", ".join(f"«{_event_name(k)}»" for k in allowed)) if allowed else ""
    hint = f": {reason}" if reason else hint
    when = f" {event.date:%d.%m.%Y}" if event.date else ""
    return _problem(walk.case, event, f"событие «{_event_name(event.kind)}»{when} недопустимо на стадии "
                                      f"«{stage.label}»{hint}")


def _problem(case: Case, event: Event, message: str) -> Problem:
    return Problem(case.source, event.line, message, "события")


def _event_name(kind: str | None) -> str:
    return EVENTS.get(kind or "", kind or "?")


# --- money and time -------------------------------------------------------------------------

def _settle(walk: _Walk, on: date) -> None:
    """Apply the moves that money and time make by the end of day `on` (see the module docstring)."""
    for _ in range(len(STAGES)):  # each move is one step forward; stop when nothing moves
        before = walk.stage
        _settle_once(walk, on)
        if walk.stage == before:
            return


def _settle_once(walk: _Walk, on: date) -> None:
    stage = walk.stage
    if stage in ("written_off", "withdrawn"):
        return
    if walk.ledger.overdue(on) <= ZERO:
        if stage in COURT_PENDING:
            walk.move("paid_in_court", walk.since if stage in ("paid_in_court", "principal_paid_in_court") else on)
        elif stage in PRE_COURT and walk.ledger.outstanding(on) > ZERO:
            _leave(walk, "current", on)
        elif stage != "paid":
            _leave(walk, "paid", on)
        return
    if stage in ("current", "paid"):
        walk.last.clear()  # a new overdue debt starts the procedure anew
        walk.move("overdue" if walk.case.basis.claim_required else "overdue_no_claim", on)
    elif stage == "claim_sent" and on > (end := _voluntary_end(walk, walk.since)):
        walk.deadlines.append(_deadline("voluntary", end, None, on))
        walk.move("voluntary_expired", end)
    elif stage == "overdue_no_claim" and on > (end := _no_claim_end(walk, on)):
        walk.move("voluntary_expired", end)
    elif stage == "instalment" and (missed := _missed_instalment(walk, on)) is not None:
        walk.move("instalment_broken", missed + timedelta(days=1))


def _leave(walk: _Walk, stage: str, on: date) -> None:
    """Leave a stage because the debt was paid; a running claim term counts as met."""
    if walk.stage == "claim_sent":
        end = _voluntary_end(walk, walk.since)
        paid = max((p.date for p in walk.case.payments if p.date <= on), default=on)
        walk.deadlines.append(_deadline("voluntary", end, paid, on))
    walk.move(stage, on)


def _voluntary_end(walk: _Walk, sent: date) -> date:
    days = walk.case.basis.voluntary_days or DEFAULT_VOLUNTARY_DAYS
    return walk.calendar.calendar_deadline(sent, days)


def _no_claim_end(walk: _Walk, on: date) -> date:
    return walk.calendar.calendar_deadline(_overdue_since(walk.ledger, on) or on, CLAIM_DAYS)


def _overdue_since(ledger: Ledger, on: date) -> date | None:
    """The day the oldest still unpaid charge became overdue: the day after its last day to pay — the due
    date, moved to the next working day when it is a day off (ГК РФ ст. 193, `Calendar.payable_until`)."""
    index = ledger.oldest_overdue(on)
    return None if index is None else ledger.overdue_from(index)


# --- instalments ----------------------------------------------------------------------------

def _schedule(walk: _Walk):
    granted = walk.last.get("instalment_granted")
    return granted, tuple(sorted(granted.schedule, key=lambda i: i.due)) if granted else ()


def _paid_since(walk: _Walk, start: date, until: date) -> Decimal:
    return sum((p.amount for p in walk.case.payments if start <= p.date <= until), ZERO)


def _instalment_until(walk: _Walk, row) -> date:
    """The last day to pay an instalment: its date, or the next working day when that is a day off (ГК РФ
    ст. 193: a payment on the moved day is in time, the schedule is not broken)."""
    return walk.calendar.payable_until(row.due)


def _missed_instalment(walk: _Walk, on: date) -> date | None:
    """The last day to pay (`_instalment_until`) of the first instalment not covered by payments made since
    the grant, as of `on`."""
    granted, schedule = _schedule(walk)
    required = ZERO
    for row in schedule:
        required += row.amount
        until = _instalment_until(walk, row)
        if until < on and _paid_since(walk, granted.date, until) < required:
            return until
    return None


def _next_instalment(walk: _Walk, on: date):
    """The first instalment not yet covered by payments made since the grant."""
    granted, schedule = _schedule(walk)
    required, paid = ZERO, _paid_since(walk, granted.date, on) if granted else ZERO
    for row in schedule:
        required += row.amount
        if paid < required:
            return row, required - paid
    return None, ZERO


def _instalment_deadlines(walk: _Walk, today: date) -> list[Deadline]:
    """Every row of the latest schedule: met when covered by its due date, else missed or pending."""
    granted, schedule = _schedule(walk)
    rows, required = [], ZERO
    for row in schedule:
        required += row.amount
        until = _instalment_until(walk, row)  # ГК РФ ст. 193
        covered = _paid_since(walk, granted.date, until) >= required
        state = "met" if covered else ("missed" if until < today else "pending")
        step = STEPS["instalment"]
        rows.append(Deadline("instalment", f"{step.label}: {format_rub(row.amount)} руб.", step.clause,
                             until, until if covered else None, state))
    return rows


# --- terms ----------------------------------------------------------------------------------

def _terms(walk: _Walk, on: date) -> list[tuple[str, date]]:
    """The running terms of the current stage as of `on`: (STEPS key, due date)."""
    cal, since, step = walk.calendar, walk.since, STAGES[walk.stage].step
    if step == "claim":
        start = since if walk.stage == "instalment_broken" else _overdue_since(walk.ledger, on)
        return [("claim", cal.calendar_deadline(start, CLAIM_DAYS))] if start else []
    if step == "voluntary":
        return [("voluntary", _voluntary_end(walk, since))]
    if step == "memo":
        end = _no_claim_end(walk, on) if walk.stage == "overdue_no_claim" else since
        return [("memo", cal.add_working_days(end, MEMO_WORKING_DAYS))]
    if step == "lawsuit":
        return [("lawsuit", cal.add_working_days(since, LAWSUIT_WORKING_DAYS))]
    if step == "appeal":
        return [("appeal", cal.months_deadline(since, APPEAL_MONTHS))]
    if step == "send_writ":
        terms = [("send_writ", cal.calendar_deadline(since, WRIT_DAYS))]
        order = walk.last.get("head_instruction")
        if order is not None and order.date >= since:
            terms.append(("send_writ_instruction", cal.add_working_days(order.date, WRIT_INSTRUCTION_WORKING_DAYS)))
        return terms
    if walk.stage == "judgment" and _last_result(walk) == "partly":
        return [("appeal", cal.months_deadline(since, APPEAL_MONTHS))]
    if step == "instalment":
        row, _ = _next_instalment(walk, on)
        return [("instalment", _instalment_until(walk, row))] if row else []
    return []


# What follows each running term if nothing is paid and each step is taken on its last day (п. 4.5, 6.1, 6.3).
PROJECTED_CHAIN = {"claim": "voluntary", "voluntary": "memo", "memo": "lawsuit"}


def _projected(walk: _Walk, terms: list[tuple[str, date]]) -> list[Deadline]:
    """The later terms of the pre-court chain, state «projected», so officers can plan the weeks ahead.

    From a running claim term: the voluntary period (claim sent on its last day), the memo (6.1: 5 working
    days after the period) and the court (6.3: 10 working days after a decision taken on the memo's day).
    """
    cal, found = walk.calendar, []
    due = dict(terms)
    step = next((s for s in ("claim", "voluntary", "memo") if s in due), None)
    if step is None:
        return []
    last = due[step]
    while step in PROJECTED_CHAIN:
        step = PROJECTED_CHAIN[step]
        if step == "voluntary":
            last = cal.calendar_deadline(last, walk.case.basis.voluntary_days or DEFAULT_VOLUNTARY_DAYS)
        else:
            last = cal.add_working_days(last, MEMO_WORKING_DAYS if step == "memo" else LAWSUIT_WORKING_DAYS)
        info = STEPS[step]
        found.append(Deadline(step, info.label, info.clause, last, None, "projected"))
    return found


def _last_result(walk: _Walk) -> str | None:
    judgment = walk.last.get("judgment")
    return judgment.fields.get("result") if judgment else None


def _deadline(step: str, due: date, done_on: date | None, on: date) -> Deadline:
    """A term's state: met when done by its due date; missed when done late or overdue on `on`."""
    if done_on is not None:
        state = "met" if done_on <= due else "missed"
    else:
        state = "missed" if on > due else "pending"
    info = STEPS[step]
    return Deadline(step, info.label, info.clause, due, done_on, state)


def _action(walk: _Walk, stage: Stage, route: Route | None, today: date) -> str | None:
    if stage.action is None:
        return None
    accounts = walk.case.debtor.bank_accounts
    row, left = _next_instalment(walk, today) if walk.stage == "instalment" else (None, ZERO)
    return stage.action.format(
        route_short=route.document if route else "исковое заявление",
        writ_target=(f"в банк должника (счета известны: {', '.join(accounts)}; 229-ФЗ ст. 8, п. 6.4, 7.1)"
                     if accounts else "в ФССП (229-ФЗ ст. 30, п. 7.1)"),
        partly="; в части отказа — обжаловать при наличии оснований (п. 5.4)" if _last_result(walk) == "partly" else "",
        next_instalment=f": {format_rub(left)} руб. до {_instalment_until(walk, row):%d.%m.%Y}" if row else "",
    )


# --- the agenda -----------------------------------------------------------------------------

@dataclass(frozen=True)
class AgendaItem:
    case: str
    action: str
    deadline: date
    missed: bool
    clause: str
    officer: str
    stage: str


NO_OFFICER = "ответственный не указан"


def agenda(entries: Iterable, today: date, days: int) -> list[AgendaItem]:
    """What is due within `days` days of `today` (and what is already missed), across all cases.

    `entries` are `Assessment`s, (case, assessment) pairs in either order, or `status.CaseStatus`
    records (read by the attributes both share: `case`, `next_action`, `deadline`, `clause`, `officer`, `stage`).
    Sorted by officer, then deadline, then case number (see `group_by_officer`).
    """
    horizon = today + timedelta(days=days)
    items = [item for item in (_agenda_item(e, today) for e in entries) if item is not None and item.deadline <= horizon]
    return sorted(items, key=lambda i: (i.officer, i.deadline, i.case))


def _agenda_item(entry, today: date) -> AgendaItem | None:
    """The entry's next action with its deadline, or None when it has none."""
    a = next((x for x in entry if isinstance(x, Assessment)), None) if isinstance(entry, tuple) else entry
    if a is None or a.deadline is None or not a.next_action:
        return None
    return AgendaItem(str(a.case), a.next_action, a.deadline, a.deadline < today, a.clause or "",
                      a.officer or NO_OFFICER, a.stage)


def group_by_officer(items: list[AgendaItem]) -> list[tuple[str, list[AgendaItem]]]:
    """Consecutive items of one officer together (`agenda` already sorts by officer)."""
    groups: dict[str, list[AgendaItem]] = {}
    for item in items:
        groups.setdefault(item.officer, []).append(item)
    return list(groups.items())


def agenda_json(item: AgendaItem) -> dict:
    return {"case": item.case, "action": item.action, "deadline": item.deadline.isoformat(), "missed": item.missed,
            "clause": item.clause, "officer": item.officer}

