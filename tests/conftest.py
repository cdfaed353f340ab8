"""Fixtures shared by the test files: the demo root, built once per session and copied per test."""
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from kezdocs import demo
from kezdocs.service.watch_log import LOG_NAME

DEMO_DAY = date(2026, 11, 24)

pytest_plugins = ["webdriver"]  # the browser tests' fixtures: browser, page, site


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "дела"
    demo.build(path, DEMO_DAY)
    return path


@pytest.fixture()
def demo_copy(built_demo, tmp_path) -> Path:
    """A fresh copy of the demo root as of 24.11.2026 (building it once is what takes time)."""
    return Path(shutil.copytree(built_demo, tmp_path / "дела"))


def fill(disk: Path, leave: int = 0) -> Path:
    """Take every free byte of the disk but `leave` (rounded to the page)."""
    filler = disk / "заполнитель"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 16, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def tmpfs(mount: Path, size: str):
    """Mount a tmpfs of `size` at `mount` for a fixture to yield, unmounted afterwards; skip where not allowed."""
    mount.mkdir()
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("нужен Linux и права root для mount -t tmpfs")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        pytest.skip(f"mount -t tmpfs не разрешён здесь: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def wait_for(condition, timeout: float = 30.0, what: str = "the condition") -> None:
    """Poll until `condition()` is true; fail after a generous timeout (never a timing assertion)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def log(root: Path) -> list[str]:
    """The lines of the watch service's log in the root."""
    path = root / ".kezdocs" / LOG_NAME
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []
