"""The audit log: who did what to which case, and when — kept in the root (`.kezdocs/audit.jsonl`).

One JSON object a line, appended under a lock by every writer (the web
workspace, the CLI), each line written with one `write` and fsynced, so a line
is there whole or not at all. `AuditLog` is the long-running reader the case
page asks: it keeps the entries in memory by case and reads only what was
appended since it last looked, so a case page stays fast on a log of years.
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kezdocs.core.names import shown_name
from kezdocs.folders.casefolder import OWN_DIR
from kezdocs.folders.locks import held

AUDIT_FILE = "audit.jsonl"
LOCK_TIMEOUT = 10.0

# Action code -> what it was, in Russian (the case page's audit trail).
ACTIONS: dict[str, str] = {
    "create": "создание дела",
    "event": "запись события",
    "payment": "запись платежа",
    "edit": "правка карточки",
    "upload": "загрузка файла",
    "generate": "формирование документа",
    "check": "проверка достаточности",
    "package": "сборка пакета",
    "report": "отчёт",
    "import": "загрузка реестра",
    "export": "выгрузка реестра",
    "login": "вход",
    "login_failed": "неудачный вход",
}


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    user: str
    case: str | None
    action: str
    detail: str

    @property
    def label(self) -> str:
        return ACTIONS.get(self.action, self.action)


def audit_path(root_path: Path) -> Path:
    return Path(root_path) / OWN_DIR / AUDIT_FILE


def record(root_path: Path, user: str, case: str | None, action: str, detail: str, when: datetime) -> None:
    """Append one entry. Names from the file system may hold a newline or bytes that are not UTF-8: they are
    written visibly (`shown_name`), so the line stays one line of UTF-8."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    line = json.dumps({"when": when.isoformat(timespec="seconds"), "user": shown_name(user),
                       "case": shown_name(case) if case is not None else None, "action": action,
                       "detail": shown_name(detail)}, ensure_ascii=False) + "\n"
    path = audit_path(root_path)
    with held(Path(root_path) / OWN_DIR / "locks" / "audit.lock", "журнал действий", LOCK_TIMEOUT):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
        try:
            _write_all(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    """`os.write` may write less than asked (a full disk, a signal): the rest follows, still under the lock."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _entry(line: bytes) -> AuditEntry | None:
    """An entry of the log, or None for a line that is not one (cut by a crash, or edited by hand)."""
    try:
        raw = json.loads(line)
        case = raw["case"]
        entry = AuditEntry(datetime.fromisoformat(raw["when"]), str(raw["user"]), None if case is None else str(case),
                           str(raw["action"]), str(raw["detail"]))
    except (ValueError, KeyError, TypeError):
        return None
    return entry


class AuditLog:
    """The log as a long-running process reads it: an in-memory index by case, refreshed from the appended bytes.

    Entries come back newest first in the order they were written (each is
    appended under the lock as it happens). A file that shrank or was replaced
    (restored from a backup) is read again from its start.
    """

    def __init__(self, root_path: Path):
        self.path = audit_path(root_path)
        self._lock = threading.Lock()
        self._reset(None)

    def of_case(self, case: str) -> list[AuditEntry]:
        with self._lock:
            self._refresh()
            return self._by_case.get(case, [])[::-1]

    def recent(self, n: int) -> list[AuditEntry]:
        with self._lock:
            self._refresh()
            return self._all[-n:][::-1] if n > 0 else []

    def _reset(self, identity) -> None:
        self._identity = identity
        self._offset = 0
        self._all: list[AuditEntry] = []
        self._by_case: dict[str, list[AuditEntry]] = {}

    def _refresh(self) -> None:
        try:
            with open(self.path, "rb") as handle:
                stat = os.fstat(handle.fileno())
                identity = (stat.st_dev, stat.st_ino)
                if identity != self._identity or stat.st_size < self._offset:
                    self._reset(identity)
                handle.seek(self._offset)
                appended = handle.read()
        except FileNotFoundError:
            self._reset(None)
            return
        whole = appended.rfind(b"\n") + 1  # a line still being written waits for the next look
        for line in appended[:whole].splitlines():
            self._add(_entry(line))
        self._offset += whole

    def _add(self, entry: AuditEntry | None) -> None:
        if entry is None:
            return
        self._all.append(entry)
        if entry.case is not None:
            self._by_case.setdefault(entry.case, []).append(entry)
