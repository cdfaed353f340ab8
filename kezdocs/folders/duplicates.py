"""Duplicates: the same content twice in a case, or in two cases, found by a hash of each file's content.

A clerk copies a scan into two folders, or drops the same receipt twice under two names: each copy then proves
something it should not (a second letter, another debtor's contract). Every clerk's file of a case gets the
SHA-256 of its content (`digests`, a stage of the scan), kept in `ROOT/.kezdocs/hashes/<case>.json` under its path,
size and mtime, so a re-scan reads only new and changed files. Bounded: a file over `FULL_HASH_LIMIT` is hashed by
its size and its first and last `EDGE` bytes — two such files alike there are taken for one. Files kezdocs wrote
(`Сформировано/`) and empty files are left out.

The problems name the other file, and across cases the other case; they are computed over all records after every
scan (`with_file_duplicates`) and never stored: they change when the other folder changes.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace
from pathlib import Path

from kezdocs.core.status import CaseStatus, StatusProblem
from kezdocs.folders.casefiles import FileEntry, folder_name
from kezdocs.folders.files import write_text_atomic

FULL_HASH_LIMIT = 64 * 2**20  # bytes: a larger file is hashed by its size and edges
EDGE = 2**20  # bytes read at each end of a larger file
CACHE_DIR = "hashes"  # under ROOT/.kezdocs/
SHOWN = 3  # other copies named in one problem; the rest are counted


def digests(own_dir: Path, folder: Path, entries: list[FileEntry]) -> dict[str, str]:
    """relpath -> content hash of each entry, from the case's cache when its path, size and mtime are unchanged.

    A file that cannot be read gets no hash (intake names its problem). The cache keeps only the files listed,
    and is written only when it changed.
    """
    cache_file = own_dir / CACHE_DIR / (hashlib.blake2b(folder_name(folder).encode("utf-8", "surrogateescape"),
                                                        digest_size=12).hexdigest() + ".json")
    cached = _read(cache_file)
    kept: dict[str, str] = {}
    result: dict[str, str] = {}
    for entry in entries:
        if entry.size == 0:
            continue
        key = f"{entry.relpath}\0{entry.size}\0{entry.mtime_ns}"
        digest = cached.get(key)
        if digest is None:
            try:
                digest = content_digest(folder / entry.disk)
            except OSError:
                continue
        result[entry.relpath] = kept[key] = digest
    if kept != cached:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(cache_file, json.dumps(kept, ensure_ascii=False, sort_keys=True))
    return result


def content_digest(path: Path) -> str:
    """SHA-256 of the whole file, or of its size and first and last `EDGE` bytes when over `FULL_HASH_LIMIT`."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size <= FULL_HASH_LIMIT:
            for chunk in iter(lambda: file.read(EDGE), b""):
                digest.update(chunk)
            return digest.hexdigest()
        digest.update(f"edges {size}\0".encode())
        digest.update(file.read(EDGE))
        file.seek(size - EDGE)
        digest.update(file.read(EDGE))
    return digest.hexdigest()


def _read(cache_file: Path) -> dict[str, str]:
    """The cache; a missing or damaged one is empty (the files are hashed again)."""
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


def with_file_duplicates(records: list[CaseStatus]) -> list[CaseStatus]:
    """The records, each file whose content another file repeats carrying a problem that names the other copies
    (in the same case, or the case they are in)."""
    first: dict[str, tuple[CaseStatus, str]] = {}  # a digest's first file; a list only for a digest seen twice
    copies: dict[str, list[tuple[CaseStatus, str]]] = {}  # (this runs after every write into a case of 10 000)
    for record in records:
        for d in record.documents:
            if not d.digest:
                continue
            seen = first.setdefault(d.digest, (record, d.path))
            if seen[0] is not record or seen[1] != d.path:
                copies.setdefault(d.digest, [seen]).append((record, d.path))
    found: dict[str, list[StatusProblem]] = {}
    for group in copies.values():
        across = len({r.folder for r, _ in group}) > 1
        for record, path in group:
            # the first few others are named, the rest counted: a content in 10 000 cases costs 10 000, not 10 000²
            others = [(r, p) for r, p in group[:SHOWN + 1] if (r.folder, p) != (record.folder, path)][:SHOWN]
            found.setdefault(record.folder, []).append(
                StatusProblem(f"{record.folder}/{path}", None, _message(record, others, len(group) - 1, across)))
    return [replace(r, problems=(*r.problems, *found[r.folder])) if r.folder in found else r for r in records]


def _message(record: CaseStatus, others: list[tuple[CaseStatus, str]], count: int, across: bool) -> str:
    """«то же содержимое, что у файла «…» дела …» and what to do: across cases the case is in doubt."""
    named = [f"файла «{p}» этого дела" if r.folder == record.folder
             else f"файла «{p}» дела {r.case} (папка «{r.folder}»)" for r, p in others]
    more = f" и ещё {count - len(named)}" if count > len(named) else ""
    advice = "один документ в двух делах: проверьте, к какому делу он относится" if across else "одна из копий лишняя"
    return f"то же содержимое, что у {', '.join(named)}{more} — {advice}"
