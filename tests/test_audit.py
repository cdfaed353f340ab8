"""The audit log: whole lines appended by several writers, read incrementally by the long-running workspace."""
from __future__ import annotations

import json
import multiprocessing
import os
import threading
import time
from datetime import datetime

import pytest

from kezdocs.folders.audit import AuditEntry, AuditLog, audit_path, record

WHEN = datetime(2026, 11, 24, 10, 15, 2)


def test_a_record_is_one_json_line_with_the_time_to_the_second(tmp_path):
    record(tmp_path, "ivanova", "2026-001", "payment", "платёж 5 000,00 ₽ от 01.12.2026", WHEN.replace(microsecond=7))
    lines = audit_path(tmp_path).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [{"when": "2026-11-24T10:15:02", "user": "ivanova",
                                                     "case": "2026-001", "action": "payment",
                                                     "detail": "платёж 5 000,00 ₽ от 01.12.2026"}]


def test_a_name_with_a_newline_or_foreign_bytes_stays_on_one_line(tmp_path):
    record(tmp_path, "ivanova", "2026-001", "upload", "файл «чек\nподдельная строка \udcff.pdf»", WHEN)
    assert audit_path(tmp_path).read_bytes().count(b"\n") == 1
    assert AuditLog(tmp_path).of_case("2026-001")[0].detail == "файл «чек\\nподдельная строка \\xff.pdf»"


def test_an_unknown_action_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError):
        record(tmp_path, "ivanova", None, "delete", "", WHEN)


def test_of_case_is_newest_first_and_only_that_case(tmp_path):
    record(tmp_path, "ivanova", "2026-001", "create", "дело создано", WHEN)
    record(tmp_path, "petrova", "2026-002", "event", "претензия направлена", WHEN)
    record(tmp_path, "ivanova", None, "login", "", WHEN)
    record(tmp_path, "sidorov", "2026-001", "generate", "Претензия.docx", WHEN.replace(minute=20))
    log = AuditLog(tmp_path)
    assert [(e.user, e.action) for e in log.of_case("2026-001")] == [("sidorov", "generate"), ("ivanova", "create")]
    assert log.of_case("2026-003") == []
    assert [e.action for e in log.recent(3)] == ["generate", "login", "event"]
    assert [e.action for e in log.recent(10)] == ["generate", "login", "event", "create"]
    assert log.recent(0) == []


LABELS = {"create": "создание дела", "event": "запись события", "payment": "запись платежа", "edit": "правка карточки",
          "upload": "загрузка файла", "generate": "формирование документа", "package": "сборка пакета",
          "login_failed": "неудачный вход"}


@pytest.mark.parametrize("action, label", LABELS.items())
def test_an_entry_reads_as_its_action_in_russian(action, label):
    assert AuditEntry(WHEN, "ivanova", None, action, "").label == label


def test_the_reader_takes_only_what_was_appended_since_it_last_looked(tmp_path):
    record(tmp_path, "ivanova", "2026-001", "create", "дело создано", WHEN)
    log = AuditLog(tmp_path)
    assert len(log.of_case("2026-001")) == 1
    path = audit_path(tmp_path)
    # Rewrite the line already read, keeping its length: a reader that read the file again would see it.
    path.write_bytes(path.read_bytes().replace("создано".encode(), "СОЗДАНО".encode()))
    record(tmp_path, "ivanova", "2026-001", "edit", "адреса", WHEN)
    assert [e.detail for e in log.of_case("2026-001")] == ["адреса", "дело создано"]


def test_a_file_that_shrank_is_read_again_from_its_start(tmp_path):
    record(tmp_path, "ivanova", "2026-001", "create", "дело создано", WHEN)
    record(tmp_path, "ivanova", "2026-001", "edit", "адреса", WHEN)
    log = AuditLog(tmp_path)
    assert len(log.of_case("2026-001")) == 2
    audit_path(tmp_path).unlink()
    assert log.of_case("2026-001") == []
    record(tmp_path, "petrova", "2026-001", "upload", "чек.pdf", WHEN)
    assert [e.user for e in log.of_case("2026-001")] == ["petrova"]


def test_a_file_replaced_by_a_longer_one_is_read_again_from_its_start(tmp_path):
    record(tmp_path, "ivanova", "2026-001", "create", "дело создано", WHEN)
    log = AuditLog(tmp_path)
    assert len(log.of_case("2026-001")) == 1
    path = audit_path(tmp_path)
    restored = tmp_path / "restored.jsonl"
    line = json.dumps({"when": WHEN.isoformat(), "user": "backup", "case": "2026-001", "action": "edit",
                       "detail": "из резервной копии"}, ensure_ascii=False) + "\n"
    restored.write_text(line * 3, encoding="utf-8")
    os.replace(restored, path)
    assert [e.user for e in log.of_case("2026-001")] == ["backup"] * 3


def test_broken_lines_are_skipped_and_a_line_being_written_waits(tmp_path):
    record(tmp_path, "ivanova", "2026-001", "create", "дело создано", WHEN)
    path = audit_path(tmp_path)
    with open(path, "ab") as handle:
        handle.write(b"{not json\n")
        handle.write(b'{"when": "2026-11-24T10:15:02", "user": "x"}\n')  # keys missing
        handle.write('{"when": "вчера", "user": "x", "case": null, "action": "login", "detail": ""}\n'.encode())
        handle.write(b'{"when": "2026-11-24T10:16:00", "user": "petrova", "case": "2026-001", ')  # half a line
    log = AuditLog(tmp_path)
    assert [e.user for e in log.of_case("2026-001")] == ["ivanova"]
    with open(path, "ab") as handle:
        handle.write('"action": "event", "detail": "претензия направлена"}\n'.encode())
    assert [e.user for e in log.of_case("2026-001")] == ["petrova", "ivanova"]


def _append(root: str, tag: str, count: int) -> None:
    for n in range(count):
        record(root, f"user-{tag}", f"2026-{n % 5:03d}", "event", f"{tag} {n} " + "ж" * 300, WHEN)


def test_two_processes_and_two_threads_lose_no_line(tmp_path):
    log = AuditLog(tmp_path)
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_append, args=(str(tmp_path), tag, 150)) for tag in ("p1", "p2")]
    threads = [threading.Thread(target=_append, args=(str(tmp_path), tag, 150)) for tag in ("t1", "t2")]
    for worker in processes + threads:
        worker.start()
    counts = []
    while any(p.is_alive() for p in processes) or any(t.is_alive() for t in threads):
        counts.append(len(log.recent(1000)))  # reading while they write: never a half line, never one twice
        time.sleep(0.002)
    for p in processes:
        p.join(60)
    for t in threads:
        t.join(60)
    assert [p.exitcode for p in processes] == [0, 0]
    lines = audit_path(tmp_path).read_bytes().splitlines()
    details = sorted(json.loads(line)["detail"].split()[0] + json.loads(line)["detail"].split()[1] for line in lines)
    assert details == sorted(f"{tag}{n}" for tag in ("p1", "p2", "t1", "t2") for n in range(150))
    assert counts == sorted(counts)
    assert len(log.recent(1000)) == 600
    assert sum(len(log.of_case(f"2026-{k:03d}")) for k in range(5)) == 600
