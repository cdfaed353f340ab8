"""The procedure is one table and the route is one function: every reader agrees with them.

A root holds one real case folder per stage of `stages.STAGES` (and a variant
for each route and for known / unknown bank accounts). For each case the
status record (`scan`), `package.check`, `generate --all` (`render.generate_all`)
and the watcher's automatic documents (`watcher.due_documents`) must give what
the table says for its stage, resolved by the case's `Route`. Then the route
itself, table-driven, around the thresholds of ГПК РФ ст. 121, 23 and АПК РФ
ст. 229.2, with the penalty counted in the price of the claim (ГПК РФ ст. 91
ч. 1 п. 1; АПК РФ ст. 103 ч. 1 п. 1); and a lawsuit addressed to the court
`status` shows, read back from the DOCX.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from kezdocs.core import requirements, stages
from kezdocs.core.kinds import KINDS
from kezdocs.core.model import Basis, BasisKind, Case, Debtor, DebtorType, Officer, PenaltyMethod, PenaltyTerms
from kezdocs.core.route import ARBITRATION, DISTRICT, LAWSUIT, MAGISTRATE, ORDER, decide
from kezdocs.core.settings import Thresholds
from kezdocs.folders.casefolder import open_root
from kezdocs.folders.scan import scan
from kezdocs.paperwork import package, render
from kezdocs.service.watcher import due_documents

TODAY = date(2026, 11, 24)
R = Decimal

SETTINGS = """
администрация: Администрация муниципального образования «Муниципальный округ Кезский район Удмуртской Республики»
краткое_наименование: Администрация Кезского района
адрес: "427580, Удмуртская Республика, п. Кез, ул. Кирова, д. 5"
инн: "1831000001"
огрн: "1021800000001"
реквизиты:
  получатель: "УФК по Удмуртской Республике (Администрация Кезского района)"
  инн: "1831000001"
  кпп: "183101001"
  казначейский_счет: "03100643000000011300"
  екс: "40102810545370000081"
  бик: "019401100"
  банк: "ОТДЕЛЕНИЕ-НБ УДМУРТСКАЯ РЕСПУБЛИКА БАНКА РОССИИ//УФК по Удмуртской Республике г. Ижевск"
  октмо: "94626000"
глава: {должность: "Глава муниципального образования", фио: "Богданов Игорь Олегович"}
подписант: {должность: "Заместитель главы Администрации", фио: "Кузнецова Анна Викторовна"}
суды:
  мировой: "Мировой судья судебного участка Кезского района Удмуртской Республики, 427580, п. Кез, ул. Кирова, д. 7"
  районный: "Кезский районный суд Удмуртской Республики, 427580, п. Кез, ул. Кирова, д. 9"
  арбитражный: "Арбитражный суд Удмуртской Республики, 426011, г. Ижевск, ул. Ломоносова, д. 5"
фссп: "Кезское РОСП УФССП России по Удмуртской Республике, 427580, п. Кез, ул. Кирова, д. 11"
"""
COURT_NAMES = {MAGISTRATE: "Мировому судье судебного участка Кезского района Удмуртской Республики",
               DISTRICT: "Кезский районный суд Удмуртской Республики",
               ARBITRATION: "Арбитражный суд Удмуртской Республики"}

PERSON = """  тип: физлицо
  фамилия: Черных
  имя: Ольга
  отчество: Викторовна
  пол: женский
  дата_рождения: 12.05.1979
  место_рождения: п. Кез Удмуртской АССР
  адреса:
    - {вид: регистрации, адрес: "427580, Удмуртская Республика, п. Кез, ул. Садовая, д. 8"}
"""
LEGAL_INN = "183100000" + stdnum_inn.calc_company_check_digit("183100000")
LEGAL_OGRN = "102180000000" + stdnum_ogrn.calc_check_digit("1021800000000")
LEGAL = f"""  тип: юрлицо
  наименование: ООО «Ромашка»
  инн: "{LEGAL_INN}"
  огрн: "{LEGAL_OGRN}"
  адреса:
    - {{вид: по договору, адрес: "427550, Удмуртская Республика, п. Кез, ул. Кирова, д. 1"}}
