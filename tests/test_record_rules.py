"""`record`'s rules, shared by the CLI and the web form: the event's name, the stage that accepts it, its fields
(ШПИ with its check digit, the result, the write-off ground), a payment entered twice, the date order, the
card's version."""
import os
import time
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner

from kezdocs import cases
from kezdocs.cli import main
from kezdocs.core import eventrules
from kezdocs.core.card import CARD_NAME, parse_card
from kezdocs.core.stages import allowed_events
from kezdocs.folders import cardfile
from kezdocs.folders.cardedit import insert_entry
from kezdocs.folders.casefolder import open_root

# --- the core: ШПИ, the stage's events, names, fields -------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("42755012345675", None),
    ("4275 5012 3456 75", None),  # as printed on a receipt
    ("42756000000019", None),
    ("42755012345678", "ШПИ 42755012345678: неверная контрольная цифра (должна быть 5) — проверьте номер на квитанции"),
    ("42755000000001", "ШПИ 42755000000001: неверная контрольная цифра (должна быть 5) — проверьте номер на квитанции"),
    ("RA123456785RU", None),  # UPU S10
    ("ra123456785ru", None),
    ("RA123456784RU", "ШПИ RA123456784RU: неверная контрольная цифра (должна быть 5) — проверьте номер на квитанции"),
    ("4275501234567", "ШПИ «4275501234567» — не почтовый идентификатор: нужно 14 цифр"),
    ("RA12345678RU", "ШПИ «RA12345678RU» — не почтовый идентификатор: нужно 14 цифр"),
])
def test_shpi_check_digit(value, expected):
    found = eventrules.shpi_problem(value)
    assert (found is None) if expected is None else found.startswith(expected)


@pytest.mark.parametrize("value, valid", [
    ("EE000000014RU", True),  # weights 8 6 4 2 3 5 9 7: sum 7, 11 − 7 = 4
    ("EE000040000RU", True),  # sum 12: 11 − 1 = 10 -> 0
    ("EE000000005RU", True),  # sum 0: 11 − 0 = 11 -> 5
    ("EE000000000RU", False),
    ("EE000040001RU", False),
])
def test_s10_check_digit_ten_is_zero_and_eleven_is_five(value, valid):
    assert (eventrules.shpi_problem(value) is None) is valid


@pytest.mark.parametrize("stage, present, absent", [
    ("overdue", ("claim_sent", "instalment_granted", "written_off", "gis_gmp_reconciled"), ("claim_delivered",)),
    ("claim_sent", ("claim_sent", "claim_delivered", "claim_returned", "written_off"), ("judgment", "memo_sent")),
    ("paid", ("claim_delivered", "gis_gmp_reconciled"), ("written_off", "claim_sent")),  # closed: no write-off
    ("written_off", ("gis_gmp_reconciled",), ("written_off", "claim_sent")),
    ("in_court", ("judgment", "claim_withdrawn", "written_off"), ("lawsuit_filed",)),
])
def test_allowed_events_come_from_the_stage_table(stage, present, absent):
    allowed = allowed_events(stage)
    assert set(present) <= set(allowed) and not set(absent) & set(allowed)
    assert len(allowed) == len(set(allowed))


def test_refusal_names_the_stage_and_what_it_expects():
    assert eventrules.refusal("overdue", "claim_sent") is None
    assert eventrules.refusal("overdue", "judgment") == (
        "на стадии «просрочена: претензия не направлена» событие «решение суда» не записывается; ожидается: "
        "«претензия направлена», «рассрочка предоставлена», «признана безнадежной», «сверка с ГИС ГМП»")
    assert eventrules.refusal("writ_received", "court_order_cancelled", ["judgment"]) == (
        "событие «судебный приказ отменен» не записывается: судебный приказ по делу не выносился")
    assert eventrules.refusal("writ_received", "court_order_cancelled", ["court_order_issued"]) is None


@pytest.mark.parametrize("text, code", [
    ("Претензия направлена", "claim_sent"), ("  претензия   направлена ", "claim_sent"), ("CLAIM_SENT", "claim_sent"),
    ("направлен в фссп", "sent_to_bailiffs"), ("Платёж", eventrules.PAYMENT), ("платеж", eventrules.PAYMENT),
    ("оплата", eventrules.PAYMENT), ("претензия потеряна", None),
])
def test_event_by_name_or_code_in_any_case(text, code):
    assert eventrules.event_code(text) == code


