"""The lawsuit package: the checklist of a case, and the folder of files a court takes.

Shell. `check` classifies a case folder and says what its next step still
needs. `build` writes `Сформировано/Пакет <date>/` as the courts' e-filing portals take it (`efiling`: «Мой
арбитр», ГАС «Правосудие»): the lawsuit (or the court-order application) and its attachments as separately
numbered PDF files in the order of the attachment list, each with its number of sheets («01 Исковое заявление
(3 л.).pdf», «02 Расчёт задолженности и пени (1 л.).pdf», then the folder's files in the checklist's order, each
named by what it is — the core's one naming rule, `core.attachments`, never the file's own name), scans with a
text layer and within 30 MB, the lawsuit also as DOCX; and one merged PDF for paper filing that opens with an
inventory page (опись: number, name, pages) and has a bookmark per attachment. The package then checks the folder
it wrote against the portals' rules (`efiling.check`) and names every file that breaks one.

The calculation is generated afresh (as of `today`), so the sum in the
lawsuit and in the calculation agree. The lawsuit is generated after its
attachments are converted and counted, so its attachment list matches the
package exactly: names, order, pages. DOCX and other office files are
converted by LibreOffice in one call; without LibreOffice they are packaged as
they are (and the merged PDF holds only the PDFs). The clerk's files are only
read; every output is written atomically.

Atomic as a whole: the package is built in a hidden folder beside it
(`Сформировано/.kezdocs-build-…`) from copies taken of the files read, and
swapped into place by renames; a kill or a full disk leaves the previous
package whole, and the next run removes what a killed run left. A file that
cannot go into the package (cut short because it is still being copied,
damaged, a format such as ZIP) stops it with every such file named, unless
--force: then it is left out, and neither the inventory nor the lawsuit's
attachment list mentions it. No clerk's document is left out silently: one the checklist does not attach (a
third receipt, a file of a kind not recognised) is named too.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kezdocs.core import attachments as naming
from kezdocs.core import classification, requirements, stages
from kezdocs.core.card import GENERATED_DIR
from kezdocs.core.errors import KezdocsError
from kezdocs.core.model import Problem
from kezdocs.core.names import nfc
from kezdocs.core.penalty import for_case
from kezdocs.folders import intake, locks
from kezdocs.folders.casefolder import CaseFolder, Root
from kezdocs.folders.files import fsync_dir, os_error_reason, write_bytes_atomic
from kezdocs.paperwork import efiling, render
from kezdocs.paperwork.libreoffice import soffice
from kezdocs.paperwork.package_files import Attachment, Converter, merged_pdf

PACKAGE_DIR = intake.PACKAGE_PREFIX + "{day}"  # Сформировано/Пакет 2024-05-20
MERGED_NAME = efiling.MERGED_NAME
CALCULATION_TITLE = naming.CALCULATION_TITLE
DOCUMENT_TITLES = {"lawsuit": "Исковое заявление", "court-order": "Заявление о выдаче судебного приказа"}
_OWN_FILE = re.compile(r"^\d{2} .+\.\w+$")
BUILD_PREFIX = ".kezdocs-build-"  # Сформировано/.kezdocs-build-…: a package being built (hidden: not a document)
ASIDE_PREFIX = ".kezdocs-aside-"  # Сформировано/.kezdocs-aside-Пакет <date>: the previous package during the swap
PROFILE_DIR = "libreoffice-profile"  # under ROOT/.kezdocs/: LibreOffice's settings (no documents), kept for speed
LOCK_TIMEOUT = 300.0  # seconds to wait for another package of the same case (LibreOffice may take minutes)


# --- check ---------------------------------------------------------------------------------

@dataclass
class CheckResult:
    folder: CaseFolder
    documents: list[classification.Document]
    checklist: requirements.Checklist | None
    problems: list[Problem]
    assessment: object = None

    @property
    def case(self) -> str:
        return self.folder.ref

    def as_json(self) -> dict:
        if self.checklist is None:
            return {"case": self.case, "step": None, "ready": True, "items": []}
        return self.checklist.as_json(self.case)


def check(root: Root, ref: str, today: date, step: str | None = None) -> CheckResult:
    """Classify the case's files and list what `step` (default: the case's next step) needs."""
    return check_folder(root, root.find(ref), today, step)


def check_folder(root: Root, folder: CaseFolder, today: date, step: str | None = None) -> CheckResult:
    """`check` of a case folder already loaded (the web workspace knows the folder without a search)."""
    ref = folder.ref
    if folder.case is None:
        raise KezdocsError(f"в карточке дела «{ref}» ошибки — исправьте их (kezdocs status {ref}):\n"
                           + "\n".join(str(p) for p in folder.problems))
    documents, file_problems = intake.classify_case(folder, root.rules)
    penalty = for_case(folder.case, today, root.rates, root.calendar).total  # part of the price of the claim: it decides the route
    assessment = stages.assess(folder.case, today, root.calendar, root.settings.thresholds, penalty=penalty)
    if step is None:
        step = assessment.checklist_step  # the procedure table's step, resolved by the route
    checklist = requirements.checklist(folder.case, step, documents) if step else None
    return CheckResult(folder, documents, checklist, [*root.root_problems, *file_problems], assessment)


# --- build ---------------------------------------------------------------------------------

@dataclass
class PackageResult:
    folder: Path  # Сформировано/Пакет <date>
    files: list[Path]  # the numbered files, in order
    merged: Path
    step: str
    missing: list[str]
    warnings: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # «file: why» of the clerk's documents not in the package
    lawsuit_text: Path | None = None  # the lawsuit as DOCX beside its PDF (the portals take its text from it)
    efiling: list[str] = field(default_factory=list)  # «file: rule broken» (`efiling.check` of the package)


class Incomplete(KezdocsError):
    """The package's checklist is not complete (`missing`); `force` builds it all the same."""

    def __init__(self, ref: str, step: str, missing: list[str]):
        super().__init__("пакет не сформирован — не хватает документов:\n" + "\n".join(f"  • {m}" for m in missing)
                         + f"\nСписок: kezdocs check {ref} --step {step}; сформировать всё равно: --force")
        self.missing = missing


