"""The index: a derived TinyDB at `ROOT/.kezdocs/index.json`, one record per case folder.

Deleting it loses nothing (`reindex` rebuilds it from the folders). Two facts
about TinyDB shape this module (DOMAIN.md): two processes writing one file
corrupt it, and its default storage rewrites the file in place after every
insert. So: one writer at a time under a file lock; every write is a whole new
file put in place by `os.replace`; and a batch of changes is one write.

A municipal root holds thousands of cases, so the records are sharded:
`index.json` is the TinyDB file with the table of contents (folder, case
number, debtor: readable UTF-8), and each record lives in one of `SHARDS`
files under `.kezdocs/index/`, chosen by a hash of its folder name. A write
replaces only the shards whose records changed (tracked as they are set or
deleted, never by comparing dumps), then the table of contents if it
changed. The table of contents is the truth about which cases are indexed:
written last, it never names a record that is not yet on disk. A corrupt file
is set aside and its records are rebuilt, with a warning.

A record is a `CaseStatus`: stored as its `to_json()`, read back with
`from_json()`; a stored record that is not a status at all counts as absent
(the scan builds it again).
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from tinydb import TinyDB
from tinydb.storages import Storage

from kezdocs.core.status import CaseStatus
from kezdocs.folders.files import write_text_atomic
from kezdocs.folders.locks import held

INDEX_NAME = "index.json"
SHARD_DIR = "index"
LOCK_NAME = "index.lock"
TABLE = "cases"
LOCK_TIMEOUT = 60
SHARDS = 128
TOC_KEYS = ("folder", "case", "debtor")

# Parsed files (shards as statuses, the table of contents as JSON) by path, kept while the file is the same
# (inode, size, mtime): a long-running process (the watcher) re-reads only what another process replaced.
_FILE_CACHE: dict[str, tuple[tuple[int, int, int], object]] = {}


@lru_cache(maxsize=None)
def shard_of(folder: str) -> str:
    """The shard file's stem for a folder name (stable across runs and machines)."""
    digest = hashlib.blake2b(folder.encode("utf-8"), digest_size=4).digest()
    return f"{int.from_bytes(digest, 'big') % SHARDS:02x}"


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)


class TrackedRecords(dict):
    """Records by folder that remember which folders were set or deleted since they were read.

    A record is changed by assigning a new one (`records[name] = record`); records are immutable.
    """

    def __init__(self, records: dict[str, CaseStatus]):
        super().__init__(records)
        self.changed: set[str] = set()

    def __setitem__(self, key, value) -> None:
        self.changed.add(key)
        super().__setitem__(key, value)

    def __delitem__(self, key) -> None:
        self.changed.add(key)
        super().__delitem__(key)

    def pop(self, key, *default):
        if key in self:
            self.changed.add(key)
        return super().pop(key, *default)

    def popitem(self):
        key, value = super().popitem()
        self.changed.add(key)
        return key, value

    def clear(self) -> None:
        self.changed.update(self)
        super().clear()

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args, **kwargs) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value