def test_an_unknown_event_gets_the_closest_name_and_the_list():
    message = eventrules.unknown_event("претензия направленна")
    assert message.startswith("неизвестное событие «претензия направленна»; может быть, «претензия направлена»?")
    assert message.endswith("признана безнадежной, платёж")


@pytest.mark.parametrize("code, fields, expected", [
    ("claim_sent", {"шпи": "42755012345675", "адрес": "по ЕГРЮЛ"}, {}),
    ("claim_sent", {"шпи": "42755012345678"}, {"шпи": "ШПИ 42755012345678: неверная контрольная цифра (должна быть 5)"
                                                     " — проверьте номер на квитанции"}),
    ("claim_sent", {"шпу": "42755012345675"}, {"шпу": "у события «претензия направлена» нет поля «шпу»; может быть, "
                                                     "«шпи»? (допустимые: «шпи», «адрес», «примечание»)"}),
    ("judgment", {}, {"результат": "нужно поле «результат»: удовлетворено, удовлетворено частично, отказано"}),
    ("judgment", {"результат": "Отказано", "дело_суда": "А71-1/2026"}, {}),
    ("judgment", {"результат": "выиграли"}, {"результат": "«выиграли» в поле «результат» — допустимо: удовлетворено, "
                                                          "удовлетворено частично, отказано"}),
    ("written_off", {"основание": "2.1"}, {}),
    ("written_off", {"основание": "7"}, {"основание": "«7» в поле «основание» — допустимо: 1 — смерть физического лица, "
                                                      "2 — завершение реализации имущества гражданина, 2.1 — "
                                                      "внесудебное банкротство гражданина, 3 — ликвидация организации, "
                                                      "4 — судебный акт об утрате возможности взыскания, 5 — окончание "
                                                      "исполнительного производства, 6 — исключение юридического лица "
                                                      "из ЕГРЮЛ"}),
    ("writ_received", {"номер": "ФС № 1", "выдан": "вчера", "сумма": "много"},
     {"выдан": "«вчера» в поле «выдан» — не дата (пишите 10.03.2024)", "сумма": "«много» в поле «сумма» — не сумма"}),
])
def test_field_problems(code, fields, expected):
    assert eventrules.field_problems(code, fields) == expected


def test_fields_are_written_as_the_card_reads_them():
    assert eventrules.normalized("judgment", {"результат": " Удовлетворено частично", "дело_суда": ""}) == {
        "результат": "удовлетворено частично"}
    assert eventrules.normalized("claim_sent", {"шпи": "ra 123456785 ru"}) == {"шпи": "RA123456785RU"}
    assert eventrules.normalized("written_off", {"основание": "2.1 — внесудебное банкротство гражданина"}) == {
        "основание": "2.1"}


CARD_EVENTS = """номер: x
события:
  - {дата: 01.03.2024, событие: a}   # первое
  - {дата: 10.03.2024, событие: b}
  # заметка после b
  - {дата: 20.03.2024, событие: c}
"""


@pytest.mark.parametrize("when, order", [
    ("05.03.2024", "a n b c"), ("10.03.2024", "a b n c"), ("2024-02-01", "n a b c"), ("21.03.2024", "a b c n"),
])
def test_insert_entry_keeps_the_date_order_and_the_comments(when, order):
    text = insert_entry(CARD_EVENTS, "события", {"дата": when, "событие": "n"})
    names = [line.split("событие: ")[1][0] for line in text.splitlines() if "событие: " in line]
    assert " ".join(names) == order
    assert "{дата: 01.03.2024, событие: a}   # первое" in text and "  # заметка после b" in text


def test_a_payment_repeated_by_date_amount_and_document():
    from kezdocs.core.model import Payment
    paid = (Payment(date(2026, 10, 15), Decimal("5000"), "п/п № 123", line=7),)
    assert eventrules.repeated_payment(paid, date(2026, 10, 15), Decimal("5000.00"), "П/П  № 123") is paid[0]
    for day, amount, document in ((date(2026, 10, 16), "5000", "п/п № 123"), (date(2026, 10, 15), "5000.01",
                                  "п/п № 123"), (date(2026, 10, 15), "5000", "п/п № 124"), (date(2026, 10, 15),
                                  "5000", None)):
        assert eventrules.repeated_payment(paid, day, Decimal(amount), document) is None


