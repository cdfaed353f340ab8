"""Sufficiency: the checklist of each step, item by item, and claim proofs matched to addresses."""
from decimal import Decimal

import pytest
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from kezdocs.core import delivery, requirements
from kezdocs.core.card import parse_card
from kezdocs.core.classification import DEFAULT_RULES, document
from kezdocs.core.eventrules import shpi_key
from kezdocs.core.requirements import checklist, next_step
from kezdocs.core.route import Price, route_for

INN = "183100000" + stdnum_inn.calc_company_check_digit("183100000")
OGRN = "102180000000" + stdnum_ogrn.calc_check_digit("1021800000000")  # takes the full length
PERSON_INN = "183100000000"
PERSON_INN = PERSON_INN[:10] + stdnum_inn.calc_personal_check_digits(PERSON_INN[:10])
SHPI_1, SHPI_2 = "42755012345675", "42755012345682"


def make_case(debtor=None, events=None, claim="да", accounts=""):
    debtor = debtor or f"""  тип: юрлицо
  наименование: ООО «Ромашка»
  инн: "{INN}"
  огрн: "{OGRN}"
  адреса:
    - {{вид: по договору, адрес: "427550, п. Кез, ул. Кирова, д. 1"}}
    - {{вид: по ЕГРЮЛ, адрес: "426000, г. Ижевск, ул. Пушкина, д. 10"}}
{accounts}"""
    if events is None:
        events = (f'  - {{дата: 15.04.2024, событие: претензия направлена, шпи: "{SHPI_2}", адрес: по ЕГРЮЛ}}\n'
                  f'  - {{дата: 15.04.2024, событие: претензия направлена, шпи: "{SHPI_1}", адрес: по договору}}\n')
    text = f"""номер: 2024-017
администратор: Управление территориального развития
ответственный: {{фио: Иванова Мария Петровна}}
должник:
{debtor}
основание:
  документ: Договор аренды земельного участка
  номер: 12/2023
  дата: 10.01.2023
  претензия_обязательна: {claim}
код_дохода: "00011105012140000120"
начисления:
  - {{период: I квартал 2024, сумма: "15 000,00", срок_уплаты: 10.03.2024}}
события:
{events or "  []"}
"""
    case, problems = parse_card(text)
    assert problems == [], problems
    return case


PERSON = f"""  тип: физлицо
  фамилия: Черных
  имя: Ольга
  инн: "{PERSON_INN}"
  адреса:
    - {{вид: регистрации, адрес: "427580, п. Кез, ул. Садовая, д. 8"}}"""

READY_FILES = {
    "basis": ["Договор аренды 12-2023.pdf", "Акт сверки.pdf"],
    "calculation": ["Сформировано/Расчёт задолженности.docx"],
    "claim_copy": ["Сформировано/Требование (претензия).docx"],
    "claim_sent:1": [f"Почта/квитанция {SHPI_1}.pdf", f"Почта/опись {SHPI_1}.pdf"],
    "claim_sent:2": [f"Почта/квитанция {SHPI_2}.pdf"],
    "lawsuit_sent": ["Иск/квитанция.pdf"],
    "power_of_attorney": ["доверенность Смирнов.pdf"],
    "diploma": ["диплом Смирнов.pdf"],
    "registry_extract": ["выписка ЕГРЮЛ.pdf"],
}


def docs(paths):
    return [document(p, "", DEFAULT_RULES) for p in paths]


def all_docs(without=()):
    return docs(p for key, paths in READY_FILES.items() if key not in without for p in paths)


