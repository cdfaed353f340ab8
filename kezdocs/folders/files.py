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
import sys
import tempfile
import time
from pathlib import Path

TEMP_PREFIX = ".kezdocs-tmp-"


def _read_umask() -> int:
    """The process umask, read once at import (reading it means setting it, which is not thread-safe)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


ANY = object()  # `expected` of a write that replaces whatever the file holds


def write_bytes_atomic(path: Path, data: bytes, *, expected: bytes | None | object = ANY) -> bool:
    """Write `data` to a temporary file beside `path`, fsync it, and rename it over `path`.

    With `expected` (bytes, or None for «must not exist yet»), the file is
    replaced only if it still holds exactly that, so a change made meanwhile by
    someone else is seen, not overwritten; returns whether the file was written.
    Where the system can swap two names atomically (Linux), the new file is
    swapped in and what it displaced is compared — and swapped back if it was
    not what we read: nothing is lost. Elsewhere the comparison is made right
    before the rename (a window of microseconds). The new file keeps the old
    one's permissions.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if os.name == "posix":  # mkstemp makes 0600; others on a shared folder must read it too
                os.fchmod(handle.fileno(), _mode_of(path))
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