# --- record_entry on a real root ------------------------------------------------------------------------

ROMASHKA = "2026-001"  # claim sent 04.11.2026 to two addresses; paid 5 000,00 (п/п № 123) on 15.10.2026
PETROV = "2026-002"  # overdue since 10.11.2026, no claim yet


def card_of(root, ref):
    return next(root.glob(f"{ref} *")) / CARD_NAME


def events_of(root, ref):
    case, problems = parse_card(card_of(root, ref).read_text(encoding="utf-8"), CARD_NAME)
    assert problems == []
    return [(e.date.strftime("%d.%m"), e.kind) for e in case.events]


def record(root, ref, event, when, fields=None, amount=None, document=None, **options):
    return cases.record_entry(open_root(root), ref, event, when, fields or {}, amount, document, **options)


def test_an_event_the_stage_does_not_accept_is_refused_unless_forced(demo_copy):
    card = card_of(demo_copy, ROMASHKA)
    before = card.read_bytes()
    with pytest.raises(cases.EventRefused) as refused:
        record(demo_copy, ROMASHKA, "решение суда", "20.11.2026", {"результат": "удовлетворено"})
    assert str(refused.value).startswith("на стадии «претензия направлена: идёт срок добровольной оплаты» событие "
                                         "«решение суда» не записывается; ожидается: «претензия направлена»")
    assert "--force" not in str(refused.value)  # the library's reason; the CLI adds its own option
    assert card.read_bytes() == before
    record(demo_copy, ROMASHKA, "решение суда", "20.11.2026", {"результат": "удовлетворено"}, force=True)
    assert events_of(demo_copy, ROMASHKA)[-1] == ("20.11", "judgment")


def test_the_stage_is_the_one_on_the_events_date(demo_copy):
    with pytest.raises(cases.EventRefused, match="на стадии «текущая: срок уплаты не наступил»"):
        record(demo_copy, PETROV, "претензия направлена", "01.11.2026")  # the debt was not overdue yet
    record(demo_copy, PETROV, "претензия направлена", "20.11.2026", {"шпи": "42755012345675"})
    assert events_of(demo_copy, PETROV) == [("20.11", "claim_sent")]


def test_entries_go_in_date_order_and_comments_stay(demo_copy):
    card = card_of(demo_copy, ROMASHKA)
    text = card.read_text(encoding="utf-8").replace("адрес: по ЕГРЮЛ}\n", "адрес: по ЕГРЮЛ}   # второй адрес\n")
    card.write_text(text, encoding="utf-8")
    os.utime(card, (time.time() - 10, time.time() - 10))
    record(demo_copy, ROMASHKA, "претензия вручена", "10.11.2026")
    record(demo_copy, ROMASHKA, "претензия возвращена", "06.11.2026")
    record(demo_copy, ROMASHKA, "претензия направлена", "04.11.2026", {"шпи": "42755012345675"})
    record(demo_copy, ROMASHKA, "платёж", "01.10.2026", amount="100")
    assert events_of(demo_copy, ROMASHKA) == [("04.11", "claim_sent"), ("04.11", "claim_sent"),
                                              ("04.11", "claim_sent"), ("06.11", "claim_returned"),
                                              ("10.11", "claim_delivered")]
    text = card.read_text(encoding="utf-8")
    assert "адрес: по ЕГРЮЛ}   # второй адрес\n  - {дата: 04.11.2026, событие: претензия направлена, шпи: " in text
    assert text.index("сумма: '100'") < text.index("п/п № 123")


def test_a_bad_shpi_is_refused_with_the_right_digit(demo_copy):
    card = card_of(demo_copy, PETROV)
    before = card.read_bytes()
    with pytest.raises(cases.FieldErrors) as caught:
        record(demo_copy, PETROV, "претензия направлена", "20.11.2026", {"шпи": "42755012345678"})
    assert caught.value.errors == {"шпи": "ШПИ 42755012345678: неверная контрольная цифра (должна быть 5) — "
                                          "проверьте номер на квитанции"}
    assert str(caught.value) == caught.value.errors["шпи"]  # the message names the field already
    assert card.read_bytes() == before


