"""What the web workspace serves from: one root, its watch service in the same process, the cases in memory.

The watch service is the one place that scans (`Watcher`); it tells the
workspace every case's status after each scan, and the pages read them from
memory — a case page at 10 000 cases costs one card read, not a scan. A form
that wrote a card asks for that case to be scanned at once (`refresh`), so the
page the user is sent back to shows what was just recorded.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from kezdocs.core.card import CARD_NAME
from kezdocs.core.errors import KezdocsError
from kezdocs.core.names import nfc
from kezdocs.core.status import CaseStatus
from kezdocs.folders.audit import AuditLog
from kezdocs.folders.casefolder import Root
from kezdocs.service.watcher import Watcher


class CaseNotFound(KezdocsError):
    """No case by that number or folder name (the page answers 404)."""


class Ambiguous(KezdocsError):
    """A number two folders' cards give (a problem of both cases): the page lets the user pick the folder."""

    def __init__(self, number: str, folders: list[str]):
        super().__init__(f"номер дела «{number}» указан в нескольких папках: "
                         + ", ".join(f"«{f}»" for f in folders) + " — исправьте номер в одной из карточек")
        self.number, self.folders = number, folders


@dataclass(frozen=True)
class Found:
    """The case a URL names: its status and its folder."""

    record: CaseStatus
    path: Path

    @property
    def card(self) -> Path:
        return self.path / CARD_NAME


class Workspace:
    """A root served to the web: statuses by folder and by case number, kept current by the watcher."""

    def __init__(self, root: Root, today_fn: Callable[[], date] = date.today, *, poll: float | None = None,
                 delay: float | None = None, rescan: float | None = None):
        self.root = root
        self.today_fn = today_fn
        self.audit = AuditLog(root.path)
        self._lock = threading.Lock()
        self._records: dict[str, CaseStatus] = {}
        self._by_number: dict[str, list[str]] = {}
        self._sorted: list[CaseStatus] | None = None
        self.watcher = Watcher(root, today_fn, poll=poll, delay=delay, rescan=rescan, console=False,
                               on_sync=self._take)

    def start(self) -> None:
        """Take the root's service lock, scan every case, start watching."""
        self.watcher.start()

    def stop(self) -> None:
        self.watcher.stop()

    def _take(self, records: dict[str, CaseStatus], changed: list[str] | None) -> None:
        """The watcher's statuses; the number index is rebuilt whole after a scan, and only for the re-scanned
        folders after a refresh (a write into one case of 10 000 costs that case, not 10 000)."""
        with self._lock:
            if changed is None:
                by_number: dict[str, list[str]] = {}
                for name in sorted(records):
                    by_number.setdefault(nfc(records[name].case), []).append(name)
            else:
                by_number = self._by_number
                for name in changed:
                    self._unlist(by_number, name)
                    if name in records:
                        names = by_number.setdefault(nfc(records[name].case), [])
                        names[:] = sorted({*names, name})
            self._records, self._by_number = records, by_number
            self._sorted = None

    def _unlist(self, by_number: dict[str, list[str]], name: str) -> None:
        old = self._records.get(name)
        if old is None:
            return
        names = by_number.get(nfc(old.case), [])
        if name in names:
            names.remove(name)
        if not names:
            by_number.pop(nfc(old.case), None)

    def records(self) -> list[CaseStatus]:
        """Every case's status, in folder order (sorted once per change, not per page)."""
        with self._lock:
            if self._sorted is None:
                self._sorted = [self._records[name] for name in sorted(self._records)]
            return self._sorted

    def find(self, ref: str) -> Found:
        """The case a URL names, by its number or its folder's name (KezdocsError in Russian otherwise)."""
        wanted = nfc(ref.strip())
        with self._lock:
            names = self._by_number.get(wanted) or ([wanted] if wanted in self._records else [])
            found = [self._records[name] for name in names]
        if not found:
            raise CaseNotFound(f"дело «{ref}» не найдено")
        if len(found) > 1:
            raise Ambiguous(ref, [r.folder for r in found])
        return Found(found[0], self.root.path / found[0].folder)

    def ref_of(self, record: CaseStatus) -> str:
        """How a URL names the case: its number, or its folder while another folder has the same number."""
        with self._lock:
            return record.case if len(self._by_number.get(nfc(record.case), ())) == 1 else record.folder

    def refresh(self, folder: str) -> None:
        """Scan one case now, after this process wrote into it."""
        self.watcher.refresh([folder])
