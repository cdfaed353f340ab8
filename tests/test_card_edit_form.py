"""Editing the card's common fields from a form: the values read, written back with the comments kept, refused
when the card rules refuse them or when the card changed since the form was built."""
from __future__ import annotations

import difflib
from decimal import Decimal

import pytest

from kezdocs import demo
from kezdocs.core.card import CARD_NAME, parse_card
from kezdocs.core.errors import KezdocsError
from kezdocs.core.model import PenaltyMethod
from kezdocs.core.newcard import new_card_text
from kezdocs.folders.cardchange import common_fields, edit_common_fields, set_common_fields
from kezdocs.folders.cardfile import CardChanged, card_version, update_card
from kezdocs.folders.casefolder import open_root

from conftest import DEMO_DAY

CARDS = {name: text for name, (text, _files) in demo._cases(DEMO_DAY).items()}
ROMASHKA = "2026-001 ООО Ромашка"
GOOD_INN = demo.company_inn("183100999")
NEW_ADDRESSES = [("по договору", "427550, Удмуртская Республика, п. Кез, ул. Новая, д. 5"),
                 ("по ЕГРЮЛ", "426000, Удмуртская Республика, г. Ижевск, ул. Ленина, д. 1")]


def _check(root):
    administrators = open_root(root).settings.administrators
    return lambda text: parse_card(text, CARD_NAME, administrators)[1]


def _changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


# --- reading -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("folder, expected", [
    (ROMASHKA, {"должник.тип": "юрлицо", "должник.наименование": "ООО «Ромашка»", "должник.фамилия": "",
                "должник.инн": demo.company_inn("183100000"), "должник.кпп": "183101001",
                "неустойка.способ": "процент в день", "неустойка.ставка": "0.1", "неустойка.предел": "",
                "банк.наименование": ""}),
    ("2026-003 Черных Ольга", {"должник.тип": "физлицо", "должник.фамилия": "Черных", "должник.имя": "Ольга",
                               "должник.отчество": "Викторовна", "должник.наименование": "",
                               "неустойка.способ": "395 ГК"}),
    ("2026-006 ООО Вектор", {"банк.наименование": "Удмуртское отделение № 8618 ПАО Сбербанк",
                             "банк.адрес": "426033, Удмуртская Республика, г. Ижевск, ул. Карла Маркса, д. 290"}),
])
def test_common_fields_reads_the_forms_values(folder, expected):
    values = common_fields(CARDS[folder])
    assert {key: values[key] for key in expected} == expected


def test_common_fields_reads_the_lists_as_rows():
    values = common_fields(CARDS["2026-003 Черных Ольга"])
    assert [kind for kind, _address in values["адреса"]] == ["регистрации", "фактический"]
    assert [(period[:4], amount) for period, amount, _due in values["начисления"]] == \
        [("март", "3 200,00"), ("апре", "3 200,00")]


def test_addresses_written_as_a_mapping_read_as_rows_and_are_replaced_by_a_list():
    text = CARDS[ROMASHKA].replace(
        "  адреса:\n    - {вид: по договору, адрес: \"427550, Удмуртская Республика, п. Кез, ул. Кирова, д. 1\"}\n"
        "    - {вид: по ЕГРЮЛ, адрес: \"426000, Удмуртская Республика, г. Ижевск, ул. Пушкина, д. 10\"}\n",
        "  адреса: {по договору: \"427550, п. Кез\", по ЕГРЮЛ: \"426000, г. Ижевск\"}\n")
    assert common_fields(text)["адреса"] == [("по договору", "427550, п. Кез"), ("по ЕГРЮЛ", "426000, г. Ижевск")]
    after = set_common_fields(text, {"адреса": NEW_ADDRESSES})
    assert [(a.kind, a.text) for a in parse_card(after)[0].debtor.addresses] == NEW_ADDRESSES


@pytest.mark.parametrize("folder", sorted(CARDS))
def test_writing_back_what_was_read_changes_nothing(folder):
    assert set_common_fields(CARDS[folder], common_fields(CARDS[folder])) == CARDS[folder]


# --- writing -------------------------------------------------------------------------------------------------

def test_only_the_given_keys_change():
    after = set_common_fields(CARDS[ROMASHKA], {"должник.наименование": "ООО «Ромашка плюс»",
                                                "неустойка.ставка": "0.05"})
    assert _changed_lines(CARDS[ROMASHKA], after) == [
        "-   наименование: ООО «Ромашка»", "+   наименование: ООО «Ромашка плюс»",
        "- неустойка: {способ: процент в день, ставка: 0.1}", "+ неустойка: {способ: процент в день, ставка: 0.05}"]


def test_an_empty_optional_value_removes_its_key_and_lists_are_replaced_whole():
    after = set_common_fields(CARDS[ROMASHKA], {"должник.кпп": "", "адреса": NEW_ADDRESSES + [("", "")],
                                                "начисления": [("IV квартал 2026", "9 000,00", "10.12.2026")]})
    case, problems = parse_card(after)
    assert problems == []
    assert case.debtor.kpp is None
    assert [(a.kind, a.text) for a in case.debtor.addresses] == NEW_ADDRESSES
    assert [(c.period, c.amount) for c in case.charges] == [("IV квартал 2026", Decimal("9000.00"))]


