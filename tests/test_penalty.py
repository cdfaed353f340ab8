"""Penalty and ст. 395 interest: hand-checked examples, edges and properties."""
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kezdocs.core import keyrates, penalty
from kezdocs.core.keyrates import KeyRates, RateEntry
from kezdocs.core.model import Charge, Payment, PenaltyMethod, PenaltyTerms
from kezdocs.core.workdays import DEFAULT
from kezdocs.folders.casefolder import load_rates

RATES, _ = load_rates(None)
PERCENT = PenaltyTerms(PenaltyMethod.PERCENT, percent=D("0.1"))
K300 = PenaltyTerms(PenaltyMethod.KEY_RATE_300)
K300_PERIODS = PenaltyTerms(PenaltyMethod.KEY_RATE_300, rate_mode="per-period")
ART395 = PenaltyTerms(PenaltyMethod.ARTICLE_395)


def calc(terms, end, *charges, payments=(), rates=RATES):
    return penalty.calculate(charges, payments, terms, end, rates)


def table(result):
    return [(r.start, r.end, r.days, r.debt, r.rate, r.year_days, r.amount, r.note) for r in result.rows]


def charge(amount, due, period="январь 2024"):
    return Charge(period, D(amount), due)


# --- the methods, hand-checked -------------------------------------------------------------


def test_percent_per_day():
    # 11.01–31.01.2024 = 21 days; 100 000 × 21 × 0,1% = 2 100,00
    result = calc(PERCENT, date(2024, 1, 31), charge("100000", date(2024, 1, 10)))
    assert table(result) == [(date(2024, 1, 11), date(2024, 1, 31), 21, D("100000"), D("0.1"), None, D("2100.00"), "")]
    assert result.rows[0].formula == "100 000,00 × 21 × 0,1%"
    assert result.rows[0].charge == "январь 2024"
    assert result.total == D("2100.00") and result.principal == D("100000") and result.warnings == ()


def test_partial_payment_reduces_the_debt_from_the_next_day():
    # 11.01–20.01: 100 000 × 10 × 0,1% = 1 000,00 (the payment day still bears the old debt)
    # 21.01–31.01:  60 000 × 11 × 0,1% =   660,00
    result = calc(PERCENT, date(2024, 1, 31), charge("100000", date(2024, 1, 10)),
                  payments=[Payment(date(2024, 1, 20), D("40000"))])
    assert [(r.start, r.end, r.debt, r.amount) for r in result.rows] == [
        (date(2024, 1, 11), date(2024, 1, 20), D("100000"), D("1000.00")),
        (date(2024, 1, 21), date(2024, 1, 31), D("60000"), D("660.00")),
    ]
    assert result.total == D("1660.00") and result.principal == D("60000")


def test_a_fully_paid_charge_stops_accruing_after_the_payment_day():
    # 11.01–20.01: 100 000 × 10 × 0,1% = 1 000,00; nothing after 20.01
    result = calc(PERCENT, date(2024, 12, 31), charge("100000", date(2024, 1, 10)),
                  payments=[Payment(date(2024, 1, 20), D("100000"))])
    assert [(r.start, r.end, r.amount) for r in result.rows] == [(date(2024, 1, 11), date(2024, 1, 20), D("1000.00"))]
    assert result.principal == 0


def test_key_rate_300_takes_the_rate_on_the_end_date_by_default():
    # 02.12.2023–31.08.2024: 30 + 31 + 29 (leap Feb) + 31 + 30 + 31 + 30 + 31 + 31 = 274 days
    # rate on 31.08.2024 = 18%: 15 000 × 274 × 1/300 × 18% = 15 000 × 274 × 0,0006 = 2 466,00
    result = calc(K300, date(2024, 8, 31), charge("15000", date(2023, 12, 1)))
    assert table(result) == [(date(2023, 12, 2), date(2024, 8, 31), 274, D("15000"), D("18.00"), None, D("2466.00"), "")]
    assert result.rows[0].formula == "15 000,00 × 274 × 1/300 × 18%"


