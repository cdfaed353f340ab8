"""Faults of generated documents: hostile user templates, numeric settings out of range, hostile or long names,
a `generate` killed between the document and its manifest, orphaned temporary files, an unwritable case folder.

Every document is a real DOCX opened back with python-docx; a killed run is a real SIGKILL at a chosen point.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from kezdocs.cli import main
from kezdocs.core.card import GENERATED_DIR, STATUS_FILE
from kezdocs.core.errors import KezdocsError
from kezdocs.core.settings import SETTINGS_NAME
from kezdocs.folders.casefolder import open_root
from kezdocs.folders.files import TEMP_MAX_AGE, TEMP_PREFIX
from kezdocs.paperwork import render, sandbox, template_check, template_sources
from kezdocs.paperwork.dashboard import SUMMARY_FILE
from kezdocs.paperwork.generated import MANIFEST
from kezdocs.service.watch_settings import watch_settings
from kezdocs.service.watcher import Watcher

TODAY = date(2026, 11, 24)
DAY = TODAY.isoformat()
ROMASHKA = "2026-001 ООО Ромашка"  # two addresses: a claim per address
CARD = "дело.yaml"


def text_of(path: Path) -> str:
    """Every paragraph of a DOCX (tables included), non-breaking spaces as spaces."""
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells).replace("\u00a0", " ")


def flat(text: str) -> str:
    """Console output with rich's line wrapping (and non-breaking spaces) undone."""
    return " ".join(text.split())


def edit_card(root: Path, folder: str, old: str, new: str) -> None:
    card = root / folder / CARD
    text = card.read_text(encoding="utf-8")
    assert old in text
    card.write_text(text.replace(old, new), encoding="utf-8")


def user_template(root: Path, name: str, *lines: str) -> Path:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    folder = root / template_sources.USER_TEMPLATES
    folder.mkdir(exist_ok=True)
    doc.save(folder / name)
    return folder / name


def generated(root: Path, folder: str) -> list[str]:
    directory = root / folder / GENERATED_DIR
    return sorted(p.name for p in directory.iterdir() if p.suffix == ".docx") if directory.is_dir() else []


# --- user templates: time, memory, include ------------------------------------------------------------

def test_a_template_with_nested_loops_is_stopped_at_the_time_limit_and_refused_at_once_after(demo_copy):
    user_template(demo_copy, "требование.docx",
                  "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}")
    root = open_root(demo_copy)
    started = time.monotonic()
    with pytest.raises(KezdocsError) as refused:
        render.generate(root, root.find("2026-001"), "claim", TODAY)
    took = time.monotonic() - started
    assert took < sandbox.TEMPLATE_SECONDS + 5
    assert f"«требование.docx» (шаблоны/): заполнение не закончилось за {sandbox.TEMPLATE_SECONDS} с" in str(refused.value)
    assert generated(demo_copy, ROMASHKA) == []
    again = time.monotonic()
    with pytest.raises(KezdocsError, match="не закончилось"):  # the same file again: no second wait
        render.generate(root, root.find("2026-001"), "claim", TODAY)
    assert time.monotonic() - again < 2


MEASURE = ("import json, resource, subprocess, sys\n"
           "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
           "print(json.dumps([p.returncode, p.stdout + p.stderr, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))")


def run_measured(*args) -> tuple[int, str, int]:
    """A kezdocs command: exit code, output, and the peak memory (MB) of it and every process it started."""
    out = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "kezdocs", *map(str, args)],
                         capture_output=True, text=True, timeout=120)
    code, output, peak_kb = json.loads(out.stdout)
    return code, flat(output), peak_kb // 1024


def test_string_multiplication_is_refused_without_taking_gigabytes(demo_copy):
    user_template(demo_copy, "требование.docx", "{{ 'x' * 300000000 }}")
    code, output, peak_mb = run_measured("generate", "--root", demo_copy, "--today", DAY, "2026-001", "claim")
    assert code == 2
    assert "«требование.docx» (шаблоны/): умножение даёт 300 000 000 знаков или элементов, а предел — 1 000 000" in output
    assert "Traceback" not in output
    assert peak_mb < 300
    assert generated(demo_copy, ROMASHKA) == []


