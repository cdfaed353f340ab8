"""Writing documents: one kind for one case, or for every case whose stage calls for it.

The shell around `core.documents` (which builds the data): the template comes from
`template_sources`, is filled in the `sandbox`, and the files go to the case's `Сформировано/`
under the names and the manifest of `generated`; `libreoffice` converts them to PDF.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from kezdocs.core import stages
from kezdocs.core.card import GENERATED_DIR
from kezdocs.core.documents import build
from kezdocs.core.errors import KezdocsError
from kezdocs.core.facts import Facts
from kezdocs.core.kinds import KINDS, Kind, needed, resolve_kind
from kezdocs.core.missing import missing
from kezdocs.core.names import nfc
from kezdocs.core.penalty import for_case
from kezdocs.core.settings import sample_refusal
from kezdocs.core.stages import assess
from kezdocs.core.status import CaseStatus
from kezdocs.folders import intake, workers
from kezdocs.folders.casefolder import CaseFolder, Root
from kezdocs.folders.files import os_error_reason, remove_stale_temp
from kezdocs.paperwork.generated import distinct_names, file_name, store
from kezdocs.paperwork.sandbox import render_bytes
from kezdocs.paperwork.template_sources import find_template

# --- one case ------------------------------------------------------------------------------------------

def facts_for(root: Root, folder: CaseFolder, kind: Kind, today: date,
              attachments: Iterable[tuple[str, int | None]] | None = None) -> Facts:
    """Everything the document is built from, computed from the root's settings, key rates and calendar."""
    case = folder.case
    calc = for_case(case, today, root.rates, root.calendar)
    assessment = assess(case, today, root.calendar, root.settings.thresholds, penalty=calc.total)
    files, documents = (), ()
    if "attachments" in kind.groups and attachments is None:
        # the attachment list names each file by what it is (`core.attachments`): the shell classifies, the core names
        files = tuple((f.relpath, _pages(folder.path / f.disk)) for f in folder.files)
        documents = tuple(intake.classify_case(folder, root.rules)[0])
    chosen = None if attachments is None else tuple(attachments)
    return Facts(case, root.settings, today, calc, assessment, chosen, files, root.calendar, documents)


def _pages(path: Path) -> int | None:
    """Pages of a PDF for the attachment list; None for other files or when it cannot be read."""
    if path.suffix.lower() != ".pdf":
        return None
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logger = logging.getLogger("pypdf")  # its notes on damaged files are not the user's business here
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return len(PdfReader(path).pages)
    except (PyPdfError, OSError, ValueError):
        return None
    finally:
        logger.setLevel(level)


def render_case(root: Root, folder: CaseFolder, kind: Kind | str, today: date,
                attachments: Iterable[tuple[str, int | None]] | None = None) -> list[tuple[str, bytes]]:
    """The files of one document kind for one case, as (file name, bytes); nothing is written.

    Raises `KezdocsError` listing what is missing (in the card or the settings).
    """
    kind = _kind(kind)
    if folder.case is None:
        listed = "\n".join(f"  {p}" for p in folder.problems)
        raise KezdocsError(f"дело «{folder.name}»: в карточке есть ошибки, документ не сформирован:\n{listed}")
    facts = facts_for(root, folder, kind, today, attachments)
    lacking = missing(kind, facts)
    if lacking:
        raise KezdocsError(f"дело {folder.ref}: для документа «{kind.title}» не хватает данных:\n"
                           + "\n".join(f"  • {item}" for item in lacking))
    docs = build(kind, facts)
    names = distinct_names([file_name(kind, folder.case.number, today, doc.suffix) for doc in docs])
    return [(name, render_bytes(find_template(root, doc.template), doc.context)) for name, doc in zip(names, docs)]


def generate(root: Root, folder: CaseFolder | Path, kind: Kind | str, today: date, out: Path | None = None,
             attachments: Iterable[tuple[str, int | None]] | None = None) -> list[Path]:
    """Write one document kind for one case into `Сформировано/` (or `out`); the paths written or kept.

    `folder` is a loaded case folder or its path. `attachments` (title, pages
    or None) replaces the attachment list a lawsuit or a court-order
    application would derive from the case folder.
    """
    refusal = sample_refusal(root.settings, kind if isinstance(kind, Kind) else resolve_kind(kind))
    if refusal:  # the CLI, the web, the watcher's automatic documents: none goes out with the sample's details
        raise KezdocsError(refusal)
    if not isinstance(folder, CaseFolder):
        folder = root.load(Path(folder))
    rendered = render_case(root, folder, kind, today, attachments)
    clean_own_folders(root)
    return store(root, Path(out) if out else folder.path / GENERATED_DIR, rendered, parents=bool(out))


