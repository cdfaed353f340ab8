"""Worker processes for the batch jobs (a first scan of thousands of cases, `generate --all`).

Each worker opens the root once (settings, calendar, key rates, rules) and
then takes cases. Workers are spawned, not forked — the caller may be the
watcher, whose threads a fork would copy mid-step — and each one exits on its
own when its parent dies, so a killed `kezdocs` leaves no orphans behind.

`limited(func, *args, seconds=…, memory=…)` runs one call in a helper
process under a time limit and a memory limit: for work on hostile input
(a user's template) that may never end or may take all the memory. The
helper is started once per process and reused; a call that runs over its
time is stopped by killing the helper (the next call starts a fresh one).
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path

from kezdocs.folders.casefolder import Root

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


# --- one call under limits --------------------------------------------------------------------------

START_SECONDS = 120  # a helper process that does not start in this time is a broken machine, not a bad input


class LimitExceeded(Exception):
    """A `limited` call went over its limit: `what` is "time" or "memory" ("start": the helper did not start)."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


class _Helper:
    """One spawned process that runs calls for this process, its address space capped at `memory` bytes."""

    def __init__(self, memory: int, preload: str):
        context = multiprocessing.get_context("spawn")
        self.memory = memory
        self.conn, there = context.Pipe()
        self.process = context.Process(target=_serve, args=(there, os.getpid(), memory, preload), daemon=True,
                                       name="kezdocs-limited")
        try:
            self.process.start()
            there.close()
            if self.conn.poll(START_SECONDS) and self.conn.recv() == "ready":
                return
        except (EOFError, OSError, RuntimeError):
            pass
        self.stop()
        raise LimitExceeded("start")

    def call(self, func, args: tuple, seconds: float) -> tuple[str, object]:
        """("ok", result) | ("error", exception) | ("memory", None) | ("time", None) | ("died", None)."""
        try:
            self.conn.send((func, args))
            if not self.conn.poll(seconds):
                return "time", None
            return self.conn.recv()
        except (EOFError, OSError):
            return "died", None  # killed by the kernel (out of memory) or crashed mid-call

    def stop(self) -> None:
        if self.process.pid is not None:
            self.process.kill()
            self.process.join(10)
        self.conn.close()


_helper: _Helper | None = None
_helper_lock = threading.Lock()


def limited(func, *args, seconds: float, memory: int):
    """`func(*args)` in the helper process: its result, or its exception raised here.

    Raises `LimitExceeded("time")` when it runs longer than `seconds` and
    `LimitExceeded("memory")` when it needs more than `memory` bytes of
    address space (enforced on POSIX; elsewhere only the time limit holds).
    `func` must be a module-level function; arguments and result are pickled.
    One call at a time per process.
    """
    global _helper
    with _helper_lock:
        if _helper is not None and (_helper.memory != memory or not _helper.process.is_alive()):
            _helper.stop()
            _helper = None
        if _helper is None:
            _helper = _Helper(memory, func.__module__)
        status, value = _helper.call(func, args, seconds)
        if status not in ("ok", "error"):
            _helper.stop()  # stuck, dead or out of memory: never reuse it
            _helper = None
    if status == "ok":
        return value
    if status == "error":
        raise value
    raise LimitExceeded("time" if status == "time" else "memory")


def _serve(conn: Connection, parent: int, memory: int, preload: str) -> None:
    """The helper's loop: take a call, send back ("ok", result) | ("error", exception) | ("memory", None)."""
    import importlib
    import pickle

    _cap_memory(memory)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    importlib.import_module(preload)
    conn.send("ready")
    while True:
        try:
            func, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", func(*args))
        except MemoryError:
            conn.send(("memory", None))
            return  # the heap may be in any state now
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the caller
            reply = ("error", exc)
        try:
            conn.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError):
            conn.send(("error", RuntimeError(f"{type(reply[1]).__name__}: {reply[1]}")))


def _cap_memory(memory: int) -> None:
    """Limit this process's address space (POSIX); a larger allocation then fails with MemoryError."""
    try:
        import resource
    except ImportError:  # Windows: the time limit still holds
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        memory = min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory, hard))
