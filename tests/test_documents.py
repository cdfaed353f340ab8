"""Document kinds and their data: names in the right case, amounts, what is missing, the variables documented."""
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from kezdocs.core import kinds, samples, variables
from kezdocs.core.documents import build
from kezdocs.core.errors import KezdocsError
from kezdocs.core.facts import Facts
from kezdocs.core.keyrates import KeyRates
from kezdocs.core.kinds import KINDS, resolve_kind
from kezdocs.core.missing import missing
from kezdocs.core.model import Address, DebtorType, Event, Payment
from kezdocs.core.penalty import calculate
from kezdocs.core.route import Price, route_for
from kezdocs.core.settings import PaymentDetails

NBSP = "\u00a0"


def facts(debtor_type=DebtorType.LEGAL, **changes) -> Facts:
    base = samples.sample_facts(debtor_type)
    case_changes = {k: v for k, v in changes.items() if k in ("events", "payments", "fines")}
    debtor_changes = {k: v for k, v in changes.items() if k in ("addresses", "liquidated", "birth_date")}
    case = replace(base.case, **case_changes, debtor=replace(base.case.debtor, **debtor_changes))
    settings = replace(base.settings, **{k: v for k, v in changes.items() if k in ("payment", "head", "courts")})
    calc = calculate(case.charges, case.payments, case.penalty, base.today, KeyRates([]))
    return replace(base, case=case, settings=settings, calc=replace(calc, warnings=base.calc.warnings),
                   attachments=changes.get("attachments"))


def context(kind: str, debtor_type=DebtorType.LEGAL, **changes) -> dict:
    return build(KINDS[kind], facts(debtor_type, **changes))[0].context


@pytest.mark.parametrize("text, code", [
    ("claim", "claim"), ("претензия", "claim"), ("Требование", "claim"), ("расчет", "calculation"),
    ("расчёт", "calculation"), ("служебная", "memo"), ("иск", "lawsuit"), ("приказ", "court-order"),
    ("отказ", "withdrawal"), ("банк", "bank"), ("фссп", "bailiffs"), ("запрос", "enforcement-query"),
    ("списание", "write-off"), ("опись", "post-inventory"), ("post-inventory", "post-inventory"),
])
def test_kinds_by_code_and_by_russian_alias(text, code):
    assert resolve_kind(text).code == code


def test_an_unknown_kind_lists_the_known_ones():
    with pytest.raises(KezdocsError, match="неизвестный вид документа «повестка».*claim \\(претензия"):
        resolve_kind("повестка")


def test_lawsuit_and_court_order_have_a_variant_per_procedural_code():
    assert KINDS["lawsuit"].template_for(DebtorType.PERSON) == "иск_гпк.docx"
    assert KINDS["lawsuit"].template_for(DebtorType.ENTREPRENEUR) == "иск_апк.docx"
    assert KINDS["court-order"].template_for(DebtorType.LEGAL) == "судебный_приказ_апк.docx"
    assert len(set(kinds.template_names())) == 14  # + the reduction of the claim (ГПК ст. 39 / АПК ст. 49)


def test_names_in_the_case_the_sentence_needs_and_organisations_never_declined():
    person = context("lawsuit", DebtorType.PERSON)["debtor"]
    assert (person["genitive"], person["dative"]) == ("Черных Ольги Викторовны", "Черных Ольге Викторовне")
    ip = context("lawsuit", DebtorType.ENTREPRENEUR)["debtor"]
    assert ip["genitive"] == "индивидуального предпринимателя Петрова Сергея Ивановича"
    assert ip["addressee"] == "Индивидуальному предпринимателю Петрову Сергею Ивановичу"
    legal = context("lawsuit")["debtor"]
    assert legal["genitive"] == legal["dative"] == legal["addressee"] == "ООО «Ромашка & Сыновья» <1>"


def test_amounts_in_figures_and_words():
    sums = context("claim", fines=Decimal("1500"))["sums"]
    # 15 000 due 10.01.2026, 5 000 paid 01.02.2026, 30 000 due 10.04.2026, 0.1 % a day, to 24.11.2026:
    # 15 000 × 20 × 0.1 % + 10 000 × 296 × 0.1 % + 30 000 × 228 × 0.1 % = 300 + 2 960 + 6 840 (10.01.2026 is a
    # Saturday of the New Year holidays: by ГК РФ ст. 193 payable on 12.01, penalty from 13.01; the old 22 days — wrong)
    assert sums["debt"] == f"40{NBSP}000,00"
    assert sums["penalty"] == f"10{NBSP}100,00"
    assert sums["fines"] == f"1{NBSP}500,00"
    assert sums["total"] == f"51{NBSP}600,00"
    assert sums["total_words"] == "Пятьдесят одна тысяча шестьсот рублей 00 копеек"
    assert sums["has_fines"] and sums["has_penalty"]