def test_a_ready_arbitration_lawsuit():
    result = checklist(make_case(), "lawsuit", all_docs())
    assert result.ready and result.court == "arbitration" and result.missing == []
    items = {i.key: i for i in result.items}
    assert list(items) == ["basis", "calculation", "claim_copy", "claim_sent:1", "claim_sent:2", "lawsuit_sent",
                           "power_of_attorney", "diploma", "registry_extract", "state_duty"]
    for key, paths in READY_FILES.items():
        assert sorted(items[key].files) == sorted(paths), key
    assert f"ШПИ {SHPI_1}" in items["claim_sent:1"].item and "по договору" in items["claim_sent:1"].item
    assert items["state_duty"].present and items["state_duty"].clause == "НК РФ ст. 333.37 п. 1 пп. 1.1"
    assert items["diploma"].clause.startswith("АПК РФ ст. 126 ч. 1 п. 5")
    assert items["lawsuit_sent"].clause == "АПК РФ ст. 126 ч. 1 п. 1"


@pytest.mark.parametrize("key", list(READY_FILES))
def test_each_missing_item_in_turn(key):
    result = checklist(make_case(), "lawsuit", all_docs(without={key}))
    assert not result.ready
    assert [i.key for i in result.items if not i.present] == [key]
    item = next(i for i in result.items if i.key == key)
    assert item.files == () and item.clause


def test_an_act_alone_does_not_replace_the_contract():
    paths = [p for key, ps in READY_FILES.items() for p in ps if not p.startswith("Договор")] + ["Акт № 5.pdf"]
    result = checklist(make_case(), "lawsuit", docs(paths))
    assert result.missing == [next(i.item for i in result.items if i.key == "basis")]


def test_a_receipt_with_another_tracking_number_proves_nothing():
    paths = [p for key, ps in READY_FILES.items() if key != "claim_sent:2" for p in ps] + ["квитанция 80082171547450.pdf"]
    result = checklist(make_case(), "lawsuit", docs(paths))
    assert [i.key for i in result.items if not i.present] == ["claim_sent:2"]


def test_a_scan_without_tracking_number_counts_for_an_address():
    paths = [p for key, ps in READY_FILES.items() if key != "claim_sent:2" for p in ps] + ["Почта/чек.jpg"]
    result = checklist(make_case(), "lawsuit", docs(paths))
    assert result.ready
    assert next(i for i in result.items if i.key == "claim_sent:2").files == ("Почта/чек.jpg",)


def test_without_tracking_numbers_letters_are_counted():
    case = make_case(events="  - {дата: 15.04.2024, событие: претензия направлена}\n")
    one_letter = ["Почта/квитанция 1.pdf", "Почта/опись 1.pdf", "Почта/уведомление 1.pdf"]
    result = checklist(case, "lawsuit", all_docs(without={"claim_sent:1", "claim_sent:2"}) + docs(one_letter))
    assert [i.key for i in result.items if not i.present] == ["claim_sent:2"]
    assert sorted(next(i for i in result.items if i.key == "claim_sent:1").files) == sorted(one_letter)
    two = one_letter + ["Почта/квитанция 2.pdf"]
    assert checklist(case, "lawsuit", all_docs(without={"claim_sent:1", "claim_sent:2"}) + docs(two)).ready


def test_events_without_address_fill_addresses_in_order():
    case = make_case(events=f'  - {{дата: 15.04.2024, событие: претензия направлена, шпи: "{SHPI_2}"}}\n'
                            f'  - {{дата: 15.04.2024, событие: претензия направлена, шпи: "{SHPI_1}"}}\n')
    assert requirements.claim_tracking(case) == {0: SHPI_2, 1: SHPI_1}
    assert checklist(case, "lawsuit", all_docs()).ready


def test_no_claim_required_means_no_claim_items():
    result = checklist(make_case(claim="нет", events=""), "lawsuit",
                       all_docs(without={"claim_copy", "claim_sent:1", "claim_sent:2"}))
    assert result.ready
    assert not any(i.key.startswith("claim") for i in result.items)


