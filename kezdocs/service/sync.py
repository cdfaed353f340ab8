"""The one «after a scan» use case: scan → statuses → Сводка.html → the documents now due.

`watch`, `dashboard`, `demo` and `status` all bring a root up to date the same
way, so what a clerk sees in СТАТУС.txt, in Сводка.html and on the terminal is
one picture. A case folder that cannot be written is that case's failure
(`Synced.failed`); the others and the summary are written all the same.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from kezdocs.core.errors import KezdocsError
from kezdocs.core.status import CaseStatus
from kezdocs.folders.casefolder import Root
from kezdocs.folders.files import os_error_reason, remove_stale_temp
from kezdocs.folders.scan import scan
from kezdocs.paperwork import dashboard

Due = Callable[[CaseStatus], list[str]]  # a case's status record -> the document kinds to generate now


@dataclass
class Synced:
    records: list[CaseStatus]  # every case's status record, in folder order
    warnings: list[str]  # about the index and the root's own files
    cases: list[str] = field(default_factory=list)  # the folders whose status was brought up to date
    statuses: int = 0  # СТАТУС.txt files whose content changed
    documents: list[tuple[str, Path]] = field(default_factory=list)  # (folder, generated file)
    failed: list[str] = field(default_factory=list)  # what could not be written, and why (Russian)
    summary: Path | None = None  # Сводка.html


def sync(root: Root, today: date, *, only: Iterable[str] | None = None,
         pick: Callable[[dict[str, CaseStatus]], Iterable[str]] | None = None, due: Due | None = None,
         full: bool = False, summary: bool = True) -> Synced:
    """Bring the root up to date for `today`.

    `only` (folder names) limits the scan to those cases (the watcher's events);
    `pick` chooses, from all records, the cases whose status and documents to
    refresh (the watcher's periodic check: those that changed); by default all
    scanned cases (`Synced.cases`; a vanished case stays there, without a
    record). `due` names the document kinds each case calls for now; the cases
    that got a document are scanned again, so their status lists it. `full`
    re-reads every card (the watcher's start-up). `summary=False` leaves Сводка.html to the next full
    pass (the web workspace's refresh after its own write: the watcher sees the card change and writes it).
    """
    names = sorted(set(only)) if only is not None else None
    result = scan(root, today, full=full, only=[root.path / n for n in names] if names is not None else None)
    records = {r.folder: r for r in result.records}
    chosen = sorted(pick(records)) if pick else (names if names is not None else sorted(records))
    synced = Synced(result.records, list(result.warnings), chosen, summary=root.path / dashboard.SUMMARY_FILE)
    if names is None:
        for folder in (root.path, root.own_dir, root.own_dir / "index"):
            remove_stale_temp(folder)
    paths = dashboard.case_paths(root, chosen if names is not None else None)
    _write_statuses(synced, records, paths, today)
    if summary:
        dashboard.write_summary(root, result.records, today)
    if due is not None:
        made = _generate(root, synced, records, paths, today, due)
        if made:
            again = sync(root, today, only=made)
            synced.records, synced.statuses = again.records, synced.statuses + again.statuses
            synced.failed += again.failed
    return synced


def _write_statuses(synced: Synced, records: dict[str, CaseStatus], paths: dict[str, Path], today: date) -> None:
    for name in synced.cases:
        if name not in paths or name not in records:
            continue
        try:
            synced.statuses += dashboard.write_status(paths[name], records[name], today)
        except OSError as exc:
            synced.failed.append(f"дело «{name}»: {dashboard.STATUS_FILE} не записан — {os_error_reason(exc)}")


def _generate(root: Root, synced: Synced, records: dict[str, CaseStatus], paths: dict[str, Path], today: date,
              due: Due) -> list[str]:
    """The documents each chosen case calls for now; an edited one is never overwritten (generated.store)."""
    from kezdocs.paperwork import render

    made = []
    for name in synced.cases:
        record = records.get(name)
        if record is None or record.card_error or name not in paths:
            continue
        for kind in due(record):
            try:
                written = render.generate(root, paths[name], kind, today)
            except (KezdocsError, OSError) as exc:
                reason = os_error_reason(exc) if isinstance(exc, OSError) else str(exc)
                synced.failed.append(f"дело «{record.case}»: документ «{kind}» не сформирован — {reason}")
                continue
            synced.documents += [(name, path) for path in written]
            made += [name] if written else []
    return sorted(set(made))