class NotIncluded(KezdocsError):
    """Files the package needs cannot go into it (damaged, still being copied, a format a court cannot take)."""

    def __init__(self, message: str, left_out: list[str]):
        super().__init__(message)
        self.left_out = left_out


def build(root: Root, ref: str, today: date, force: bool = False) -> PackageResult:
    """Write the package of the case's court step; refuse when something is missing or cannot be included,
    unless `force`.

    The package is assembled in a hidden folder beside it (`Сформировано/.kezdocs-build-…`, the same file
    system) and swapped into place by renames, so a kill or a full disk at any moment leaves the previous
    package whole: see `_swap_in` and `_recover`. Nothing is copied outside the root.
    """
    result = check(root, ref, today)
    step = _court_step(result)
    checklist = requirements.checklist(result.folder.case, step, [*result.documents, _planned(today)])
    if not checklist.ready and not force:
        raise Incomplete(ref, step, checklist.missing)
    generated = result.folder.path / GENERATED_DIR
    target = generated / PACKAGE_DIR.format(day=today.isoformat())
    with locks.held(_lock_path(root, result.folder), f"сборка пакета дела «{ref}»", LOCK_TIMEOUT):
        work = None
        try:
            generated.mkdir(exist_ok=True)
            _recover(generated)
            work = Path(tempfile.mkdtemp(prefix=BUILD_PREFIX, dir=generated))
            made = _assemble(root, result, step, today, work, force)
            _swap_in(work / "package", target)
        except OSError as exc:
            raise KezdocsError(_write_failed(exc)) from exc
        finally:
            if work is not None:
                shutil.rmtree(work, ignore_errors=True)
    made.folder, made.merged = target, target / MERGED_NAME
    made.files = [target / p.name for p in made.files]
    if made.lawsuit_text is not None:
        made.lawsuit_text = target / made.lawsuit_text.name
    made.efiling = efiling.check(target)
    return made


def latest(case_path: Path) -> Path | None:
    """The newest package folder of a case (`Сформировано/Пакет <date>`), or None."""
    found = sorted((case_path / GENERATED_DIR).glob(PACKAGE_DIR.format(day="*")))
    return next((p for p in reversed(found) if p.is_dir()), None)


def _planned(today: date) -> classification.Document:
    """The calculation the package generates afresh: it counts as present for the checklist."""
    return classification.Document(f"{GENERATED_DIR}/{CALCULATION_TITLE}.pdf", "calculation",
                           classification.KINDS["calculation"], today, (), "name")