def test_a_template_that_allocates_by_a_filter_stops_at_the_memory_limit(demo_copy):
    user_template(demo_copy, "требование.docx", "{{ 'x' | center(900000000) }}")
    code, output, peak_mb = run_measured("generate", "--root", demo_copy, "--today", DAY, "2026-001", "claim")
    assert code == 2
    assert f"заполнение потребовало больше {sandbox.TEMPLATE_MEMORY >> 20} МБ памяти и прервано" in output
    assert peak_mb < (sandbox.TEMPLATE_MEMORY >> 20) + 100


@pytest.mark.parametrize("statement, named", [("{% include 'шапка.docx' %}", "шапка.docx"),
                                              ("{% import 'макросы' as m %}{{ m.x() }}", "макросы"),
                                              ("{% extends 'основа.docx' %}", "основа.docx")])
def test_include_import_and_extends_get_a_message_naming_the_template(demo_copy, statement, named):
    user_template(demo_copy, "требование.docx", "Должник: {{ debtor.name }}", statement)
    root = open_root(demo_copy)
    with pytest.raises(KezdocsError) as refused:
        render.generate(root, root.find("2026-001"), "claim", TODAY)
    message = str(refused.value)
    assert message.startswith("шаблон «требование.docx» (шаблоны/): подключение другого шаблона")
    assert f"(«{named}»)" in message and "не поддерживается" in message
    report = {r.source.name: r for r in template_check.check_templates(root)}["требование.docx"]
    assert not report.ok and "подключение другого шаблона" in report.error


def test_a_sane_user_template_still_fills_in_the_helper_process(demo_copy):
    user_template(demo_copy, "требование.docx", "Требование по делу {{ case.number }}: {{ debtor.name }}, "
                  "{{ address.text }}; {{ '-' * 10 }}")
    root = open_root(demo_copy)
    paths = render.generate(root, root.find("2026-001"), "claim", TODAY)
    assert len(paths) == 2
    texts = sorted(text_of(p) for p in paths)
    assert texts[0].startswith("Требование по делу 2026-001: ООО «Ромашка», ") and texts[0].endswith("; ----------")
    assert "ул. Пушкина, д. 10" in "".join(texts) and "ул. Кирова, д. 1" in "".join(texts)


# --- numeric settings -------------------------------------------------------------------------------------

@pytest.mark.parametrize("key, value", [("задержка", "1e400"), ("задержка", "inf"), ("задержка", "nan"),
                                        ("задержка", "-1"), ("пересканирование", "1e-300"),
                                        ("пересканирование", "100000")])
def test_watch_numbers_out_of_range_are_problems_with_the_line_and_the_default_is_used(demo_copy, key, value):
    settings = demo_copy / SETTINGS_NAME
    text = settings.read_text(encoding="utf-8").rstrip("\n") + f"\nнаблюдение:\n  {key}: {value}\n"
    settings.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"  {key}: {value}") + 1
    root = open_root(demo_copy)
    problems = [p for p in root.settings_problems if p.field == f"наблюдение.{key}"]
    assert [(p.file, p.line) for p in problems] == [(SETTINGS_NAME, line)]
    assert f"«наблюдение.{key}»: «{value}» — вне допустимых пределов" in problems[0].message
    watch, _ = watch_settings(root.settings)
    assert (watch.delay, watch.rescan_minutes) == (2.0, 5.0)
    assert Watcher(demo_copy).delay == 2.0
    shown = CliRunner().invoke(main, ["dashboard", "--root", str(demo_copy), "--today", DAY])
    assert f"{SETTINGS_NAME}:{line}: «наблюдение.{key}»" in flat(shown.output)


