"""The index: a derived TinyDB at `ROOT/.kezdocs/index.json`, one record per case folder.

Deleting it loses nothing (`reindex` rebuilds it from the folders). Two facts
about TinyDB shape this module (DOMAIN.md): two processes writing one file
corrupt it, and its default storage rewrites the file in place after every
insert. So: one writer at a time under a file lock; every write is a whole new
file put in place by `os.replace`; and a batch of changes is one write. A
corrupt file is set aside and rebuilt, with a warning.
"""
from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.storages import Storage

from .errors import KezdocsError
from .files import write_text_atomic

INDEX_NAME = "index.json"
LOCK_NAME = "index.lock"
TABLE = "cases"
LOCK_TIMEOUT = 60


class AtomicJSONStorage(Storage):
    """TinyDB storage that writes readable UTF-8 JSON atomically and only when told to flush.

    TinyDB calls `write` after each operation; here that only updates memory.
    `flush` writes once, so a scan of 10 000 cases costs one file write.
    """

    def __init__(self, path: str, on_corrupt=None):
        self.path = Path(path)
        self.on_corrupt = on_corrupt
        self._data = None
        self._dirty = False

    def read(self):
        if self._data is None:
            self._data = self._load()
        return self._data

    def write(self, data) -> None:
        self._data = data
        self._dirty = True

    def flush(self) -> None:
        if self._dirty:
            write_text_atomic(self.path, json.dumps(self._data, ensure_ascii=False, indent=1, sort_keys=True))
            self._dirty = False

    def close(self) -> None:
        pass

    def _load(self):
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            return data
        except ValueError:
            aside = self.path.with_name(f"{self.path.name}.повреждён-{time.strftime('%Y%m%d-%H%M%S')}")
            os.replace(self.path, aside)
            if self.on_corrupt:
                self.on_corrupt(aside)
            return None


class Index:
    def __init__(self, root_path: Path):
        self.dir = Path(root_path) / ".kezdocs"
        self.path = self.dir / INDEX_NAME
        self.warnings: list[str] = []

    def _corrupt(self, aside: Path) -> None:
        self.warnings.append(f"индекс был повреждён и перестроен; испорченный файл сохранён как {aside.name}")

    def _open(self) -> tuple[TinyDB, AtomicJSONStorage]:
        db = TinyDB(str(self.path), storage=AtomicJSONStorage, on_corrupt=self._corrupt)
        return db, db.storage

    def records(self) -> dict[str, dict]:
        """All records by folder name. Readers take no lock: the file is always whole."""
        db, _ = self._open()
        return {doc["folder"]: dict(doc) for doc in db.table(TABLE).all()}

    @contextmanager
    def writing(self) -> Iterator[dict[str, dict]]:
        """Hold the writer's lock, yield the records by folder, write them back in one atomic step.

        The records are re-read under the lock, so a change made by another
        process in the meantime is not lost; on an exception nothing is written.
        """
        self.dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.dir / LOCK_NAME))
        try:
            lock.acquire(timeout=LOCK_TIMEOUT)
        except Timeout:
            raise KezdocsError(f"индекс занят другим процессом kezdocs дольше {LOCK_TIMEOUT} с: {self.path}") from None
        try:
            records = self.records()
            before = json.dumps(records, ensure_ascii=False, sort_keys=True)
            yield records
            if json.dumps(records, ensure_ascii=False, sort_keys=True) != before:
                self._save(records)
        finally:
            lock.release()

    def _save(self, records: dict[str, dict]) -> None:
        db, storage = self._open()
        table = db.table(TABLE)
        table.truncate()
        table.insert_multiple(records[name] for name in sorted(records))
        storage.flush()

    def delete(self) -> None:
        """Forget the index (it is derived; `reindex` rebuilds it)."""
        with self.writing() as records:
            records.clear()
