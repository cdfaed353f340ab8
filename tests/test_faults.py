"""Faults: killed processes, concurrent writers, a full disk, hostile input.

Whatever happens, every file kezdocs owns (card, index, generated document)
is the old version or the new one, never half of either; `reindex` restores
the index; hostile input is refused or shown literally, and nothing outside
the root is read or written.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from kezdocs import demo
from kezdocs.cli import main
from kezdocs.core.card import CARD_NAME, parse_card
from kezdocs.core.settings import SETTINGS_NAME
from kezdocs.folders.casefolder import open_root, settings_template
from kezdocs.folders.index import Index
from kezdocs.folders.scan import scan

from conftest import fill, tmpfs

TODAY = date(2026, 11, 24)
DAY = TODAY.isoformat()


def kezdocs(*args, timeout=120, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kezdocs", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, **kwargs)


def start(*args) -> subprocess.Popen:
    """A kezdocs command in its own process group, so a kill takes its worker processes too (as a power cut would)."""
    return subprocess.Popen([sys.executable, "-m", "kezdocs", *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def big_root(demo_root: Path, path: Path, copies: int = 6) -> Path:
    """The demo root with each case copied `copies` times (renumbered): a scan that lasts long enough to kill."""
    shutil.copytree(demo_root, path)
    for folder in [p for p in path.iterdir() if (p / CARD_NAME).is_file()]:
        number = folder.name.split(" ", 1)[0]
        for n in range(1, copies):
            copy = path / f"{number}-{n} {folder.name.split(' ', 1)[1]}"
            shutil.copytree(folder, copy)
            card = copy / CARD_NAME
            card.write_text(card.read_text(encoding="utf-8").replace(f"номер: {number}", f"номер: {number}-{n}"),
                            encoding="utf-8")
    return path


def index_files(root: Path) -> list[Path]:
    own = root / ".kezdocs"
    return [p for p in [own / "index.json", *sorted((own / "index").glob("*.json"))] if p.exists()]


def assert_index_whole(root: Path) -> dict[str, dict]:
    """Every index file parses; every record the index returns is a complete one."""
    for path in index_files(root):
        json.loads(path.read_text(encoding="utf-8"))
    records = Index(root).records()
    for name, record in records.items():
        assert record.folder == name and record.fingerprint and record.version and record.stage
    return records


def kill_after(proc: subprocess.Popen, seconds: float) -> None:
    time.sleep(seconds)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


# --- killed processes ----------------------------------------------------------------------------------

def test_killed_indexing_leaves_old_or_new_and_reindex_restores(built_demo, tmp_path):
    root = big_root(built_demo, tmp_path / "дела")
    scan(open_root(root), TODAY)
    expected = Index(root).records()  # as stored: problems between cases (duplicates) are added when read, not kept
    for attempt, delay in enumerate((0.4, 0.7, 1.0, 1.3, 1.6)):
        shutil.rmtree(root / ".kezdocs", ignore_errors=True) if attempt % 2 else None
        kill_after(start("reindex", "--root", root, "--today", DAY), delay)
        records = assert_index_whole(root)
        for name, record in records.items():
            assert record == expected[name]  # a record is the old one or the new one: here both are equal
    assert kezdocs("reindex", "--root", root, "--today", DAY).returncode == 0
    assert assert_index_whole(root) == expected


def test_killed_generate_leaves_whole_documents(built_demo, tmp_path):
    root = big_root(built_demo, tmp_path / "дела", copies=3)
    for delay in (0.9, 1.5):
        kill_after(start("generate", "--all", "claim", "--root", root, "--today", DAY), delay)
        for docx in root.glob("*/Сформировано/*.docx"):
            with zipfile.ZipFile(docx) as z:
                assert z.testzip() is None and "word/document.xml" in z.namelist()
        for manifest in root.glob("*/Сформировано/*.json"):
            json.loads(manifest.read_text(encoding="utf-8"))
    done = kezdocs("generate", "--all", "claim", "--root", root, "--today", DAY, "--json")
    written = json.loads(done.stdout)["written"]
    assert len(written) == 3  # the ИП Петров case and its 2 copies need a claim today
    for item in written:
        for file in item["files"]:
            assert zipfile.ZipFile(file).testzip() is None
    # temp files a killed writer may leave are hidden and never taken for documents
    leftovers = [p.name for p in root.rglob("*") if p.name.startswith(".kezdocs-tmp-")]
    assert all(name.endswith(".tmp") for name in leftovers)


def test_workers_of_a_killed_command_exit_with_it(built_demo, tmp_path):
    root = big_root(built_demo, tmp_path / "дела", copies=4)
    proc = subprocess.Popen([sys.executable, "-m", "kezdocs", "generate", "--all", "calculation", "--root", str(root),
                             "--today", DAY], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "KEZDOCS_WORKERS": "2"})
    deadline = time.monotonic() + 60
    children: list[int] = []
    while not children and time.monotonic() < deadline and proc.poll() is None:
        children = _children(proc.pid)
        time.sleep(0.05)
    assert children, "generate --all started no worker processes"
    os.kill(proc.pid, signal.SIGKILL)  # the parent only, as a crash would
    proc.wait()
    deadline = time.monotonic() + 20
    while any(Path(f"/proc/{pid}").exists() for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in children)


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_killed_record_leaves_the_old_or_the_new_card(demo_copy):
    root = demo_copy
    card = root / "2026-002 ИП Петров" / CARD_NAME
    versions = {card.read_text(encoding="utf-8")}
    for n, delay in enumerate((0.1, 0.3, 0.5, 0.7, 0.9, 1.2)):
        kill_after(start("record", "--root", root, "2026-002", "платеж", "--date", f"{n + 1:02d}.11.2026",
                         "--amount", "10", "--document", f"п/п № {n}"), delay)
        text = card.read_text(encoding="utf-8")
        case, problems = parse_card(text, "дело.yaml")
        assert problems == [] and case is not None
        previous = max(versions, key=len)
        assert text == previous or (text.startswith(previous.rstrip("\n")) and f"п/п № {n}" in text)
        versions.add(text)
    assert kezdocs("reindex", "--root", root, "--today", DAY).returncode == 0
    assert_index_whole(root)


# --- concurrent writers ------------------------------------------------------------------------------

def test_watch_and_cli_writing_together_lose_nothing(demo_copy):
    from kezdocs.service.watcher import Watcher

    root = demo_copy
    watcher = Watcher(root, lambda: TODAY, delay=0.1, rescan=0.5, console=False)
    watcher.start()  # returns after the start-up scan
    try:
        cases = ["2026-001", "2026-002", "2026-003", "2026-004"]
        procs = [start("record", "--root", root, ref, "платеж", "--date", "20.11.2026", "--amount", "1",
                       "--document", f"п/п № {ref}") for ref in cases]
        statuses = [start("status", "--root", root, "--today", DAY) for _ in range(3)]
        for p in procs + statuses:
            p.wait(timeout=120)
        assert all(p.returncode == 0 for p in procs)
        deadline = time.monotonic() + 30
        while True:  # the watcher catches up with every change
            records = assert_index_whole(root)
            opened = open_root(root)
            fresh = all(records[f.name].fingerprint == opened.load(f).fingerprint for f in opened.case_folders())
            if fresh or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert fresh
    finally:
        watcher.stop()
    for ref in cases:
        folder = open_root(root).find(ref)
        assert f"п/п № {ref}" in (folder.path / CARD_NAME).read_text(encoding="utf-8")  # no lost update
    final = {r.folder: r for r in scan(open_root(root), TODAY).records}
    assert final == assert_index_whole(root)


# --- a full disk ---------------------------------------------------------------------------------------

@pytest.fixture()
def small_disk(tmp_path):
    """A 3 MB tmpfs (we are root in the test machine); skipped where mounting is not allowed."""
    yield from tmpfs(tmp_path / "диск", "3m")


def test_full_disk_gives_a_message_and_leaves_files_whole(small_disk, built_demo):
    root = Path(shutil.copytree(built_demo, small_disk / "дела"))
    assert kezdocs("status", "--root", root, "--today", DAY, "--json").returncode in (0, 1)
    index_before = {p: p.read_bytes() for p in index_files(root)}
    card = root / "2026-002 ИП Петров" / CARD_NAME
    card_before = card.read_bytes()
    (root / "2026-001 ООО Ромашка" / "новый.txt").write_text("изменение", encoding="utf-8")  # the index must change
    fill(small_disk)

    status = kezdocs("status", "--root", root, "--today", DAY)
    assert status.returncode == 2 and "Traceback" not in status.stderr
    assert "нет места на диске" in status.stderr
    assert {p: p.read_bytes() for p in index_files(root)} == index_before

    record = kezdocs("record", "--root", root, "2026-002", "платеж", "--date", "20.11.2026", "--amount", "100")
    assert record.returncode == 2 and "нет места на диске" in record.stderr
    assert card.read_bytes() == card_before

    generate = kezdocs("generate", "2026-002", "claim", "--root", root, "--today", DAY)
    assert generate.returncode == 2 and "нет места на диске" in generate.stderr
    assert not list((card.parent).glob("Сформировано/*.docx"))
    assert not [p for p in root.rglob("*") if p.name.startswith(".kezdocs-tmp-")]


# --- hostile input ----------------------------------------------------------------------------------------

def case_card(number: str, debtor: str = "ООО «Тест»") -> str:
    return f"""номер: {number}
