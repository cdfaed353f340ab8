"""Atomic writes: a temporary file beside the target, fsync, `os.replace`.

A reader (or a process killed mid-write) sees the old file or the new one,
never half of either. Every file kezdocs writes goes through here.
"""
from __future__ import annotations

import ctypes
import errno
import functools
import hashlib
import os
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import BinaryIO

from pathvalidate import sanitize_filename

from kezdocs.core.card import CARD_NAME, GENERATED_DIR, STATUS_FILE
from kezdocs.core.errors import KezdocsError

TEMP_PREFIX = ".kezdocs-tmp-"


def _read_umask() -> int:
    """The process umask, read once at import (reading it means setting it, which is not thread-safe)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


ANY = object()  # `expected` of a write that replaces whatever the file holds


def write_bytes_atomic(path: Path, data: bytes, *, expected: bytes | None | object = ANY,
                       mode: int | None = None) -> bool:
    """Write `data` to a temporary file beside `path`, fsync it, and rename it over `path`.

    With `expected` (bytes, or None for «must not exist yet»), the file is
    replaced only if it still holds exactly that, so a change made meanwhile by
    someone else is seen, not overwritten; returns whether the file was written.
    Where the system can swap two names atomically (Linux), the new file is
    swapped in and what it displaced is compared — and swapped back if it was
    not what we read: nothing is lost. Elsewhere the comparison is made right
    before the rename (a window of microseconds). The new file keeps the old
    one's permissions, or gets `mode` (POSIX) when given.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if os.name == "posix":  # mkstemp makes 0600; others on a shared folder must read it too
                os.fchmod(handle.fileno(), _mode_of(path) if mode is None else mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        written = _put(Path(tmp), path, data, expected)
    except BaseException:
        _unlink(tmp)
        raise
    _unlink(tmp)
    if written:
        fsync_dir(path.parent)
    return written


def _put(tmp: Path, path: Path, data: bytes, expected) -> bool:
    """Move `tmp` to `path` — unconditionally, or only over `expected` (None: only where nothing is)."""
    if expected is ANY:
        os.replace(tmp, path)
        return True
    if expected is None:
        try:
            os.link(tmp, path)  # fails if a file appeared meanwhile: never clobbers one
            return True
        except FileExistsError:
            return False
        except OSError:
            pass  # no hard links here (some network shares): compare, then rename
    elif _exchange(tmp, path):
        if tmp.read_bytes() == expected:
            return True
        _exchange(tmp, path)  # an editor saved after our read: its file goes back in place
        if tmp.read_bytes() != data:  # and a newer save landed on ours meanwhile: the newest stays
            _exchange(tmp, path)
        return False
    if _current(path) != expected:
        return False
    os.replace(tmp, path)
    return True


_RENAME_EXCHANGE, _AT_FDCWD = 2, -100


@functools.lru_cache(maxsize=1)
def _renameat2():
    """glibc's renameat2 (Linux 3.15+), or None where there is none."""
    if sys.platform != "linux":
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


def _exchange(a: Path, b: Path) -> bool:
    """Swap the files named `a` and `b` in one step; False where the system or the file system cannot."""
    function = _renameat2()
    if function is None or not b.exists():
        return False
    if function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    return False  # EINVAL / ENOSYS: not supported on this file system — compare, then rename


def _unlink(path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _mode_of(path: Path) -> int:
    """The permissions a rewritten file keeps; a new one gets 0666 less the umask."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        return 0o666 & ~_UMASK


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_text_if_changed(path: Path, text: str) -> bool:
    """Write only when the content differs: watchers and editors see no needless change."""
    data = text.encode("utf-8")
    try:
        if Path(path).read_bytes() == data:
            return False
    except OSError:
        pass
    write_bytes_atomic(path, data)
    return True


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory fsync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- a file dropped into a folder from elsewhere (the web workspace's upload) ----------------------------------

UPLOAD_NAME_BYTES = 200  # a name's UTF-8 length, leaving room for « (2)» under the 255 bytes file systems allow
UPLOAD_BLOCK = 1 << 20
RESERVED_NAMES = frozenset({CARD_NAME, STATUS_FILE, GENERATED_DIR})  # kezdocs's own: an upload never takes them


def drop_file(folder: Path, name: str, source: BinaryIO, *, limit: int) -> Path:
    """Put what `source` holds into `folder` as a file named as the user's was: exactly as if dropped there.

    The name loses any folders («..\\..\\x.pdf» is «x.pdf»), what Windows cannot
    hold, and leading dots (a hidden file is one nobody would see); an empty
    one becomes «файл». An existing file is never replaced: the new one gets
    « (2)», « (3)»… It is written under a temporary name the watcher ignores
    and linked into place whole, so the watcher sees it complete and a racing
    upload of the same name gets the next number. More than `limit` bytes is
    refused, with nothing left behind. Returns the path written.
    """
    folder = Path(folder)
    stem, ext = _upload_name(name)
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=folder)
    except OSError as exc:
        raise KezdocsError(f"файл «{stem}{ext}» не загружен: {os_error_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            if os.name == "posix":
                os.fchmod(handle.fileno(), 0o666 & ~_UMASK)
            _copy_limited(source, handle, limit)
            handle.flush()
            os.fsync(handle.fileno())
        target = _link_new(Path(tmp), folder, stem, ext)
    except OSError as exc:
        raise KezdocsError(f"файл «{stem}{ext}» не загружен: {os_error_reason(exc)}") from None
    finally:
        _unlink(tmp)
    fsync_dir(folder)
    return target


def _upload_name(name: str) -> tuple[str, str]:
    """The stem and extension a dropped file's name comes to (see `drop_file`); a long stem is cut, not the
    extension."""
    last = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    last = last.encode("utf-8", "ignore").decode("utf-8")  # no lone surrogates: a name is written as UTF-8
    stem, ext = os.path.splitext(last)
    if len(ext.encode("utf-8")) > UPLOAD_NAME_BYTES // 4:
        stem, ext = last, ""
    stem = stem.encode("utf-8")[:UPLOAD_NAME_BYTES - len(ext.encode("utf-8"))].decode("utf-8", "ignore")
    safe = sanitize_filename(stem + ext, platform="windows").lstrip(". ") or "файл"
    return os.path.splitext(safe)


def _copy_limited(source: BinaryIO, target: BinaryIO, limit: int) -> None:
    copied = 0
    while block := source.read(UPLOAD_BLOCK):
        copied += len(block)
        if copied > limit:
            raise KezdocsError(f"файл больше {_megabytes(limit)} МБ")
        target.write(block)


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):.3g}".replace(".", ",")


def _link_new(tmp: Path, folder: Path, stem: str, ext: str) -> Path:
    """Give `tmp` the first free name of «stem ext», «stem (2)ext», …: a hard link fails where a name is taken,
    so two uploads never share one; where a share has no hard links, a new empty file claims the name first."""
    for n in range(1, 10_000):
        target = folder / (f"{stem}{ext}" if n == 1 else f"{stem} ({n}){ext}")
        if target.name in RESERVED_NAMES:
            continue
        try:
            os.link(tmp, target)
            return target
        except FileExistsError:
            continue
        except OSError:
            if _claimed(target):
                try:
                    os.replace(tmp, target)
                except OSError:
                    _unlink(target)  # our empty claim, not a user's file
                    raise
                return target
    raise KezdocsError(f"в папке {folder.name} слишком много файлов с именем «{stem}{ext}»")


def _claimed(target: Path) -> bool:
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        return True
    except FileExistsError:
        return False


# --- leftovers and errors --------------------------------------------------------------------------

TEMP_MAX_AGE = 5 * 60  # seconds: a temporary file this old belongs to a writer that was killed (a write takes ms)


def remove_stale_temp(folder: Path, max_age: float = TEMP_MAX_AGE) -> int:
    """Delete `.kezdocs-tmp-*.tmp` files older than `max_age` in `folder` (not below): orphans of a killed write.

    Younger ones may belong to a writer that is running now, so they stay. Only
    regular files with kezdocs's own prefix and suffix are touched, never a
    link; a folder that cannot be listed or a file that cannot be removed is
    left as it is (cleaning is a courtesy, never a reason to fail). Returns
    how many were removed.
    """
    removed = 0
    limit = time.time() - max_age
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not (entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(".tmp")):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


# Why the system refused, in Russian (strerror is in the system's language, usually English): the one table.
OS_REASONS = {errno.ENOSPC: "нет места на диске", errno.EDQUOT: "превышена квота на диске",
              errno.EROFS: "диск или папка только для чтения", errno.EACCES: "нет прав на этот файл или папку",
              errno.EPERM: "нет прав на этот файл или папку", errno.ENOENT: "файла или папки больше нет (удалены или переименованы)",
              errno.ENOTDIR: "на месте папки лежит файл", errno.EEXIST: "на месте папки лежит файл",
              errno.EISDIR: "на месте файла лежит папка", errno.ENAMETOOLONG: "слишком длинный путь или имя",
              errno.EIO: "ошибка ввода-вывода (диск или сеть)", errno.EBUSY: "файл или папка заняты другой программой",
              errno.ELOOP: "слишком много ссылок"}


def os_error_reason(exc: OSError, with_file: bool = False) -> str:
    """Why a read or write failed, in Russian («нет места на диске»); `with_file`: and the file it concerns."""
    reason = OS_REASONS.get(exc.errno, exc.strerror or str(exc))
    return f"{reason} ({exc.filename})" if with_file and exc.filename else reason
