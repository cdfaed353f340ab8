"""Russian wording: dates, plural forms, names declined (pytrovich), positions in the dative."""
from datetime import date

import pytest

from kezdocs.core import russian
from kezdocs.core.russian import DATIVE, GENITIVE, PersonName, decline, split_name


def test_dates_in_words_and_in_figures():
    # non-breaking spaces (issue 14, item 15): «18 мая» and «2023 г.» never break across two lines
    assert russian.date_text(date(2023, 5, 18)) == "18\u00a0мая 2023\u00a0г."
    assert russian.date_text(date(2024, 1, 1)) == "1\u00a0января 2024\u00a0г."
    assert russian.date_short(date(2024, 3, 9)) == "09.03.2024"


@pytest.mark.parametrize("n, word", [(1, "день"), (2, "дня"), (4, "дня"), (5, "дней"), (11, "дней"), (12, "дней"),
                                     (14, "дней"), (21, "день"), (22, "дня"), (30, "дней"), (111, "дней"), (101, "день")])
def test_plural_forms(n, word):
    assert russian.plural(n, "день", "дня", "дней") == word


def test_count_text():
    assert russian.count_text(30, "календарный день", "календарных дня", "календарных дней") == "30 календарных дней"
    assert russian.count_text(21, "календарный день", "календарных дня", "календарных дней") == "21 календарный день"


@pytest.mark.parametrize("name, gender, genitive, dative", [
    (("Черных", "Ольга", "Викторовна"), "female", "Черных Ольги Викторовны", "Черных Ольге Викторовне"),
    (("Иванов", "Иван", "Иванович"), None, "Иванова Ивана Ивановича", "Иванову Ивану Ивановичу"),
    (("Петрова", "Анна", "Сергеевна"), None, "Петровой Анны Сергеевны", "Петровой Анне Сергеевне"),
    (("Кузьмин", "Илья", "Никитич"), None, "Кузьмина Ильи Никитича", "Кузьмину Илье Никитичу"),
    (("Черных", "Олег", "Ильич"), None, "Черных Олега Ильича", "Черных Олегу Ильичу"),
    (("Шевчук", "Алексей", None), "male", "Шевчука Алексея", "Шевчуку Алексею"),
])
def test_person_names_declined(name, gender, genitive, dative):
    person = PersonName(*name)
    assert decline(person, GENITIVE, gender).full == genitive
    assert decline(person, DATIVE, gender).full == dative


def test_hyphenated_last_name_declines_each_part():
    assert decline(PersonName("Петрова-Водкина", "Мария", "Ивановна"), GENITIVE).full == "Петровой-Водкиной Марии Ивановны"


@pytest.mark.parametrize("text, last, short", [
    ("Богданов Игорь Олегович", "Богданов", "И.О.\u00a0Богданов"),
    ("И.О. Богданов", "Богданов", "И.О.\u00a0Богданов"),
    ("Богданов И.О.", "Богданов", "И.О.\u00a0Богданов"),
    # initials with spaces or none before the name: «И.О.», then a non-breaking space (issue 14, item 15)
    ("И. О. Богданов", "Богданов", "И.О.\u00a0Богданов"),
    ("А.В.Кузнецова", "Кузнецова", "А.В.\u00a0Кузнецова"),
    ("И. Богданов", "Богданов", "И.\u00a0Богданов"),
    ("Мамедов Рашид Гусейн оглы", "Мамедов", "Р.Г.\u00a0Мамедов"),
])
def test_names_are_read_in_every_usual_form(text, last, short):
    name = split_name(text)
    assert name.last == last
    assert name.short == short


def test_a_name_written_with_initials_declines_the_last_name_only():
    assert decline(split_name("И.О. Богданов"), DATIVE).short == "И.О.\u00a0Богданову"
    assert decline(split_name("Кузнецова Анна Викторовна"), DATIVE).short == "А.В.\u00a0Кузнецовой"


def test_positions_in_the_dative_change_the_head_word_only():
    head = "Глава муниципального образования «Муниципальный округ Кезский район Удмуртской Республики»"
    assert russian.position_dative(head) == ("Главе муниципального образования «Муниципальный округ Кезский район "
                                             "Удмуртской Республики»")
    assert russian.position_dative("Временно исполняющий обязанности главы") == \
        "Временно исполняющему обязанности главы"
    assert russian.position_dative("Заместитель главы Администрации") == "Заместителю главы Администрации"
    assert russian.position_dative("Мэр города") == "Мэр города"


def test_capitalize_keeps_the_rest_of_the_text():
    assert russian.capitalize("индивидуальному предпринимателю ООО") == "Индивидуальному предпринимателю ООО"
    assert russian.capitalize("") == ""
