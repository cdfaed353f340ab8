"""The watch service's log: one line per record, to the console and `.kezdocs/kezdocs.log` (rotated)."""
from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from kezdocs.core.errors import KezdocsError
from kezdocs.core.money import format_rub
from kezdocs.core.names import shown_name
from kezdocs.core.status import CaseStatus

LOG_NAME = "kezdocs.log"


def open_log(log: logging.Logger, own_dir: Path, console: bool) -> list[logging.Handler]:
    """Send `log` to `.kezdocs/kezdocs.log` (and stderr, with `console`); the handlers, for `close_log`."""
    formatter = OneLineFormatter("%(asctime)s %(message)s", datefmt="%d.%m.%Y %H:%M:%S")
    file_handler = RotatingFileHandler(own_dir / LOG_NAME, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handlers = [file_handler] + ([logging.StreamHandler(sys.stderr)] if console else [])
    for handler in handlers:
        handler.setFormatter(formatter)
        log.addHandler(handler)
    return handlers


def close_log(log: logging.Logger, handlers: list[logging.Handler]) -> None:
    for handler in handlers:
        log.removeHandler(handler)
        handler.close()


class OneLineFormatter(logging.Formatter):
    """Every log record is one line that encodes: a file name with a newline, a bidi mark or bytes that
    are not UTF-8 (in an event's path, an OSError's file name) is written escaped (`shown_name`)."""

    def format(self, record: logging.LogRecord) -> str:
        return shown_name(super().format(record))


def logger(root: Path) -> logging.Logger:
    """A logger of this service only (not the global tree: two roots in one process do not mix)."""
    log = logging.Logger(f"kezdocs.watch:{root}", logging.INFO)
    log.propagate = False
    return log


def case_line(record: CaseStatus, files: list[str]) -> str:
    """One log line for a re-indexed case: what changed and where the case stands now."""
    changed = f" (файлы: {', '.join(files[:5])}{' …' if len(files) > 5 else ''})" if files else ""
    parts = [f"стадия «{record.stage_label}»"]
    if record.deadline:
        parts.append(f"срок {record.deadline:%d.%m.%Y}" + (" (пропущен)" if record.deadline_missed else ""))
    if record.debt is not None:
        parts.append(f"долг {format_rub(record.debt)} руб.")
    if record.missing:
        parts.append(f"не хватает: {len(record.missing)}")
    if record.problems:
        parts.append(f"замечаний: {len(record.problems)}")
    return f"дело «{record.case}»: пересчитано{changed} — " + "; ".join(parts)


def describe(exc: Exception) -> str:
    """An exception as one line of the log (a multi-line Russian message is joined with «; »)."""
    if isinstance(exc, KezdocsError):
        head, *rest = [line.strip().lstrip("•").strip() for line in str(exc).splitlines() if line.strip()] or [""]
        return f"{head.rstrip(':')}: {'; '.join(rest)}" if rest else head
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror or exc}{where}"
    return f"{type(exc).__name__}: {exc}"