def test_the_calculation_rows_carry_formulas_and_never_the_warnings():
    data = facts()
    calc = build(KINDS["calculation"], data)[0].context["calc"]
    # 300,00: 13.01–01.02.2026 (ГК РФ ст. 193: due Saturday 10.01, payable 12.01; the old 330,00 — wrong)
    assert [r["amount"] for r in calc["rows"]] == ["300,00", f"2{NBSP}960,00", f"6{NBSP}840,00"]
    assert calc["rows"][1]["formula"] == "10 000,00 × 296 × 0,1%"
    assert calc["rows"][1]["rate"] == "0,1% в день"
    # Issue 14 item 11 (the old assertion that the context carried the warnings was wrong): a calculation is an
    # exhibit a court and the debtor read; the calculation's warnings go to the user (CLI, СТАТУС.txt), not here.
    assert data.calc.warnings and "warnings" not in calc


def test_the_overdue_charges_on_the_day():
    overdue = context("claim")["overdue"]
    # the first charge is due Saturday 10.01.2026: payable until Monday 12.01, overdue from 13.01 (ГК РФ ст. 193)
    assert overdue["text"] == "с 13.01.2026 по 24.11.2026"
    assert [(c["period"], c["unpaid"]) for c in overdue["charges"]] == [
        ("I квартал 2026", f"10{NBSP}000,00"), ("II квартал 2026", f"30{NBSP}000,00")]


def test_one_claim_per_distinct_address_and_one_for_an_address_given_twice():
    two = build(KINDS["claim"], facts())
    assert [d.suffix for d in two] == ["по договору", "по ЕГРЮЛ"]
    assert two[1].context["address"]["text"].startswith("426000")
    same = (Address("по договору", "427550, п. Кез, ул. Кирова, д. 1"), Address("по ЕГРЮЛ", "427550, п. Кез, ул. Кирова, д. 1"))
    one = build(KINDS["claim"], facts(addresses=same))
    assert [(d.suffix, d.context["address"]["kind"]) for d in one] == [("", "по договору, по ЕГРЮЛ")]


def test_the_qr_string_carries_the_total_in_kopecks_and_the_uin():
    qr = context("claim")["qr"]
    assert qr.startswith("ST00012|Name=УФК по Удмуртской Республике")
    # Issue 14 item 13 (the old assertion wanted 40 000 + 10 100 penalty in one code — wrong): the first code is the
    # principal alone, to the income КБК with the charge's УИН; the penalty is a second code to its own КБК
    # (по указаниям о порядке применения КБК; tests/test_payment_details.py)
    assert "|Sum=4000000|" in qr and qr.endswith("|UIN=18810000000000000012")
    assert [t["amount"] for t in context("claim")["payment"]["transfers"]] == ["40\u00a0000,00", "10\u00a0100,00"]


def test_missing_data_is_named_with_where_to_put_it():
    no_payment = missing(KINDS["claim"], facts(payment=PaymentDetails(recipient="УФК")))
    assert any("реквизиты для перечисления: ИНН, КПП" in m and "настройки" in m for m in no_payment)
    assert any("адрес должника" in m for m in missing(KINDS["post-inventory"], facts(addresses=())))
    no_birth = missing(KINDS["court-order"], facts(DebtorType.PERSON, birth_date=None))
    assert any("дата и место рождения" in m and "ГПК РФ ст. 124" in m for m in no_birth)
    assert any("погашение долга" in m for m in missing(KINDS["withdrawal"], facts()))
    no_claim = missing(KINDS["lawsuit"], facts(events=()))
    assert any("АПК РФ ст. 4 ч. 5" in m for m in no_claim)
    assert any("глава" in m for m in missing(KINDS["memo"], facts(head=None)))
    assert any("суд (настройки: «суды: арбитражный" in m for m in missing(KINDS["lawsuit"], facts(courts={})))
    assert missing(KINDS["claim"], facts()) == []


def test_withdrawal_once_paid_cites_the_procedural_code_of_the_court():
    paid = facts(payments=samples.sample_case().payments + (
        Payment(date(2026, 11, 1), Decimal("40000.00")),))
    assert missing(KINDS["withdrawal"], paid) == []
    data = build(KINDS["withdrawal"], paid)[0].context
    assert data["paid"]["date"] == "1\u00a0ноября 2026\u00a0г."  # non-breaking spaces (issue 14, item 15)
    assert data["route"]["arbitration"] is True
    assert data["court"]["to"] == "В Арбитражный суд Удмуртской Республики"
    assert data["court"]["case_number"] == "А71-1234/2026"


def test_courts_by_debtor_and_sum():
    assert context("court-order", DebtorType.PERSON)["court"]["to"].startswith("Мировому судье судебного участка")
    # a person's lawsuit over 50 000 руб. goes to the district court (ГПК РФ ст. 23, 24)
    assert context("lawsuit", DebtorType.PERSON)["court"]["to"] == "В Кезский районный суд Удмуртской Республики"
    assert context("lawsuit", DebtorType.PERSON)["court"]["address"] == "427580, п. Кез, ул. Кирова, д. 9"