def test_a_threshold_out_of_range_is_a_problem_and_a_sane_watch_delay_is_kept(demo_copy):
    settings = demo_copy / SETTINGS_NAME
    text = settings.read_text(encoding="utf-8").replace('судебный_приказ: "500000"', 'судебный_приказ: "0"')
    text = text.rstrip("\n") + "\nнаблюдение:\n  задержка: 0,3\n"
    settings.write_text(text, encoding="utf-8")
    root = open_root(demo_copy)
    [problem] = root.settings_problems
    assert problem.line == [n for n, line in enumerate(text.splitlines(), 1) if 'судебный_приказ: "0"' in line][0]
    assert "«пороги.судебный_приказ»: «0» — вне допустимых пределов: от 1 до" in problem.message
    assert str(root.settings.thresholds.court_order) == "500000"
    assert watch_settings(root.settings)[0].delay == 0.3


# --- names ------------------------------------------------------------------------------------------------

LONG_KIND = "адрес, который указал должник в письме от 01.01.2026 года о смене места нахождения организации, " * 2


def test_a_long_case_number_and_long_address_kinds_give_distinct_docx_names_under_255_bytes(demo_copy):
    number = "2026-" + "Ж" * 150
    edit_card(demo_copy, ROMASHKA, "номер: 2026-001", f'номер: "{number}"')
    edit_card(demo_copy, ROMASHKA, '    - {вид: по ЕГРЮЛ, адрес: "426000, Удмуртская Республика, г. Ижевск, ул. Пушкина, д. 10"}\n',
              '    - {вид: по ЕГРЮЛ, адрес: "426000, Удмуртская Республика, г. Ижевск, ул. Пушкина, д. 10"}\n'
              f'    - {{вид: "{LONG_KIND}1", адрес: "427570, п. Кез, ул. Ленина, д. 3"}}\n'
              f'    - {{вид: "{LONG_KIND}2", адрес: "427570, п. Кез, ул. Ленина, д. 4"}}\n')
    root = open_root(demo_copy)
    paths = render.generate(root, root.load(demo_copy / ROMASHKA), "claim", TODAY)
    names = [p.name for p in paths]
    assert len(names) == 4 and len(set(names)) == 4
    assert sorted(names) == generated(demo_copy, ROMASHKA)
    for name in names:
        assert name.endswith(".docx") and len(name.encode("utf-8")) <= 255
        assert name.startswith(f"{DAY} Требование (претензия) 2026-ЖЖЖ")
    assert "(по договору).docx" in names[0] and "(по ЕГРЮЛ).docx" in names[1]
    streets = ["ул. Кирова, д. 1", "ул. Пушкина, д. 10", "ул. Ленина, д. 3", "ул. Ленина, д. 4"]
    for path, street in zip(paths, streets):
        assert street in text_of(path)


def test_two_addresses_of_one_kind_never_share_a_file(demo_copy):
    edit_card(demo_copy, ROMASHKA, "{вид: по ЕГРЮЛ,", "{вид: по договору,")
    root = open_root(demo_copy)
    paths = render.generate(root, root.find("2026-001"), "claim", TODAY)
    assert [p.name for p in paths] == [f"{DAY} Требование (претензия) 2026-001 (по договору).docx",
                                       f"{DAY} Требование (претензия) 2026-001 (по договору) 2.docx"]
    assert "ул. Кирова, д. 1" in text_of(paths[0]) and "ул. Пушкина, д. 10" in text_of(paths[1])


def test_bidi_and_control_characters_never_reach_a_file_name(demo_copy):
    edit_card(demo_copy, ROMASHKA, "номер: 2026-001", 'номер: "2026\u202e-001\u200b"')
    edit_card(demo_copy, ROMASHKA, "наименование: ООО «Ромашка»", 'наименование: "ООО «Ромашка\u202eexe.docx»"')
    edit_card(demo_copy, ROMASHKA, "{вид: по ЕГРЮЛ,", '{вид: "по\u2067 ЕГРЮЛ\\t\u202e",')
    root = open_root(demo_copy)
    paths = render.generate(root, root.load(demo_copy / ROMASHKA), "claim", TODAY)
    assert [p.name for p in paths] == [f"{DAY} Требование (претензия) 2026-001 (по договору).docx",
                                       f"{DAY} Требование (претензия) 2026-001 (по ЕГРЮЛ).docx"]
    written = [p.name for p in (demo_copy / ROMASHKA).rglob("*")]
    assert not [n for n in written if any(unicodedata.category(c) in ("Cf", "Cc") for c in n)]
    assert "ООО «Ромашка\u202eexe.docx»" in text_of(paths[0])  # the document itself keeps the card's text