def _assemble(root: Root, result: CheckResult, step: str, today: date, work: Path, force: bool) -> PackageResult:
    """Make the numbered files and the merged PDF in `work/package`; everything read is copied into `work` first."""
    case_folder, case = result.folder, result.folder.case
    warnings = [str(p) for p in result.problems]
    office = soffice()
    if office is None:
        warnings.append("LibreOffice не установлен: файлы Word упакованы как есть и не вошли в общий PDF "
                        "(установите LibreOffice и повторите kezdocs package)")
    converter = Converter(root.path, work / "work", office, root.own_dir / PROFILE_DIR, warnings)
    calculation = Attachment(naming.calculation_title(case),
                             render.generate(root, case_folder, "calculation", today, out=work / "work" / "calc")[0])
    attachments, checklist, failed = _choose(root, case_folder, step, result.documents, _planned(today), converter,
                                             calculation)
    left_out = [f"{a.shown}: {a.problem}" for a in failed]
    if left_out and not force:
        raise NotIncluded("пакет не сформирован — эти файлы не могут войти в пакет:\n"
                          + "\n".join(f"  • {line}" for line in left_out)
                          + "\nЗамените их (PDF целиком, JPEG, PNG, TIFF или DOCX) и повторите; "
                          + f"сформировать без них: kezdocs package {case_folder.ref} --force", left_out)
    left_out += _not_attached(result.documents, {a.doc.relpath for a in [*attachments, *failed]})
    attachments = [calculation, *attachments]
    lawsuit_docx = render.generate(root, case_folder, step, today, out=work / "work" / "main",
                                   attachments=[(a.title, a.pages) for a in attachments])[0]
    lawsuit = Attachment(DOCUMENT_TITLES[step], lawsuit_docx)
    converter.prepare([lawsuit])
    everything = [lawsuit, *attachments]
    out = work / "package"
    files = _place_numbered(everything, out)
    lawsuit_text = _place_lawsuit_text(lawsuit, files[0])
    # The inventory is a court document: what is missing and what is not in the merged file are the user's to know
    # (printed by the CLI), never written into it.
    warnings += [f"«{path.name}» не PDF — в общий файл «{MERGED_NAME}» не вошёл (приложите его отдельно)"
                 for a, path in zip(everything, files) if a.pdf is None]
    write_bytes_atomic(out / MERGED_NAME, merged_pdf(everything, _heading(case, step, today)))
    return PackageResult(out, files, out / MERGED_NAME, step, checklist.missing, warnings, left_out, lawsuit_text)


def _choose(root: Root, case_folder: CaseFolder, step: str, documents: list[classification.Document],
            planned: classification.Document, converter: Converter, calculation: Attachment):
    """The attachments of the checklist, named and ordered by the core's one rule (`core.attachments.planned`),
    each copied and checked; a file that cannot be included is left out and the checklist is drawn again without
    it (a generated claim may stand in for a damaged scan, or the item becomes missing). Returns (attachments,
    checklist, the attachments left out, each with its `problem`)."""
    usable = list(documents)
    prepared: dict[Path, Attachment] = {}
    first = [calculation]
    while True:
        checklist = requirements.checklist(case_folder.case, step, [*usable, planned])
        by_path = {d.relpath: d for d in usable}
        plan = naming.planned(case_folder.case, root.settings, step, [*usable, planned], checklist.items)
        chosen = [Attachment(p.title, intake.real_path(case_folder.path, p.relpath), by_path[p.relpath])
                  for p in plan if p.relpath in by_path]  # a missing item has no file: not in the package
        new = [a for a in chosen if a.source not in prepared]
        if not new and not first:
            break
        converter.prepare([*first, *new])
        first = []
        prepared.update((a.source, a) for a in new)
        failed = {a.doc.relpath for a in new if a.problem}
        usable = [d for d in usable if d.relpath not in failed]
    failed = [a for a in prepared.values() if a.problem]
    return [_retitled(prepared[a.source], a.title) for a in chosen], checklist, failed


def _not_attached(documents: list[classification.Document], considered: set[str]) -> list[str]:
    """«file: why» of each clerk's document the checklist did not take (`considered`: attached or left out with
    its reason): a postal receipt no address needs, a file whose kind is not recognised — never dropped without
    a word."""
    return [f"{d.relpath}: " + ("вид документа не распознан — если это приложение, укажите его вид"
                                if d.kind == "other" else f"{d.label} — ни один пункт списка приложений его не требует")
            for d in documents if not d.generated and d.relpath not in considered]


def _retitled(attachment: Attachment, title: str) -> Attachment:
    """A file prepared in an earlier round keeps its copy and PDF; its name is the one of the final list."""
    attachment.title = title
    return attachment