def test_default_attachments_from_the_case_folder():
    titles = [a["title"] for a in context("lawsuit")["attachments"]]
    assert titles[0] == "Расчёт задолженности и пени"
    # Issue 14 item 12: the old titles were wrong — a file name («Копия: договор аренды 12-2025») and the extract
    # as «(ЕГРИП)» for a company. An attachment is named by its kind and the card's details (core.attachments).
    assert "Копия договора аренды земельного участка №\u00a012/2025 от 10.01.2025" in titles
    assert "Выписка из ЕГРЮЛ в отношении ответчика" in titles
    assert "Документ о направлении ответчику копии искового заявления с приложениями" in titles
    person = [a["title"] for a in context("lawsuit", DebtorType.PERSON)["attachments"]]
    assert not any("ЕГРЮЛ" in t for t in person)


def test_attachments_given_by_the_caller_replace_the_default():
    items = context("lawsuit", attachments=(("Договор аренды", 3), ("Претензия", None)))["attachments"]
    # Issue 14 item 12 (ГОСТ Р 7.0.97-2016 п. 5.24): the line gives the sheets and the copies; the old line had no
    # copies and was wrong.
    assert [(a["number"], a["text"]) for a in items] == [("1", "Договор аренды\u00a0— на\u00a03\u00a0л. в\u00a01\u00a0экз."),
                                                         ("2", "Претензия\u00a0— в\u00a01\u00a0экз.")]


def test_write_off_grounds_marked_from_the_card():
    # Issue 14 item 8: the old behaviour was wrong — a note «пп. 5» on the enforcement event and the
    # «ликвидирован» flag ticked БК РФ ст. 47.2 subpoints. Now only the field «основание» of the event
    # «признана безнадежной» chooses the ground; with none, no ground is offered (`missing` refuses the decision).
    assert context("write-off")["grounds"] == []
    assert context("write-off", liquidated=True, events=())["grounds"] == []
    chosen = context("write-off", events=(Event(date(2026, 11, 1), "written_off", {"основание": "3"}),))["grounds"]
    assert [(g["clause"], g["mark"]) for g in chosen] == [("3", "☒")]


def test_the_stage_decides_which_cases_need_a_document():
    case = samples.sample_case()

    class Stage:
        def __init__(self, stage, route=None):
            self.stage, self.route = stage, route

    assert kinds.needed(KINDS["claim"], case, Stage("overdue"))
    assert not kinds.needed(KINDS["claim"], case, Stage("claim_sent"))
    order = route_for(case, Price(Decimal("45000"), Decimal("0"), Decimal("0")))  # АПК РФ ст. 229.2
    assert order.label.startswith("заявление о выдаче судебного приказа в арбитражный суд (АПК РФ ст. 229.2)")
    assert kinds.needed(KINDS["court-order"], case, Stage("decision_taken", order))
    assert not kinds.needed(KINDS["lawsuit"], case, Stage("decision_taken", order))
    assert kinds.needed(KINDS["lawsuit"], case, Stage("court_order_cancelled", order))
    assert kinds.needed(KINDS["bank"], case, Stage("writ_received"))
    assert not kinds.needed(KINDS["bailiffs"], case, Stage("writ_received"))


def test_every_variable_is_documented_and_every_documented_variable_exists():
    found = set()
    for debtor_type in DebtorType:
        sample = samples.sample_facts(debtor_type)
        decided = Event(date(2026, 11, 1), "written_off", {"основание": "5"})  # the decision's recorded ground
        written_off = replace(sample, case=replace(sample.case, events=sample.case.events + (decided,)))
        for kind in KINDS.values():
            for doc in build(kind, written_off if kind.code == "write-off" else sample):
                found |= set(variables.flatten(doc.context))
    # an empty list of records (a person has no additional addresses) flattens to «x[]»: its fields are listed
    found -= {path for path in found if path.endswith("[]") and any(f.startswith(path + ".") for f in found)}
    assert found == set(variables.VARIABLES)


def test_no_data_name_hides_a_dictionary_method_in_templates():
    """Jinja reads `x.items` as the dict method before the key: such names would silently break a template."""
    names = {part.strip("[]") for path in variables.VARIABLES for part in path.split(".")}
    assert not names & set(dir(dict))


def test_events_fill_the_court_and_enforcement_data():
    events = samples.sample_case().events + (Event(date(2026, 11, 1), "info_request_sent"),)
    data = context("enforcement-query", events=events)
    assert data["enforcement"]["number"] == "12345/26/18045-ИП"
    assert data["writ"]["text"] == ("исполнительный лист ФС № 045678912 (выдан 28.07.2026; дело № А71-1234/2026; "
                                    "суд: Арбитражный суд Удмуртской Республики)")
    assert data["bailiffs"]["to"].startswith("В Кезское РОСП")
