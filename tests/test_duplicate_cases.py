"""One number, one case: two folders whose cards give the same number are a problem everywhere, counted once."""
import json
import shutil
from datetime import date

import pytest
from click.testing import CliRunner

from kezdocs.cli import main
from kezdocs.core.card import STATUS_FILE
from kezdocs.core.status import CaseStatus, duplicate_message, duplicates, repeats, with_duplicates
from kezdocs.folders.casefolder import open_root
from kezdocs.paperwork import dashboard
from kezdocs.paperwork.report_files import build

TODAY = "2026-11-24"
ORIGINAL = "2026-001 ООО Ромашка"
COPY = "Копия Ромашки"  # after the original in folder order: digits sort before letters
PROBLEM = f"номер дела 2026-001 повторяется: папки «{ORIGINAL}» и «{COPY}»"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture()
def doubled(demo_copy):
    """The demo root with the folder of case 2026-001 copied under another name (the same card)."""
    shutil.copytree(demo_copy / ORIGINAL, demo_copy / COPY)
    return demo_copy


def status_records(root, *extra):
    result = run("status", "--root", root, "--today", TODAY, "--json", *extra)
    return result, {r["folder"]: r for r in json.loads(result.stdout)}


# --- the pure rule -------------------------------------------------------------------------------------

def test_duplicates_keep_the_folder_order_and_only_repeated_numbers():
    pairs = [("1", "а"), ("2", "б"), ("1", "в"), ("3", "г"), ("1", "д"), ("3", "е")]
    assert duplicates(pairs) == {"1": ("а", "в", "д"), "3": ("г", "е")}
    assert duplicates([("1", "а"), ("2", "б")]) == {}


@pytest.mark.parametrize("folders,listed", [
    (["A", "B"], "папки «A» и «B»"),
    (["A", "B", "C"], "папки «A», «B» и «C»"),
])
def test_the_message_names_every_folder(folders, listed):
    assert duplicate_message("2024-001", folders) == f"номер дела 2024-001 повторяется: {listed}"


def status(folder, case, **changes):
    return CaseStatus(folder=folder, case=case, stage=changes.pop("stage", "current"), **changes)


def test_with_duplicates_marks_both_cases_and_ignores_broken_cards():
    records = [status("A", "1"), status("B", "2"), status("C", "1"), status("1", "1", stage="card_error")]
    marked = with_duplicates(records)
    assert [len(r.problems) for r in marked] == [1, 0, 1, 0]
    assert marked[0].problems[0].message.startswith("номер дела 1 повторяется: папки «A» и «C» — ")
    assert marked[2].problems == marked[0].problems
    assert repeats(records) == {"C"}


# --- status, СТАТУС.txt, Сводка.html ----------------------------------------------------------------------

def test_both_cases_carry_the_problem_in_status_status_files_and_the_summary(doubled):
    result, records = status_records(doubled)
    assert result.exit_code == 1
    for folder in (ORIGINAL, COPY):
        assert [p["message"] for p in records[folder]["problems"] if "повторяется" in p["message"]] == \
            [PROBLEM + " — у каждого дела свой номер: исправьте «номер» в карточке одного из них"]
        assert PROBLEM in (doubled / folder / STATUS_FILE).read_text(encoding="utf-8-sig")
    page = (doubled / dashboard.SUMMARY_FILE).read_text(encoding="utf-8")
    assert page.count(PROBLEM) == 2


def test_the_summary_totals_count_the_case_once(doubled):
    records = run_status_records(doubled)
    single = [r for r in records if r.folder != COPY]
    page = dashboard.summary_html(records, date(2026, 11, 24), open_root(doubled).calendar)
    alone = dashboard.summary_html(single, date(2026, 11, 24), open_root(doubled).calendar)
    totals = lambda html: html[html.index('<table id="by-stage"'):]  # noqa: E731
    assert totals(page) == totals(alone)
    assert f"в итогах не посчитаны папки «{COPY}»" in page and "в итогах не посчитаны" not in alone


def run_status_records(root):
    from kezdocs import cases

    return cases.status(open_root(root), date(2026, 11, 24), None).records


def test_status_by_the_number_names_the_folders(doubled):
    shutil.move(doubled / COPY, doubled / "2026-001 копия")
    result = run("status", "--root", doubled, "--today", TODAY, "2026-001")
    assert result.exit_code == 2
    flat = " ".join(result.output.split())
    assert f"номер дела 2026-001 повторяется: папки «{ORIGINAL}» и «2026-001 копия» — укажите имя папки" in flat


def test_the_problem_goes_when_the_other_card_is_corrected(doubled):
    """The problem is a fact of two folders, never stored with one: correcting the copy clears the original."""
    _, before = status_records(doubled)
    assert any("повторяется" in p["message"] for p in before[ORIGINAL]["problems"])
    card = doubled / COPY / "дело.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace("\nномер: 2026-001\n", "\nномер: 2026-101\n"),
                    encoding="utf-8")
    assert "\nномер: 2026-101\n" in card.read_text(encoding="utf-8")
    _, records = status_records(doubled)
    assert not any("повторяется" in p["message"] for p in records[ORIGINAL]["problems"])


# --- reports never count a case twice ----------------------------------------------------------------------

@pytest.mark.parametrize("kind,when", [("overdue", date(2026, 11, 24)), ("measures", date(2026, 12, 25)),
                                       ("inventory", "2026-Q4")])
def test_reports_count_the_first_folder_and_name_the_other_as_left_out(demo_copy, kind, when):
    alone = build(open_root(demo_copy), kind, when)
    shutil.copytree(demo_copy / ORIGINAL, demo_copy / COPY)
    doubled = build(open_root(demo_copy), kind, when)
    assert doubled.rows == alone.rows and doubled.totals() == alone.totals()
    left_out = [p for p in doubled.skipped if p.file == COPY]
    assert [p.message for p in left_out] == [f"дело в папке «{COPY}» не включено в отчёт — {PROBLEM}; "
                                             f"в отчёте — дело из папки «{ORIGINAL}»"]
    assert len(doubled.skipped) == len(alone.skipped) + 1