"""
DEAL, DAMAGE = "Договор аренды земельного участка", "Акт о причинении ущерба имуществу"  # a written deal or not
# The card says which it is by the code «основание.вид» (ГПК РФ ст. 122, АПК РФ ст. 229.2: an order on a deal only)
BASIS_KIND = {DEAL: ("аренда земли", BasisKind.LAND_RENT), DAMAGE: ("возмещение", BasisKind.DAMAGES)}

# The events of the two roads, in order: (date, Russian event, extra fields).
ORDER_ROAD = [("01.04.2026", "претензия направлена", ""), ("15.05.2026", "служебная записка направлена", ""),
              ("20.05.2026", "решение о взыскании принято", ""),
              ("01.06.2026", "заявление о выдаче судебного приказа подано", ""),
              ("15.06.2026", "судебный приказ вынесен", ""), ("01.07.2026", "судебный приказ отменен", "")]
LAWSUIT_ROAD = [("01.04.2026", "претензия направлена", ""), ("15.05.2026", "служебная записка направлена", ""),
                ("20.05.2026", "решение о взыскании принято", ""), ("01.06.2026", "иск подан", ""),
                ("01.09.2026", "решение суда", ", результат: удовлетворено"),
                ("05.10.2026", "решение вступило в силу", ""),
                ("10.11.2026", "исполнительный документ получен", ', номер: "ФС № 045678912"')]
PAID = [("10.06.2026", "45 000,00")]
ACCOUNTS = '  счета: ["40817810468000009876 в ПАО Сбербанк"]\n'

# stage expected -> card: events, payments, basis, debtor, extra lines. Variants carry a suffix after «/».
CASES: dict[str, dict] = {
    "current": {"due": "15.12.2026"},
    "overdue": {},
    "overdue_no_claim": {"claim": "нет", "due": "10.11.2026"},  # within the 30 days of п. 4.4
    "claim_sent": {"events": [("10.11.2026", "претензия направлена", "")]},
    "voluntary_expired": {"events": [("01.10.2026", "претензия направлена", "")]},
    "memo_sent": {"events": ORDER_ROAD[:2]},
    "decision_taken/order": {"events": ORDER_ROAD[:3]},
    "decision_taken/lawsuit": {"events": ORDER_ROAD[:3], "basis": DAMAGE},
    "decision_taken/arbitration": {"events": ORDER_ROAD[:3], "debtor": LEGAL},
    "court_order_requested": {"events": ORDER_ROAD[:4]},
    "court_order_issued": {"events": ORDER_ROAD[:5]},
    "court_order_cancelled": {"events": ORDER_ROAD},
    "in_court": {"events": LAWSUIT_ROAD[:4], "basis": DAMAGE},
    "paid_in_court": {"events": LAWSUIT_ROAD[:4], "basis": DAMAGE, "payments": PAID},
    # the principal paid, the penalty sued for not: the claim is reduced (ГПК РФ ст. 39 ч. 1), not withdrawn
    "principal_paid_in_court": {"events": LAWSUIT_ROAD[:4], "basis": DAMAGE, "payments": PAID,
                                "penalty": "{способ: процент в день, ставка: 0.1}"},
    "withdrawn": {"events": [*LAWSUIT_ROAD[:4], ("15.06.2026", "отказ от иска", "")], "basis": DAMAGE,
                  "payments": PAID},
    "judgment": {"events": [*LAWSUIT_ROAD[:4], ("16.11.2026", "решение суда", ", результат: удовлетворено")],
                 "basis": DAMAGE},
    "rejected": {"events": [*LAWSUIT_ROAD[:4], ("01.09.2026", "решение суда", ", результат: отказано")],
                 "basis": DAMAGE},
    "appeal": {"events": [*LAWSUIT_ROAD[:4], ("01.09.2026", "решение суда", ", результат: отказано"),
                          ("20.09.2026", "жалоба подана", "")], "basis": DAMAGE},
    "in_force": {"events": LAWSUIT_ROAD[:6], "basis": DAMAGE},
    "writ_received/bank": {"events": LAWSUIT_ROAD, "basis": DAMAGE, "accounts": True},
    "writ_received/bailiffs": {"events": LAWSUIT_ROAD, "basis": DAMAGE},
    "at_bank": {"events": [*LAWSUIT_ROAD, ("12.11.2026", "направлен в банк", "")], "basis": DAMAGE, "accounts": True},
    "bank_returned": {"events": [*LAWSUIT_ROAD, ("12.11.2026", "направлен в банк", ""),
                                 ("16.11.2026", "возвращен банком", "")], "basis": DAMAGE, "accounts": True},
    "at_bailiffs": {"events": [*LAWSUIT_ROAD, ("12.11.2026", "направлен в ФССП", "")], "basis": DAMAGE},
    "enforcement": {"events": [*LAWSUIT_ROAD, ("12.11.2026", "направлен в ФССП", ""),
                               ("16.11.2026", "исполнительное производство возбуждено", ', номер: "1/26/18045-ИП"')],
                    "basis": DAMAGE},
    "enforcement_ended": {"events": [*LAWSUIT_ROAD, ("12.11.2026", "направлен в ФССП", ""),
                                     ("16.11.2026", "исполнительное производство возбуждено", ""),
                                     ("20.11.2026", "исполнительное производство окончено", ", основание: пп. 5")],
                          "basis": DAMAGE},
    "instalment": {"events": [("01.04.2026", "претензия направлена", ""),
                              ("10.04.2026", "рассрочка предоставлена", ', график: [{срок: 30.12.2026, сумма: "45 000"}]')]},
    "instalment_broken": {"events": [("01.04.2026", "претензия направлена", ""),
                                     ("10.04.2026", "рассрочка предоставлена",
                                      ', график: [{срок: 30.06.2026, сумма: "20 000"}, '
                                      '{срок: 30.12.2026, сумма: "25 000"}]')]},
    "paid": {"payments": [("01.04.2026", "45 000,00")]},
    "written_off": {"events": [("01.05.2026", "признана безнадежной", "")]},
}


def card(number: str, spec: dict) -> str:
    events = "".join(f"  - {{дата: {day}, событие: {kind}{extra}}}\n" for day, kind, extra in spec.get("events", ()))
    payments = "".join(f'  - {{дата: {day}, сумма: "{amount}"}}\n' for day, amount in spec.get("payments", ()))
    return f"""номер: "{number}"
