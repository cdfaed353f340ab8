"""The case card: good cards parse exactly; every kind of bad input is a problem with a line."""
from datetime import date
from decimal import Decimal

import pytest

from kezdocs.core.card import parse_card
from kezdocs.core.model import DebtorType, PenaltyMethod
from kezdocs.core.settings import REGULATION_ADMINISTRATORS
from kezdocs.demo import company_inn, example_card, ogrn
from kezdocs.folders.cardedit import append_entry

GOOD = example_card()


def problems_of(text):
    case, problems = parse_card(text, "дело.yaml", REGULATION_ADMINISTRATORS)
    assert case is None
    return problems


def replace(old, new):
    assert old in GOOD
    return GOOD.replace(old, new)


def test_example_card_parses_exactly():
    case, problems = parse_card(GOOD, "дело.yaml", REGULATION_ADMINISTRATORS)
    assert problems == []
    assert case.number == "2024-001"
    assert case.debtor.type is DebtorType.LEGAL
    assert case.debtor.name == "ООО «Ромашка»"
    assert case.debtor.inn == company_inn("183100000")
    assert [a.kind for a in case.debtor.addresses] == ["по договору", "по ЕГРЮЛ"]
    assert case.basis.date == date(2023, 1, 10)
    assert case.basis.claim_required is True
    assert case.kbk == "00011105012140000120"
    assert case.penalty.method is PenaltyMethod.PERCENT and case.penalty.percent == Decimal("0.1")
    assert case.charges[0].amount == Decimal("15000.00") and case.charges[0].due == date(2024, 3, 10)
    assert case.payments[0].amount == Decimal("5000") and case.payments[0].document == "п/п № 123"
    assert case.events[0].kind == "claim_sent" and case.events[0].fields["шпи"] == "42755012345675"


@pytest.mark.parametrize("written, expected", [
    ('"15 000,00"', "15000.00"), ("15000.00", "15000.00"), ('"15000,5"', "15000.5"), ("15000", "15000"),
])
def test_amount_spellings(written, expected):
    case, problems = parse_card(replace('сумма: "15 000,00"', f"сумма: {written}"))
    assert problems == [] and case.charges[0].amount == Decimal(expected)


def test_iso_and_russian_dates_and_leading_zeros_stay_text():
    text = replace("срок_уплаты: 10.03.2024", "срок_уплаты: 2024-03-10").replace('"00011105012140000120"', "00011105012140000120")
    case, problems = parse_card(text)
    assert problems == []
    assert case.charges[0].due == date(2024, 3, 10)
    assert case.kbk == "00011105012140000120"  # unquoted, still 20 digits with its zeros


def test_no_is_not_a_boolean_but_a_word():
    case, _ = parse_card(replace("претензия_обязательна: да", "претензия_обязательна: нет"))
    assert case.basis.claim_required is False


def test_person_card_splits_the_name():
    text = """номер: 7
администратор: Отдел культуры
ответственный: {фио: Шутова Елена Николаевна}
должник:
  тип: физлицо
  фамилия: Черных
  имя: Ольга
  отчество: Викторовна
  адреса:
    регистрации: "п. Кез, ул. Садовая, д. 8"
    фактический: "г. Ижевск, ул. Майская, д. 21"
основание: {документ: Договор}
код_дохода: "00011301994140000130"
начисления:
  - {период: март, сумма: 100, срок_уплаты: 10.03.2024}
"""
    case, problems = parse_card(text, "дело.yaml", REGULATION_ADMINISTRATORS)
    assert problems == []
    assert case.debtor.name == "Черных Ольга Викторовна"
    assert [a.kind for a in case.debtor.addresses] == ["регистрации", "фактический"]


@pytest.mark.parametrize("old, new, line, words", [
    ("номер: 2024-001\n", "", None, "нет обязательного поля «номер»"),
    ("неустойка:", "неусойка:", 19, "может быть, «неустойка»"),
    ("срок_уплаты: 10.03.2024", "срок_уплаты: 31.02.2024", 21, "«31.02.2024» в поле «начисления[1].срок_уплаты» — не дата"),
    ('сумма: "15 000,00"', "сумма: -5", 21, "отрицательная"),
    ('сумма: "15 000,00"', "сумма: много", 21, "«много» в поле «начисления[1].сумма» — не сумма"),
    (f'инн: "{company_inn("183100000")}"', 'инн: "1831000009"', 8, "ИНН «1831000009» неверен"),
    (f'огрн: "{ogrn("102180000000")}"', 'огрн: "1021800000002"', 9, "ОГРН «1021800000002» неверен"),
    ('"00011105012140000120"', '"0001110501214000012"', 18, "должен состоять из 20 цифр (в нём 19)"),
    ('"00011105012140000120"', '"00012105012140000120"', 18, "«121» не закреплён"),
    ("администратор: Управление территориального развития", "администратор: Управление спорта", 3,
     "не указан в настройках"),
    ("событие: претензия направлена", "событие: претензия отправлена", 25, "может быть, «претензия направлена»"),
    ("тип: юрлицо", "тип: товарищество", 6, "допустимо: юрлицо, ип, физлицо"),
])
def test_bad_input_names_line_and_field(old, new, line, words):
    problems = problems_of(replace(old, new))
    assert any(words in p.message and (line is None or p.line == line) for p in problems), problems


def test_events_out_of_order():
    text = GOOD + "  - {дата: 10.04.2024, событие: претензия вручена}\n"
    problems = problems_of(text)
    assert any("не по порядку" in p.message and p.line == 26 for p in problems)


def test_yaml_syntax_error_has_a_line():
    problems = problems_of(GOOD.replace("должник:\n", "должник: [\n"))
    assert problems[0].line is not None and "синтаксиса" in problems[0].message


@pytest.mark.parametrize("text, words", [
    ("a: &x [1]\nb: *x\n", "якоря"),
    ("a: " + "[" * 50 + "]" * 50 + "\n", "вложенность"),
    ("x: " + "y" * 1_100_000, "больше 1 МБ"),
    ("- просто список\n", "набором полей"),
])
def test_hostile_yaml_refused(text, words):
    problems = problems_of(text)
    assert any(words in p.message for p in problems), problems


def test_billion_laughs_refused_quickly():
    lines = ['a0: &a0 ["lol"]'] + [f"a{i}: &a{i} [{', '.join([f'*a{i-1}'] * 10)}]" for i in range(1, 10)]
    problems = problems_of("\n".join(lines) + "\n")
    assert "якоря" in problems[0].message


def test_append_entry_keeps_comments_and_validates():
    updated = append_entry(GOOD, "события", {"дата": "20.05.2024", "событие": "служебная записка направлена"})
    assert "# или: 1/300 ключевой ставки | 395 ГК | нет" in updated
    assert "# Пример карточки дела" in updated
    case, problems = parse_card(updated, "дело.yaml", REGULATION_ADMINISTRATORS)
    assert problems == []
    assert [e.kind for e in case.events] == ["claim_sent", "memo_sent"]
    assert updated.startswith(GOOD.split("события:")[0])  # everything above the list is untouched
