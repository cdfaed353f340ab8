"""A new case: the fields' table, each field checked by the card's rules, a duplicate number, and `kezdocs new`
asking for every required field until the answer is valid."""
import pytest
from click.testing import CliRunner

from kezdocs import cases, demo
from kezdocs.cli import main
from kezdocs.core.card import CARD_NAME, parse_card
from kezdocs.core.newcase import NEW_CASE_FIELDS, REQUIRED, card_text, field_errors
from kezdocs.folders.casefolder import open_root

INN = demo.company_inn("183100321")
BAD_INN = INN[:-1] + str((int(INN[-1]) + 1) % 10)  # the check digit off by one
ADMINISTRATORS = ("Управление территориального развития", "Управление финансов")
GOOD = {
    "number": "2026-100", "debtor_type": "юрлицо", "debtor": "ООО «Берёзка»", "inn": INN, "officer": "Иванова М. П.",
    "administrator": ADMINISTRATORS[0], "address": "427580, п. Кез, ул. Кирова, д. 2", "basis": "Договор аренды",
    "kbk": demo.KBK_RENT, "charge_period": "I квартал 2026", "charge_amount": "12 000,00", "charge_due": "10.03.2026",
}


@pytest.fixture()
def root(tmp_path):
    cases.init_root(tmp_path / "дела")
    return tmp_path / "дела"


def test_a_complete_form_makes_a_valid_commented_card():
    assert field_errors(GOOD, ADMINISTRATORS) == {}
    text = card_text(GOOD)
    case, problems = parse_card(text, CARD_NAME, ADMINISTRATORS)
    assert problems == [] and case.number == "2026-100" and case.debtor.inn == INN
    assert case.debtor.addresses[0].kind == "по договору" and text.startswith("# Карточка дела")


@pytest.mark.parametrize("key, value, expected", [
    ("inn", BAD_INN, f"ИНН «{BAD_INN}» неверен"),  # the check digit
    ("inn", "", "для организации и ИП нужен «инн»"),  # required for an organisation only
    ("kbk", "0001110501214000012", "должен состоять из 20 цифр (в нём 19)"),
    ("kbk", "00011205012140000120", "код дохода (цифры 4–6) «112»"),
    ("charge_due", "31.02.2026", "не дата"),
    ("charge_amount", "двенадцать", "не сумма"),
    ("charge_amount", "0", "сумма начисления равна нулю"),
    ("basis_date", "вчера", "не дата"),
    ("debtor_type", "банк", "допустимо: юрлицо, ип, физлицо"),
    ("debtor_type", "юрлицо\nномер: чужой", "допустимо: юрлицо, ип, физлицо"),  # no YAML gets in
    ("administrator", "Управление образования", "не указан в настройках"),
])
def test_each_bad_value_is_reported_at_its_field_with_the_cards_reason(key, value, expected):
    errors = field_errors({**GOOD, key: value}, ADMINISTRATORS)
    assert list(errors) == [key]
    assert expected in errors[key]


@pytest.mark.parametrize("key", [f.key for f in NEW_CASE_FIELDS if f.required])
def test_an_empty_required_field_is_named(key):
    assert field_errors({**GOOD, key: "  "}, ADMINISTRATORS) == {key: REQUIRED}


def test_a_person_needs_a_first_name_and_gets_a_registration_address():
    person = {**GOOD, "debtor_type": "ФИЗЛИЦО", "debtor": "Лебедев", "inn": ""}
    assert list(field_errors(person, ADMINISTRATORS)) == ["debtor"]
    case, problems = parse_card(card_text({**person, "debtor": "Лебедев Иван Петрович"}), CARD_NAME, ADMINISTRATORS)
    assert problems == [] and case.debtor.addresses[0].kind == "регистрации"


def test_create_case_writes_the_folder_and_refuses_a_number_already_there(root):
    opened = open_root(root)
    values = {**GOOD, "administrator": opened.settings.administrators[0], "debtor_type": "ИП",
              "debtor": "ИП Петров", "inn": "183100000010"}
    folder = cases.create_case(opened, values)
    assert folder.name == "2026-100 ИП Петров"
    case, problems = parse_card((folder / CARD_NAME).read_text(encoding="utf-8"), CARD_NAME,
                                opened.settings.administrators)
    assert problems == [] and case.debtor.name == "ИП Петров"
    with pytest.raises(cases.FieldErrors) as again:
        cases.create_case(opened, {**values, "debtor": "ООО Другое"})
    assert again.value.errors == {"number": "дело с номером 2026-100 уже есть: папка «2026-100 ИП Петров»"}
    assert not (root / "2026-100 ООО Другое").exists()