def test_a_new_bank_and_penalty_terms_go_where_the_card_keeps_them():
    after = set_common_fields(CARDS["2026-002 ИП Петров"], {
        "банк.наименование": "ПАО Сбербанк", "банк.адрес": "426033, г. Ижевск, ул. Карла Маркса, д. 290",
        "неустойка.способ": "процент в день", "неустойка.ставка": "0.1", "неустойка.предел": "100"})
    case, problems = parse_card(after)
    assert problems == []
    assert (case.debtor.bank.kind, case.debtor.bank.text) == \
        ("ПАО Сбербанк", "426033, г. Ижевск, ул. Карла Маркса, д. 290")
    assert (case.penalty.method, case.penalty.percent, case.penalty.cap_percent) == \
        (PenaltyMethod.PERCENT, Decimal("0.1"), Decimal("100"))
    keys = [line.split(":")[0].strip() for line in after.splitlines() if line.startswith("  ") and ":" in line]
    assert keys.index("банк") == keys.index("адреса") + 3  # after the two addresses of the list


def test_emptying_the_bank_removes_the_section():
    after = set_common_fields(CARDS["2026-006 ООО Вектор"], {"банк.наименование": "", "банк.адрес": ""})
    assert "банк:" not in after
    assert parse_card(after)[0].debtor.bank is None


def test_the_comments_of_a_new_card_survive_an_edit():
    text = new_card_text("2026-100", "Управление финансов", "Иванова Мария Петровна", "+7 (34158) 3-12-34", "юрлицо",
                         "ООО «Тест»", GOOD_INN, [("по договору", "427550, п. Кез, ул. Кирова, д. 1")], "Договор",
                         "1", "01.01.2024", demo.KBK_RENT, [("I квартал 2024", "100,00", "10.03.2024")])
    after = set_common_fields(text, {"адреса": NEW_ADDRESSES, "неустойка.способ": "1/300 ключевой ставки",
                                     "начисления": [("II квартал 2024", "200,00", "10.06.2024")]})
    comments = [line.split("#", 1)[1] for line in text.splitlines() if "#" in line]
    assert [line.split("#", 1)[1] for line in after.splitlines() if "#" in line] == comments
    assert parse_card(after)[1] == []


def test_an_unknown_field_is_refused():
    with pytest.raises(KezdocsError, match="неизвестные поля карточки: должник.пароль"):
        set_common_fields(CARDS[ROMASHKA], {"должник.пароль": "x"})


@pytest.mark.parametrize("rows", [[("по договору",)], [("по договору", "адрес", "лишнее")]])
def test_a_row_of_the_wrong_width_is_refused(rows):
    with pytest.raises(KezdocsError, match="нужно 2 значения"):
        set_common_fields(CARDS[ROMASHKA], {"адреса": rows})


# --- through the card writer ---------------------------------------------------------------------------------

def test_edit_common_fields_writes_the_card(demo_copy):
    card = demo_copy / ROMASHKA / CARD_NAME
    written = edit_common_fields(card, {"должник.инн": GOOD_INN, "адреса": NEW_ADDRESSES}, _check(demo_copy),
                                 card_version(card))
    assert card.read_text(encoding="utf-8") == written
    case, problems = parse_card(written)
    assert problems == []
    assert case.debtor.inn == GOOD_INN
    assert [(a.kind, a.text) for a in case.debtor.addresses] == NEW_ADDRESSES
    assert written.startswith("# Юрлицо с двумя адресами")


@pytest.mark.parametrize("values, message", [
    ({"должник.инн": "1831000002"}, "ИНН «1831000002» неверен"),
    ({"должник.наименование": ""}, "нет обязательного поля «должник.наименование»"),
    ({"начисления": [("IV квартал", "", "10.12.2026")]}, "начисления"),
])
def test_values_the_card_rules_refuse_leave_the_card_as_it_was(demo_copy, values, message):
    card = demo_copy / ROMASHKA / CARD_NAME
    before = card.read_bytes()
    with pytest.raises(KezdocsError, match=message) as caught:
        edit_common_fields(card, values, _check(demo_copy), card_version(card))
    assert "правка не сделана" in str(caught.value)
    assert card.read_bytes() == before


def test_a_form_built_before_another_change_writes_nothing(demo_copy):
    card = demo_copy / ROMASHKA / CARD_NAME
    seen = card_version(card)
    update_card(card, lambda text: text + "примечание: звонили 01.12\n", _check(demo_copy))
    before = card.read_bytes()
    with pytest.raises(CardChanged):
        edit_common_fields(card, {"должник.наименование": "ООО «Лютик»"}, _check(demo_copy), seen)
    assert card.read_bytes() == before