def test_key_rate_300_per_period_follows_each_rate_change():
    # 02.12–17.12.2023:  16 days × 15%: 15 000 × 16 × 15% / 300  =   120,00
    # 18.12.2023–28.07.2024: 14 + 31 + 29 + 31 + 30 + 31 + 30 + 28 = 224 days × 16%:
    #                    15 000 × 224 × 16% / 300 = 1 792,00
    # 29.07–31.08.2024:  3 + 31 = 34 days × 18%: 15 000 × 34 × 18% / 300 = 306,00
    result = calc(K300_PERIODS, date(2024, 8, 31), charge("15000", date(2023, 12, 1)))
    assert [(r.start, r.days, r.rate, r.amount) for r in result.rows] == [
        (date(2023, 12, 2), 16, D("15.00"), D("120.00")),
        (date(2023, 12, 18), 224, D("16.00"), D("1792.00")),
        (date(2024, 7, 29), 34, D("18.00"), D("306.00")),
    ]
    assert result.total == D("2218.00")


def test_395_splits_at_new_year_with_365_and_366_day_years():
    # 21.12–31.12.2023: 100 000 × 11 × 16% / 365 = 176 000 / 365 = 482,1917… → 482,19
    # 01.01–10.01.2024: 100 000 × 10 × 16% / 366 = 160 000 / 366 = 437,1584… → 437,16
    result = calc(ART395, date(2024, 1, 10), charge("100000", date(2023, 12, 20)))
    assert table(result) == [
        (date(2023, 12, 21), date(2023, 12, 31), 11, D("100000"), D("16.00"), 365, D("482.19"), ""),
        (date(2024, 1, 1), date(2024, 1, 10), 10, D("100000"), D("16.00"), 366, D("437.16"), ""),
    ]
    assert result.rows[1].formula == "100 000,00 × 10 × 16% / 366"
    assert result.total == D("919.35")


def test_395_rate_change_inside_the_period():
    # Due Saturday 20.07.2024: by ГК РФ ст. 193 payable on Monday 22.07, interest from 23.07 (the old expectation
    # counted from 21.07 — wrong).
    # 23.07–28.07.2024:  6 days: 100 000 × 6 × 16% / 366 = 96 000 / 366 = 262,295… → 262,30
    # 29.07–10.08.2024: 13 days: 100 000 × 13 × 18% / 366 = 234 000 / 366 = 639,344… → 639,34
    result = calc(ART395, date(2024, 8, 10), charge("100000", date(2024, 7, 20)))
    assert [(r.days, r.rate, r.amount) for r in result.rows] == [(6, D("16.00"), D("262.30")), (13, D("18.00"), D("639.34"))]
    assert result.total == D("901.64")


def test_a_confirmation_entry_in_the_rate_table_changes_nothing():
    confirmed = keyrates.merge(RATES, [RateEntry(date(2024, 3, 1), D("16"))])
    assert calc(ART395, date(2024, 8, 10), charge("1000", date(2024, 1, 10)), rates=confirmed).rows == \
        calc(ART395, date(2024, 8, 10), charge("1000", date(2024, 1, 10))).rows


def test_none_method_computes_nothing_but_the_principal():
    result = calc(PenaltyTerms(PenaltyMethod.NONE), date(2024, 12, 31), charge("100", date(2024, 1, 10)))
    assert (result.rows, result.total, result.principal) == ((), D("0.00"), D("100"))


def test_percent_method_without_a_percent_says_so():
    result = calc(PenaltyTerms(PenaltyMethod.PERCENT), date(2024, 12, 31), charge("100", date(2024, 1, 10)))
    assert result.rows == () and "процент в день" in result.warnings[0]


def test_rows_round_half_up_and_the_total_is_the_sum_of_rounded_rows():
    # Each row: 0,50 × 1 × 1% = 0,005 → 0,01 half-up (banker's rounding would give 0,00).
    # Two rows: 0,01 + 0,01 = 0,02, not round(0,010) = 0,01.
    terms = PenaltyTerms(PenaltyMethod.PERCENT, percent=D("1"))
    result = calc(terms, date(2024, 1, 12), charge("0.50", date(2024, 1, 10), "а"), charge("0.50", date(2024, 1, 11), "б"))
    assert [r.amount for r in result.rows] == [D("0.01"), D("0.01")]
    assert result.total == D("0.02")


# --- dates ---------------------------------------------------------------------------------


def test_a_debt_not_yet_overdue_produces_no_rows():
    assert calc(PERCENT, date(2024, 1, 10), charge("100", date(2024, 1, 10))).rows == ()
    # The day after the due date is the first day of delay: 100 × 1 × 0,1% = 0,10
    assert calc(PERCENT, date(2024, 1, 11), charge("100", date(2024, 1, 10))).total == D("0.10")


def test_leap_day_counts_in_both_day_count_and_year_length():
    # 28.02–01.03.2024 = 3 days (29.02 included): 36 600 × 3 × 16% / 366 = 48,00
    result = calc(ART395, date(2024, 3, 1), charge("36600", date(2024, 2, 27)))
    assert [(r.days, r.year_days, r.amount) for r in result.rows] == [(3, 366, D("48.00"))]
    # 28.02–01.03.2023 = 2 days: 36 500 × 2 × 7,5% / 365 = 15,00
    result = calc(ART395, date(2023, 3, 1), charge("36500", date(2023, 2, 27)))
    assert [(r.days, r.year_days, r.amount) for r in result.rows] == [(2, 365, D("15.00"))]


# --- moratoria -----------------------------------------------------------------------------

DUE_BEFORE_497 = date(2022, 3, 29)


@pytest.mark.parametrize("end, rows", [
    # 30.03–31.03.2022: 10 000 × 2 × 0,1% = 20,00
    (date(2022, 3, 31), [(date(2022, 3, 30), date(2022, 3, 31), D("20.00"), "")]),
    # 01.04.2022 is the first excluded day
    (date(2022, 4, 1), [(date(2022, 3, 30), date(2022, 3, 31), D("20.00"), ""),
                        (date(2022, 4, 1), date(2022, 4, 1), D("0.00"), "мораторий (ПП РФ от 28.03.2022 № 497)")]),
    # 01.10.2022 is the last excluded day
    (date(2022, 10, 1), [(date(2022, 3, 30), date(2022, 3, 31), D("20.00"), ""),
                         (date(2022, 4, 1), date(2022, 10, 1), D("0.00"), "мораторий (ПП РФ от 28.03.2022 № 497)")]),
    # 02.10.2022 accrues again: 10 000 × 1 × 0,1% = 10,00
    (date(2022, 10, 2), [(date(2022, 3, 30), date(2022, 3, 31), D("20.00"), ""),
                         (date(2022, 4, 1), date(2022, 10, 1), D("0.00"), "мораторий (ПП РФ от 28.03.2022 № 497)"),
                         (date(2022, 10, 2), date(2022, 10, 2), D("10.00"), "")]),
])
def test_moratorium_497_edges(end, rows):
    result = calc(PERCENT, end, charge("10000", DUE_BEFORE_497))
    assert [(r.start, r.end, r.amount, r.note) for r in result.rows] == rows
    assert result.rows[-1].days == (rows[-1][1] - rows[-1][0]).days + 1


def test_moratorium_497_is_one_row_even_across_rate_changes():
    # 395: rates change 11.04, 04.05, 27.05, 14.06, 25.07, 19.09.2022 — inside the moratorium they do not matter.
    # 30.03–31.03.2022: 10 000 × 2 × 20% / 365 = 10,9589… → 10,96; 02.10–03.10: 10 000 × 2 × 7,5% / 365 = 4,1095… → 4,11
    result = calc(ART395, date(2022, 10, 3), charge("10000", DUE_BEFORE_497))
    assert [(r.start, r.days, r.amount) for r in result.rows] == [
        (date(2022, 3, 30), 2, D("10.96")), (date(2022, 4, 1), 184, D("0.00")), (date(2022, 10, 2), 2, D("4.11"))]
    assert result.rows[1].rate is None and result.rows[1].formula == "не начисляется"


def test_moratorium_497_spares_debts_arising_from_01_04_2022_and_can_be_included():
    # Due 01.04.2022: the debt arose during the moratorium → accrues: 02.04–11.04 = 10 days × 10 = 100,00
    assert calc(PERCENT, date(2022, 4, 11), charge("10000", date(2022, 4, 1))).total == D("100.00")
    # Due 31.03.2022: arose before → only 01.04 is a delay day, and it is excluded
    assert calc(PERCENT, date(2022, 4, 11), charge("10000", date(2022, 3, 31))).total == D("0.00")
    # moratorium="include": 30.03–11.04 = 13 days × 10 = 130,00
    included = PenaltyTerms(PenaltyMethod.PERCENT, percent=D("0.1"), moratorium="include")
    assert calc(included, date(2022, 4, 11), charge("10000", DUE_BEFORE_497)).total == D("130.00")


def test_moratorium_428_only_on_request():
    # Due Sunday 01.03.2020; end 10.01.2021. By ГК РФ ст. 193 payable on Monday 02.03, penalty from 03.03 (the old
    # expectation counted from 02.03 — wrong).
    # exclude-428: 03.03–05.04.2020 = 29 + 5 = 34 days × 10 = 340,00; 06.04.2020–07.01.2021 excluded;
    #              08.01–10.01.2021 = 3 days × 10 = 30,00 → 370,00
    excluded = PenaltyTerms(PenaltyMethod.PERCENT, percent=D("0.1"), moratorium="exclude-428")
    result = calc(excluded, date(2021, 1, 10), charge("10000", date(2020, 3, 1)))
    assert [(r.start, r.end, r.amount) for r in result.rows] == [
        (date(2020, 3, 3), date(2020, 4, 5), D("340.00")),
        (date(2020, 4, 6), date(2021, 1, 7), D("0.00")),
        (date(2021, 1, 8), date(2021, 1, 10), D("30.00")),
    ]
    assert result.rows[1].note == "мораторий (ПП РФ от 03.04.2020 № 428)"
    # By default all 314 days accrue: 03.03.2020–10.01.2021 = 314 days × 10 = 3 140,00
    assert calc(PERCENT, date(2021, 1, 10), charge("10000", date(2020, 3, 1))).total == D("3140.00")


def test_a_payment_during_the_moratorium_splits_the_excluded_row_by_debt():
    result = calc(PERCENT, date(2022, 10, 2), charge("10000", DUE_BEFORE_497), payments=[Payment(date(2022, 6, 30), D("4000"))])
    assert [(r.start, r.end, r.debt, r.amount) for r in result.rows] == [
        (date(2022, 3, 30), date(2022, 3, 31), D("10000"), D("20.00")),
        (date(2022, 4, 1), date(2022, 6, 30), D("10000"), D("0.00")),
        (date(2022, 7, 1), date(2022, 10, 1), D("6000"), D("0.00")),
        (date(2022, 10, 2), date(2022, 10, 2), D("6000"), D("6.00")),  # 6 000 × 1 × 0,1%
    ]


# --- several charges and the cap -----------------------------------------------------------


def two_charges():
    return Charge("январь", D("20000"), date(2024, 2, 10)), Charge("февраль", D("10000"), date(2024, 3, 10))


def test_a_payment_goes_to_the_oldest_charge_first():
    # Payment 20.03.2024 of 10 000 → январь. Due Saturday 10.02 and Sunday 10.03.2024: by ГК РФ ст. 193 payable on
    # Monday 12.02 and 11.03, penalty from 13.02 and 12.03 (the old expectation counted from 11.02 / 11.03 — wrong).
    # январь:  13.02–20.03 = 17 + 20 = 37 days × 20 000 × 0,1% = 740,00; 21.03–31.03 = 11 × 10 000 × 0,1% = 110,00
    # февраль: 12.03–31.03 = 20 days × 10 000 × 0,1% = 200,00
    result = calc(PERCENT, date(2024, 3, 31), *two_charges(), payments=[Payment(date(2024, 3, 20), D("10000"))])
    assert [(r.charge, r.days, r.debt, r.amount) for r in result.rows] == [
        ("январь", 37, D("20000"), D("740.00")), ("январь", 11, D("10000"), D("110.00")),
        ("февраль", 20, D("10000"), D("200.00")),
    ]
    assert result.total == D("1050.00") and result.principal == D("20000")