администратор: Управление территориального развития
ответственный: {{фио: Иванова Мария Петровна, телефон: "+7 (34158) 3-12-34"}}
должник:
{spec.get("debtor", PERSON)}{ACCOUNTS if spec.get("accounts") else ""}основание:
  документ: {spec.get("basis", DEAL)}
  вид: {BASIS_KIND[spec.get("basis", DEAL)][0]}
  номер: "12/2025"
  дата: 10.01.2025
  претензия_обязательна: {spec.get("claim", "да")}
код_дохода: "00011105012140000120"
неустойка: {spec.get("penalty", "{способ: нет}")}
начисления:
  - {{период: 2026 год, сумма: "{spec.get("amount", "45 000,00")}", срок_уплаты: {spec.get("due", "15.03.2026")}}}
платежи:{" []" if not payments else ""}
{payments}события:{" []" if not events else ""}
{events}"""


# A citizen owing 48 000 + 3 024 penalty (0,1 % × 63 days, 23.09–24.11.2026) on a damage act: a lawsuit.
CITIZEN_51024 = {"events": [("23.09.2026", "претензия направлена", ""), ("26.10.2026", "служебная записка направлена", ""),
                            ("28.10.2026", "решение о взыскании принято", "")],
                 "basis": DAMAGE, "amount": "48 000,00", "due": "22.09.2026",
                 "penalty": "{способ: процент в день, ставка: 0.1}"}


def write_root(base, specs: dict, first: int):
    """A root with the settings above and one case folder «2026-NNN <name>» per card spec, numbered from `first`."""
    (base / "настройки.yaml").write_text(SETTINGS, encoding="utf-8")
    for n, (name, spec) in enumerate(specs.items(), 1):
        folder = base / f"2026-{first + n} {name.replace('/', ' ')}"
        folder.mkdir()
        (folder / "дело.yaml").write_text(card(f"2026-{first + n}", spec), encoding="utf-8")
    return open_root(base)


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return write_root(tmp_path_factory.mktemp("procedure"), {**CASES, "citizen_51024": CITIZEN_51024}, 300)


@pytest.fixture(scope="module")
def records(root):
    """The status records by the card's intended stage (the folder name)."""
    result = scan(root, TODAY)
    return {record.folder.split(" ", 1)[1].replace(" ", "/"): record for record in result.records}