def clean_own_folders(root: Root) -> None:
    """Remove the temporary files of killed writes in the root and `.kezdocs/` (the case's own: `store`)."""
    for folder in (root.path, root.own_dir, root.own_dir / "index"):
        remove_stale_temp(folder)


def due_kinds(record: CaseStatus) -> list[str]:
    """The kinds a case's status (`cases.status`) calls for now: the procedure table's for its stage,
    resolved by the route's proceeding and whether the debtor's accounts are known."""
    return list(stages.stage_documents(record.stage, record.proceeding, record.accounts_known))


# --- every case --------------------------------------------------------------------------------------

@dataclass
class BatchResult:
    """What `generate_all` did: files per case, cases skipped with the reason, cases that need nothing."""

    written: list[tuple[str, list[Path]]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    not_needed: list[str] = field(default_factory=list)


def _work(folder_path: str, kind_code: str, today: date, select: bool, root: Root | None = None) -> tuple[str, str, object]:
    """Render one case in a worker: ("written", ref, files) | ("skipped", ref, reason) | ("not_needed", ref, None)."""
    root = root or workers.root()
    try:
        folder = root.load(Path(folder_path))
    except OSError as exc:  # the folder vanished or cannot be read: this case's problem, not the batch's
        return "skipped", nfc(Path(folder_path).name), f"папка дела не читается: {os_error_reason(exc)}"
    kind = KINDS[kind_code]
    if folder.case is None:
        return "skipped", folder.ref, f"в карточке ошибок: {len(folder.problems)} (подробно: kezdocs status \"{folder.name}\")"
    if select and not needed(kind, folder.case, assess(
            folder.case, today, root.calendar, root.settings.thresholds,
            penalty=for_case(folder.case, today, root.rates, root.calendar).total)):  # the penalty is part of the price (route)
        return "not_needed", folder.ref, None
    try:
        return "written", folder.ref, render_case(root, folder, kind, today)
    except KezdocsError as exc:
        return "skipped", folder.ref, str(exc)
    except OSError as exc:
        return "skipped", folder.ref, f"папка дела не читается: {os_error_reason(exc)}"


def generate_all(root: Root, kind: Kind | str, today: date, out: Path | None = None, select: bool = True,
                 on_progress: Callable[[str], None] | None = None, processes: int | None = None) -> BatchResult:
    """Write the document for every case whose stage needs it now (all valid cases when `select` is False).

    Rendering runs in `processes` workers (default: one per core); the files are written here, one
    case at a time. A case with missing data, or whose folder cannot be
    written (or has vanished), is skipped with the reason; the others are
    generated.
    """
    kind = _kind(kind)
    folders = [str(p) for p in root.case_folders()]
    result = BatchResult()
    clean_own_folders(root)
    tasks = [(f, kind.code, today, select) for f in folders]
    for folder_path, (status, ref, payload) in zip(folders, _run(root, tasks, processes or workers.count())):
        if status == "written":
            directory = Path(out) if out else Path(folder_path) / GENERATED_DIR
            try:
                result.written.append((ref, store(root, directory, payload, parents=bool(out))))
            except OSError as exc:
                result.skipped.append((ref, f"документ не записан в {directory.name}/ — {os_error_reason(exc)}"))
        elif status == "skipped":
            result.skipped.append((ref, payload))
        else:
            result.not_needed.append(ref)
        if on_progress:
            on_progress(ref)
    return result


def _run(root: Root, tasks: list[tuple], count: int):
    """Results in task order: in this process for a handful of cases, else in worker processes."""
    if count <= 1 or len(tasks) < 3:
        yield from (_work(*task, root=root) for task in tasks)
        return
    with workers.pool(root, count) as pool:
        yield from pool.map(_work, *zip(*tasks))


def _kind(kind: Kind | str) -> Kind:
    return kind if isinstance(kind, Kind) else resolve_kind(kind)
