"""The production calendar: real 2024–2026 dates, the counting rules, and the user's additions."""
import json
from datetime import date

import pytest
from click.testing import CliRunner

from kezdocs.cli import main
from kezdocs.core import plaintext
from kezdocs.core.dates import parse_date
from kezdocs.core.workdays import DEFAULT, Calendar, calendar_from_data

D = date


@pytest.mark.parametrize("day, working", [
    (D(2024, 1, 8), False),   # New Year holidays
    (D(2024, 1, 9), True),
    (D(2024, 4, 27), True),   # working Saturday
    (D(2024, 4, 29), False),  # transferred day off
    (D(2024, 4, 30), False),
    (D(2024, 5, 1), False),
    (D(2024, 5, 9), False),
    (D(2024, 5, 10), False),  # transferred from 06.01.2024
    (D(2024, 5, 11), False),  # an ordinary Saturday
    (D(2024, 5, 13), True),
    (D(2024, 11, 2), True),   # working Saturday
    (D(2024, 11, 4), False),
    (D(2024, 12, 28), True),  # working Saturday
    (D(2024, 12, 30), False),
    (D(2024, 12, 31), False),
    (D(2025, 1, 9), True),
    (D(2025, 5, 2), False),
    (D(2025, 5, 5), True),
    (D(2025, 5, 8), False),
    (D(2025, 6, 13), False),
    (D(2025, 11, 1), True),   # working Saturday
    (D(2025, 11, 3), False),
    (D(2025, 12, 31), False),
    (D(2026, 1, 9), False),   # transferred from 03.01.2026
    (D(2026, 1, 12), True),
    (D(2026, 3, 9), False),   # 8 March falls on a Sunday
    (D(2026, 5, 11), False),  # 9 May falls on a Saturday
    (D(2026, 12, 31), False),
])
def test_is_working_matches_the_official_calendar(day, working):
    assert DEFAULT.is_working(day) is working


@pytest.mark.parametrize("start, n, expected", [
    (D(2024, 4, 26), 0, D(2024, 4, 26)),
    (D(2024, 4, 26), 1, D(2024, 4, 27)),   # the working Saturday counts
    (D(2024, 4, 26), 3, D(2024, 5, 3)),    # 29.04–01.05 are days off
    (D(2024, 5, 8), 1, D(2024, 5, 13)),
    (D(2024, 5, 15), 5, D(2024, 5, 22)),
    (D(2024, 12, 27), 1, D(2024, 12, 28)),
    (D(2024, 12, 28), 1, D(2025, 1, 9)),   # across the New Year holidays
    (D(2025, 4, 30), 1, D(2025, 5, 5)),
    (D(2025, 5, 7), 1, D(2025, 5, 12)),
    (D(2025, 10, 31), 1, D(2025, 11, 1)),
    (D(2025, 10, 31), 2, D(2025, 11, 5)),
    (D(2025, 12, 30), 1, D(2026, 1, 12)),
    (D(2024, 5, 27), 10, D(2024, 6, 10)),
])
def test_add_working_days(start, n, expected):
    assert DEFAULT.add_working_days(start, n) == expected


@pytest.mark.parametrize("start, n, expected", [
    (D(2024, 4, 15), 30, D(2024, 5, 15)),
    (D(2024, 4, 9), 30, D(2024, 5, 13)),    # 09.05 holiday, 10.05 transferred, then the weekend
    (D(2024, 12, 1), 30, D(2025, 1, 9)),    # 31.12.2024 is a day off, then the New Year holidays
    (D(2025, 10, 2), 30, D(2025, 11, 1)),   # a working Saturday is a working day
    (D(2025, 10, 4), 30, D(2025, 11, 5)),   # 03.11 transferred, 04.11 holiday
    (D(2024, 12, 20), 14, D(2025, 1, 9)),
    (D(2026, 4, 1), 30, D(2026, 5, 4)),     # 01.05.2026 Friday holiday
])
def test_calendar_deadline_moves_off_days_off(start, n, expected):
    assert DEFAULT.calendar_deadline(start, n) == expected


@pytest.mark.parametrize("start, months, expected", [
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2025, 4, 9), 1, D(2025, 5, 12)),
    (D(2024, 9, 2), 1, D(2024, 10, 2)),
    (D(2024, 11, 30), 1, D(2025, 1, 9)),
])
def test_months_deadline(start, months, expected):
    assert DEFAULT.months_deadline(start, months) == expected


def test_next_working_keeps_a_working_day_and_skips_days_off():
    assert DEFAULT.next_working(D(2024, 5, 15)) == D(2024, 5, 15)
    assert DEFAULT.next_working(D(2024, 5, 9)) == D(2024, 5, 13)
    assert DEFAULT.working_days_between(D(2024, 4, 26), D(2024, 5, 3)) == 3


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        DEFAULT.add_working_days(D(2024, 5, 15), -1)


@pytest.mark.parametrize("day, text", [
    (D(2024, 5, 10), "2024-05-10 — нерабочий день (перенос выходного)"),
    (D(2024, 5, 9), "2024-05-09 — нерабочий день (праздник: День Победы)"),
    (D(2024, 4, 27), "2024-04-27 — рабочий день (рабочая суббота)"),
    (D(2024, 5, 11), "2024-05-11 — нерабочий день (суббота)"),
    (D(2024, 5, 15), "2024-05-15 — рабочий день (будний день)"),
    (D(2026, 3, 9), "2026-03-09 — нерабочий день (перенос выходного)"),
])
def test_describe_answers_in_russian(day, text):
    assert DEFAULT.describe(day) == text


def test_overrides_add_a_year_the_package_lacks():
    data = {"нерабочие_дни": ["2028-01-10", "09.03.2028"], "рабочие_дни": ["2028-11-04"]}
    cal, problems = calendar_from_data(data)
    assert problems == []
    assert DEFAULT.is_working(D(2028, 1, 10)) and not cal.is_working(D(2028, 1, 10))
    assert not DEFAULT.is_working(D(2028, 11, 4)) and cal.is_working(D(2028, 11, 4))
    assert cal.add_working_days(D(2028, 3, 7), 1) == D(2028, 3, 10)  # 08.03 holiday, 09.03 added
    assert cal.describe(D(2028, 3, 9)) == "2028-03-09 — нерабочий день (по календарь.yaml)"
    assert hash(cal) == hash(Calendar(cal.extra_days_off, cal.extra_workdays))


def test_overrides_from_the_yaml_text_report_bad_entries_with_lines():
    text = ("# Дополнения к производственному календарю\n"
            "нерабочие_дни: [2028-01-10, 31.02.2028]\n"
            "рабочие_дни: 2028-11-04, 2028-01-10\n"
            "праздники: [2028-05-02]\n")
    cal, problems = calendar_from_data(plaintext.load(text), "календарь.yaml")
    messages = [str(p) for p in problems]
    assert "календарь.yaml:2: «31.02.2028» в «нерабочие_дни» — не дата (нужно ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)" in messages
    assert any(m.startswith("календарь.yaml:4: неизвестное поле «праздники»") for m in messages)
    assert any("10.01.2028 указан и как нерабочий, и как рабочий день" in m for m in messages)
    assert cal.is_working(D(2028, 11, 4))
    assert cal.is_working(D(2028, 1, 10))  # the contradictory date is ignored: the package's answer stays


def test_empty_or_missing_overrides_give_the_package_calendar():
    assert calendar_from_data(None) == (DEFAULT, [])
    cal, problems = calendar_from_data(plaintext.load("[2028-01-10]\n"))
    assert cal == DEFAULT and len(problems) == 1 and problems[0].line == 1


@pytest.mark.parametrize("text, expected", [
    ("2028-01-02", D(2028, 1, 2)), ("02.01.2028", D(2028, 1, 2)), ("2.1.2028", D(2028, 1, 2)),
    ("2028-02-30", None), ("завтра", None), ("", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_calendar_commands_answer_in_russian_and_honour_the_root_file(tmp_path):
    run = CliRunner().invoke
    result = run(main, ["calendar", "is-working", "2024-05-10", "--root", str(tmp_path)])
    assert result.exit_code == 0 and result.stdout.strip() == "2024-05-10 — нерабочий день (перенос выходного)"
    result = run(main, ["calendar", "workdays", "27.05.2024", "10", "--root", str(tmp_path), "--json"])
    assert json.loads(result.stdout) == {"from": "2024-05-27", "n": 10, "date": "2024-06-10"}
    (tmp_path / "календарь.yaml").write_text("нерабочие_дни: [2028-01-10]\nрабочие_дни: [2028-11-04]\n", encoding="utf-8")
    result = run(main, ["calendar", "is-working", "2028-01-10", "--root", str(tmp_path)])
    assert result.stdout.strip() == "2028-01-10 — нерабочий день (по календарь.yaml)"
    result = run(main, ["calendar", "workdays", "2028-11-03", "1", "--root", str(tmp_path)])
    assert result.stdout.strip() == "1-й рабочий день после 03.11.2028 — 04.11.2028"
    result = run(main, ["calendar", "is-working", "завтра", "--root", str(tmp_path)])
    assert result.exit_code == 2 and "не дата" in result.stderr
