"""Scanning a root into index records: the pipeline from folder to status.

Each case goes through the same stages, each of one shape — `(Entry, Env) ->
None`, filling the entry's fields of its `CaseStatus` and adding problems — so
one broken card stops only its own case. An unchanged folder (same
fingerprint, same `today`) keeps its record without its card being read again.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from itertools import repeat
from pathlib import Path
from typing import Callable, Iterator

from kezdocs.core import delivery
from kezdocs.core import penalty as penalty_mod
from kezdocs.core import requirements, stages
from kezdocs.core.model import Problem
from kezdocs.core.money import kopecks
from kezdocs.core.status import (CARD_ERROR, CaseStatus, StatusDeadline, StatusDocument, StatusProblem, StatusRoute,
                                 StatusSuggestion, with_duplicates)
from kezdocs.folders import duplicates, intake, ocr, workers
from kezdocs.folders.casefiles import fingerprint, folder_name, list_files
from kezdocs.folders.casefolder import CaseFolder, Root, is_case_folder
from kezdocs.folders.index import Index

RECORD_VERSION = 6  # 2: names shown safely, problems of names, folders and budgets; 3: the route with the penalty;
# 4: the debtor's ИНН; 5: suggestions (a day of delivery from a notice), files' digests, unrecognised files' kind None;
# 6: the scans waiting for OCR
PARALLEL_MIN = 200  # below this many cases to read, starting worker processes costs more than it saves
CHUNK = 50  # cases per task sent to a worker


@dataclass
class Env:
    """What every case of one scan shares: the root and the day the status is for."""

    root: Root
    today: date


@dataclass
class Entry:
    folder: CaseFolder
    record: dict = field(default_factory=dict)  # fields of the `CaseStatus`; what a failed stage left out keeps its default
    problems: list[Problem] = field(default_factory=list)
    assessment: object = None
    calc: object = None  # the penalty calculation of `today` (it is part of the price of the claim, so of the route)
    documents: list = field(default_factory=list)  # the folder's files, classified (`classification.Document`)


def _card_stage(entry: Entry, env: Env) -> None:
    cf = entry.folder
    entry.problems.extend(cf.problems)
    entry.record.update(
        folder=cf.name,
        case=cf.ref,
        debtor=cf.case.debtor.name if cf.case else None,
        debtor_type=cf.case.debtor.type.value if cf.case else None,
        administrator=cf.case.administrator if cf.case else None,
        officer=cf.case.officer.name if cf.case else None,
        kbk=cf.case.kbk if cf.case else None,
        inn=cf.case.debtor.inn if cf.case else None,
    )


def _procedure_stage(entry: Entry, env: Env) -> None:
    case = entry.folder.case
    if case is None:
        entry.record.update(stage=CARD_ERROR, stage_label="ошибка в карточке", next_action="исправить карточку дела")
        return
    entry.calc = penalty_mod.for_case(case, env.today, env.root.rates, env.root.calendar)
    a = stages.assess(case, env.today, env.root.calendar, env.root.settings.thresholds, penalty=entry.calc.total)
    entry.assessment = a
    entry.problems.extend(a.problems)
    entry.record.update(
        stage=a.stage, stage_label=a.stage_label, next_action=a.next_action, deadline=a.deadline,
        deadline_missed=a.deadline_missed, clause=a.clause, route=a.route.label if a.route else None,
        route_detail=StatusRoute.of(a.route) if a.route else None, accounts_known=a.accounts_known,
        deadlines=tuple(StatusDeadline(d.step, d.label, d.clause, d.due, d.done_on, d.state)
                        for d in (*a.deadlines, *a.projected)),
    )


def _money_stage(entry: Entry, env: Env) -> None:
    case = entry.folder.case
    if case is None:
        return
    calc = entry.calc or penalty_mod.for_case(case, env.today, env.root.rates, env.root.calendar)
    entry.record.update(debt=kopecks(entry.assessment.debt), penalty=kopecks(calc.total),
                        penalty_warnings=tuple(calc.warnings))


def _documents_stage(entry: Entry, env: Env) -> None:
    cf = entry.folder
    pending: list[str] = []
    documents, problems = intake.classify_case(cf, env.root.rules, pending=pending)
    entry.documents = documents
    entry.record["pending_ocr"] = tuple(pending)
    entry.problems.extend(problems)
    entry.record["documents"] = tuple(StatusDocument(d.relpath, d.kind if d.recognised else None) for d in documents)
    if cf.case is None or entry.assessment is None:
        return
    checklist = requirements.for_assessment(cf.case, entry.assessment, documents)
    entry.record["missing"] = tuple(item.item for item in checklist.items if not item.present) if checklist else ()


def _suggestions_stage(entry: Entry, env: Env) -> None:
    """Events the files show and the card lacks (the day a notice says the claim was delivered): offered to the
    user with the command that records them, never recorded by the scan."""
    case = entry.folder.case
    if case is not None:
        entry.record["suggestions"] = tuple(StatusSuggestion.of(s, entry.folder.ref)
                                            for s in delivery.suggestions(case, entry.documents))


def _digests_stage(entry: Entry, env: Env) -> None:
    """The content hash of each clerk's file: `duplicates.with_file_duplicates` finds the same file twice."""
    own = {d.relpath for d in entry.documents if not d.generated}
    found = duplicates.digests(env.root.own_dir, entry.folder.path, [f for f in entry.folder.files if f.relpath in own])
    entry.record["documents"] = tuple(replace(d, digest=found.get(d.path)) for d in entry.record.get("documents", ()))