def test_a_written_off_event_needs_its_ground(demo_copy):
    with pytest.raises(cases.FieldErrors) as caught:
        record(demo_copy, PETROV, "признана безнадежной", "20.11.2026")
    assert str(caught.value).startswith("основание (подпункт п. 1 ст. 47.2 БК РФ): нужно поле «основание»: 1 — ")
    record(demo_copy, PETROV, "признана безнадежной", "20.11.2026", {"основание": "3"})
    assert events_of(demo_copy, PETROV) == [("20.11", "written_off")]


def test_an_unknown_event_and_a_bad_date_or_amount_are_named(demo_copy):
    with pytest.raises(cases.KezdocsError, match="может быть, «претензия направлена»\\?"):
        record(demo_copy, PETROV, "претензия направленна", "20.11.2026")
    with pytest.raises(cases.FieldErrors, match="^дата \\(--date\\): «21.13.2026» — не дата"):
        record(demo_copy, PETROV, "платёж", "21.13.2026", amount="1")
    with pytest.raises(cases.FieldErrors, match="^сумма \\(--amount\\): «-5» — не положительная сумма$"):
        record(demo_copy, PETROV, "платёж", "21.11.2026", amount="-5")


def test_a_payment_entered_twice_asks_for_confirmation(demo_copy):
    card = card_of(demo_copy, ROMASHKA)
    before = card.read_bytes()
    day = next(line for line in before.decode().splitlines() if "п/п № 123" in line).split("дата: ")[1][:10]
    with pytest.raises(cases.DuplicatePayment) as caught:
        record(demo_copy, ROMASHKA, "платеж", day, amount="5000", document="п/п  № 123")
    assert str(caught.value).startswith(f"платёж {day} на 5 000,00 руб. (п/п № 123) уже записан в карточке (стр. ")
    assert card.read_bytes() == before
    record(demo_copy, ROMASHKA, "платеж", day, amount="5000", document="п/п № 124")  # another document: no question
    record(demo_copy, ROMASHKA, "платеж", day, amount="5000", document="п/п № 123", confirm=True)
    assert card.read_text(encoding="utf-8").count("п/п № 123") == 2


def test_a_form_built_from_an_older_card_changes_nothing(demo_copy):
    card = card_of(demo_copy, PETROV)
    old = cardfile.version_of(card.read_bytes())
    record(demo_copy, PETROV, "платёж", "20.11.2026", amount="1", expected_version=old)
    before = card.read_bytes()
    with pytest.raises(cardfile.CardChanged):
        record(demo_copy, PETROV, "платёж", "21.11.2026", amount="2", expected_version=old)
    assert card.read_bytes() == before


# --- the command line -------------------------------------------------------------------------------------

def cli(root, *args, answers=None):
    return CliRunner().invoke(main, ["record", "--root", str(root), *args], input=answers, catch_exceptions=False)


def test_cli_refuses_with_the_reason_and_force_records(demo_copy):
    refused = cli(demo_copy, PETROV, "решение суда", "--date", "20.11.2026", "--field", "результат=удовлетворено")
    assert refused.exit_code == 2
    assert "событие «решение суда» не записывается" in " ".join(refused.output.split())
    assert "чтобы записать всё равно — --force" in " ".join(refused.output.split())
    forced = cli(demo_copy, PETROV, "решение суда", "--date", "20.11.2026", "--field", "результат=удовлетворено",
                 "--force")
    assert forced.exit_code == 0, forced.output
    assert events_of(demo_copy, PETROV) == [("20.11", "judgment")]


@pytest.mark.parametrize("extra, answers, written, code", [
    ((), "y\n", 2, 0), ((), "n\n", 1, 2), (("--yes",), None, 2, 0),
])
def test_cli_asks_before_a_repeated_payment(demo_copy, extra, answers, written, code):
    args = (PETROV, "платеж", "--date", "20.11.2026", "--amount", "400", "--document", "п/п № 9")
    assert cli(demo_copy, *args).exit_code == 0
    again = cli(demo_copy, *args, *extra, answers=answers)
    assert again.exit_code == code, again.output
    assert card_of(demo_copy, PETROV).read_text(encoding="utf-8").count("п/п № 9") == written