def test_a_payment_naming_a_charge_goes_to_that_charge():
    # The same 10 000 names февраль: февраль is paid in full on 20.03.
    # Days from 13.02 and 12.03 (ГК РФ ст. 193: the due dates are a Saturday and a Sunday; the old 11.02 / 11.03 — wrong).
    # январь:  13.02–31.03 = 48 days × 20 000 × 0,1% = 960,00
    # февраль: 12.03–20.03 =  9 days × 10 000 × 0,1% =  90,00
    result = calc(PERCENT, date(2024, 3, 31), *two_charges(),
                  payments=[Payment(date(2024, 3, 20), D("10000"), charge="февраль")])
    assert [(r.charge, r.days, r.amount) for r in result.rows] == [("январь", 48, D("960.00")), ("февраль", 9, D("90.00"))]


def test_rows_come_oldest_charge_first_whatever_the_card_order():
    january, february = two_charges()
    result = calc(PERCENT, date(2024, 3, 31), february, january)
    assert [r.charge for r in result.rows] == ["январь", "февраль"]


def test_cap_cuts_each_charge_with_a_negative_row():
    # 11.01–31.03.2024 = 21 + 29 + 31 = 81 days × 10 000 × 1% = 8 100,00; cap 10% of 10 000 = 1 000,00
    capped = PenaltyTerms(PenaltyMethod.PERCENT, percent=D("1"), cap_percent=D("10"))
    result = calc(capped, date(2024, 3, 31), charge("10000", date(2024, 1, 10)))
    assert [(r.days, r.amount) for r in result.rows] == [(81, D("8100.00")), (None, D("-7100.00"))]
    cut = result.rows[-1]
    assert (cut.start, cut.end, cut.note) == (date(2024, 1, 11), date(2024, 3, 31), "ограничение размера неустойки")
    assert cut.formula == "не более 10% от 10 000,00 = 1 000,00"
    assert result.total == D("1000.00")
    # Under the cap nothing is added: 10 days × 100 = 1 000,00 exactly
    assert [r.amount for r in calc(capped, date(2024, 1, 20), charge("10000", date(2024, 1, 10))).rows] == [D("1000.00")]


# --- key-rate warnings ---------------------------------------------------------------------


def test_end_past_the_last_known_rate_is_a_warning():
    inside = calc(ART395, date(2024, 12, 31), charge("1000", date(2024, 1, 10)))
    assert inside.warnings == ()
    past = calc(ART395, date(2026, 9, 30), charge("1000", date(2025, 1, 10)))
    assert any("сведения о ключевой ставке — на 27.07.2026 (14%)" in w and "ключевая_ставка.csv" in w for w in past.warnings)
    assert any("не подтверждена" in w and "15,5% с 16.02.2026" in w for w in past.warnings)
    # The percent method needs no key rate, so no warning.
    assert calc(PERCENT, date(2026, 9, 30), charge("1000", date(2025, 1, 10))).warnings == ()


def test_a_root_rate_file_adds_a_newer_rate_and_a_confirmation_silences_the_warning(tmp_path):
    rate_file = tmp_path / "ключевая_ставка.csv"
    rate_file.write_text("дата;ставка\n14.09.2026;13\n", encoding="utf-8")
    rates, problems = load_rates(tmp_path)
    assert problems == []
    # 395: 01.09–13.09.2026 = 13 days: 36 500 × 13 × 14% / 365 = 182,00
    #      14.09–30.09.2026 = 17 days: 36 500 × 17 × 13% / 365 = 221,00
    result = calc(ART395, date(2026, 9, 30), charge("36500", date(2026, 8, 31)), rates=rates)
    assert [(r.days, r.rate, r.amount) for r in result.rows] == [(13, D("14.00"), D("182.00")), (17, D("13"), D("221.00"))]
    assert any("на 14.09.2026 (13%)" in w for w in result.warnings)  # the end date is still past it
    # A line repeating the rate on a later date confirms it: same rows, no warning about newer rates.
    rate_file.write_text("дата;ставка\n14.09.2026;13\n30.09.2026;13\n", encoding="utf-8")
    confirmed = calc(ART395, date(2026, 9, 30), charge("36500", date(2026, 8, 31)), rates=load_rates(tmp_path)[0])
    assert confirmed.rows == result.rows
    assert not any("последние сведения о ключевой ставке" in w for w in confirmed.warnings)


def test_days_before_the_first_known_rate_are_shown_and_warned_about():
    rates = KeyRates([RateEntry(date(2024, 1, 1), D("16"))])
    # 01.01–10.01.2024: 36 600 × 10 × 16% / 366 = 160,00
    result = calc(ART395, date(2024, 1, 10), charge("36600", date(2023, 12, 25)), rates=rates)
    assert [(r.start, r.days, r.amount, r.note) for r in result.rows] == [
        (date(2023, 12, 26), 6, D("0.00"), "ключевая ставка до 01.01.2024 неизвестна"),
        (date(2024, 1, 1), 10, D("160.00"), ""),
    ]
    assert result.warnings[0] == "Ключевая ставка до 01.01.2024 неизвестна: за эти дни проценты не начислены."


def test_for_case_and_json_form():
    from kezdocs.core.model import Basis, Case, Debtor, DebtorType, Officer
    case = Case(
        number="1", administrator="Администрация", officer=Officer("Иванова И. И."),
        debtor=Debtor(DebtorType.LEGAL, "ООО «Ромашка»"), basis=Basis("договор аренды", "1", None),
        kbk="0" * 20, penalty=PERCENT, charges=(charge("100000", date(2024, 1, 10)),),
        payments=(Payment(date(2024, 1, 20), D("40000")),),
    )
    data = penalty.to_json(penalty.for_case(case, date(2024, 1, 31), RATES))
    assert data["total"] == "1660.00" and data["principal"] == "60000.00" and data["warnings"] == []
    assert data["rows"][1] == {
        "charge": "январь 2024", "from": "2024-01-21", "to": "2024-01-31", "days": 11, "debt": "60000.00",
        "rate": "0.1", "year_days": None, "formula": "60 000,00 × 11 × 0,1%", "amount": "660.00", "note": "",
    }


# --- properties ----------------------------------------------------------------------------

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CAPPED = PenaltyTerms(PenaltyMethod.PERCENT, percent=D("0.5"), cap_percent=D("30"))
methods = st.sampled_from([PERCENT, K300_PERIODS, ART395, CAPPED])
amounts = st.integers(min_value=1, max_value=10_000_000).map(lambda k: D(k) / 100)
dates = st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 6, 30))
payments_st = st.lists(st.tuples(dates, amounts).map(lambda t: Payment(t[0], t[1])), max_size=4)


def tolerance(*results):
    """Rounding: each row is within half a kopeck of its exact value."""
    return D("0.005") * sum(len(r.rows) for r in results)


@PROPERTY
@given(methods, amounts, dates, payments_st, st.integers(0, 900), st.integers(1, 400))
def test_total_never_decreases_as_the_end_moves_later(terms, amount, due, payments, first, more):
    # (1/300 on the end date is left out on purpose: a later end date may carry a lower rate.)
    end = due + timedelta(days=first)
    earlier = calc(terms, end, Charge("а", amount, due), payments=payments)
    later = calc(terms, end + timedelta(days=more), Charge("а", amount, due), payments=payments)
    assert later.total >= earlier.total


@PROPERTY
@given(st.sampled_from([PERCENT, K300_PERIODS, ART395]), amounts, st.dates(date(2022, 10, 2), date(2026, 6, 30)),
       st.integers(1, 900), st.integers(0, 900))
def test_splitting_a_period_anywhere_changes_the_total_by_at_most_rounding(terms, amount, due, length, at):
    # The days d+1..end split at c: the same debt for d+1..c (end = c) plus a debt due on c for c+1..end.
    # (After the 497 moratorium, so both parts are treated alike.)
    # The cut is a working day: a debt due on a day off starts later (ГК РФ ст. 193), so it would not split evenly.
    end = due + timedelta(days=length)
    cut = DEFAULT.next_working(due + timedelta(days=at % length))
    assume(cut <= end)
    whole = calc(terms, end, Charge("а", amount, due))
    head = calc(terms, cut, Charge("а", amount, due))
    tail = calc(terms, end, Charge("а", amount, cut))
    assert abs(head.total + tail.total - whole.total) <= tolerance(whole, head, tail)


@PROPERTY
@given(st.sampled_from([PERCENT, K300_PERIODS, ART395]), amounts, amounts, dates, st.integers(1, 900))
def test_splitting_a_charge_in_two_changes_the_total_by_at_most_rounding(terms, first, second, due, length):
    end = due + timedelta(days=length)
    whole = calc(terms, end, Charge("а", first + second, due))
    split = calc(terms, end, Charge("а", first, due), Charge("б", second, due))
    assert abs(split.total - whole.total) <= tolerance(whole, split)


