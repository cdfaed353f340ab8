"""The one card writer: concurrent writers, editors saving meanwhile, encodings, lock messages.

Every change to a card (record, import, new) goes through `cardfile`; these
tests race it against itself and against an editor that saves the card by
rename, in place and in two chunks, and count what survives.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kezdocs import cases
from kezdocs.core.card import CARD_NAME, parse_card
from kezdocs.core.errors import KezdocsError
from kezdocs.folders import cardfile
from kezdocs.folders.casefolder import open_root

CASE = "2026-001"
NOTE = re.compile(r"^примечание: (.*)$", re.M)


def card_of(root: Path) -> Path:
    return next(root.glob(f"{CASE} */{CARD_NAME}"))


def payments(text: str) -> list[str]:
    """The amounts of payments dated 01.12.2026 (the ones the tests record)."""
    return re.findall(r"\{дата: 01\.12\.2026, сумма: '?([\d.]+)'?", text)


def _recorder(root: str, tag: int, rounds: int, stop=None) -> None:
    """Record payments «<round>.<tag>» until `rounds` are done (or `stop` is set, when rounds is 0).

    Each record's start and end (system-wide monotonic clock) go to `records-<tag>.log`.
    """
    opened = open_root(root)
    n = 0
    with open(os.path.join(root, f"records-{tag}.log"), "w") as log:
        while (n < rounds) if rounds else not stop.is_set():
            n += 1
            started = time.monotonic()
            cases.record_entry(opened, CASE, "платеж", "01.12.2026", {}, f"{n}.{tag:02d}", None)
            log.write(f"{n}.{tag:02d} {started} {time.monotonic()}\n")


def test_two_writers_hundred_rounds_lose_nothing(demo_copy):
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_recorder, args=(str(demo_copy), tag, 100)) for tag in (1, 2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
        assert w.exitcode == 0
    recorded = payments(card_of(demo_copy).read_text(encoding="utf-8"))
    assert len(recorded) == 200
    assert sorted(recorded) == sorted(f"{n}.{tag:02d}" for n in range(1, 101) for tag in (1, 2))


# --- an editor saving the card while kezdocs records ---------------------------------------------

def _save(path: Path, data: bytes, how: str) -> None:
    """Save as editors do: a new file renamed over the old, in place (truncate + write), or in two chunks."""
    if how == "rename":
        tmp = path.with_name(".editor-save.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    elif how == "in place":
        with open(path, "wb") as handle:
            handle.write(data)
    else:  # two chunks with a pause between them: a reader may find half a card
        with open(path, "wb") as handle:
            handle.write(data[: len(data) // 2])
            handle.flush()
            time.sleep(0.03)
            handle.write(data[len(data) // 2:])


def _editor(path: str, how: str, saves: int, log_path: str) -> None:
    """A clerk's editor that reloads a changed file: it sets «примечание: save N» on the text it just read.

    Before each save it checks that its previous save is still there (nobody
    overwrote it), and logs each save's window and the payments its text held.
    """
    path = Path(path)
    rng = random.Random(how)
    with open(log_path, "w") as log:
        for n in range(1, saves + 1):
            time.sleep(rng.uniform(0.1, 0.6))
            while True:
                started = time.monotonic()
                data = path.read_bytes()
                text = data.decode("utf-8")
                kept = n == 1 or NOTE.findall(text) == [f"save {n - 1}"]
                text = NOTE.sub("", text).rstrip("\n") + f"\nпримечание: save {n}\n"
                if path.read_bytes() == data:  # the editor's own «file changed on disk» check
                    _save(path, text.encode("utf-8"), how)
                    break
            log.write(json.dumps({"kept": kept, "from": started, "to": time.monotonic(),
                                  "base": payments(data.decode("utf-8"))}) + "\n")


@pytest.mark.parametrize("how", ["rename", "in place", "two chunks"])
def test_record_against_an_editor_keeps_every_record_and_the_last_save(demo_copy, how):
    """kezdocs never overwrites an editor's save, and loses no record of its own.

    An editor saves what it read, so a record written between the editor's read
    and its save is lost by the editor — no program can prevent that. Such a
    record is excused only when its time overlaps that save's window and that
    save's text did not hold it; every other record must be on the card.
    """
    card = card_of(demo_copy)
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    recorder = context.Process(target=_recorder, args=(str(demo_copy), 7, 0, stop))
    editor = context.Process(target=_editor, args=(str(card), how, 12, str(demo_copy / "editor.log")))
    recorder.start()
    editor.start()
    editor.join(60)
    stop.set()
    recorder.join(60)
    assert editor.exitcode == 0 and recorder.exitcode == 0
    saves = [json.loads(line) for line in (demo_copy / "editor.log").read_text().splitlines()]
    records = [line.split() for line in (demo_copy / "records-7.log").read_text().splitlines()]
    text = card.read_text(encoding="utf-8")
    assert len(records) >= 3  # the recorder really ran alongside the editor
    assert [s["kept"] for s in saves] == [True] * 12  # no editor save was overwritten by kezdocs
    assert NOTE.findall(text) == ["save 12"]
    on_card = set(payments(text))
    lost_by_editor = [
        amount for amount, start, end in records if amount not in on_card
        and any(s["from"] <= float(end) and float(start) <= s["to"] and amount not in s["base"] for s in saves)]
    assert sorted(on_card | set(lost_by_editor), key=float) == [r[0] for r in records]
    assert len(on_card) == len(payments(text))  # no record written twice
    assert parse_card(text)[0] is not None


# --- encodings and line endings ------------------------------------------------------------------

@pytest.mark.parametrize("codec, bom, newline", [("cp1251", b"", b"\n"), ("utf-8", b"\xef\xbb\xbf", b"\r\n"),
                                                 ("utf-8", b"", b"\r\n")])
def test_record_keeps_the_cards_encoding_line_endings_and_comments(demo_copy, codec, bom, newline):
    card = card_of(demo_copy)
    text = "# комментарий сотрудника: не удалять\n" + card.read_text(encoding="utf-8")
    card.write_bytes(bom + text.replace("\n", newline.decode()).encode(codec))
    result = subprocess.run([sys.executable, "-m", "kezdocs", "record", "--root", demo_copy, CASE, "платеж",
                             "--date", "01.12.2026", "--amount", "123.45", "--document", "п/п № 9"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    data = card.read_bytes()
    assert data.startswith(bom) and (bom or not data.startswith(b"\xef\xbb\xbf"))
    body = data[len(bom):]
    assert body.count(b"\n") == body.count(newline)  # every line ending as it was
    decoded = body.decode(codec)
    assert "# комментарий сотрудника: не удалять" in decoded
    assert "п/п № 9" in decoded and "123.45" in decoded


def test_a_character_windows_1251_cannot_hold_is_a_russian_error(demo_copy):
    card = card_of(demo_copy)
    before = card.read_text(encoding="utf-8").encode("cp1251")
    card.write_bytes(before)
    with pytest.raises(KezdocsError, match="Windows-1251"):
        cases.record_entry(open_root(demo_copy), CASE, "платеж", "01.12.2026", {}, "1", "чек ✓")
    assert card.read_bytes() == before


# --- the lock: who holds it ----------------------------------------------------------------------

def test_a_writer_that_cannot_get_the_lock_says_who_holds_it(demo_copy, monkeypatch):
    card = card_of(demo_copy)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from kezdocs.folders.locks import held; "
         "lock = held(Path(sys.argv[1]), 'x', 5); lock.__enter__(); print('held', flush=True); time.sleep(30)",
         str(cardfile.lock_path(card)), "kezdocs-record-elsewhere"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(cardfile, "LOCK_TIMEOUT", 0.5)
        before = card.read_bytes()
        with pytest.raises(KezdocsError) as caught:
            cases.record_entry(open_root(demo_copy), CASE, "платеж", "01.12.2026", {}, "1", None)
        message = str(caught.value)
        assert f"процесс {holder.pid}" in message
        assert "на компьютере" in message and "kezdocs-record-elsewhere" in message
        assert re.search(r"с \d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d", message)
        assert card.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()


def test_a_broken_card_is_refused_with_its_problems_and_left_alone(demo_copy):
    card = card_of(demo_copy)
    broken = card.read_text(encoding="utf-8").replace("номер:", "нoмер:")  # a Latin «o»
    card.write_text(broken, encoding="utf-8")
    os.utime(card, (time.time() - 10, time.time() - 10))
    with pytest.raises(KezdocsError, match="в карточке есть ошибки"):
        cases.record_entry(open_root(demo_copy), card.parent.name, "платеж", "01.12.2026", {}, "1", None)
    assert card.read_text(encoding="utf-8") == broken


def test_new_never_replaces_an_existing_card(demo_copy):
    card = card_of(demo_copy)
    before = card.read_bytes()
    with pytest.raises(KezdocsError, match="дело уже есть"):
        cardfile.create_card(card, "номер: x\n", lambda text: [])
    assert card.read_bytes() == before
