"""Which case folders are ready to be read: the watcher's stability tracker.

A file a clerk is still copying (a scan coming over the network, a phone
photo being synced) must not be read half-way: the polling observer reports
it while it is being written. A case is taken only when no event touched it
for `delay` seconds and every file it saw has kept its size and mtime since
the last look. Small and clock-free: the clock and the look at a file are
passed in, so tests drive it with a fake clock. Not thread-safe by itself —
the watcher calls it under its own lock.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

Look = tuple[int, int] | None  # (size, mtime_ns) of a file, None when it is gone


@dataclass
class _Pending:
    touched: float  # when an event last touched the case
    looks: dict[str, Look] = field(default_factory=dict)  # relpath -> the last look at that file


class StabilityTracker:
    """Cases touched by events, given back by `take()` once quiet and settled."""

    def __init__(self, delay: Callable[[], float], clock: Callable[[], float], look: Callable[[str, str], Look]):
        self._delay, self._clock, self._look = delay, clock, look
        self._pending: dict[str, _Pending] = {}

    def touch(self, folder: str, relpath: str | None = None, seen: Look = None) -> None:
        """An event in `folder` about the file `relpath` (when it is a file), `seen` at the event: wait for it."""
        now = self._clock()
        pending = self._pending.setdefault(folder, _Pending(now))
        pending.touched = now
        if relpath is not None:
            pending.looks[relpath] = seen

    def take(self) -> dict[str, list[str]]:
        """The cases quiet for `delay` whose files stopped changing (folder -> its touched files), forgotten here.

        A case whose files still change is looked at again after another `delay`.
        """
        now = self._clock()
        taken = {}
        for folder, pending in list(self._pending.items()):
            if now - pending.touched < self._delay():
                continue
            if self._settled(folder, pending):
                taken[folder] = sorted(pending.looks)
                del self._pending[folder]
            else:
                pending.touched = now
        return taken

    def __len__(self) -> int:
        return len(self._pending)

    def _settled(self, folder: str, pending: _Pending) -> bool:
        settled = True
        for relpath, before in list(pending.looks.items()):
            now = self._look(folder, relpath)
            if now is None:
                continue  # gone: a deleted file (or a temp file) — the case is re-read without it
            if now != before:
                pending.looks[relpath] = now
                settled = False
        return settled
