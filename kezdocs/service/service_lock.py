"""One watcher per root: `.kezdocs/watch.lock`, with `watch.json` beside it saying who holds it."""
from __future__ import annotations

import json
import os
import socket
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from kezdocs.core.errors import KezdocsError
from kezdocs.folders.files import write_text_atomic

LOCK_NAME = "watch.lock"
HOLDER_NAME = "watch.json"


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