@pytest.fixture(scope="module")
def generated(root, tmp_path_factory):
    """`generate --all` for every kind: the case numbers each kind was selected for (written or refused)."""
    out = tmp_path_factory.mktemp("out")
    chosen: dict[str, set[str]] = {}
    for code in KINDS:
        batch = render.generate_all(root, code, TODAY, out=out / code, processes=1)
        for ref in [ref for ref, _ in batch.written] + [ref for ref, _ in batch.skipped]:
            chosen.setdefault(ref, set()).add(code)
    return chosen


# --- the table is well-formed ----------------------------------------------------------------------

def test_the_table_names_only_known_stages_steps_events_and_documents():
    kinds = set(KINDS) | {stages.COURT, stages.WRIT}
    for code, stage in stages.STAGES.items():
        assert set(stage.documents) <= kinds, code
        assert stage.checklist in {None, stages.COURT, stages.WRIT, *requirements.STEPS}, code
        assert stage.step is None or stage.step in stages.STEPS, code
        assert {t for t in stage.on.values() if t != "@result"} <= set(stages.STAGES), code
        assert not (stage.closed and (stage.documents or stage.checklist)), code


def test_every_stage_of_the_table_has_a_case(records):
    assert {name.split("/")[0] for name in CASES} == set(stages.STAGES)
    for name, record in records.items():
        if name in CASES:
            assert record.stage == name.split("/")[0], (name, record.problems)
            assert list(record.problems) == [], name


# --- status, check, generate and the watcher agree, stage by stage ---------------------------------

@pytest.mark.parametrize("name", list(CASES))
def test_status_check_generate_and_watcher_agree_with_the_table(root, records, generated, name):
    record = records[name]
    stage = stages.STAGES[record.stage]
    result = package.check(root, record.case, TODAY)
    route = result.assessment.route
    proceeding = route.proceeding if route else None
    accounts = bool(result.folder.case.debtor.bank_accounts)
    expected = stages.stage_documents(record.stage, proceeding, accounts)
    step = stages.stage_checklist(record.stage, proceeding, accounts)

    # status: the route it shows is the check's, in words and in fields
    assert record.route == (route.label if route else None)
    assert (record.route_detail.to_json() if record.route_detail else None) == (route.as_json() if route else None)
    assert record.accounts_known is accounts
    # check: the table's checklist step, and the same missing papers as the status
    assert (result.checklist.step if result.checklist else None) == step
    assert list(record.missing) == (result.checklist.missing if result.checklist else [])
    # generate --all and the watcher: the table's documents
    assert render.due_kinds(record) == list(expected)
    assert generated.get(record.case, set()) == set(expected)
    assert due_documents(record, None, tuple(KINDS)) == list(expected)
    assert due_documents(record, record, tuple(KINDS)) == []  # once per stage
    # the table's placeholders resolved as the route and the accounts say
    if stages.COURT in stage.documents:
        assert proceeding in expected
    if stages.WRIT in stage.documents:
        assert expected == (("bank",) if accounts else ("bailiffs",))