@PROPERTY
@given(st.sampled_from([PERCENT, K300, K300_PERIODS, ART395]), amounts, dates, payments_st, dates, amounts, st.integers(1, 900))
def test_a_payment_never_increases_the_total(terms, amount, due, payments, paid_on, paid, length):
    end = due + timedelta(days=length)
    without = calc(terms, end, Charge("а", amount, due), payments=payments)
    with_payment = calc(terms, end, Charge("а", amount, due), payments=[*payments, Payment(paid_on, paid)])
    assert with_payment.total <= without.total + tolerance(without, with_payment)


# --- the command line ----------------------------------------------------------------------

CARD = """\
номер: 2024-017
администратор: Управление территориального развития
ответственный: {фио: Иванова Мария Петровна}
должник:
  тип: юрлицо
  наименование: ООО «Берёзка»
  инн: "1831000001"
  адреса:
    - {вид: по договору, адрес: "427550, п. Кез, ул. Кирова, д. 1"}
основание: {документ: Договор аренды, номер: 12/2023, дата: 10.01.2023}
код_дохода: "00011105012140000120"
неустойка: {способ: 395}
начисления:
  - {период: январь 2024, сумма: "100 000,00", срок_уплаты: 10.01.2024}
платежи:
  - {дата: 01.06.2024, сумма: "20 000,00"}
"""


def run(*args):
    import json

    from click.testing import CliRunner

    from kezdocs.cli import main

    result = CliRunner().invoke(main, list(args))
    data = json.loads(result.stdout) if "--json" in args and result.exit_code == 0 else None
    return result, data


def test_cli_one_off_395_as_json(tmp_path):
    # 11.01–01.06.2024: 100 000 × 143 × 16% / 366 = 6 251,37; then 80 000 from 02.06 through the rate changes:
    # 57 d × 16% = 1 993,44; 49 d × 18% = 1 927,87; 42 d × 19% = 1 744,26; 65 d × 21% = 2 983,61 → 14 900,55
    result, data = run("penalty", "--root", str(tmp_path), "--amount", "100000", "--due", "2024-01-10", "--to", "2024-12-31",
                       "--method", "395", "--payment", "2024-06-01:20000", "--json")
    assert result.exit_code == 0, result.output
    assert data["total"] == "14900.55" and data["warnings"] == []
    assert [r["amount"] for r in data["rows"]] == ["6251.37", "1993.44", "1927.87", "1744.26", "2983.61"]
    assert set(data["rows"][0]) >= {"from", "to", "days", "debt", "rate", "year_days", "formula", "amount", "note"}
    assert data["rows"][0]["from"] == "2024-01-11" and data["rows"][0]["year_days"] == 366


def test_cli_table_is_in_russian(tmp_path):
    result, _ = run("penalty", "--root", str(tmp_path), "--amount", "15000", "--due", "10.01.2024", "--to", "2024-01-31",
                    "--method", "percent", "--percent", "0,1")
    assert result.exit_code == 0, result.output
    # 15 000 × 21 × 0,1% = 315,00
    assert "Дней" in result.stdout and "0,1% в день" in result.stdout
    assert "15 000,00 × 21 × 0,1%" in result.stdout and "Итого: 315,00 руб." in result.stdout


def test_cli_bad_input_is_a_russian_message_not_a_traceback(tmp_path):
    result, _ = run("penalty", "--root", str(tmp_path), "--amount", "много", "--due", "2024-01-10", "--method", "395")
    assert result.exit_code == 2
    assert "--amount: «много» — не сумма" in result.stderr and "Traceback" not in result.output
    result, _ = run("penalty", "--root", str(tmp_path), "--amount", "1", "--due", "2024-01-10", "--method", "percent")
    assert result.exit_code == 2 and "укажите --percent" in result.stderr


