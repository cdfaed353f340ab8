"""The watch service: keeps the index, `СТАТУС.txt` and `Сводка.html` up to date as clerks work.

A clerk drops a scan into a case folder or edits a card; a few seconds later
the case is re-indexed and its status and the root's summary are rewritten.
How it stays correct without trusting the file system's events:

- an event only marks a case as pending; the case is taken once it is quiet —
  no events for `задержка` seconds, and every file seen in the events has kept
  its size and mtime since the last look (the polling observer, needed on
  SMB/NFS shares, reports a file while it is still being copied);
- all events of a case within that time become one re-scan of that case;
- kezdocs' own writes and editors' lock files trigger nothing, nor do
  directory "modified" events (`watch_events`);
- on start, a full scan catches what changed while the service was down, and
  every `пересканирование` minutes the fingerprints of all folders are checked
  again, so nothing an observer missed stays missed;
- nothing the clerks put in the folders stops it: every action is logged and
  its failure is logged too, and the service goes on;
- scans the scan could not read (image-only PDFs, photos) are OCR'd by a
  worker thread behind it (`ocr_worker`), one by one; each one read makes its
  case pending again, so the case updates itself when its text is ready.

One service per root (`service_lock`); its section of the settings is read by
`watch_settings`; logs go to the console and `.kezdocs/kezdocs.log` (`watch_log`).
"""
from __future__ import annotations

import logging
import os
import signal
import threading
import time
import warnings
from datetime import date
from pathlib import Path
from typing import Callable

from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from kezdocs.core.card import CARD_NAME, GENERATED_DIR
from kezdocs.core.status import CaseStatus
from kezdocs.folders.casefolder import Root, open_root
from kezdocs.folders.index import Index
from kezdocs.paperwork import dashboard
from kezdocs.paperwork.render import due_kinds
from kezdocs.service.ocr_worker import OcrWorker
from kezdocs.service.service_lock import ServiceLock
from kezdocs.service.stability import StabilityTracker
from kezdocs.service.sync import Synced, sync
from kezdocs.service.watch_events import EventHandler, target_of
from kezdocs.service.watch_log import case_line, close_log, describe, logger, open_log
from kezdocs.service.watch_settings import watch_settings

OBSERVER_RETRY = 30.0  # seconds between attempts to restart a dead observer

# watchdog's inotify observer warns when a folder created, removed and created again under the same name (the
# package's build folders, LibreOffice's profile) gets its watch back; the watch is replaced, nothing is missed.
warnings.filterwarnings("ignore", message="Callback with id", category=RuntimeWarning, module="watchdog")
# Its English log lines («Inotify queue overflowed…», when thousands of files change at once) are for its
# developers: what an overflow loses, the periodic check (`пересканирование`) finds by the folders' fingerprints.
logging.getLogger("watchdog").setLevel(logging.ERROR)


# --- documents whose moment has come -------------------------------------------------------------

def due_documents(record: CaseStatus, previous: CaseStatus | None, wanted: tuple[str, ...]) -> list[str]:
    """The kinds to generate now: asked for in the settings, due at the case's stage, and the case just
    entered that stage — a document is made once per stage, not on every change in the folder."""
    if not wanted or (previous is not None and record.stage == previous.stage):
        return []
    return [kind for kind in due_kinds(record) if kind in wanted]


# --- the service ---------------------------------------------------------------------------------

