"""The watch service with real observers on real folders: in-process (a thread) and through the CLI.

Delays are short (0.3 s); every wait is a polling loop with a generous timeout,
and no test asserts how long anything took.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from kezdocs.core import plaintext
from kezdocs.core.card import STATUS_FILE
from kezdocs.core.errors import KezdocsError
from kezdocs.core.status import CaseStatus
from kezdocs.folders.casefiles import fingerprint, list_files
from kezdocs.folders.casefolder import open_root
from kezdocs.folders.index import Index
from kezdocs.paperwork.dashboard import SUMMARY_FILE
from kezdocs.paperwork.pdftext import text_pdf
from kezdocs.service.watch_events import Target, target_of
from kezdocs.service.watch_settings import WatchSettings, parse_watch_settings
from kezdocs.service.watcher import Watcher

from conftest import log, wait_for

TODAY = date(2026, 11, 24)
DELAY = 0.3
PETROV = "2026-002 ИП Петров"
ROMASHKA = "2026-001 ООО Ромашка"


@pytest.fixture()
def root(demo_copy):
    return demo_copy


def watcher(root, **options):
    return Watcher(root, lambda: TODAY, delay=DELAY, console=False, **options)




def rescans(root, case: str) -> list[str]:
    return [line for line in log(root) if f"дело «{case}»: пересчитано" in line]


def record(root, folder: str) -> CaseStatus | None:
    return Index(root).records().get(folder)


def indexed_as_on_disk(root, folder: str) -> bool:
    """The index holds the folder as it is now (its fingerprint matches the files)."""
    r = record(root, folder)
    return r is not None and r.fingerprint == fingerprint(list_files(root / folder))


def status(root, folder: str) -> str:
    path = root / folder / STATUS_FILE
    return path.read_text(encoding="utf-8-sig") if path.exists() else ""


def copy_slowly(source: Path, target: Path, chunks: int = 8, pause: float = 0.03) -> None:
    data = source.read_bytes()
    step = len(data) // chunks + 1
    with open(target, "wb") as out:
        for start in range(0, len(data), step):
            out.write(data[start:start + step])
            out.flush()
            time.sleep(pause)


def card_with_claim(root, folder: str) -> str:
    text = (root / folder / "дело.yaml").read_text(encoding="utf-8")
    return text + f"события:\n  - {{дата: {TODAY:%d.%m.%Y}, событие: претензия направлена}}\n"


# --- pure parts -----------------------------------------------------------------------------------

def test_settings_section_is_read_with_defaults_and_line_numbered_problems():
    assert parse_watch_settings(None) == (WatchSettings(2.0, 5.0, ()), [])
    section = plaintext.load("наблюдение:\n  задержка: 0,5\n  пересканирование: 10\n")["наблюдение"]
    assert parse_watch_settings(section) == (WatchSettings(0.5, 10.0, ()), [])
    bad = plaintext.load("наблюдение:\n  задержка: быстро\n  пересканирование: -1\n  опрос: 3\n")["наблюдение"]
    settings, problems = parse_watch_settings(bad)
    assert settings == WatchSettings()
    assert [(p.line, p.message.split(":")[0].split(";")[0]) for p in problems] == [
        (2, "«наблюдение.задержка»"), (3, "«наблюдение.пересканирование»"), (4, "неизвестное поле «наблюдение.опрос»")]


def test_own_files_and_litter_are_no_case_events(tmp_path):
    r = tmp_path
    assert target_of(r, str(r / "дело 1" / "скан.pdf")) == Target("case", "дело 1", "скан.pdf")
    assert target_of(r, str(r / "дело 1" / "Почта" / "чек.pdf")) == Target("case", "дело 1", "Почта/чек.pdf")
    assert target_of(r, str(r / "дело 1")) == Target("case", "дело 1")
    assert target_of(r, str(r / "настройки.yaml")) == Target("root")
    for own in (".kezdocs/index.json", ".kezdocs/kezdocs.log", "Сводка.html", "дело 1/СТАТУС.txt",
                "дело 1/Сформировано/Требование.docx", "дело 1/.kezdocs-tmp-abc.tmp", "дело 1/~$говор.docx",
                "дело 1/.~lock.договор.docx#", "дело 1/скан.pdf.part", "дело 1/Thumbs.db"):
        assert target_of(r, str(r / own)) is None, own
    assert target_of(r, "/somewhere/else.pdf") is None


# --- the service in-process -----------------------------------------------------------------------

def test_start_scans_everything_and_writes_statuses_and_summary(root):
    with watcher(root):
        assert all((root / f.name / STATUS_FILE).exists() for f in open_root(root).case_folders())
        assert "ООО «Ромашка»" in (root / SUMMARY_FILE).read_text(encoding="utf-8")
        assert any("начальная проверка: дел — 11" in line for line in log(root))
    assert any("наблюдение остановлено" in line for line in log(root))
    assert not (root / ".kezdocs" / "watch.json").exists()


def test_file_copied_slowly_is_taken_once_when_complete(root):
    source = root / ROMASHKA / "Договор аренды 12-2023.pdf"
    with watcher(root):
        copy_slowly(source, root / PETROV / "скан договора.pdf")
        wait_for(lambda: indexed_as_on_disk(root, PETROV), what="the copied file in the index")
        wait_for(lambda: rescans(root, "2026-002"), what="the log line")
        assert len(rescans(root, "2026-002")) == 1
        assert "скан договора.pdf" in rescans(root, "2026-002")[0]


def test_polling_mode_takes_a_slow_copy_once_too(root):
    source = root / ROMASHKA / "Договор аренды 12-2023.pdf"
    with watcher(root, poll=0.1):
        copy_slowly(source, root / PETROV / "скан договора.pdf")
        wait_for(lambda: indexed_as_on_disk(root, PETROV), what="the copied file in the index")
        wait_for(lambda: rescans(root, "2026-002"), what="the log line")
        assert len(rescans(root, "2026-002")) == 1
        assert any("опрос папок каждые 0.1 с" in line for line in log(root))


def test_lock_and_temp_files_are_ignored(root):
    with watcher(root):
        (root / ROMASHKA / "~$говор.docx").write_bytes(b"lock")
        (root / ROMASHKA / ".~lock.договор.docx#").write_text("lock")
        (root / ROMASHKA / "скан.pdf.part").write_bytes(b"partial")
        # A real file in another case, dropped after them: once it is handled, so would they have been.
        shutil.copy(root / ROMASHKA / "Договор аренды 12-2023.pdf", root / PETROV / "договор.pdf")
        wait_for(lambda: rescans(root, "2026-002"), what="the real file")
        assert rescans(root, "2026-001") == []


def test_card_saved_by_rename_is_picked_up(root):
    with watcher(root):
        tmp = root / PETROV / "~WRL0001.tmp"  # how Word saves: a temporary file renamed over the original
        tmp.write_text(card_with_claim(root, PETROV), encoding="utf-8")
        os.replace(tmp, root / PETROV / "дело.yaml")
        wait_for(lambda: getattr(record(root, PETROV), "stage", None) == "claim_sent", what="the new stage")
        wait_for(lambda: "претензия направлена" in status(root, PETROV), what="the new status")
        assert "дело.yaml" in rescans(root, "2026-002")[-1]


def test_broken_card_and_bad_files_do_not_stop_the_service(root):
    good_card = (root / PETROV / "дело.yaml").read_text(encoding="utf-8")
    with watcher(root):
        (root / PETROV / "дело.yaml").write_text("номер: [2026-002\nдолжник: {", encoding="utf-8")
        (root / PETROV / "скан.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
        wait_for(lambda: getattr(record(root, PETROV), "stage", None) == "card_error", what="the broken card")
        wait_for(lambda: "ошибка синтаксиса YAML" in status(root, PETROV), what="the problem in СТАТУС.txt")
        shutil.rmtree(root / ROMASHKA)  # a folder vanishes
        wait_for(lambda: record(root, ROMASHKA) is None, what="the vanished case gone from the index")
        wait_for(lambda: "ООО «Ромашка»" not in (root / SUMMARY_FILE).read_text(encoding="utf-8"),
                 what="the vanished case gone from the summary")
        assert not (root / ROMASHKA).exists()  # its status was not written back into a ghost folder
        # and the service still works
        (root / PETROV / "дело.yaml").write_text(good_card, encoding="utf-8")
        wait_for(lambda: getattr(record(root, PETROV), "stage", None) not in (None, "card_error"), what="a fixed card")
    assert any("папка «2026-001 ООО Ромашка» удалена" in line for line in log(root))


def test_change_made_while_stopped_is_caught_on_start(root):
    with watcher(root):
        pass
    shutil.copy(root / ROMASHKA / "Договор аренды 12-2023.pdf", root / PETROV / "договор.pdf")
    (root / "2026-008 ООО Снежинка" / "дело.yaml").write_text("номер: [", encoding="utf-8")
    assert not indexed_as_on_disk(root, PETROV)
    with watcher(root):
        assert indexed_as_on_disk(root, PETROV)
        assert "ошибка синтаксиса YAML" in status(root, "2026-008 ООО Снежинка")


def test_periodic_rescan_catches_what_the_observer_missed(root):
    # A polling observer that never polls: only the periodic check can see the change.
    with watcher(root, poll=3600, rescan=0.5):
        # a contract of its own: a copy of another case's file would change that case too (a duplicate, issue 16)
        (root / PETROV / "договор.pdf").write_bytes(text_pdf([["Договор аренды № 7-П/2025", "ИП Петров"]]))
        wait_for(lambda: indexed_as_on_disk(root, PETROV), what="the periodic check")
        wait_for(lambda: any("плановая проверка: изменились дела — 1" in line for line in log(root)), what="its log line")


def test_second_watcher_refuses_and_names_the_holder(root):
    with watcher(root):
        with pytest.raises(KezdocsError) as refused:
            watcher(root).start()
        message = str(refused.value)
        assert f"процесс {os.getpid()} на компьютере «{socket.gethostname()}»" in message
        assert "уже запущено" in message
    with watcher(root):  # released on stop: a new one starts
        pass


def generated(root, folder: str) -> list[str]:
    return sorted(p.name for p in (root / folder / "Сформировано").glob("*.docx"))


def test_documents_whose_moment_has_come_are_generated_once(root):
    settings = root / "настройки.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "наблюдение:\n  автодокументы: [претензия]\n",
                        encoding="utf-8")
    snow = "2026-008 ООО Снежинка"
    with watcher(root):
        assert generated(root, PETROV) == ["2026-11-24 Требование (претензия) 2026-002.docx"]  # overdue at start
        assert generated(root, snow) == []  # not yet due
        # The Снежинка charge becomes overdue: its claim is made.
        card = root / snow / "дело.yaml"
        card.write_text(re.sub(r"срок_уплаты: [\d.]+", "срок_уплаты: 02.11.2026", card.read_text(encoding="utf-8")),
                        encoding="utf-8")
        wait_for(lambda: generated(root, snow), what="the claim of the newly overdue case")
        wait_for(lambda: any(g.path.startswith("Сформировано/") for g in record(root, snow).documents),
                 what="the claim in the index")
        # A new file in a case that stays at its stage makes no new document.
        shutil.copy(root / ROMASHKA / "Договор аренды 12-2023.pdf", root / PETROV / "договор.pdf")
        wait_for(lambda: indexed_as_on_disk(root, PETROV), what="the new file")
        assert generated(root, PETROV) == ["2026-11-24 Требование (претензия) 2026-002.docx"]
    made = [line for line in log(root) if "сформирован документ" in line]
    assert len(made) == 2 and "2026-008" in made[1]


def test_settings_change_while_running_recomputes_and_asks_for_documents(root):
    with watcher(root):
        assert generated(root, PETROV) == []
        settings = root / "настройки.yaml"
        settings.write_text(settings.read_text(encoding="utf-8") + "наблюдение:\n  автодокументы: [претензия, опрос]\n",
                            encoding="utf-8")
        wait_for(lambda: generated(root, PETROV), what="the claim asked for in the new settings")
    lines = log(root)
    assert any("настройки папки с делами изменились" in line for line in lines)
    assert any("неизвестный вид документа «опрос»" in line for line in lines)


# --- through the CLI, in a subprocess -------------------------------------------------------------

def summary_row(root, folder: str) -> str:
    page = (root / SUMMARY_FILE).read_text(encoding="utf-8")
    start = page.index(f'data-folder="{folder}"')
    return page[start:page.index("</tr>", start)]


def kezdocs(*args):
    return [sys.executable, "-m", "kezdocs", *map(str, args)]


def test_cli_watch_end_to_end_with_sigterm_and_refusal(root):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    (root / "настройки.yaml").write_text((root / "настройки.yaml").read_text(encoding="utf-8")
                                        + "наблюдение:\n  задержка: 0.3\n", encoding="utf-8")
    service = subprocess.Popen(kezdocs("watch", "--root", root, "--today", TODAY), env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: any("начальная проверка" in line for line in log(root)) or service.poll() is not None,
                 timeout=60, what="the service to start")
        assert service.poll() is None
        second = subprocess.run(kezdocs("watch", "--root", root), env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 2
        assert f"процесс {service.pid}" in second.stderr.replace("\n", " ")

        # A diploma dropped into a case that prepares its lawsuit: listed, and no longer missing.
        berezka, diploma = "2026-004 ООО Березка и сыновья", "диплом Смирнов.pdf"
        missing_diploma = "Копия диплома представителя"
        assert missing_diploma in status(root, berezka) and diploma not in status(root, berezka)
        assert missing_diploma in summary_row(root, berezka)
        (root / berezka / diploma).write_bytes(text_pdf([["Диплом о высшем юридическом образовании", "Смирнов П. А."]]))
        wait_for(lambda: diploma in status(root, berezka), what="the diploma in СТАТУС.txt")
        assert f"{diploma} — диплом представителя" in status(root, berezka)
        assert missing_diploma not in status(root, berezka)
        wait_for(lambda: diploma in summary_row(root, berezka), what="the diploma in Сводка.html")
        row = summary_row(root, berezka)
        assert "%D0%B4%D0%B8%D0%BF%D0%BB%D0%BE%D0%BC%20" in row and missing_diploma not in row
        assert rescans(root, "2026-004")
    finally:
        service.send_signal(signal.SIGTERM)
        out, err = service.communicate(timeout=60)
    assert service.returncode == 0, err
    assert "наблюдение остановлено" in err
    assert not (root / ".kezdocs" / "watch.json").exists()
    json.loads((root / ".kezdocs" / "index.json").read_text(encoding="utf-8"))  # the index is whole