def test_cli_case_from_its_card_with_the_roots_rates(tmp_path):
    (tmp_path / "2024-017 ООО Берёзка").mkdir()
    (tmp_path / "2024-017 ООО Берёзка" / "дело.yaml").write_text(CARD, encoding="utf-8")
    (tmp_path / "ключевая_ставка.csv").write_text("дата;ставка\n28.10.2024;21\nплохо;1\n", encoding="utf-8")
    result, data = run("penalty", "2024-017", "--root", str(tmp_path), "--today", "2024-12-31", "--json")
    assert result.exit_code == 0, result.output
    assert data["total"] == "14900.55" and data["principal"] == "80000.00"
    assert data["rows"][0]["charge"] == "январь 2024"
    assert data["warnings"] == ["ключевая_ставка.csv:3: «плохо» — не дата (нужно ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)"]
    result, _ = run("penalty", "2024-017", "--root", str(tmp_path), "--method", "395")
    assert result.exit_code == 2 and "берутся из карточки" in result.stderr


# --- before the key rate (issue 14, item 4): the law's rate, or the days refused — never a silent wrong number ----

@pytest.mark.parametrize("method, due, end, expected_rows", [
    # 1/300 before 01.01.2016 is of the refinancing rate, 8,25 % from 14.09.2012 (Указание ЦБ № 2873-У; № 3894-У
    # made it equal to the key rate from 01.01.2016). Due Saturday 10.10.2015: by ГК РФ ст. 193 payable on Monday
    # 12.10, penalty from 13.10 (the old 11.10 — wrong): 100 000 × 80 × 1/300 × 8,25 % = 2 200,00.
    (PenaltyMethod.KEY_RATE_300, date(2015, 10, 10), date(2016, 2, 29),
     [(date(2015, 10, 13), date(2015, 12, 31), D("8.25"), D("2200.00")),
      (date(2016, 1, 1), date(2016, 2, 29), D("11"), D("2200.00"))]),
    # Due Sunday 10.05.2015, Monday 11.05 a transferred day off: by ГК РФ ст. 193 payable on 12.05, interest from
    # 13.05 (the old 11.05 — wrong).
    # ГК 395 until 31.05.2015: the refinancing rate (100 000 × 19 × 8,25 % / 365 = 429,45); 01.06.2015–31.07.2016:
    # the federal district's average deposit rates, which kezdocs does not have — those days are a zero row;
    # from 01.08.2016 the key rate (315-ФЗ): 100 000 × 49 × 10,5 % / 366 = 1 405,74.
    (PenaltyMethod.ARTICLE_395, date(2015, 5, 10), date(2016, 9, 18),
     [(date(2015, 5, 13), date(2015, 5, 31), D("8.25"), D("429.45")),
      (date(2015, 6, 1), date(2016, 7, 31), None, D("0")),
      (date(2016, 8, 1), date(2016, 9, 18), D("10.5"), D("1405.74"))]),
])
def test_rates_before_the_key_rate_follow_the_law(method, due, end, expected_rows):
    terms = PenaltyTerms(method=method, rate_mode="per-period")
    calc = penalty.calculate((Charge("долг", D("100000"), due),), (), terms, end, RATES)
    assert [(r.start, r.end, r.rate, r.amount) for r in calc.rows] == expected_rows
    refused = [w for w in calc.warnings if "рассчитайте их отдельно" in w]
    assert len(refused) == (1 if method == PenaltyMethod.ARTICLE_395 else 0)


def test_days_before_the_known_refinancing_rate_are_refused_with_a_reason():
    terms = PenaltyTerms(method=PenaltyMethod.KEY_RATE_300, rate_mode="per-period")
    calc = penalty.calculate((Charge("долг", D("1000"), date(2012, 9, 1)),), (), terms, date(2012, 9, 30), RATES)
    # Due Saturday 01.09.2012: by ГК РФ ст. 193 the delay starts on 04.09 (the old 02.09 — wrong).
    assert [(r.start, r.end, r.amount) for r in calc.rows] == [
        (date(2012, 9, 4), date(2012, 9, 13), D("0")), (date(2012, 9, 14), date(2012, 9, 30), D("4.68"))]  # 1 000 × 17 × 1/300 × 8,25 %
    assert calc.rows[0].note == "не предъявляется (ставка рефинансирования до 14.09.2012)"
    assert any("до 14.09.2012" in w for w in calc.warnings)