class ShardedStorage(Storage):
    """TinyDB storage over the table of contents (`index.json`) and the shard files beside it.

    `read` gives TinyDB the whole table, records merged from their shards;
    TinyDB's own `write` only updates memory: the index writes through
    `save`, which knows which records changed.
    """

    def __init__(self, path: str, on_corrupt=None):
        self.path = Path(path)
        self.shard_dir = self.path.parent / SHARD_DIR
        self.on_corrupt = on_corrupt
        self._data = None
        self.toc: dict[str, dict] = {}  # the table of contents as last read

    def read(self):
        if self._data is None:
            self._data = {TABLE: {str(n): record.to_json() for n, record in enumerate(self.records().values(), 1)}}
        return self._data

    def records(self) -> dict[str, CaseStatus]:
        """Folder -> record, in table-of-contents order; the index reads through here, not through TinyDB's
        documents (10 000 of them cost more than the records themselves)."""
        toc = self.toc = self._toc()
        shards: dict[str, dict[str, CaseStatus]] = {}
        found = {}
        for name in toc:
            stem = shard_of(name)
            if stem not in shards:
                shards[stem] = self._shard(stem)
            record = shards[stem].get(name)
            if record is not None:
                found[name] = record
        return found

    def write(self, data) -> None:
        self._data = data

    def close(self) -> None:
        pass

    def save(self, records: dict[str, CaseStatus], changed: Iterable[str], old_toc: dict[str, dict]) -> None:
        """Write the shards holding a changed folder, each atomically, then the table of contents."""
        changed = set(changed)
        by_shard: dict[str, dict[str, CaseStatus]] = {stem: {} for stem in {shard_of(name) for name in changed}}
        for name, record in records.items():
            stem = shard_of(name)
            if stem in by_shard:
                by_shard[stem][name] = record
        for stem, content in sorted(by_shard.items()):
            path = self.shard_dir / f"{stem}.json"
            write_text_atomic(path, _dump({name: record.to_json() for name, record in content.items()}))
            _remember(path, content)
        toc = dict(old_toc)
        for name in changed:
            if name in records:
                toc[name] = _toc_entry(name, records[name])
            else:
                toc.pop(name, None)
        if toc != old_toc:
            ordered = sorted(toc)
            write_text_atomic(self.path, _dump({TABLE: {str(n): toc[name] for n, name in enumerate(ordered, 1)}}))
            _remember(self.path, {TABLE: {str(n): toc[name] for n, name in enumerate(ordered, 1)}})
        self._data = None

    def _toc(self) -> dict[str, dict]:
        """Folder -> its table-of-contents entry, as on disk."""
        data = self._cached(self.path, lambda content: content)
        docs = data.get(TABLE) if isinstance(data, dict) else None
        if not isinstance(docs, dict):
            return {}
        entries = [doc for doc in docs.values() if isinstance(doc, dict) and isinstance(doc.get("folder"), str)]
        return {doc["folder"]: {key: doc.get(key) for key in TOC_KEYS} for doc in entries}

    def _shard(self, stem: str) -> dict[str, CaseStatus]:
        return self._cached(self.shard_dir / f"{stem}.json", _statuses) or {}

    def _cached(self, path: Path, convert):
        """A JSON file's content, `convert`ed; parsed again only when the file was replaced."""
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        cached = _FILE_CACHE.get(str(path))
        if cached and cached[0] == key:
            return cached[1]
        data = self._load(path)
        if data is not None:
            data = convert(data)
            _FILE_CACHE[str(path)] = (key, data)
        return data

    def _load(self, path: Path):
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            return data
        except ValueError:
            aside = path.with_name(f"{path.name}.повреждён-{time.strftime('%Y%m%d-%H%M%S')}")
            os.replace(path, aside)
            if self.on_corrupt:
                self.on_corrupt(aside)
            return None


def _statuses(shard: dict) -> dict[str, CaseStatus]:
    """A shard's records; one that is not a status is left out (the scan builds it again)."""
    found = {}
    for name, data in shard.items():
        try:
            found[name] = CaseStatus.from_json(data)
        except ValueError:
            continue
    return found


def _toc_entry(name: str, record: CaseStatus) -> dict:
    return {"folder": name, "case": record.case, "debtor": record.debtor}


def _remember(path: Path, content) -> None:
    """Cache what was just written, so this process does not parse it back."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    _FILE_CACHE[str(path)] = ((st.st_ino, st.st_size, st.st_mtime_ns), content)


class Index:
    def __init__(self, root_path: Path):
        self.dir = Path(root_path) / ".kezdocs"
        self.path = self.dir / INDEX_NAME
        self.warnings: list[str] = []

    def _corrupt(self, aside: Path) -> None:
        self.warnings.append(f"индекс был повреждён и перестроен; испорченный файл сохранён как {aside.name}")

    def _open(self) -> tuple[TinyDB, ShardedStorage]:
        db = TinyDB(str(self.path), storage=ShardedStorage, on_corrupt=self._corrupt)
        return db, db.storage

    def records(self) -> dict[str, CaseStatus]:
        """All records by folder name. Readers take no lock: every file is always whole."""
        _, storage = self._open()
        return storage.records()

    @contextmanager
    def writing(self) -> Iterator[dict[str, CaseStatus]]:
        """Hold the writer's lock, yield the records by folder, write back what changed.

        The records are re-read under the lock, so a change made by another
        process in the meantime is not lost; on an exception nothing is written.
        """
        with held(self.dir / LOCK_NAME, f"индекс дел {self.path}", LOCK_TIMEOUT):
            _, storage = self._open()
            records = TrackedRecords(storage.records())
            old_toc = storage.toc
            yield records
            if records.changed or set(old_toc) != set(records):
                storage.save(records, records.changed | (set(old_toc) ^ set(records)), old_toc)

    def delete(self) -> None:
        """Forget the index (it is derived; `reindex` rebuilds it)."""
        with self.writing() as records:
            records.clear()