# --- a killed generate and its leftovers ----------------------------------------------------------------

KILL_AFTER_FIRST_DOCX = """
import os, signal, sys
from datetime import date
from kezdocs.folders import files
from kezdocs.paperwork import render
from kezdocs.folders.casefolder import open_root

def hook(frame, event, arg):
    if frame.f_code is files.write_bytes_atomic.__code__:
        path = str(frame.f_locals.get("path"))
        if event == "return" and path.endswith(".docx") and sys.argv[3] == "after-docx":
            os.kill(os.getpid(), signal.SIGKILL)  # the first document is in place, the manifest not settled
    if frame.f_code is files._put.__code__:  # write_bytes_atomic puts the written temporary file in place here
        if event == "c_call" and arg is os.replace and sys.argv[3] == "before-replace":
            os.kill(os.getpid(), signal.SIGKILL)  # the temporary file is written, not yet renamed

root = open_root(sys.argv[1])
sys.setprofile(hook)
render.generate(root, root.find(sys.argv[2]), "claim", date.fromisoformat(sys.argv[4]))
"""


def killed_generate(root: Path, case: str, where: str) -> None:
    proc = subprocess.run([sys.executable, "-c", KILL_AFTER_FIRST_DOCX, str(root), case, where, DAY],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -9, proc.stderr


def test_a_generate_killed_between_the_document_and_the_manifest_leaves_no_false_copy(demo_copy):
    root = open_root(demo_copy)
    first = render.generate(root, root.find("2026-001"), "claim", TODAY)
    edit_card(demo_copy, ROMASHKA, 'сумма: "5 000,00"', 'сумма: "6 000,00"')
    killed_generate(demo_copy, "2026-001", "after-docx")
    assert "9 000,00" in text_of(first[0]) and "10 000,00" in text_of(first[1])  # killed midway: one of two new
    edit_card(demo_copy, ROMASHKA, 'сумма: "6 000,00"', 'сумма: "7 000,00"')
    again = render.generate(open_root(demo_copy), open_root(demo_copy).find("2026-001"), "claim", TODAY)
    assert again == first
    assert generated(demo_copy, ROMASHKA) == sorted(p.name for p in first)  # no « (2)»
    assert all("8 000,00" in text_of(p) for p in again)
    edited = Document(str(first[0]))  # a clerk's real edit is still kept
    edited.add_paragraph("Правка исполнителя")
    edited.save(str(first[0]))
    edit_card(demo_copy, ROMASHKA, 'сумма: "7 000,00"', 'сумма: "7 500,00"')
    third = render.generate(open_root(demo_copy), open_root(demo_copy).find("2026-001"), "claim", TODAY)
    assert third[0].name.endswith(" (2).docx") and third[1] == first[1]
    assert "Правка исполнителя" in text_of(first[0])


def test_a_document_of_the_same_content_without_a_manifest_entry_is_recognised_as_own(demo_copy):
    root = open_root(demo_copy)
    first = render.generate(root, root.find("2026-001"), "claim", TODAY)
    (demo_copy / ROMASHKA / GENERATED_DIR / MANIFEST).unlink()  # as an older kezdocs killed before it
    assert render.generate(root, root.find("2026-001"), "claim", TODAY) == first
    assert generated(demo_copy, ROMASHKA) == sorted(p.name for p in first)
    edit_card(demo_copy, ROMASHKA, 'сумма: "5 000,00"', 'сумма: "6 000,00"')
    changed = render.generate(open_root(demo_copy), open_root(demo_copy).find("2026-001"), "claim", TODAY)
    assert changed == first and "9 000,00" in text_of(first[0])  # recognised, so replaced when the data change


def test_orphaned_temporary_files_are_removed_on_the_next_run_young_ones_stay(demo_copy):
    killed_generate(demo_copy, "2026-001", "before-replace")
    out = demo_copy / ROMASHKA / GENERATED_DIR
    orphans = [p for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert len(orphans) == 1 and orphans[0].stat().st_size > 0  # a real one, left by the kill
    old = time.time() - TEMP_MAX_AGE - 60
    planted = [demo_copy / f"{TEMP_PREFIX}root.tmp", demo_copy / ".kezdocs" / f"{TEMP_PREFIX}own.tmp"]
    for path in planted:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"half")
    for path in [*orphans, *planted]:
        os.utime(path, (old, old))
    young = out / f"{TEMP_PREFIX}running.tmp"
    young.write_bytes(b"a writer at work now")
    keep = demo_copy / ROMASHKA / f"{TEMP_PREFIX}user.txt"  # not kezdocs's suffix: never touched
    keep.write_bytes(b"x")
    os.utime(keep, (old, old))
    root = open_root(demo_copy)
    render.generate(root, root.find("2026-001"), "claim", TODAY)
    assert not any(p.exists() for p in [*orphans, *planted])
    assert young.exists() and keep.exists()
    assert len(generated(demo_copy, ROMASHKA)) == 2


# --- an unwritable or vanished case folder ---------------------------------------------------------------

def test_generate_all_goes_on_past_a_case_whose_generated_folder_cannot_be_made(demo_copy):
    blocker = demo_copy / "2026-002 ИП Петров" / GENERATED_DIR
    shutil.rmtree(blocker, ignore_errors=True)
    blocker.write_bytes(b"a file in place of the folder")
    shutil.rmtree(demo_copy / "2026-004 ООО Березка и сыновья" / GENERATED_DIR, ignore_errors=True)
    result = CliRunner().invoke(main, ["generate", "--root", str(demo_copy), "--today", DAY, "--all", "calculation"],
                                env={"KEZDOCS_WORKERS": "1"})
    assert result.exit_code == 1, result.output
    output = flat(result.output)
    assert f"пропущено 2026-002: документ не записан в {GENERATED_DIR}/ — на месте папки лежит файл" in output
    [written] = generated(demo_copy, "2026-004 ООО Березка и сыновья")
    assert written == f"{DAY} Расчёт задолженности и пени 2026-004.docx"
    assert "Расчёт" in text_of(demo_copy / "2026-004 ООО Березка и сыновья" / GENERATED_DIR / written)
    assert blocker.read_bytes() == b"a file in place of the folder"


def test_a_vanished_case_folder_is_never_made_again(demo_copy):
    root = open_root(demo_copy)
    folder = root.find("2026-001")
    shutil.rmtree(folder.path)
    with pytest.raises(FileNotFoundError):
        render.generate(root, folder, "claim", TODAY)
    assert not folder.path.exists()


def test_dashboard_goes_on_past_a_case_whose_status_file_cannot_be_written(demo_copy):
    status = demo_copy / "2026-002 ИП Петров" / STATUS_FILE
    status.unlink(missing_ok=True)
    status.mkdir()
    (demo_copy / SUMMARY_FILE).unlink(missing_ok=True)
    result = CliRunner().invoke(main, ["dashboard", "--root", str(demo_copy), "--today", "2026-11-25"])
    assert result.exit_code == 1, result.output
    assert f"дело «2026-002 ИП Петров»: {STATUS_FILE} не записан — на месте файла лежит папка" in flat(result.output)
    page = (demo_copy / SUMMARY_FILE).read_text(encoding="utf-8")
    assert page.count("<tr data-officer=") == 11 and "2026-002" in page
    others = [p / STATUS_FILE for p in demo_copy.iterdir() if (p / CARD).is_file() and p.name != "2026-002 ИП Петров"]
    assert len(others) == 10
    assert all("Состояние на 25.11.2026" in p.read_text(encoding="utf-8-sig") for p in others)
    assert status.is_dir() and not any(status.iterdir())