PIPELINE: tuple[Callable[[Entry, Env], None], ...] = (_card_stage, _procedure_stage, _money_stage, _documents_stage,
                                                      _suggestions_stage, _digests_stage)


def build_record(folder: CaseFolder, env: Env) -> CaseStatus:
    """Run one case through the pipeline; what a stage that failed left out keeps the default of `CaseStatus`.

    A stage that fails on something nobody foresaw is a problem of this case
    (the stages after it still run, on what they have), never the end of the scan.
    """
    entry = Entry(folder)
    for step in PIPELINE:
        try:
            step(entry, env)
        except Exception as exc:  # noqa: BLE001 - one case never stops a root of thousands
            entry.problems.append(Problem(folder.name, None, f"дело обработано не полностью: внутренняя ошибка "
                                                             f"({type(exc).__name__}); сообщите разработчикам"))
            entry.record.setdefault("next_action", "проверьте файлы дела; сообщите разработчикам о замечании")
    entry.record.setdefault("folder", folder.name)
    entry.record.setdefault("case", folder.name)
    entry.record.update(
        problems=tuple(StatusProblem(p.file, p.line, p.message) for p in entry.problems),
        fingerprint=folder.fingerprint, as_of=env.today, version=RECORD_VERSION,
    )
    return CaseStatus(**entry.record)


@dataclass
class ScanResult:
    records: list[CaseStatus]
    warnings: list[str]  # about the index itself (a corrupt file set aside)


def scan(root: Root, today: date, *, full: bool = False, only: list[Path] | None = None,
         progress: Callable[[int, int], None] | None = None) -> ScanResult:
    """Bring the index up to date and return the records of the cases, in folder order.

    `full` re-reads every card (reindex); `only` limits the work to some folders
    (the watcher); folders that vanished are dropped from the index. Many cards
    to read (a first scan, a reindex) are read by one process per core. The
    records returned carry, besides what the index keeps, the problem of a case
    number that two cards give (`status.with_duplicates`: a fact of the root, not of one folder).
    """
    index = Index(root.path)
    if only is None:
        folders = {folder_name(f): f for f in root.case_folders()}
        wanted = set(folders)
    else:  # the watcher's few folders: no listing of a root of thousands
        named = {folder_name(f): Path(f) for f in only}
        folders = {name: path for name, path in named.items() if is_case_folder(path)}
        wanted = set(named)
    done = 0
    with index.writing() as records:
        for gone in [name for name in records if (only is None or name in wanted) and name not in folders]:
            del records[gone]
        stale = []
        for name, folder in folders.items():
            if name in wanted and (full or not _fresh(records.get(name), folder, today)):
                stale.append(folder)
            elif progress:
                done += 1
                progress(done, len(folders))
        for name, record in _build_records(root, stale, today):
            records[name] = record
            if progress:
                done += 1
                progress(done, len(folders))
        names = folders if only is None else sorted(records)
        result = [records[name] for name in names if name in records]
    return ScanResult(duplicates.with_file_duplicates(with_duplicates(result)),
                      [*index.warnings, *(str(p) for p in root.root_problems)])


def _build_records(root: Root, folders: list[Path], today: date) -> Iterator[tuple[str, CaseStatus]]:
    """(folder name, record) for each folder, in order; in worker processes when there are many."""
    count = workers.count()
    if len(folders) < PARALLEL_MIN or count < 2:
        yield from _build_chunk(folders, today, root)
        return
    chunks = [folders[i:i + CHUNK] for i in range(0, len(folders), CHUNK)]
    with workers.pool(root, count) as pool:
        for built in pool.map(_build_chunk, chunks, repeat(today)):
            yield from built


def _build_chunk(folders: list[Path], today: date, root: Root | None = None) -> list[tuple[str, CaseStatus]]:
    """Records of some folders: in this process (`root` given) or in a worker (its own root)."""
    root = root or workers.root()
    env = Env(root, today)
    return [(folder_name(folder), _safe_record(root, folder, env)) for folder in folders]


def _safe_record(root: Root, folder: Path, env: Env) -> CaseStatus:
    """A folder's record; a folder that cannot even be loaded still gets one, naming the failure."""
    try:
        return build_record(root.load(folder), env)
    except Exception as exc:  # noqa: BLE001 - one case never stops a root of thousands
        broken = CaseFolder(folder, None, [Problem(folder_name(folder), None, f"папка дела не прочитана: внутренняя "
                                                   f"ошибка ({type(exc).__name__}); сообщите разработчикам")])
        return build_record(broken, env)


def _fresh(record: CaseStatus | None, folder: Path, today: date) -> bool:
    """Unchanged folder, same day, same record layout, no scan's text read since: the stored record still holds."""
    if record is None or record.version != RECORD_VERSION or record.as_of != today:
        return False
    if record.pending_ocr and ocr.any_read(folder, record.pending_ocr):
        return False
    try:
        return record.fingerprint == fingerprint(list_files(folder))
    except Exception:  # noqa: BLE001 - a folder that cannot be listed is read again, and its record says why
        return False