def _court_step(result: CheckResult) -> str:
    """The package is for court: the case's court step, else the route's proceeding (`route.decide`)."""
    if result.checklist is not None and result.checklist.step in DOCUMENT_TITLES:
        return result.checklist.step
    return requirements.court_step(result.assessment.route)


def _heading(case, step: str, today: date) -> str:
    return f"{DOCUMENT_TITLES[step]} — дело {case.number}, {case.debtor.name}, {today:%d.%m.%Y}"


# --- the swap ------------------------------------------------------------------------------

def _lock_path(root: Root, folder: CaseFolder) -> Path:
    """One package build per case at a time: a second one would delete the first one's build folder."""
    name = nfc(os.fsdecode(folder.path.name))
    digest = hashlib.blake2b(name.encode("utf-8", "surrogateescape"), digest_size=10).hexdigest()
    return root.own_dir / "locks" / f"package-{digest}.lock"


def _recover(generated: Path) -> None:
    """Finish what a killed run left (under the case's package lock, so no build is running):
    build folders are removed; a previous package set aside is restored when the new one never arrived,
    removed when it did."""
    for entry in list(generated.iterdir()):
        name = entry.name
        if name.startswith(BUILD_PREFIX):
            shutil.rmtree(entry, ignore_errors=True)
        elif name.startswith(ASIDE_PREFIX) and entry.is_dir():
            original = generated / name[len(ASIDE_PREFIX):]
            if original.exists():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                os.replace(entry, original)
    fsync_dir(generated)


def _swap_in(new: Path, target: Path) -> None:
    """Put the finished package `new` at `target` by renames only (no data is written, so a full disk cannot
    stop it halfway): the old package goes aside, the new one in, the old one is deleted. A kill between the
    renames leaves the old package aside, whole, and `_recover` puts it back."""
    generated = target.parent
    aside = generated / f"{ASIDE_PREFIX}{target.name}"
    if target.exists():
        _carry_over(target, new)
        os.replace(target, aside)
        fsync_dir(generated)
    try:
        os.replace(new, target)
    except OSError:
        if aside.exists() and not target.exists():
            os.replace(aside, target)
        raise
    fsync_dir(generated)
    shutil.rmtree(aside, ignore_errors=True)


def _carry_over(old: Path, new: Path) -> None:
    """A file someone put into the previous package folder (not one kezdocs numbered) stays in the new one."""
    for entry in old.iterdir():
        name = nfc(entry.name)
        if _OWN_FILE.match(name) or name == MERGED_NAME or (new / entry.name).exists():
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, new / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, new / entry.name, follow_symlinks=False)


def _write_failed(exc: OSError) -> str:
    """A full disk or a locked folder while building: the previous package is intact, say so in Russian."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return ("нет места на диске: пакет не сформирован, прежний пакет не изменён. "
                "Освободите место и повторите kezdocs package")
    where = f" ({exc.filename})" if exc.filename else ""
    reason = os_error_reason(exc)
    return (f"не удалось записать пакет{where}: {reason}. Пакет не сформирован, прежний пакет "
            "не изменён. Закройте файлы пакета в других программах, проверьте права на папку и повторите")


# --- output --------------------------------------------------------------------------------

def _place_numbered(everything: list[Attachment], out: Path) -> list[Path]:
    """Move each attachment's PDF (or, without one, its copy) into `out` as «NN title (K л.).pdf», flushed to
    disk: every file read is already a copy inside the build folder, so a rename is enough."""
    out.mkdir()
    written = []
    for n, a in enumerate(everything, 1):
        source = a.pdf or a.file
        target = out / efiling.file_name(n, a.title, a.pages if a.pdf else None, source.suffix.lower())
        _move_flushed(source, target)
        if a.pdf is not None:
            a.pdf = target
        else:
            a.file = target
        written.append(target)
    fsync_dir(out)
    return written


def _place_lawsuit_text(lawsuit: Attachment, placed: Path) -> Path | None:
    """The lawsuit's DOCX beside its PDF, under the same name: the portals take the text of the main document
    from an office file. None when the lawsuit itself went in as DOCX (no LibreOffice)."""
    if lawsuit.pdf is None or lawsuit.file is None:
        return None
    target = placed.with_suffix(lawsuit.file.suffix.lower())
    _move_flushed(lawsuit.file, target)
    fsync_dir(target.parent)
    return target


def _move_flushed(source: Path, target: Path) -> None:
    with open(source, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(source, target)
