"""The files kezdocs writes into a case's `Сформировано/`: their names, and the manifest that keeps a clerk's edit.

Names come from `file_name` (no control or bidi characters, at most `MAX_NAME_BYTES`, never two
alike in one run). The SHA-256 of each file written is kept in `Сформировано/.kezdocs-manifest.json`:
a file edited since kezdocs wrote it is never overwritten (the new one gets « (2)»); an unedited one
is replaced when the content changed and left alone when it did not. The hashes about to be written
are recorded as «pending» before the files, so a run killed between a file and the manifest leaves
nothing that looks like a clerk's edit.
"""
from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pathvalidate import sanitize_filename

from kezdocs.core.kinds import Kind
from kezdocs.core.names import nfc
from kezdocs.folders.casefolder import Root
from kezdocs.folders.files import remove_stale_temp
from kezdocs.folders.files import sha256 as file_sha256
from kezdocs.folders.files import write_bytes_atomic, write_text_atomic
from kezdocs.folders.locks import held

MANIFEST = ".kezdocs-manifest.json"

# A generated file's name, in UTF-8 bytes: « (12)» and « 2» still fit under the 255 bytes of every file system,
# and the whole path stays short enough for Windows' 260 characters in an ordinary folder.
MAX_NAME_BYTES = 200
NAME_HASH = 6  # hex digits of the whole text written after a cut part of a name: cut names stay distinct
DOCX = ".docx"
_DROPPED = frozenset({"Cf", "Cs", "Co", "Cn"})  # format (bidi overrides, zero-width), surrogates, private, unassigned
_SPACES = frozenset({"Cc", "Zl", "Zp", "Zs"})  # control characters and line breaks become plain spaces


def file_name(kind: Kind, case_number: str, today: date, suffix: str = "") -> str:
    """«2026-11-24 Требование (претензия) 2024-017 (по ЕГРЮЛ).docx», safe on Windows.

    No control or bidi characters (U+202E would show «xcod.exe» as «exe.docx»);
    at most `MAX_NAME_BYTES`: a long case number and a long address part are
    cut, each keeping a short hash of its whole text, so that the extension and
    the distinguishing address part always remain.
    """
    head = f"{today.isoformat()} {kind.title} "
    number, tail = name_part(case_number) or "без номера", name_part(suffix)
    room = MAX_NAME_BYTES - _size(head) - _size(DOCX) - (_size(" ()") if tail else 0)
    tail_room = min(_size(tail), max(room // 2, room - _size(number)))
    name = head + _cut(number, room - tail_room) + (f" ({_cut(tail, tail_room)})" if tail else "") + DOCX
    return sanitize_filename(name, platform="windows", replacement_text="-")


def name_part(text: str) -> str:
    """`text` fit for a file name: format and control characters gone, white space as single spaces."""
    kept = "".join(" " if unicodedata.category(ch) in _SPACES else ch for ch in nfc(text)
                   if unicodedata.category(ch) not in _DROPPED)
    return " ".join(kept.split())


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut(text: str, limit: int) -> str:
    """`text` in at most `limit` UTF-8 bytes, never splitting a character; a cut text ends with «…» and a hash."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    mark = "…" + hashlib.sha256(data).hexdigest()[:NAME_HASH]
    return data[:max(0, limit - _size(mark))].decode("utf-8", "ignore").rstrip(" .-") + mark


def distinct_names(names: list[str]) -> list[str]:
    """The names with a repeated one (ignoring case, as Windows does) numbered « 2», « 3»… before the extension."""
    seen: set[str] = set()
    result = []
    for name in names:
        stem, dot, ext = name.rpartition(".")
        candidate, n = name, 1
        while nfc(candidate).casefold() in seen:
            n += 1
            candidate = f"{stem} {n}{dot}{ext}"
        seen.add(nfc(candidate).casefold())
        result.append(candidate)
    return result


def store(root: Root, directory: Path, rendered: list[tuple[str, bytes]], parents: bool = True) -> list[Path]:
    """Write rendered files, never over a file edited since kezdocs wrote it (see the module docstring).

    The manifest is written twice: first with the hashes about to be written
    marked «pending», then, after the files, with them settled. A run killed
    in between leaves files whose hashes the manifest knows, so the next run
    recognises them as its own, never as a clerk's edit (no false « (2)»).
    `parents=False`: the folder above `directory` (the case folder) must exist —
    a vanished case folder is never made again.
    """
    directory.mkdir(parents=parents, exist_ok=True)
    root.own_dir.mkdir(parents=True, exist_ok=True)
    with held(root.own_dir / "generate.lock", "запись сформированных документов", 60):
        remove_stale_temp(directory)
        manifest = _read_manifest(directory)
        plan = [_place(directory, name, data, manifest) for name, data in rendered]
        writes = [(path, data, digest) for path, data, digest, write in plan if write]
        if writes:
            manifest.pending = {path.name: digest for path, _, digest in writes}
            _write_manifest(directory, manifest)
        for path, data, digest in writes:
            write_bytes_atomic(path, data)
            manifest.files[path.name] = digest
        manifest.pending = {}
        if writes or manifest.changed:
            _write_manifest(directory, manifest)
    return [path for path, *_ in plan]


@dataclass
class _Manifest:
    """`Сформировано/.kezdocs-manifest.json`: name -> SHA-256 of what kezdocs wrote; `pending`: being written."""

    files: dict[str, str] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)
    changed: bool = False  # settled on reading, or learnt a file: worth writing even with nothing new


def _read_manifest(directory: Path) -> _Manifest:
    """The manifest, with the «pending» entries of a run killed midway settled against the files on disk."""
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _Manifest()
    data = data if isinstance(data, dict) else {}
    manifest = _Manifest(_hashes(data.get("files")))
    for name, digest in _hashes(data.get("pending")).items():
        manifest.changed = True
        if _hash_of(directory / name) == digest:  # written before the kill: ours
            manifest.files[name] = digest
    return manifest


def _hashes(value) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def _hash_of(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


def _write_manifest(directory: Path, manifest: _Manifest) -> None:
    data = {"version": 1, "files": manifest.files}
    if manifest.pending:
        data["pending"] = manifest.pending
    write_text_atomic(directory / MANIFEST, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))


def _place(directory: Path, name: str, data: bytes, manifest: _Manifest) -> tuple[Path, bytes, str, bool]:
    """Where `data` goes and whether it must be written: (path, data, digest, write).

    A file with exactly these bytes is kept as it is (ours, or identical —
    nothing to lose); one whose hash the manifest records is ours and
    unedited, so it is replaced; any other is a clerk's, and the document
    goes to « (2)», « (3)»….
    """
    digest = hashlib.sha256(data).hexdigest()
    stem, dot, ext = name.rpartition(".")
    version = 1
    while True:
        candidate = name if version == 1 else f"{stem} ({version}){dot}{ext}"
        path = directory / candidate
        if not os.path.lexists(path):
            return path, data, digest, True
        current = None if path.is_symlink() else _hash_of(path)  # a link (or a folder) is never ours
        if current == digest:
            if manifest.files.get(candidate) != digest:
                manifest.files[candidate] = digest
                manifest.changed = True
            return path, data, digest, False
        if current is not None and manifest.files.get(candidate) == current:
            return path, data, digest, True
        version += 1