def test_a_person_in_general_court_needs_no_diploma_nor_registry_extract():
    case = make_case(debtor=PERSON, events=f'  - {{дата: 15.04.2024, событие: претензия направлена, шпи: "{SHPI_1}"}}\n')
    result = checklist(case, "lawsuit", all_docs(without={"diploma", "registry_extract", "claim_sent:2"}))
    assert result.court == "general" and result.ready
    keys = [i.key for i in result.items]
    assert "diploma" not in keys and "registry_extract" not in keys
    clauses = {i.key: i.clause for i in result.items}
    assert clauses["lawsuit_sent"] == "ГПК РФ ст. 132 п. 6"
    assert clauses["state_duty"] == "НК РФ ст. 333.36 п. 1 пп. 19"


def test_a_general_court_order_needs_no_claim_proofs_but_proof_it_was_sent():
    case = make_case(debtor=PERSON, events="")
    paths = ["Договор аренды.pdf", "Сформировано/Расчёт.docx", "доверенность.pdf"]
    result = checklist(case, "court-order", docs(paths))
    assert [i.key for i in result.items if not i.present] == ["lawsuit_sent"]
    assert "01.09.2024" in next(i.clause for i in result.items if i.key == "lawsuit_sent")
    assert checklist(case, "court-order", docs(paths + ["Квитанция о направлении заявления о выдаче приказа.pdf"])).ready


def test_the_claim_needs_the_basis_and_a_calculation():
    result = checklist(make_case(events=""), "claim", docs(["договор.pdf"]))
    assert [(i.key, i.present) for i in result.items] == [("basis", True), ("calculation", False)]
    assert checklist(make_case(events=""), "claim", docs(["договор.pdf", "Сформировано/Расчёт.docx"])).ready


@pytest.mark.parametrize("step", ["bank", "bailiffs"])
def test_enforcement_needs_the_writ_or_court_order(step):
    assert not checklist(make_case(), step, docs(["договор.pdf"])).ready
    assert checklist(make_case(), step, docs(["Суд/исполнительный лист ФС 045678912.pdf"])).ready
    assert checklist(make_case(), step, docs(["судебный приказ 2-15.pdf"])).ready


def test_next_step_by_stage():
    legal = make_case()
    lawsuit = route_for(legal, Price(Decimal("600000"), Decimal("0"), Decimal("0")))  # over АПК ст. 229.2's 500 000
    order = route_for(legal, Price(Decimal("45000"), Decimal("0"), Decimal("0")))  # a written deal, under it
    assert next_step("overdue") == "claim"
    assert next_step("claim_sent", lawsuit) == "lawsuit"
    assert next_step("decision_taken", order) == "court-order"
    assert next_step("court_order_cancelled", order) == "lawsuit"
    assert next_step("writ_received", bank_accounts=True) == "bank"
    assert next_step("writ_received") == "bailiffs"
    assert next_step("bank_returned", bank_accounts=True) == "bailiffs"
    assert next_step("in_court") is None and next_step("paid") is None


def test_json_shape():
    data = checklist(make_case(), "lawsuit", all_docs(without={"diploma"})).as_json("2024-017")
    assert data["case"] == "2024-017" and data["step"] == "lawsuit" and data["ready"] is False
    assert set(data["items"][0]) == {"item", "clause", "present", "files"}
    assert [i["present"] for i in data["items"]].count(False) == 1


def test_an_unknown_step_is_refused():
    with pytest.raises(ValueError, match="неизвестный шаг"):
        checklist(make_case(), "appeal", [])



# --- issue 16 review: a refused ШПИ is never counted; an international ШПИ matches -------------------

MISREAD_2 = SHPI_2[:-1] + str((int(SHPI_2[-1]) + 7) % 10)  # one digit wrong: the check digit no longer fits
WITHOUT_2 = [p for key, ps in READY_FILES.items() if key != "claim_sent:2" for p in ps]


