"""The files of a case folder: what is in it (names made safe, sizes, times), within the system's path limits,
and its fingerprint — what tells a re-scan whether anything changed. Reading only."""
from __future__ import annotations

import errno
import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kezdocs.core.card import STATUS_FILE
from kezdocs.core.model import Problem
from kezdocs.core.names import is_ignored, name_problem, nfc, shown_name
from kezdocs.folders.files import os_error_reason


def folder_name(path: Path | str) -> str:
    """A case folder's name as kezdocs keys and shows it: NFC, made safe (`shown_name`)."""
    return shown_name(nfc(os.path.basename(os.fspath(path))))


@dataclass(frozen=True)
class FileEntry:
    """A file in a case folder: path relative to the case folder (NFC, '/', made safe), size, mtime.

    `relpath` is what people see and records hold; `raw` is the path as the file system has it,
    kept only when it differs (a name in NFD, with control characters, or not UTF-8). Read the file
    through `disk`.
    """

    relpath: str
    size: int
    mtime_ns: int
    raw: str = ""

    @property
    def disk(self) -> str:
        return self.raw or self.relpath


FALLBACK_PATH_MAX = 4096  # Linux; used where the system does not say (Windows, some network shares)
FALLBACK_NAME_MAX = 255
SHOWN_PATH_CHARS = 160  # a path in a problem is cut in the middle beyond this


@lru_cache(maxsize=64)
def path_limits(directory: str) -> tuple[int, int]:
    """(PATH_MAX, NAME_MAX) in bytes for files under `directory` (asked once per directory)."""
    def ask(name: str, fallback: int) -> int:
        try:
            value = os.pathconf(directory, name)
        except (AttributeError, OSError, ValueError):
            return fallback
        return value if value and value > 0 else fallback

    return ask("PC_PATH_MAX", FALLBACK_PATH_MAX), ask("PC_NAME_MAX", FALLBACK_NAME_MAX)


def _too_long(text: str, limit: int) -> bool:
    """More than `limit` - 1 bytes (PATH_MAX counts the final NUL); the byte count only when it can matter."""
    return len(text) * 4 >= limit and len(os.fsencode(text)) >= limit


def _cut(text: str) -> str:
    half = SHOWN_PATH_CHARS // 2
    return text if len(text) <= SHOWN_PATH_CHARS else f"{text[:half]}…{text[-half:]}"


def list_folder(folder: Path, limits: tuple[int, int] | None = None) -> tuple[list[FileEntry], list[Problem]]:
    """Every file of a case folder at any depth, except kezdocs' status file and ignored names,
    and the problems of names and folders met on the way.

    Symbolic links are listed neither as files nor followed as folders: nothing
    outside the root is ever read. Nothing is skipped silently: a sub-folder
    that cannot be read, a path longer than PATH_MAX or a name longer than
    NAME_MAX (`limits`, from the file system by default), a name with control
    characters, bidi marks or bytes that are not UTF-8 — each is a problem of
    the case, named safely (`shown_name`).
    """
    top = os.fspath(folder)
    path_max, name_max = limits or path_limits(os.path.dirname(top) or ".")
    shown_folder = folder_name(folder)
    result: list[FileEntry] = []
    problems: list[Problem] = []

    def report(rel: str, message: str) -> None:
        problems.append(Problem(f"{shown_folder}/{_cut(rel)}" if rel else shown_folder, None, message))

    stack = [(top, "", "")]  # (path on disk, shown relpath prefix, raw relpath prefix)
    while stack:
        current, prefix, raw_prefix = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as exc:
            if prefix or exc.errno != errno.ENOENT:  # a vanished case folder is its card's problem
                report(prefix.rstrip("/"), f"папка не читается ({os_error_reason(exc)}) — её файлы не учтены")
            continue
        for entry in entries:
            name = nfc(entry.name)
            if is_ignored(name):
                continue
            shown = shown_name(name)
            rel, raw = f"{prefix}{shown}", f"{raw_prefix}{entry.name}"
            try:
                if entry.is_symlink():
                    continue
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = not is_dir and entry.is_file(follow_symlinks=False)
            except OSError as exc:
                report(rel, f"не удаётся прочитать ({os_error_reason(exc)})")
                continue
            if is_file and rel == STATUS_FILE:
                continue
            if not (is_dir or is_file):  # a pipe, a socket, a device: reading one could block forever
                report(rel, "это не обычный файл (канал, сокет или устройство) — kezdocs его не читает")
                continue
            what = "папка" if is_dir else "файл"
            if _too_long(entry.name, name_max + 1):
                report(rel, f"{what}: имя длиннее {name_max} байт — kezdocs не может {'её' if is_dir else 'его'} "
                            "открыть; сократите имя")
                continue
            if _too_long(entry.path, path_max - (2 if is_dir else 0)):  # a folder needs room for «/name»
                report(rel, f"{what}: путь длиннее предела системы ({path_max} байт) — kezdocs не может "
                            f"{'читать её файлы' if is_dir else 'его открыть'}; сократите имена папок")
                continue
            bad_name = name_problem(name)
            if bad_name:
                report(rel, bad_name)
            if is_dir:
                stack.append((entry.path, rel + "/", raw + "/"))
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                report(rel, f"не удаётся прочитать файл ({os_error_reason(exc)})")
                continue
            result.append(FileEntry(rel, st.st_size, st.st_mtime_ns, "" if raw == rel else raw))
    return sorted(result, key=lambda f: f.relpath), problems


def list_files(folder: Path) -> list[FileEntry]:
    """The files of a case folder (`list_folder` without its problems): what a fingerprint is made of."""
    return list_folder(folder)[0]


def fingerprint(files: list[FileEntry]) -> str:
    """A digest of the names (as on disk), sizes and mtimes; a name that is not UTF-8 is hashed by its bytes."""
    text = "".join(f"{f.disk}\0{f.size}\0{f.mtime_ns}\n" for f in files)
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that is not an escaped byte (Windows names)
        data = text.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()
