"""The OCR worker: reads the scans a scan left waiting, one by one, oldest first, behind the scan.

A scan never runs OCR — it takes seconds a page, and `status` answers at once —
so it classifies a scan by its name and lists it in its case's `pending_ocr`.
The worker, a thread of the watch service (and so of `kezdocs serve`), takes
those files from the statuses the watcher hands it, OCRs each through
`ocr.ocr_file` (once per content, cached: the text and the ШПИ of the
barcodes, read together) and tells the watcher which case to read again: its
status, the file's kind and its ШПИ follow. The searchable PDF a court's
e-filing needs is not made here but when a package asks (`ocr.searchable_pdf`).
Every Tesseract it starts runs with OMP_THREAD_LIMIT=1 (`scanpages.child_env`).
`kezdocs ocr` does the same in the foreground (`recognise_now`).
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from kezdocs.core.errors import KezdocsError
from kezdocs.core.status import CaseStatus
from kezdocs.folders import ocr
from kezdocs.folders.casefolder import Root
from kezdocs.folders.intake import real_path
from kezdocs.service.sync import Synced, sync

STOP_WAIT = 10.0  # seconds `stop` waits for the page being read; the thread is a daemon after that


@dataclass(frozen=True)
class Waiting:
    """A scan waiting for OCR: its case folder (as named in the status), its relpath, the file on disk."""

    folder: str
    relpath: str
    path: Path
    mtime_ns: int
    size: int


def waiting_files(root: Path, records: Iterable[CaseStatus]) -> list[Waiting]:
    """The scans the statuses list as waiting, oldest first (what was dropped first is read first)."""
    found = []
    for record in records:
        folder = real_path(Path(root), record.folder)
        for relpath in record.pending_ocr:
            path = real_path(folder, relpath)
            try:
                st = path.stat()
            except OSError:  # gone since the scan: its case is scanned again anyway
                continue
            found.append(Waiting(record.folder, relpath, path, st.st_mtime_ns, st.st_size))
    return sorted(found, key=lambda w: (w.mtime_ns, w.folder, w.relpath))


def progress_line(item: Waiting, result: ocr.OcrResult, seconds: float) -> str:
    """One file's outcome in Russian, for the service's log and `kezdocs ocr`."""
    name = f"«{item.folder}/{item.relpath}»"
    if result.problem:
        return f"скан {name} не распознан: {result.problem}"
    if not result.performed:
        return f"скан {name}: текст уже есть (такой же файл уже распознан)"
    return f"скан {name} распознан за {f'{seconds:.1f}'.replace('.', ',')} с"


class OcrWorker:
    """A thread that OCRs the waiting scans; `wake(records)` hands it the latest statuses.

    `on_done(folders)` is called after each file with its case folder, from the
    worker's thread. A file whose OCR ended without a cached result (OCR
    became unavailable, the service is stopping) is not tried again in this
    run, so a refresh never loops back into the same attempt.
    """

    def __init__(self, root: Path, on_done: Callable[[list[str]], None], log: logging.Logger | None = None):
        self.root = Path(root)
        self._on_done = on_done
        self._log = log or logging.getLogger("kezdocs.ocr")
        self._records: list[CaseStatus] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._tried: set[tuple[Path, int, int]] = set()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="kezdocs-ocr", daemon=True)
        self._thread.start()

    def wake(self, records: Iterable[CaseStatus]) -> None:
        """The statuses after a scan: their waiting scans become the queue."""
        with self._lock:
            self._records = [r for r in records if r.pending_ocr]
        self._wake.set()

    def stop(self) -> None:
        """Stop after the page being read (a PDF's OCR is killed at once); nothing half-written is kept."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(STOP_WAIT)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self._work()
            except Exception as exc:  # noqa: BLE001 - the service never dies on a bad file
                self._log.error(f"ошибка: распознавание сканов: {type(exc).__name__}: {exc}")

    def _work(self) -> None:
        with self._lock:
            records = list(self._records)
        if not records or ocr.available():
            return
        queue = waiting_files(self.root, records)
        keys = {(w.path, w.size, w.mtime_ns) for w in queue}
        self._tried &= keys
        for item in queue:
            key = (item.path, item.size, item.mtime_ns)
            if self._stop.is_set() or self._wake.is_set():  # stopping, or newer statuses: start again from them
                return
            if key in self._tried:
                continue
            self._tried.add(key)
            started = time.monotonic()
            result = ocr.ocr_file(self.root, item.path, self._stop)
            if self._stop.is_set():
                return
            self._log.info(progress_line(item, result, time.monotonic() - started))
            self._on_done([item.folder])


def recognise_now(root: Root, today: date, folder: str | None = None,
                  progress: Callable[[int, int, str], None] | None = None) -> tuple[Synced, list[str]]:
    """`kezdocs ocr`: OCR the waiting scans of the root (or of one case folder) now, in the foreground.

    Returns the statuses after it — of the cases that had scans waiting (or of
    `folder`) — and the files that could not be read, in Russian. `progress(n,
    total, line)` is told each file's outcome.
    """
    reason = ocr.available()
    if reason:
        raise KezdocsError(f"{reason}; сканы и фото разобраны только по именам файлов")
    only = [folder] if folder else None
    before = sync(root, today, only=only)
    queue = waiting_files(root.path, [r for r in before.records if folder in (None, r.folder)])
    failed = []
    for number, item in enumerate(queue, 1):
        started = time.monotonic()
        result = ocr.ocr_file(root.path, item.path)
        line = progress_line(item, result, time.monotonic() - started)
        failed += [line] if result.problem else []
        if progress:
            progress(number, len(queue), line)
    touched = sorted({item.folder for item in queue} | ({folder} if folder else set()))
    after = sync(root, today, only=touched) if queue else before
    after.records = [r for r in after.records if r.folder in touched]
    return after, failed