@pytest.mark.parametrize("name, stage, documents_due, step", [
    ("decision_taken/order", "decision_taken", ("calculation", "court-order"), "court-order"),
    ("decision_taken/lawsuit", "decision_taken", ("calculation", "lawsuit"), "lawsuit"),  # not a written deal
    ("decision_taken/arbitration", "decision_taken", ("calculation", "court-order"), "court-order"),
    ("court_order_cancelled", "court_order_cancelled", ("calculation", "lawsuit"), "lawsuit"),  # ГПК РФ ст. 129
    ("writ_received/bank", "writ_received", ("bank",), "bank"),  # 229-ФЗ ст. 8: accounts are known
    ("writ_received/bailiffs", "writ_received", ("bailiffs",), "bailiffs"),  # 229-ФЗ ст. 30
    ("overdue", "overdue", ("claim", "calculation", "post-inventory"), "claim"),
    ("enforcement_ended", "enforcement_ended", ("bailiffs", "write-off"), "bailiffs"),
])
def test_the_variants_resolve_as_the_law_says(records, name, stage, documents_due, step):
    record = records[name]
    assert record.stage == stage
    assert tuple(render.due_kinds(record)) == documents_due
    assert stages.stage_checklist(stage, record.proceeding, record.accounts_known) == step


# --- the route ----------------------------------------------------------------------------------------

def _case(debtor_type: DebtorType, basis: str, method: PenaltyMethod = PenaltyMethod.PERCENT) -> Case:
    return Case(number="1", administrator="Администрация", officer=Officer("Иванова"),
                debtor=Debtor(debtor_type, "Должник"), basis=Basis(basis, "12/2025", date(2025, 1, 10), kind=BASIS_KIND[basis][1]),
                kbk="00011105012140000120",
                penalty=PenaltyTerms(method, R("0.1")), charges=(), payments=(), events=())


@pytest.mark.parametrize("debtor, basis, method, debt, penalty, proceeding, court, total", [
    # ГПК РФ ст. 121: a court order up to 500 000 on a written deal — of the price of the claim, which counts the
    # penalty (ГПК РФ ст. 91 ч. 1 п. 1): 499 000 + 7 485 = 506 485 > 500 000, so a lawsuit; over 50 000, so the
    # district court (ГПК РФ ст. 23 ч. 1 п. 5, ст. 24).
    (DebtorType.PERSON, DEAL, PenaltyMethod.PERCENT, "499000", "7485", LAWSUIT, DISTRICT, "506485"),
    (DebtorType.PERSON, DEAL, PenaltyMethod.PERCENT, "499000", "0", ORDER, MAGISTRATE, "499000"),
    # АПК РФ ст. 229.2: the arbitration court order up to the settings' threshold (500 000) of the price of the
    # claim (АПК РФ ст. 103 ч. 1 п. 1): 495 000 + 37 125 = 532 125, so a lawsuit in the arbitration court.
    (DebtorType.LEGAL, DEAL, PenaltyMethod.PERCENT, "495000", "37125", LAWSUIT, ARBITRATION, "532125"),
    (DebtorType.ENTREPRENEUR, DEAL, PenaltyMethod.PERCENT, "495000", "0", ORDER, ARBITRATION, "495000"),
    # A damage claim is not a written deal (no court order, ГПК РФ ст. 122); the magistrate takes property disputes
    # up to 50 000 of the price (ГПК РФ ст. 23 ч. 1 п. 5, ст. 91): 49 000 + 5 358 interest = 54 358 — the district
    # court (ГПК РФ ст. 24).
    (DebtorType.PERSON, DAMAGE, PenaltyMethod.ARTICLE_395, "49000", "5358", LAWSUIT, DISTRICT, "54358"),
    (DebtorType.PERSON, DAMAGE, PenaltyMethod.ARTICLE_395, "49000", "0", LAWSUIT, MAGISTRATE, "49000"),
    # The citizen of the issue: 48 000 + 3 024 penalty = 51 024 > 50 000 — the district court.
    (DebtorType.PERSON, DAMAGE, PenaltyMethod.PERCENT, "48000", "3024", LAWSUIT, DISTRICT, "51024"),
])
def test_the_price_of_the_claim_decides_the_route(debtor, basis, method, debt, penalty, proceeding, court, total):
    route = decide(_case(debtor, basis, method), R(debt), R(penalty), Thresholds())
    assert (route.proceeding, route.court) == (proceeding, court)
    assert route.price.total == R(total)
    assert (route.price.debt, route.price.penalty, route.price.fines) == (R(debt), R(penalty), R("0"))


