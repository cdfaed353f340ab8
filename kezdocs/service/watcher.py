"""The watch service: keeps the index, `СТАТУС.txt` and `Сводка.html` up to date as clerks work.

A clerk drops a scan into a case folder or edits a card; a few seconds later
the case is re-indexed and its status and the root's summary are rewritten.
How it stays correct without trusting the file system's events:

- an event only marks a case as pending; the case is taken once it is quiet —
  no events for `задержка` seconds, and every file seen in the events has kept
  its size and mtime since the last look (the polling observer, needed on
  SMB/NFS shares, reports a file while it is still being copied);
- all events of a case within that time become one re-scan of that case;
- kezdocs' own writes (`.kezdocs/`, `Сформировано/`, `СТАТУС.txt`,
  `Сводка.html`, temp files) and editors' lock files trigger nothing, and
  directory "modified" events (which our own writes cause) are ignored: the
  file events themselves say what changed;
- on start, a full scan catches what changed while the service was down, and
  every `пересканирование` minutes the fingerprints of all folders are checked
  again, so nothing an observer missed stays missed;
- nothing the clerks put in the folders stops it: every action is logged and
  its failure is logged too, and the service goes on.

One service per root: `.kezdocs/watch.lock` (with `watch.json` beside it
saying who holds it). Logs go to the console and `.kezdocs/kezdocs.log`.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Callable

from filelock import FileLock, Timeout
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from kezdocs.paperwork import dashboard

from kezdocs.core import plaintext
from kezdocs.core.card import CARD_NAME
from kezdocs.folders.casefolder import (CALENDAR_FILE, GENERATED_DIR, RATES_FILE, STATUS_FILE, Root, is_ignored, nfc,
                         open_root, shown_name)
from kezdocs.core.errors import KezdocsError
from kezdocs.folders.files import write_text_atomic
from kezdocs.folders.index import Index
from kezdocs.core.model import Problem
from kezdocs.core.money import format_rub
from kezdocs.core.plaintext import Map, Seq
from kezdocs.core.settings import SETTINGS_NAME, Settings
from kezdocs.service.stability import StabilityTracker
from kezdocs.service.sync import Synced, sync

SECTION = "наблюдение"
LOG_NAME = "kezdocs.log"
LOCK_NAME = "watch.lock"
HOLDER_NAME = "watch.json"
ROOT_FILES = frozenset({SETTINGS_NAME, CALENDAR_FILE, RATES_FILE})  # a change re-reads the whole root
# Events that say a file's content or name changed ("opened", "closed_no_write" are our own reads).
CHANGE_EVENTS = frozenset({"created", "modified", "deleted", "moved", "closed", "attrib"})
DIRECTORY_NAME_EVENTS = frozenset({"created", "deleted", "moved"})
OBSERVER_RETRY = 30.0  # seconds between attempts to restart a dead observer


# --- settings (pure) -----------------------------------------------------------------------------

@dataclass(frozen=True)
class WatchSettings:
    """Section «наблюдение» of `настройки.yaml`."""

    delay: float = 2.0  # задержка: seconds a file must stay unchanged
    rescan_minutes: float = 5.0  # пересканирование: minutes between fingerprint checks of all folders
    auto_documents: tuple[str, ...] = ()  # автодокументы: kinds generated when their moment comes


def parse_watch_settings(section, source: str = SETTINGS_NAME) -> tuple[WatchSettings, list[Problem]]:
    """Read the section (plain data from `plaintext`); a bad value keeps its default and is a problem."""
    if section is None:
        return WatchSettings(), []
    if not isinstance(section, Map):
        return WatchSettings(), [Problem(source, getattr(section, "line", None),
                                         f"«{SECTION}» — набор полей: задержка, пересканирование, автодокументы")]
    problems: list[Problem] = []
    values: dict = {}
    for key, value in section.items():
        line = section.line_of(key)
        if key in ("задержка", "пересканирование"):
            number = _positive(plaintext.strip(value))
            if number is None:
                unit = "секунд" if key == "задержка" else "минут"
                problems.append(Problem(source, line, f"«{SECTION}.{key}»: ожидается положительное число {unit}"))
            else:
                values["delay" if key == "задержка" else "rescan_minutes"] = number
        elif key == "автодокументы":
            kinds, bad = _kinds(value, line, source)
            values["auto_documents"] = kinds
            problems += bad
        else:
            problems.append(Problem(source, line, f"неизвестное поле «{SECTION}.{key}»; допустимые: задержка, "
                                                  "пересканирование, автодокументы"))
    return WatchSettings(**values), problems


def _positive(text: str | None) -> float | None:
    try:
        number = Decimal((text or "").replace(",", "."))
    except InvalidOperation:
        return None
    return float(number) if number.is_finite() and number > 0 else None


def _kinds(value, line: int, source: str) -> tuple[tuple[str, ...], list[Problem]]:
    """Document kinds by code or Russian name («претензия», «расчёт»), as `kezdocs generate` takes them."""
    from kezdocs.core.documents import resolve_kind

    items = value if isinstance(value, Seq) else [value]
    codes, problems = [], []
    for text in (t for t in (plaintext.strip(v) for v in items) if t):
        try:
            codes.append(resolve_kind(text).code)
        except KezdocsError as exc:
            problems.append(Problem(source, line, f"«{SECTION}.автодокументы»: {exc}"))
    return tuple(dict.fromkeys(codes)), problems


def watch_settings(settings: Settings) -> tuple[WatchSettings, list[Problem]]:
    return parse_watch_settings(settings.extra.get(SECTION))


# --- documents whose moment has come -------------------------------------------------------------

def due_documents(record: dict, previous: dict | None, wanted: tuple[str, ...]) -> list[str]:
    """The kinds to generate now: asked for in the settings, due at the case's stage, and the case just
    entered that stage — a document is made once per stage, not on every change in the folder."""
    if not wanted or record.get("stage") == (previous or {}).get("stage"):
        return []
    from kezdocs.paperwork.render import due_kinds

    return [kind for kind in due_kinds(record) if kind in wanted]


# --- which case an event concerns (pure) ---------------------------------------------------------

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


# --- the service lock ----------------------------------------------------------------------------

class ServiceLock:
    """One watcher per root: a file lock plus `watch.json` saying who holds it."""

    def __init__(self, own_dir: Path):
        self.dir = own_dir
        self.lock = FileLock(str(own_dir / LOCK_NAME), thread_local=False)
        self.holder = own_dir / HOLDER_NAME

    def acquire(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            self.lock.acquire(timeout=0)
        except Timeout:
            raise KezdocsError(self.refusal()) from None
        info = {"pid": os.getpid(), "host": socket.gethostname(), "started": datetime.now().isoformat(timespec="seconds")}
        write_text_atomic(self.holder, json.dumps(info, ensure_ascii=False))

    def refusal(self) -> str:
        root = self.dir.parent
        try:
            info = json.loads(self.holder.read_text(encoding="utf-8"))
            started = datetime.fromisoformat(info["started"]).strftime("%d.%m.%Y %H:%M:%S")
            who = f"процесс {info['pid']} на компьютере «{info['host']}», запущен {started}"
        except (OSError, ValueError, KeyError, TypeError):
            who = f"другой процесс (сведений о нём нет в {self.holder})"
        return (f"наблюдение за папкой {root} уже запущено: {who}. Второй экземпляр не запускается; "
                "остановите первый (Ctrl-C в его окне) или работайте с ним.")

    def release(self) -> None:
        try:
            self.holder.unlink()
        except OSError:
            pass
        self.lock.release()


# --- the service ---------------------------------------------------------------------------------

def _look(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: "Watcher"):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGE_EVENTS:
            return
        if event.is_directory and event.event_type not in DIRECTORY_NAME_EVENTS:
            return  # a folder's own mtime changes whenever anything (our writes too) is added to it
        paths = [event.src_path] + ([event.dest_path] if event.event_type == "moved" and event.dest_path else [])
        try:
            for path in paths:
                self.watcher.notice(os.fsdecode(path), event.is_directory)
        except Exception as exc:  # noqa: BLE001 - an exception here would end the observer thread
            self.watcher.log.error(f"ошибка: событие {event.event_type} {event.src_path}: {_describe(exc)}")


class Watcher:
    """The watch service over one root.

    `start()` takes the lock, starts the observer, runs the start-up scan and
    the worker thread; `stop()` undoes it, waiting for the current scan to
    finish so the index stays whole. `run_until(event)` does both around a
    wait; `with Watcher(...)` too. One start per instance. `delay` and
    `rescan` (seconds) override the settings (tests use short ones); `poll`
    (seconds) selects the polling observer.
    """

    def __init__(self, root: Root | Path | str, today_fn: Callable[[], date] = date.today, *,
                 poll: float | None = None, delay: float | None = None, rescan: float | None = None,
                 console: bool = True):
        self.root = root if isinstance(root, Root) else open_root(root)
        self.today_fn = today_fn
        self.poll = poll
        self._delay_override, self._rescan_override = delay, rescan
        self.settings, self.settings_problems = watch_settings(self.root.settings)
        self.log = _logger(self.root.path)
        self._console = console
        self._handlers: list[logging.Handler] = []
        self._service_lock = ServiceLock(self.root.own_dir)
        self._cond = threading.Condition()
        self._pending = StabilityTracker(lambda: self.delay, time.monotonic,
                                         lambda folder, relpath: _look(self.root.path / folder / relpath))
        self._root_touched: float | None = None
        self._stopping = threading.Event()
        self._records: dict[str, dict] = {}
        self._observer = None
        self._observer_retry_at = 0.0
        self._worker: threading.Thread | None = None
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
            self._open_log()
            mode = f"опрос папок каждые {self.poll:g} с" if self.poll else "уведомления системы"
            self.log.info(f"наблюдение запущено: папка {self.root.path}; режим: {mode}; задержка {self.delay:g} с; "
                          f"плановая проверка каждые {self.rescan_seconds / 60:g} мин; процесс {os.getpid()}")
            for p in [*self.settings_problems, *self.root.settings_problems]:  # a refused 1e400 is said here
                self.log.warning(f"настройки: {p}")
            self._start_observer()
            self._safely("начальная проверка всех дел", self._initial_scan)
            self._worker = threading.Thread(target=self._loop, name="kezdocs-watch", daemon=True)
            self._worker.start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Let the current scan finish, then stop the worker and the observer and release the lock."""
        self._stopping.set()
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
            self._close_log()
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
            self.log.error(f"ошибка: {what}: {_describe(exc)}")

    def _root_due(self) -> bool:
        with self._cond:
            due = self._root_touched is not None and time.monotonic() - self._root_touched >= self.delay
            if due:
                self._root_touched = None
        return due

    def _start_observer(self) -> None:
        observer = PollingObserver(timeout=self.poll) if self.poll else Observer()
        observer.schedule(_Handler(self), str(self.root.path), recursive=True)
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
        problems = sum(bool(r.get("problems")) for r in synced.records)
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
        def changed(records: dict[str, dict]) -> list[str]:
            found = [n for n in set(records) | set(self._records) if records.get(n) != self._records.get(n)]
            if found:
                self.log.info(f"плановая проверка: изменились дела — {len(found)}")
            return found

        self._sync(dict(self._records), pick=changed)

    def _sync(self, previous: dict[str, dict], *, only=None, pick=None, full: bool = False, quiet: bool = False,
              files: dict[str, list[str]] | None = None) -> Synced:
        """`sync` the root; log each case whose status changed, each document made, each failure."""
        wanted = self.settings.auto_documents
        due = (lambda record: due_documents(record, previous.get(record["folder"]), wanted)) if wanted else None
        synced = sync(self.root, self.today_fn(), only=only, pick=pick, due=due, full=full)
        for warning in synced.warnings:
            self.log.warning(f"индекс: {warning}")
        records = {r["folder"]: r for r in synced.records}
        for name in synced.cases:
            record, before = records.get(name), self._records.get(name)
            if record is None and before is not None:
                self.log.info(f"дело «{before['case']}»: папка «{name}» удалена или в ней нет {CARD_NAME} — "
                              "дело убрано из сводки")
            elif record is not None and record != before and not quiet:
                self.log.info(_case_line(record, (files or {}).get(name, [])))
        for name, path in synced.documents:
            self.log.info(f"дело «{records[name]['case']}»: сформирован документ {GENERATED_DIR}/{path.name}")
        for failure in synced.failed:
            self.log.error(failure)
        self._records = records
        return synced

    # logging

    def _open_log(self) -> None:
        formatter = _OneLineFormatter("%(asctime)s %(message)s", datefmt="%d.%m.%Y %H:%M:%S")
        file_handler = RotatingFileHandler(self.root.own_dir / LOG_NAME, maxBytes=2_000_000, backupCount=5,
                                           encoding="utf-8")
        self._handlers = [file_handler] + ([logging.StreamHandler(sys.stderr)] if self._console else [])
        for handler in self._handlers:
            handler.setFormatter(formatter)
            self.log.addHandler(handler)

    def _close_log(self) -> None:
        for handler in self._handlers:
            self.log.removeHandler(handler)
            handler.close()
        self._handlers = []


