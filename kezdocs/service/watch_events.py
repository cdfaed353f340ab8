"""Which case a file-system event concerns, and the observer's handler that passes it on.

kezdocs' own writes (`.kezdocs/`, `Сформировано/`, `СТАТУС.txt`,
`Сводка.html`, temp files) and editors' lock files trigger nothing, and
directory "modified" events (which our own writes cause) are ignored: the file
events themselves say what changed.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler

from kezdocs.core.card import GENERATED_DIR, STATUS_FILE
from kezdocs.core.names import is_ignored, nfc
from kezdocs.core.settings import SETTINGS_NAME
from kezdocs.folders.casefolder import CALENDAR_FILE, RATES_FILE
from kezdocs.paperwork import dashboard
from kezdocs.service.watch_log import describe

ROOT_FILES = frozenset({SETTINGS_NAME, CALENDAR_FILE, RATES_FILE})  # a change re-reads the whole root
# Events that say a file's content or name changed ("opened", "closed_no_write" are our own reads).
CHANGE_EVENTS = frozenset({"created", "modified", "deleted", "moved", "closed", "attrib"})
DIRECTORY_NAME_EVENTS = frozenset({"created", "deleted", "moved"})


@dataclass(frozen=True)
class Target:
    kind: str  # "case" | "root"
    folder: str | None = None  # the case folder's name (NFC)
    relpath: str | None = None  # the file inside the case folder


def target_of(root: Path, path: str) -> Target | None:
    """What a changed path means for the service, or None when it is kezdocs' own file or litter."""
    try:
        parts = [nfc(p) for p in Path(path).relative_to(root).parts]
    except ValueError:
        return None
    if not parts or any(is_ignored(p) for p in parts):
        return None  # `.kezdocs/`, temp files, editors' lock files, hidden files
    if len(parts) == 1:
        if parts[0] in ROOT_FILES:
            return Target("root")
        if parts[0] == dashboard.SUMMARY_FILE:
            return None
        return Target("case", parts[0])  # a case folder itself (created, renamed, deleted); others are skipped later
    if parts[1] == GENERATED_DIR or (len(parts) == 2 and parts[1] == STATUS_FILE):
        return None
    return Target("case", parts[0], "/".join(parts[1:]))


class EventHandler(FileSystemEventHandler):
    """Passes each change (both paths of a move) to `notice(path, is_directory)`; a failure is logged, since
    an exception here would end the observer thread."""

    def __init__(self, notice: Callable[[str, bool], None], log: logging.Logger):
        self.notice = notice
        self.log = log

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGE_EVENTS:
            return
        if event.is_directory and event.event_type not in DIRECTORY_NAME_EVENTS:
            return  # a folder's own mtime changes whenever anything (our writes too) is added to it
        paths = [event.src_path] + ([event.dest_path] if event.event_type == "moved" and event.dest_path else [])
        try:
            for path in paths:
                self.notice(os.fsdecode(path), event.is_directory)
        except Exception as exc:  # noqa: BLE001 - an exception here would end the observer thread
            self.log.error(f"ошибка: событие {event.event_type} {event.src_path}: {describe(exc)}")