def test_a_number_only_a_card_holds_is_a_duplicate_too(root):
    opened = open_root(root)
    with pytest.raises(cases.FieldErrors) as caught:  # «Пример 2024-001 ООО Ромашка» holds «номер: 2024-001»
        cases.create_case(opened, {**GOOD, "number": "2024-001", "administrator": opened.settings.administrators[0]})
    assert "папка «Пример 2024-001 ООО Ромашка»" in caught.value.errors["number"]


def test_field_errors_say_every_field_with_its_label(root):
    with pytest.raises(cases.FieldErrors) as caught:
        cases.create_case(open_root(root), {**GOOD, "number": "", "kbk": "123"})
    assert set(caught.value.errors) == {"number", "kbk"}
    lines = str(caught.value).splitlines()
    assert lines[0] == "Номер дела: обязательное поле"
    assert lines[1].startswith("КБК (код дохода): КБК «123» должен состоять из 20 цифр")


def run_new(root, *args, answers=""):
    return CliRunner().invoke(main, ["new", "--root", str(root), *args], input=answers, catch_exceptions=False)


def test_new_with_every_option_asks_nothing(root):
    result = run_new(root, "--number", "2026-100", "--type", "юрлицо", "--debtor", "ООО «Берёзка»", "--inn", INN,
                     "--address", "427580, п. Кез, ул. Кирова, д. 2", "--officer", "Иванова М. П.",
                     "--kbk", demo.KBK_RENT, "--charge", "I квартал 2026;12 000,00;10.03.2026")
    assert result.exit_code == 0, result.output  # no input: a question would have ended it
    assert (root / "2026-100 ООО Берёзка" / CARD_NAME).exists()


def test_new_asks_for_each_missing_required_field_and_again_when_the_answer_is_wrong(root):
    answers = "\n".join([
        "2024-001",  # taken by the example case: asked again
        "2026-102",
        "юрлицо",
        "ООО «Берёзка»",
        BAD_INN,  # a wrong check digit: asked again
        INN,
        "Иванова Мария Петровна",
        "427580, п. Кез, ул. Кирова, д. 2",
        "0001110501214000012",  # 19 digits: asked again
        demo.KBK_RENT,
        "I квартал 2026",
        "ноль",  # not an amount: asked again
        "12 000,00",
        "31.02.2026",  # no such day: asked again
        "10.03.2026",
    ]) + "\n"
    result = run_new(root, answers=answers)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "дело с номером 2024-001 уже есть: папка «Пример 2024-001 ООО Ромашка»" in out
    assert f"ИНН «{BAD_INN}» неверен" in out
    assert "КБК «0001110501214000012» должен состоять из 20 цифр" in out
    assert "«ноль» в поле «начисления[1].сумма» — не сумма" in out
    assert "«31.02.2026» в поле «начисления[1].срок_уплаты» — не дата" in out
    assert out.count("ИНН должника") == 2 and out.count("Срок уплаты") == 2
    case, problems = parse_card((root / "2026-102 ООО Берёзка" / CARD_NAME).read_text(encoding="utf-8"), CARD_NAME)
    assert problems == [] and case.debtor.inn == INN and case.kbk == demo.KBK_RENT
    assert str(case.charges[0].amount) == "12000.00" and case.officer.name == "Иванова Мария Петровна"


def test_new_does_not_ask_a_persons_inn(root):
    answers = "2026-101\nфизлицо\nЛебедев Иван Петрович\nШутова Елена Николаевна\nп. Кез, ул. Мира, д. 3\n"
    result = run_new(root, "--kbk", demo.KBK_SERVICES, "--charge", "май;500;10.05.2026", answers=answers)
    assert result.exit_code == 0, result.output
    assert "ИНН" not in result.output
    card = (root / "2026-101 Лебедев Иван Петрович" / CARD_NAME).read_text(encoding="utf-8")
    assert 'фамилия: "Лебедев"' in card and 'вид: "регистрации"' in card