class _OneLineFormatter(logging.Formatter):
    """Every log record is one line that encodes: a file name with a newline, a bidi mark or bytes that
    are not UTF-8 (in an event's path, an OSError's file name) is written escaped (`shown_name`)."""

    def format(self, record: logging.LogRecord) -> str:
        return shown_name(super().format(record))


def _logger(root: Path) -> logging.Logger:
    """A logger of this service only (not the global tree: two roots in one process do not mix)."""
    logger = logging.Logger(f"kezdocs.watch:{root}", logging.INFO)
    logger.propagate = False
    return logger


def _case_line(record: dict, files: list[str]) -> str:
    """One log line for a re-indexed case: what changed and where the case stands now."""
    changed = f" (файлы: {', '.join(files[:5])}{' …' if len(files) > 5 else ''})" if files else ""
    parts = [f"стадия «{record.get('stage_label')}»"]
    if record.get("deadline"):
        parts.append(f"срок {date.fromisoformat(record['deadline']):%d.%m.%Y}"
                     + (" (пропущен)" if record.get("deadline_missed") else ""))
    if record.get("debt") is not None:
        parts.append(f"долг {format_rub(Decimal(record['debt']))} руб.")
    if record.get("missing"):
        parts.append(f"не хватает: {len(record['missing'])}")
    if record.get("problems"):
        parts.append(f"замечаний: {len(record['problems'])}")
    return f"дело «{record['case']}»: пересчитано{changed} — " + "; ".join(parts)


def _describe(exc: Exception) -> str:
    """An exception as one line of the log (a multi-line Russian message is joined with «; »)."""
    if isinstance(exc, KezdocsError):
        head, *rest = [line.strip().lstrip("•").strip() for line in str(exc).splitlines() if line.strip()] or [""]
        return f"{head.rstrip(':')}: {'; '.join(rest)}" if rest else head
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror or exc}{where}"
    return f"{type(exc).__name__}: {exc}"


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