def _look(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class Watcher:
    """The watch service over one root.

    `start()` takes the lock, starts the observer, runs the start-up scan and
    the worker thread; `stop()` undoes it, waiting for the current scan to
    finish so the index stays whole. `run_until(event)` does both around a
    wait; `with Watcher(...)` too. One start per instance. `delay` and
    `rescan` (seconds) override the settings (tests use short ones); `poll`
    (seconds) selects the polling observer. `on_sync(records, changed)` is told
    every case's status after each scan, and which folders a refresh re-scanned
    (None: any may have changed) — the web workspace keeps them in memory;
    `refresh(folders)` re-scans cases now, for a writer in the same process.
    """

    def __init__(self, root: Root | Path | str, today_fn: Callable[[], date] = date.today, *,
                 poll: float | None = None, delay: float | None = None, rescan: float | None = None,
                 console: bool = True,
                 on_sync: Callable[[dict[str, CaseStatus], list[str] | None], None] | None = None):
        self.root = root if isinstance(root, Root) else open_root(root)
        self.today_fn = today_fn
        self.poll = poll
        self._delay_override, self._rescan_override = delay, rescan
        self.settings, self.settings_problems = watch_settings(self.root.settings)
        self.log = logger(self.root.path)
        self._console = console
        self._handlers: list[logging.Handler] = []
        self._service_lock = ServiceLock(self.root.own_dir)
        self._cond = threading.Condition()
        self._pending = StabilityTracker(lambda: self.delay, time.monotonic,
                                         lambda folder, relpath: _look(self.root.path / folder / relpath))
        self._root_touched: float | None = None
        self._stopping = threading.Event()
        self._records: dict[str, CaseStatus] = {}
        self._on_sync = on_sync
        self._sync_lock = threading.RLock()  # one scan at a time: the worker's, or a refresh asked by the web
        self._observer = None
        self._observer_retry_at = 0.0
        self._worker: threading.Thread | None = None
        self._ocr = OcrWorker(self.root.path, self._ocr_done, self.log)
        self._locked = False

    @property
    def delay(self) -> float:
        return self._delay_override if self._delay_override is not None else self.settings.delay

    @property
    def rescan_seconds(self) -> float:
        return self._rescan_override if self._rescan_override is not None else self.settings.rescan_minutes * 60

    # lifecycle

    def start(self) -> None:
        self._service_lock.acquire()
        self._locked = True
        try:
            self._handlers = open_log(self.log, self.root.own_dir, self._console)
            mode = f"опрос папок каждые {self.poll:g} с" if self.poll else "уведомления системы"
            self.log.info(f"наблюдение запущено: папка {self.root.path}; режим: {mode}; задержка {self.delay:g} с; "
                          f"плановая проверка каждые {self.rescan_seconds / 60:g} мин; процесс {os.getpid()}")
            for p in [*self.settings_problems, *self.root.settings_problems]:  # a refused 1e400 is said here
                self.log.warning(f"настройки: {p}")
            self._start_observer()
            self._safely("начальная проверка всех дел", self._initial_scan)
            self._worker = threading.Thread(target=self._loop, name="kezdocs-watch", daemon=True)
            self._worker.start()
            self._ocr.start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Let the current scan finish, then stop the worker and the observer and release the lock."""
        self._stopping.set()
        self._ocr.stop()
        with self._cond:
            self._cond.notify_all()
        if self._worker is not None and self._worker is not threading.current_thread():
            self._worker.join()
        if self._observer is not None:
            self._observer.stop()
            if self._observer.is_alive():
                self._observer.join()
        if self._locked:
            self.log.info("наблюдение остановлено")
            close_log(self.log, self._handlers)
            self._handlers = []
            self._service_lock.release()
            self._locked = False

    def run_until(self, stop_event: threading.Event) -> None:
        """Serve until `stop_event` is set (or Ctrl-C), then stop cleanly."""
        self.start()
        try:
            while not stop_event.wait(0.5):
                pass
        except KeyboardInterrupt:
            self.log.info("получен сигнал остановки (Ctrl-C)")
        finally:
            self.stop()

    def __enter__(self) -> "Watcher":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # events (observer thread)

    def notice(self, path: str, is_directory: bool) -> None:
        """Record an event: the case it belongs to becomes pending; the file gets a first look."""
        target = target_of(self.root.path, path)
        if target is None:
            return
        with self._cond:
            if target.kind == "root":
                self._root_touched = time.monotonic()
            elif target.relpath is not None and not is_directory:
                self._pending.touch(target.folder, target.relpath, _look(Path(path)))
            else:
                self._pending.touch(target.folder)
            self._cond.notify_all()

    def _ocr_done(self, folders: list[str]) -> None:
        """A scan's text is ready: its case is read again, as if a file in it had changed."""
        with self._cond:
            for folder in folders:
                self._pending.touch(folder)
            self._cond.notify_all()

    def _take_stable(self) -> dict[str, list[str]]:
        """The pending cases that are quiet and whose files stopped changing (folder -> its changed files)."""
        with self._cond:
            return self._pending.take()

    # the worker

    def _loop(self) -> None:
        next_rescan = time.monotonic() + self.rescan_seconds
        tick = max(0.05, min(0.5, self.delay / 3))
        while not self._stopping.is_set():
            with self._cond:
                self._cond.wait(tick)
            if self._stopping.is_set():
                break
            self._safely("перезапуск наблюдения", self._check_observer)
            if self._root_due():
                self._safely("перечитывание настроек", self._reload_root)
                next_rescan = time.monotonic() + self.rescan_seconds
            batch = self._take_stable()
            if batch:
                self._safely("обработка изменений", lambda: self._update(batch))
            if time.monotonic() >= next_rescan:
                self._safely("плановая проверка", self._rescan)
                next_rescan = time.monotonic() + self.rescan_seconds

    def _safely(self, what: str, action: Callable[[], None]) -> None:
        """Run one action; a failure is logged in one line and the service goes on."""
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - the service never dies on a bad file
            self.log.error(f"ошибка: {what}: {describe(exc)}")

    def _root_due(self) -> bool:
        with self._cond:
            due = self._root_touched is not None and time.monotonic() - self._root_touched >= self.delay
            if due:
                self._root_touched = None
        return due

    def _start_observer(self) -> None:
        observer = PollingObserver(timeout=self.poll) if self.poll else Observer()
        observer.schedule(EventHandler(self.notice, self.log), str(self.root.path), recursive=True)
        observer.start()
        self._observer = observer

    def _check_observer(self) -> None:
        """An observer thread that died (the root unmounted, inotify limits) is started again, at most
        once every `OBSERVER_RETRY` seconds; meanwhile the periodic check keeps the folders covered."""
        if self._observer is None or self._observer.is_alive() or self._stopping.is_set():
            return
        if time.monotonic() < self._observer_retry_at:
            return
        self._observer_retry_at = time.monotonic() + OBSERVER_RETRY
        self.log.warning("наблюдение за изменениями прервалось — запускаю заново")
        self._start_observer()

    def _initial_scan(self) -> None:
        synced = self._sync(Index(self.root.path).records(), full=True, quiet=True)
        problems = sum(bool(r.problems) for r in synced.records)
        self.log.info(f"начальная проверка: дел — {len(synced.records)}, с замечаниями — {problems}; "
                      f"сводка: {dashboard.SUMMARY_FILE}")

    def _reload_root(self) -> None:
        """Settings, calendar or key rates changed: every case is computed again. Documents newly asked
        for in «автодокументы» are made for the cases already at their stage."""
        asked = self.settings.auto_documents
        self.root = Root(self.root.path)
        self.settings, self.settings_problems = watch_settings(self.root.settings)
        previous = dict(self._records) if self.settings.auto_documents == asked else {}
        self.log.info("настройки папки с делами изменились — пересчитываю все дела")
        for p in [*self.settings_problems, *self.root.root_problems]:
            self.log.warning(f"настройки: {p}")
        self._sync(previous, full=True, quiet=True)

    def _update(self, batch: dict[str, list[str]]) -> None:
        """Re-scan the cases that changed (one scan for all of them) and write what depends on them."""
        known = dashboard.case_paths(self.root)
        names = {name: files for name, files in batch.items() if name in known or name in self._records}
        if names:
            self._sync(dict(self._records), only=names, files=names)

    def _rescan(self) -> None:
        """The periodic check: every folder's fingerprint; changed cases are handled like events."""
        def changed(records: dict[str, CaseStatus]) -> list[str]:
            found = [n for n in set(records) | set(self._records) if records.get(n) != self._records.get(n)]
            if found:
                self.log.info(f"плановая проверка: изменились дела — {len(found)}")
            return found

        self._sync(dict(self._records), pick=changed)

    def refresh(self, folders: list[str]) -> None:
        """Re-scan these cases now, as an event would (their СТАТУС.txt, the documents their new stage calls for,
        the log line) — a write in this process need not wait for the file system's event; Сводка.html follows
        with that event, which still comes."""
        self._sync(dict(self._records), only=folders, files={name: [] for name in folders}, summary=False,
                   changed=folders)

    def _tell(self, changed: list[str] | None = None) -> None:
        self._ocr.wake(self._records.values())
        if self._on_sync is not None:
            self._on_sync(dict(self._records), changed)

    def _sync(self, previous: dict[str, CaseStatus], *, only=None, pick=None, full: bool = False, quiet: bool = False,
              files: dict[str, list[str]] | None = None, summary: bool = True,
              changed: list[str] | None = None) -> Synced:
        """`sync` the root; log each case whose status changed, each document made, each failure. `changed`: the
        only folders a refresh re-scanned (the web workspace updates just those)."""
        with self._sync_lock:
            synced = self._sync_logged(previous, only=only, pick=pick, full=full, quiet=quiet, files=files,
                                       summary=summary)
            self._tell(changed)
            return synced

    def _sync_logged(self, previous: dict[str, CaseStatus], *, only, pick, full: bool, quiet: bool,
                     files: dict[str, list[str]] | None, summary: bool = True) -> Synced:
        wanted = self.settings.auto_documents
        due = (lambda record: due_documents(record, previous.get(record.folder), wanted)) if wanted else None
        synced = sync(self.root, self.today_fn(), only=only, pick=pick, due=due, full=full, summary=summary)
        for warning in synced.warnings:
            self.log.warning(f"индекс: {warning}")
        records = {r.folder: r for r in synced.records}
        for name in synced.cases:
            record, before = records.get(name), self._records.get(name)
            if record is None and before is not None:
                self.log.info(f"дело «{before.case}»: папка «{name}» удалена или в ней нет {CARD_NAME} — "
                              "дело убрано из сводки")
            elif record is not None and record != before and not quiet:
                self.log.info(case_line(record, (files or {}).get(name, [])))
        for name, path in synced.documents:
            self.log.info(f"дело «{records[name].case}»: сформирован документ {GENERATED_DIR}/{path.name}")
        for failure in synced.failed:
            self.log.error(failure)
        self._records = records
        return synced


def serve(root: Root, today: date | None = None, poll: float | None = None) -> None:
    """`kezdocs watch`: run in the foreground until Ctrl-C or SIGTERM."""
    stop = threading.Event()
    for name in ("SIGTERM", "SIGBREAK", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), lambda *_: stop.set())
    watcher = Watcher(root, (lambda: today) if today else date.today, poll=poll)
    try:
        watcher.run_until(stop)
    except KeyboardInterrupt:  # Ctrl-C during the start-up scan: `start` has already cleaned up
        pass