def test_the_route_shows_the_price_its_parts_and_the_article():
    route = decide(_case(DebtorType.PERSON, DAMAGE, PenaltyMethod.ARTICLE_395), R("49000"), R("5358"), Thresholds())
    assert route.label == ("исковое заявление в районный суд (ГПК РФ ст. 24): цена иска 54 358,00 руб. "
                           "(долг 49 000,00 + проценты 5 358,00) больше 50 000,00 руб.")
    assert route.articles == "ГПК РФ ст. 24" and route.threshold == R("50000")
    assert route.as_json()["price"] == {"debt": "49000.00", "penalty": "5358.00", "fines": "0.00", "total": "54358.00"}
    # a court order goes to the magistrate at any price up to its threshold (ГПК РФ ст. 23 ч. 1 п. 1)
    order = decide(_case(DebtorType.PERSON, DEAL), R("120000"), R("0"), Thresholds())
    assert order.court == MAGISTRATE and order.court_for(LAWSUIT) == DISTRICT


def test_thresholds_come_from_the_settings():
    low = Thresholds(arbitration_order=R("100000"))  # АПК РФ ст. 229.2: 100 000 for obligatory payments
    route = decide(_case(DebtorType.LEGAL, DEAL), R("95000"), R("5001"), low)
    assert route.proceeding == LAWSUIT  # 100 001 > 100 000


# --- the lawsuit goes to the court status shows -------------------------------------------------------

def text_of(path: Path) -> str:
    body = Document(str(path)).element.body
    lines = ("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    return "\n".join(line for line in lines if line).replace("\u00a0", " ")


def test_the_lawsuit_is_addressed_to_the_court_status_shows(root, records):
    record = records["citizen_51024"]
    assert record.stage == "decision_taken" and str(record.penalty) == "3024.00"
    # 48 000 + 3 024 = 51 024 > 50 000: the district court (ГПК РФ ст. 91 ч. 1 п. 1, ст. 23 ч. 1 п. 5, ст. 24)
    assert record.route_detail.court == DISTRICT
    assert record.route.startswith("исковое заявление в районный суд (ГПК РФ ст. 24): цена иска 51 024,00 руб.")
    assert record.next_action == "подготовить и подать исковое заявление в районный суд (п. 5.2, 6.3)"
    assert render.due_kinds(record) == ["calculation", "lawsuit"]
    [path] = render.generate(root, root.find(record.case), "lawsuit", TODAY)
    text = text_of(path)
    shown = COURT_NAMES[record.route_detail.court]
    assert f"В {shown}" in text
    assert [name for key, name in COURT_NAMES.items() if name in text] == [shown]
    assert "51 024,00" in text
    assert package.check(root, record.case, TODAY).checklist.step == "lawsuit"
    [memo] = render.generate(root, root.find(record.case), "memo", TODAY)  # the memo recommends the same route
    assert f"Рекомендуемый порядок: {record.route}" in text_of(memo)
