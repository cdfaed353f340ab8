"""Key rates: the shipped table, a root's own file, and how both are read."""
from datetime import date
from decimal import Decimal

import pytest

from kezdocs.core import keyrates
from kezdocs.core.keyrates import KeyRates, RateEntry
from kezdocs.folders.casefolder import load_rates


def test_shipped_rates_load_with_the_date_of_the_last_known_rate():
    rates, problems = load_rates(None)
    assert problems == []
    assert rates.first_known == date(2015, 8, 3)
    assert rates.last_known == date(2026, 7, 27)
    assert rates.rate_on(date(2023, 12, 17)) == Decimal("15.00")
    assert rates.rate_on(date(2023, 12, 18)) == Decimal("16.00")  # the change day takes the new rate
    assert rates.entry_on(date(2026, 3, 1)).confidence == "M"


def test_a_date_before_the_first_known_rate_is_a_lookup_error():
    rates, _ = load_rates(None)
    with pytest.raises(LookupError, match="02.08.2015"):
        rates.rate_on(date(2015, 8, 2))


def test_periods_split_by_rate_changes_and_stay_inside_the_range():
    rates = KeyRates([RateEntry(date(2024, 1, 1), Decimal("16")), RateEntry(date(2024, 7, 29), Decimal("18"))])
    periods = rates.periods(date(2024, 7, 1), date(2024, 8, 10))
    assert [(p.start, p.end, p.rate) for p in periods] == [
        (date(2024, 7, 1), date(2024, 7, 28), Decimal("16")),
        (date(2024, 7, 29), date(2024, 8, 10), Decimal("18")),
    ]
    # Days before the first known rate are left out.
    assert rates.periods(date(2023, 12, 30), date(2024, 1, 2))[0].start == date(2024, 1, 1)


def test_an_entry_repeating_the_rate_confirms_it_without_splitting():
    rates = KeyRates([RateEntry(date(2024, 1, 1), Decimal("16")), RateEntry(date(2024, 3, 1), Decimal("16.00"), source="u")])
    assert rates.last_known == date(2024, 3, 1)
    assert [(p.start, p.end, p.entry.effective_from) for p in rates.periods(date(2024, 2, 1), date(2024, 4, 1))] == [
        (date(2024, 2, 1), date(2024, 4, 1), date(2024, 1, 1))
    ]


def test_russian_header_semicolons_decimal_comma_and_dotted_dates():
    text = "Дата начала действия;Ставка, %\n15.09.2026;13,50\n# комментарий\n\n26.10.2026; 13 %\n"
    entries, problems = keyrates.parse_rates(text, "ключевая_ставка.csv")
    assert problems == []
    assert [(e.effective_from, e.rate, e.confidence) for e in entries] == [
        (date(2026, 9, 15), Decimal("13.50"), "H"),
        (date(2026, 10, 26), Decimal("13"), "H"),
    ]


def test_columns_are_found_by_name_in_any_order_and_cyrillic_confidence_letters_are_read():
    text = "\ufeffставка\tдостоверность\tс\n13.5\tМ\t2026-09-15\n"  # BOM, tabs, Cyrillic «М»
    entries, problems = keyrates.parse_rates(text, "x.csv")
    assert problems == []
    assert entries == (RateEntry(date(2026, 9, 15), Decimal("13.5"), "M", "x.csv"),)


def test_without_a_header_the_columns_are_date_rate_confidence():
    entries, problems = keyrates.parse_rates("2026-09-15,13.50\n2026-10-26,13.00,M\n", "x.csv")
    assert problems == []
    assert [e.confidence for e in entries] == ["H", "M"]


def test_bad_lines_are_problems_with_file_and_line_and_the_good_lines_stay():
    text = "дата;ставка\n2026-09-15;13,5\n31.02.2026;13\n2026-10-26;сто\n2026-11-01;0\n2026-09-15;12\n2026-12-01;12\n"
    entries, problems = keyrates.parse_rates(text, "ключевая_ставка.csv")
    assert [e.effective_from for e in entries] == [date(2026, 9, 15), date(2026, 12, 1)]
    assert [(p.file, p.line) for p in problems] == [("ключевая_ставка.csv", n) for n in (3, 4, 5, 6)]
    assert "не дата" in problems[0].message
    assert "не ставка" in problems[1].message and "не ставка" in problems[2].message
    assert "уже указана в строке 2" in problems[3].message
    assert str(problems[0]).startswith("ключевая_ставка.csv:3: ")


def test_a_comma_file_with_decimal_commas_gets_a_hint():
    _, problems = keyrates.parse_rates("effective_from,rate_percent,confidence\n2026-09-15,13,50\n", "x.csv")
    assert len(problems) == 1 and "точкой с запятой" in problems[0].message


def test_an_unknown_header_is_one_problem():
    entries, problems = keyrates.parse_rates("когда;сколько\n2026-09-15;13\n", "x.csv")
    assert entries == ()
    assert [(p.line, p.message) for p in problems] == [(1, "не понятен заголовок: нужны столбцы «дата» и «ставка»")]


def test_a_root_file_adds_a_newer_rate(tmp_path):
    (tmp_path / "ключевая_ставка.csv").write_text("дата;ставка\n14.09.2026;13,5\n", encoding="utf-8")
    rates, problems = load_rates(tmp_path)
    assert problems == []
    assert rates.last_known == date(2026, 9, 14)
    assert rates.rate_on(date(2026, 9, 13)) == Decimal("14.00")
    assert rates.rate_on(date(2026, 10, 1)) == Decimal("13.5")
    assert rates.entry_on(date(2026, 10, 1)).source == "ключевая_ставка.csv"


def test_a_root_file_saved_by_excel_in_windows_1251_is_read(tmp_path):
    (tmp_path / "ключевая_ставка.csv").write_bytes("Дата;Ставка\n14.09.2026;13,5\n".encode("cp1251"))
    rates, problems = load_rates(tmp_path)
    assert problems == []
    assert rates.rate_on(date(2026, 9, 14)) == Decimal("13.5")


def test_a_root_file_overriding_a_known_rate_wins_but_is_reported(tmp_path):
    # Confirming a medium-confidence rate with the same value is silent and makes it trusted.
    (tmp_path / "ключевая_ставка.csv").write_text("дата;ставка\n16.02.2026;15,5\n18.12.2023;61\n", encoding="utf-8")
    rates, problems = load_rates(tmp_path)
    assert rates.entry_on(date(2026, 3, 1)).confidence == "H"
    assert rates.rate_on(date(2024, 1, 1)) == Decimal("61")
    assert [str(p) for p in problems] == [
        "ключевая_ставка.csv: ставка с 18.12.2023: в справочнике 16%, в файле 61% — применена ставка из файла"
    ]


def test_merge_keeps_the_table_sorted_and_immutable():
    base = KeyRates([RateEntry(date(2024, 1, 1), Decimal("16"))])
    merged = keyrates.merge(base, [RateEntry(date(2023, 1, 1), Decimal("7.5"))])
    assert [e.effective_from for e in merged.entries] == [date(2023, 1, 1), date(2024, 1, 1)]
    assert base.first_known == date(2024, 1, 1)
    assert merged != base and merged == keyrates.merge(base, merged.entries)


@pytest.mark.parametrize("rate, text", [("16.00", "16%"), ("7.75", "7,75%"), ("0.1", "0,1%"), ("10", "10%")])
def test_percent_text(rate, text):
    assert keyrates.percent_text(Decimal(rate)) == text