@pytest.mark.parametrize("events", [
    None,  # the card records both letters' ШПИ
    "  - {дата: 15.04.2024, событие: претензия направлена}\n  - {дата: 15.04.2024, событие: претензия направлена}\n",
])
def test_a_receipt_whose_only_shpi_fails_its_check_digit_is_not_counted(events):
    """Finding 2: counted, the receipt proved the ЕГРЮЛ address and the package filed it under the card's ШПИ,
    a number the scan does not show."""
    case = make_case(events=events)
    receipt = document("Почта/скан 002.pdf", f"Кассовый чек\nШПИ {MISREAD_2}", DEFAULT_RULES)
    assert (receipt.kind, receipt.tracking, receipt.rejected_tracking) == ("postal_receipt", (), (MISREAD_2,))
    base = WITHOUT_2 if events is None else [p for p in WITHOUT_2 if SHPI_1 not in p] + ["Почта/квитанция.pdf"]
    items = {i.key: i for i in checklist(case, "lawsuit", [*docs(base), receipt]).items}
    assert (items["claim_sent:2"].present, items["claim_sent:2"].files) == (False, ())
    assert items["claim_sent:2"].item.endswith(f" — ШПИ {MISREAD_2} на квитанции «Почта/скан 002.pdf» не проходит "
                                               "проверку контрольной цифры — проверьте номер")


def test_a_refused_number_beside_a_valid_one_is_no_obstacle():
    receipt = document(f"Почта/квитанция {SHPI_2}.pdf", f"Кассовый чек\nШПИ {MISREAD_2}", DEFAULT_RULES)
    assert (receipt.tracking, receipt.rejected_tracking) == ((SHPI_2,), (MISREAD_2,))
    items = {i.key: i for i in checklist(make_case(), "lawsuit", [*docs(WITHOUT_2), receipt]).items}
    assert (items["claim_sent:2"].files, items["claim_sent:2"].item.endswith(f"(ШПИ {SHPI_2})")) == (
        (receipt.relpath,), True)


INTERNATIONAL = "RA123456785RU"


@pytest.mark.parametrize("value, key", [
    ("RA123456785RU", INTERNATIONAL), ("ra 123456785 ru", INTERNATIONAL), (" 427550 12 34567 5 ", SHPI_1),
])
def test_one_normaliser_for_every_shpi(value, key):
    assert shpi_key(value) == key


@pytest.mark.parametrize("written", [INTERNATIONAL, "ra 123456785 ru"])
def test_an_international_shpi_matches_its_receipt(written):
    """Finding 4: the card's «RA123456785RU» was stripped to its digits and matched no receipt."""
    case = make_case(events=f'  - {{дата: 15.04.2024, событие: претензия направлена, шпи: "{SHPI_1}", адрес: '
                            f'по договору}}\n  - {{дата: 15.04.2024, событие: претензия направлена, шпи: "{written}", '
                            'адрес: по ЕГРЮЛ}\n')
    assert requirements.claim_tracking(case) == {0: SHPI_1, 1: INTERNATIONAL}
    items = {i.key: i for i in checklist(case, "lawsuit", docs([*WITHOUT_2, "Почта/чек.jpg",
                                                                f"Почта/квитанция {INTERNATIONAL}.pdf"])).items}
    assert items["claim_sent:2"].files == (f"Почта/квитанция {INTERNATIONAL}.pdf",)
    assert items["claim_sent:2"].item.endswith(f"(ШПИ {INTERNATIONAL})")


def test_an_international_notice_is_suggested_once_and_recorded_in_any_spelling():
    events = (f'  - {{дата: 15.04.2024, событие: претензия направлена, шпи: "{INTERNATIONAL}", адрес: по ЕГРЮЛ}}\n')
    notice = document("Почта/уведомление.pdf", f"Уведомление о вручении\n{INTERNATIONAL}\nВручено 20.04.2024",
                      DEFAULT_RULES)
    [suggested] = delivery.suggestions(make_case(events=events), [notice])
    assert suggested.fields == (("шпи", INTERNATIONAL), ("адрес", "по ЕГРЮЛ"))
    recorded = events + '  - {дата: 20.04.2024, событие: претензия вручена, шпи: "ra 123456785 ru"}\n'
    assert delivery.suggestions(make_case(events=recorded), [notice]) == []
