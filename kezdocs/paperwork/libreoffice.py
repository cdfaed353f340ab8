"""LibreOffice: DOCX (and other office files) to PDF, headless, in one call per batch, never outside the folders
the caller named."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterable

from filelock import FileLock

from kezdocs.core.errors import KezdocsError
from kezdocs.folders.files import write_bytes_atomic

_WINDOWS_SOFFICE = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((p for p in _WINDOWS_SOFFICE if os.path.isfile(p)), None)


def convert_to_pdf(paths: Iterable[Path], outdir: Path | None = None, workdir: Path | None = None,
                   profile: Path | None = None) -> list[Path]:
    """Convert DOCX files to PDF with LibreOffice in ONE headless call; each PDF goes to `outdir` or beside its DOCX.

    Nothing leaves the folders the caller named: the copies LibreOffice reads,
    its output and its own temporary files (TMPDIR) live in a hidden folder
    made inside `workdir` (default: the output folder) and removed afterwards,
    so a clerk's document is never copied into the system's temporary folder.
    A private LibreOffice profile is used, so a LibreOffice window the user has
    open does not swallow the conversion: `profile` (a folder kezdocs keeps,
    e.g. under ROOT/.kezdocs/) is reused when no other conversion holds it,
    which saves LibreOffice's first-start set-up; otherwise a fresh one is made
    in the hidden folder. A profile holds settings only, never documents.
    """
    sources = [Path(p) for p in paths]
    if not sources:
        return []
    exe = soffice()
    if exe is None:
        raise KezdocsError("для PDF нужен LibreOffice, а он не установлен (не найдена программа soffice). "
                           "Установите LibreOffice (https://ru.libreoffice.org) или сохраните документы в PDF из Word; "
                           "документы DOCX сформированы.")
    parent = Path(workdir or outdir or sources[0].parent)
    parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_conversions(parent)
    work = Path(tempfile.mkdtemp(prefix=".kezdocs-pdf-", dir=parent))  # hidden: scans and watchers skip it
    lock = None
    try:
        inputs = []
        for i, src in enumerate(sources):
            copy = work / f"{i}{src.suffix.lower()}"  # numbered copies: two «скан.docx» do not collide
            shutil.copyfile(src, copy)
            inputs.append(str(copy))
        (work / "tmp").mkdir()
        lock = _take_profile(profile)
        user = Path(profile) if lock is not None else work / "profile"
        command = [exe, f"-env:UserInstallation={user.resolve().as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(work / "pdf"), *inputs]
        env = {**os.environ, "TMPDIR": str(work / "tmp"), "TMP": str(work / "tmp"), "TEMP": str(work / "tmp")}
        try:
            subprocess.run(command, capture_output=True, timeout=120 + 10 * len(sources), check=False, env=env)
        except subprocess.TimeoutExpired:
            raise KezdocsError("LibreOffice не ответил вовремя: PDF не созданы") from None
        written, failed = [], []
        for i, src in enumerate(sources):
            produced = work / "pdf" / f"{i}.pdf"
            if not produced.is_file():
                failed.append(src.name)
                continue
            target = (Path(outdir) if outdir else src.parent) / f"{src.stem}.pdf"
            write_bytes_atomic(target, produced.read_bytes())
            written.append(target)
    finally:
        if lock is not None:
            lock.release()
        shutil.rmtree(work, ignore_errors=True)
    if failed:
        raise KezdocsError("LibreOffice не смог преобразовать в PDF: " + ", ".join(failed))
    return written


def _remove_stale_conversions(parent: Path, age: float = 6 * 3600) -> None:
    """Folders of conversions killed midway (a conversion lasts minutes at most; newer ones may be running)."""
    try:
        stale = [p for p in parent.glob(".kezdocs-pdf-*") if time.time() - p.stat().st_mtime > age]
    except OSError:
        return
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)


def _take_profile(profile: Path | None) -> FileLock | None:
    """The held lock of the kept LibreOffice `profile`, or None when there is none or another conversion uses it:
    two LibreOffice processes on one profile hand their work to each other, so the second one gets a fresh profile."""
    from filelock import Timeout

    if profile is None:
        return None
    profile = Path(profile)
    lock = FileLock(str(profile.with_name(profile.name + ".lock")), thread_local=False)
    try:
        profile.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=0)
    except (Timeout, OSError):
        return None
    return lock
