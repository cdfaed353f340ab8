"""Inter-process locks that say who holds them.

A lock is a `filelock.FileLock` on a file under the root's `.kezdocs/`; beside
it, the holder writes a small JSON note (process, computer, command, since).
A writer that cannot get the lock in time raises a Russian `KezdocsError`
naming the holder, so a clerk knows whom to ask — not an English
«The file lock … could not be acquired».
"""
from __future__ import annotations

import json
import os
import socket
import sys
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from kezdocs.core.errors import KezdocsError

HOLDER_SUFFIX = ".holder.json"
COMMAND_CHARS = 200  # the holder note keeps the start of the command line only


def _command() -> str:
    """The command as a user would recognise it: «kezdocs record 2024-017 платеж …»."""
    args = [Path(sys.argv[0]).name if sys.argv else "python", *sys.argv[1:]]
    return " ".join(args)[:COMMAND_CHARS]


def holder_note() -> dict:
    return {"pid": os.getpid(), "host": socket.gethostname(), "command": _command(),
            "since": datetime.now().isoformat(timespec="seconds")}


def holder_note_path(lock_path: Path) -> Path:
    return Path(str(lock_path) + HOLDER_SUFFIX)


def describe_holder(lock_path: Path) -> str:
    """«процесс 1234 на компьютере buh-2 (kezdocs record …), с 10:15:02» — or a plain phrase when unknown."""
    try:
        note = json.loads(holder_note_path(lock_path).read_text(encoding="utf-8"))
        since = datetime.fromisoformat(note["since"])
        return (f"процесс {note['pid']} на компьютере {note['host']} ({note['command']}), "
                f"с {since:%d.%m.%Y %H:%M:%S}")
    except (OSError, ValueError, KeyError, TypeError):
        return "другой процесс kezdocs (кто именно — неизвестно)"


def _kept(note: Path) -> dict:
    """What users of the lock added to the note (the card writer's hash of its last write) outlives the holder."""
    try:
        content = json.loads(note.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return content if isinstance(content, dict) else {}


@contextmanager
def held(lock_path: Path, what: str, timeout: float) -> Iterator[None]:
    """Hold the lock at `lock_path` for `what` («карточка дела 2024-017»); a Russian error after `timeout` s."""
    lock_path = Path(lock_path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path), thread_local=False)
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise KezdocsError(f"{what} занята дольше {timeout:g} с: её держит {describe_holder(lock_path)}. "
                           "Дождитесь окончания и повторите команду") from None
    note = holder_note_path(lock_path)
    try:
        try:
            note.write_text(json.dumps({**_kept(note), **holder_note()}, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass  # the note is a courtesy; the lock itself is what protects the data
        yield
    finally:
        lock.release()
