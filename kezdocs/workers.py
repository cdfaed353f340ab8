"""Worker processes for the batch jobs (a first scan of thousands of cases, `generate --all`).

Each worker opens the root once (settings, calendar, key rates, rules) and
then takes cases. Workers are spawned, not forked — the caller may be the
watcher, whose threads a fork would copy mid-step — and each one exits on its
own when its parent dies, so a killed `kezdocs` leaves no orphans behind.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .casefolder import Root

WORKERS_ENV = "KEZDOCS_WORKERS"  # how many processes a batch uses (default: one per core; 1 = none)

_root: Root | None = None


def count() -> int:
    """Worker processes to use: $KEZDOCS_WORKERS, else one per core."""
    try:
        return max(1, int(os.environ.get(WORKERS_ENV, "")))
    except ValueError:
        return os.cpu_count() or 1


def pool(root: Root, workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start, initargs=(str(root.path), os.getpid()))


def root() -> Root:
    """The root this worker was started for."""
    assert _root is not None, "workers.root() outside a worker"
    return _root


def _start(path: str, parent: int) -> None:
    global _root
    _root = Root(Path(path))
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """When the parent is gone (killed), this worker is reparented: stop at once."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)