администратор: {demo.UTR}
ответственный: {demo.OFFICER_1}
должник:
  тип: юрлицо
  наименование: '{debtor.replace("'", "''")}'
  инн: "{demo.company_inn('183100555')}"
  адреса:
    - {{вид: по договору, адрес: "427550, Удмуртская Республика, п. Кез, ул. Кирова, д. 5"}}
основание:
  документ: Договор аренды
  номер: 1
  дата: 10.01.2025
код_дохода: "{demo.KBK_RENT}"
начисления:
  - {{период: I квартал 2026, сумма: "1 000,00", срок_уплаты: 10.11.2026}}
"""


def snapshot(folder: Path) -> dict:
    return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture()
def hostile(tmp_path):
    """A root beside an «outside» folder that kezdocs must never read or write."""
    root = tmp_path / "дела"
    root.mkdir()
    (root / SETTINGS_NAME).write_text(settings_template(), encoding="utf-8")
    outside = tmp_path / "снаружи"
    outside.mkdir()
    (outside / CARD_NAME).write_text(case_card("ЧУЖОЕ-1"), encoding="utf-8")
    os.mkfifo(outside / "ловушка.pdf")  # reading it would hang the command: a read is seen as a timeout
    return root, outside


def status_of(root: Path) -> tuple[subprocess.CompletedProcess, dict]:
    done = kezdocs("status", "--root", root, "--today", DAY, "--json", timeout=60)
    assert "Traceback" not in done.stderr, done.stderr
    return done, {r["folder"]: r for r in json.loads(done.stdout)}


def test_huge_nested_and_exploding_cards_are_refused_quickly(hostile):
    root, _ = hostile
    cards = {
        "большая": "примечание: " + "ж" * 5_000_000 + "\n",
        "вложенная": "a: " + "[" * 200_000 + "\n",
        "вложенная-словари": "".join(f"{'  ' * i}k{i}:\n" for i in range(500)),
        "смешки": "a: &a [\"ха\",\"ха\",\"ха\",\"ха\",\"ха\",\"ха\",\"ха\",\"ха\",\"ха\"]\n"
                  + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
                            f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
                            for i in range(8)),
        "бинарная": None,
    }
    for name, text in cards.items():
        (root / name).mkdir()
        data = os.urandom(4096) if text is None else text.encode("utf-8")
        (root / name / CARD_NAME).write_bytes(data)
    started = time.monotonic()
    done, records = status_of(root)
    assert time.monotonic() - started < 30
    assert done.returncode == 1 and set(records) == set(cards)
    messages = {name: " ".join(p["message"] for p in r["problems"]) for name, r in records.items()}
    assert all(r["stage"] == "card_error" for r in records.values())
    assert "МБ" in messages["большая"]
    assert "вложенност" in messages["вложенная"] and "вложенност" in messages["вложенная-словари"]
    assert "якоря" in messages["смешки"]
    assert messages["бинарная"]


def test_strange_folder_names_stay_inside_the_root(hostile):
    root, outside = hostile
    before = snapshot(outside)
    forbidden = root / 'Б-1 ООО Рога: и* копыта? <"|>'
    forbidden.mkdir()
    (forbidden / CARD_NAME).write_text(case_card('2026/1:*?"<>|'), encoding="utf-8")
    done, records = status_of(root)
    assert records[forbidden.name]["problems"] == [] and records[forbidden.name]["case"] == '2026/1:*?"<>|'
    generated = kezdocs("generate", forbidden.name, "claim", "--root", root, "--today", DAY, "--json")
    assert generated.returncode == 0, generated.stderr
    files = [Path(f) for item in json.loads(generated.stdout)["written"] for f in item["files"]]
    assert files and all(f.parent == forbidden / "Сформировано" for f in files)
    assert all(not set(f.name) & set('\\/:*?"<>|') for f in files)  # Windows-safe names
    for ref in ("..", "../снаружи", "../../", "/etc", "."):
        for args in (("status", ref), ("generate", ref, "claim"), ("record", ref, "платеж", "--date", "01.11.2026",
                                                                    "--amount", "1")):
            done = CliRunner().invoke(main, [*args, "--root", str(root)])
            assert done.exit_code == 2 and "не найдено" in done.output and "Traceback" not in done.output
    made = kezdocs("new", "--root", root, "--number", "../../снаружи", "--type", "юрлицо", "--debtor", "../..",
                   "--officer", "Иванова", "--address", "п. Кез", "--kbk", demo.KBK_RENT, "--charge", "май;1;10.05.2026")
    assert "Traceback" not in made.stderr
    assert snapshot(outside) == before and sorted(p.name for p in outside.iterdir()) == [CARD_NAME, "ловушка.pdf"]
    assert all(p.resolve().is_relative_to(root.resolve()) for p in root.rglob("*") if not p.is_symlink())


def test_symlinks_out_of_the_root_are_not_followed(hostile):
    root, outside = hostile
    before = snapshot(outside)
    (root / "ссылка на чужое дело").symlink_to(outside, target_is_directory=True)
    own = root / "2026-100 ООО Тест"
    own.mkdir()
    (own / CARD_NAME).write_text(case_card("2026-100"), encoding="utf-8")
    (own / "ловушка.pdf").symlink_to(outside / "ловушка.pdf")
    (own / "Папка-ссылка").symlink_to(outside, target_is_directory=True)
    linked_card = root / "2026-101 Ссылка на карточку"
    linked_card.mkdir()
    (linked_card / CARD_NAME).symlink_to(outside / CARD_NAME)
    done, records = status_of(root)  # a read of the FIFO would hang here
    assert set(records) == {own.name}
    assert [d["path"] for d in records[own.name]["documents"]] == []
    assert kezdocs("reindex", "--root", root, "--today", DAY, timeout=60).returncode == 0
    generated = kezdocs("generate", "--all", "claim", "--root", root, "--today", DAY, timeout=60)
    assert "Traceback" not in generated.stderr
    assert snapshot(outside) == before and sorted(p.name for p in outside.iterdir()) == [CARD_NAME, "ловушка.pdf"]


def test_markup_in_a_debtor_name_is_rendered_literally(hostile):
    root, _ = hostile
    name = "ООО «{{ 7*7 }} {% raw %}{%endraw%} <w:p>&amp; </w:t>{{ self.__init__ }}»"
    folder = root / "2026-200 ООО Разметка"
    folder.mkdir()
    (folder / CARD_NAME).write_text(case_card("2026-200", name), encoding="utf-8")
    done, records = status_of(root)
    assert records[folder.name]["debtor"] == name
    generated = kezdocs("generate", "2026-200", "claim", "--root", root, "--today", DAY, "--json")
    assert generated.returncode == 0, generated.stderr
    files = [f for item in json.loads(generated.stdout)["written"] for f in item["files"]]
    import docx
    from lxml import etree

    for file in files:
        with zipfile.ZipFile(file) as z:
            xml = z.read("word/document.xml")
        etree.fromstring(xml)  # still well-formed XML
        text = "\n".join(p.text for p in docx.Document(file).paragraphs)
        assert "{{ 7*7 }}" in text and "<w:p>&amp; </w:t>" in text and "{{ self.__init__ }}" in text
        assert "49" not in text.replace("2026-200", "")

