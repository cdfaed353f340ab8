"""The lawsuit package: the checklist of a case, and the folder of files a court takes.

Shell. `check` classifies a case folder and says what its next step still
needs. `build` writes `Сформировано/Пакет <date>/`: the lawsuit (or the
court-order application) and its attachments as separately numbered PDF files
in the order of the attachment list («01 Исковое заявление.pdf», «02 Расчёт
задолженности и пени.pdf», then the folder's files in the checklist's order), and one merged PDF that opens with an inventory
page (опись: number, name, pages) and has a bookmark per attachment.

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
damaged, a format such as TIFF) stops it with every such file named, unless
--force: then it is left out, and neither the inventory nor the lawsuit's
attachment list mentions it.
"""
from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pathvalidate import sanitize_filename

from kezdocs.folders import intake

from kezdocs.folders import locks

from kezdocs.paperwork import render

from kezdocs.core import requirements

from kezdocs.core import stages
from kezdocs.folders.casefolder import GENERATED_DIR, CaseFolder, Root, nfc
from kezdocs.core.errors import KezdocsError
from kezdocs.folders.files import fsync_dir, os_error_reason, write_bytes_atomic
from kezdocs.core.model import Problem
from kezdocs.core.penalty import for_case

PACKAGE_DIR = intake.PACKAGE_PREFIX + "{day}"  # Сформировано/Пакет 2024-05-20
MERGED_NAME = "Пакет одним файлом.pdf"
CALCULATION_TITLE = "Расчёт задолженности и пени"
DOCUMENT_TITLES = {"lawsuit": "Исковое заявление", "court-order": "Заявление о выдаче судебного приказа"}
OFFICE_SUFFIXES = {".docx", ".doc", ".odt", ".rtf", ".xlsx", ".xls", ".ods", ".txt"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
MAX_TITLE = 100  # characters of a file name's title part: court portals and Windows paths are short
SUPPORTED_SUFFIXES = {".pdf", *IMAGE_SUFFIXES, *OFFICE_SUFFIXES}
_OWN_FILE = re.compile(r"^\d{2} .+\.\w+$")
BUILD_PREFIX = ".kezdocs-build-"  # Сформировано/.kezdocs-build-…: a package being built (hidden: not a document)
ASIDE_PREFIX = ".kezdocs-aside-"  # Сформировано/.kezdocs-aside-Пакет <date>: the previous package during the swap
PROFILE_DIR = "libreoffice-profile"  # under ROOT/.kezdocs/: LibreOffice's settings (no documents), kept for speed
LOCK_TIMEOUT = 300.0  # seconds to wait for another package of the same case (LibreOffice may take minutes)
PDF_TAIL = 1024  # a whole PDF ends with «%%EOF» within its last 1024 bytes (ISO 32000-1, 7.5.5)


# --- check ---------------------------------------------------------------------------------

@dataclass
class CheckResult:
    folder: CaseFolder
    documents: list[intake.Document]
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
    folder = root.find(ref)
    if folder.case is None:
        raise KezdocsError(f"в карточке дела «{ref}» ошибки — исправьте их (kezdocs status {ref}):\n"
                           + "\n".join(str(p) for p in folder.problems))
    documents, file_problems = intake.classify_folder(folder.path, folder.files, root.rules)
    penalty = for_case(folder.case, today, root.rates).total  # part of the price of the claim: it decides the route
    assessment = stages.assess(folder.case, today, root.calendar, root.settings.thresholds, penalty=penalty)
    if step is None:
        step = assessment.checklist_step  # the procedure table's step, resolved by the route
    checklist = requirements.checklist(folder.case, step, documents) if step else None
    return CheckResult(folder, documents, checklist, [*root.root_problems, *file_problems], assessment)


# --- build ---------------------------------------------------------------------------------

@dataclass
class Attachment:
    title: str
    source: Path  # the file read (a clerk's file, or one kezdocs generated in the build folder)
    doc: intake.Document | None = None  # the clerk's document it comes from; None for kezdocs's own
    file: Path | None = None  # the copy taken of `source` in the build folder: what is packaged without a PDF
    pdf: Path | None = None  # the PDF to package; None when there is none (a DOCX without LibreOffice)
    pages: int | None = None
    problem: str | None = None  # why the file cannot go into the package; None when it can

    @property
    def shown(self) -> str:
        return self.doc.relpath if self.doc is not None else self.source.name


@dataclass
class PackageResult:
    folder: Path  # Сформировано/Пакет <date>
    files: list[Path]  # the numbered files, in order
    merged: Path
    step: str
    missing: list[str]
    warnings: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # «file: why» of files not included (built with --force)


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
        raise KezdocsError("пакет не сформирован — не хватает документов:\n"
                           + "\n".join(f"  • {m}" for m in checklist.missing)
                           + f"\nСписок: kezdocs check {ref} --step {step}; сформировать всё равно: --force")
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
    return made


def _planned(today: date) -> intake.Document:
    """The calculation the package generates afresh: it counts as present for the checklist."""
    return intake.Document(f"{GENERATED_DIR}/{CALCULATION_TITLE}.pdf", "calculation",
                           intake.KINDS["calculation"], today, (), "name")


def _assemble(root: Root, result: CheckResult, step: str, today: date, work: Path, force: bool) -> PackageResult:
    """Make the numbered files and the merged PDF in `work/package`; everything read is copied into `work` first."""
    case_folder, case = result.folder, result.folder.case
    warnings = [str(p) for p in result.problems]
    office = render.soffice()
    if office is None:
        warnings.append("LibreOffice не установлен: файлы Word упакованы как есть и не вошли в общий PDF "
                        "(установите LibreOffice и повторите kezdocs package)")
    converter = _Converter(work / "work", office, root.own_dir / PROFILE_DIR, warnings)
    calculation = Attachment(CALCULATION_TITLE,
                             render.generate(root, case_folder, "calculation", today, out=work / "work" / "calc")[0])
    attachments, checklist, left_out = _choose(case_folder, step, result.documents, _planned(today), converter,
                                               calculation)
    if left_out and not force:
        raise NotIncluded("пакет не сформирован — эти файлы не могут войти в пакет:\n"
                          + "\n".join(f"  • {line}" for line in left_out)
                          + "\nЗамените их (PDF целиком, JPEG/PNG или DOCX) и повторите; "
                          + f"сформировать без них: kezdocs package {case_folder.ref} --force", left_out)
    attachments = [calculation, *attachments]
    lawsuit_docx = render.generate(root, case_folder, step, today, out=work / "work" / "main",
                                   attachments=[(a.title, a.pages) for a in attachments])[0]
    lawsuit = Attachment(DOCUMENT_TITLES[step], lawsuit_docx)
    converter.prepare([lawsuit])
    everything = [lawsuit, *attachments]
    out = work / "package"
    files = _place_numbered(everything, out)
    write_bytes_atomic(out / MERGED_NAME, merged_pdf(everything, _heading(case, step, today), checklist.missing))
    return PackageResult(out, files, out / MERGED_NAME, step, checklist.missing, warnings, left_out)


def _choose(case_folder: CaseFolder, step: str, documents: list[intake.Document], planned: intake.Document,
            converter: _Converter, calculation: Attachment):
    """The attachments of the checklist, each copied and checked; a file that cannot be included is left out
    and the checklist is drawn again without it (a generated claim may stand in for a damaged scan, or the item
    becomes missing). Returns (attachments, checklist, «file: why» of the files left out)."""
    usable = list(documents)
    prepared: dict[Path, Attachment] = {}
    first = [calculation]
    while True:
        checklist = requirements.checklist(case_folder.case, step, [*usable, planned])
        chosen = _unique([Attachment(_title(d), intake.real_path(case_folder.path, d.relpath), d)
                          for item in checklist.items if item.key != "calculation" for d in _chosen(item, usable)])
        new = [a for a in chosen if a.source not in prepared]
        if not new and not first:
            break
        converter.prepare([*first, *new])
        first = []
        prepared.update((a.source, a) for a in new)
        failed = {a.doc.relpath for a in new if a.problem}
        usable = [d for d in usable if d.relpath not in failed]
    left_out = [f"{a.shown}: {a.problem}" for a in prepared.values() if a.problem]
    return [prepared[a.source] for a in chosen], checklist, left_out


def _court_step(result: CheckResult) -> str:
    """The package is for court: the case's court step, else the route's proceeding (`route.decide`)."""
    if result.checklist is not None and result.checklist.step in DOCUMENT_TITLES:
        return result.checklist.step
    return requirements.court_step(result.assessment.route)


def _chosen(item: requirements.Item, documents: list[intake.Document]) -> list[intake.Document]:
    """The files an item attaches: the clerk's (signed scans) when there are any, else generated ones."""
    by_path = {d.relpath: d for d in documents}
    docs = [by_path[f] for f in item.files if f in by_path]
    own = [d for d in docs if not d.generated]
    return own or docs


def _unique(attachments: list[Attachment]) -> list[Attachment]:
    """A file proving two things (a receipt listing both letters) is attached once."""
    seen: set[Path] = set()
    result = []
    for a in attachments:
        if a.source not in seen:
            seen.add(a.source)
            result.append(a)
    return result


def _title(doc: intake.Document) -> str:
    """A clerk who named the file said what it is; otherwise the kind says it, with the file name."""
    stem = nfc(doc.stem)
    title = stem if doc.source_of_kind == "name" else f"{doc.label} ({stem})"
    return title[:1].upper() + title[1:]


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


# --- conversion ----------------------------------------------------------------------------

class _Converter:
    """Copies each file into the build folder and gives it a checked PDF and its page count: PDFs as they are,
    images via fpdf2, office files via LibreOffice (one call per batch, working inside the build folder).
    A clerk's file that cannot be included gets `problem`; kezdocs's own documents are packaged as they are."""

    def __init__(self, work: Path, office: str | None, profile: Path, warnings: list[str]):
        self.work, self.office, self.profile, self.warnings = work, office, profile, warnings
        self.count = 0

    def prepare(self, attachments: list[Attachment]) -> None:
        pending = []
        for a in attachments:
            self.count += 1
            self._take(a, self.count)
            if a.problem is None and a.pdf is None and a.file.suffix in OFFICE_SUFFIXES and self.office:
                pending.append(a)
        if pending:
            self._convert(pending)
        for a in attachments:
            if a.pdf is not None and a.problem is None:
                a.pages, a.problem = check_pdf(a.pdf)
                if a.problem:
                    a.pdf = None
            if a.problem and a.doc is None:  # kezdocs's own lawsuit or calculation is never left out
                self.warnings.append(f"«{a.source.name}»: {a.problem} — упакован как есть")
                a.problem, a.pdf = None, None

    def _take(self, a: Attachment, n: int) -> None:
        suffix = a.source.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            a.problem = (f"формат «{suffix or 'без расширения'}» не принимается в пакет — "
                         "сохраните документ в PDF (или JPEG, PNG, DOCX)")
            return
        (self.work / "src").mkdir(parents=True, exist_ok=True)
        copy = self.work / "src" / f"{n:03d}{suffix}"  # numbered: two «скан.pdf» from two folders do not collide
        a.problem = _snapshot(a.source, copy)
        if a.problem:
            return
        a.file = copy
        if suffix == ".pdf":
            a.pdf = copy
        elif suffix in IMAGE_SUFFIXES:
            a.pdf, a.problem = _image_pdf(copy, self.work / "src" / f"{n:03d}.pdf")

    def _convert(self, pending: list[Attachment]) -> None:
        out = self.work / "pdf"
        try:
            render.convert_to_pdf([a.file for a in pending], out, workdir=self.work, profile=self.profile)
        except KezdocsError:
            pass  # which files did convert is seen below
        for a in pending:
            produced = out / f"{a.file.stem}.pdf"
            if produced.is_file():
                a.pdf = produced
            else:
                a.problem = "LibreOffice не смог преобразовать файл в PDF — файл повреждён или защищён паролем"


def _snapshot(source: Path, copy: Path) -> str | None:
    """Copy a file read into the build folder (the package is made from this copy, never from a file that
    changes meanwhile); a problem when it cannot be read or changed while being copied (still being copied)."""
    try:
        before = os.stat(source)
        handle = open(source, "rb")
    except OSError as exc:
        return f"файл не открывается: {exc.strerror or exc}"
    copied = 0
    with handle, open(copy, "wb") as out:
        while True:
            try:
                block = handle.read(1 << 20)
            except OSError as exc:
                return f"файл не читается: {exc.strerror or exc}"
            if not block:
                break
            out.write(block)
            copied += len(block)
        out.flush()
        os.fsync(out.fileno())
    try:
        after = os.stat(source)
    except OSError:
        return "файл исчез, пока его читали"
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or copied != after.st_size:
        return "файл ещё изменяется (идёт копирование?) — дождитесь его окончания и повторите"
    return None


def check_pdf(path: Path) -> tuple[int | None, str | None]:
    """(pages, None) for a PDF that can go into the package whole, else (None, why): a file cut short (still
    being copied: no «%%EOF» at its end), one pypdf cannot read or copy page by page, one with no pages."""
    from pypdf import PdfWriter

    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            handle.seek(max(0, size - PDF_TAIL))
            tail = handle.read()
    except OSError as exc:
        return None, f"файл не читается: {exc.strerror or exc}"
    if b"%%EOF" not in tail:
        return None, "PDF обрывается (нет конца файла) — файл ещё копируется или повреждён"
    with intake.quiet("pypdf"):
        try:
            reader = _open_pdf(path)
            pages = len(reader.pages)
            if pages:
                trial = PdfWriter()  # exactly what the merge will do, written to nowhere
                trial.append(reader)
                trial.write(_Sink())
        except Exception:  # noqa: BLE001 - any failure of a damaged file means: not in the package
            return None, "PDF не читается — файл повреждён или защищён паролем"
    if not pages:
        return None, "в PDF нет ни одной страницы"
    return pages, None


def _open_pdf(path: Path):
    """A reader; a PDF with an owner password only (no password to open) is opened as a viewer would."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt("")
    return reader


class _Sink(io.RawIOBase):
    """A stream that counts and forgets: a trial write costs no memory."""

    def __init__(self):
        super().__init__()
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position


def _image_pdf(source: Path, target: Path) -> tuple[Path | None, str | None]:
    """A scan saved as a picture becomes one A4 page; a picture cut short or damaged is a problem."""
    from PIL import Image

    from kezdocs.paperwork.pdftext import new_document

    try:
        with Image.open(source) as picture:
            picture.load()  # a file still being copied is cut short: decoding it whole fails
        pdf = new_document()
        pdf.add_page()
        pdf.image(str(source), x=pdf.l_margin, y=pdf.t_margin, w=pdf.epw, h=pdf.eph, keep_aspect_ratio=True)
        data = bytes(pdf.output())
    except Exception:  # noqa: BLE001 - a damaged picture is reported, the package goes on
        return None, "изображение не читается — файл повреждён или ещё копируется"
    target.write_bytes(data)
    return target, None


# --- output --------------------------------------------------------------------------------

def file_name(number: int, title: str, suffix: str) -> str:
    """«02 Расчёт задолженности и пени.pdf»: safe on Windows, short enough for court portals."""
    clean = sanitize_filename(title.replace("/", "-").replace("\\", "-"), platform="windows").strip(" .")
    if len(clean) > MAX_TITLE:
        clean = clean[:MAX_TITLE].rstrip(" .")
    return f"{number:02d} {clean or 'Документ'}{suffix}"


def _place_numbered(everything: list[Attachment], out: Path) -> list[Path]:
    """Move each attachment's PDF (or, without one, its copy) into `out` as «NN title.pdf», flushed to disk:
    every file read is already a copy inside the build folder, so a rename is enough."""
    out.mkdir()
    written = []
    for n, a in enumerate(everything, 1):
        source = a.pdf or a.file
        target = out / file_name(n, a.title, source.suffix.lower())
        with open(source, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(source, target)
        if a.pdf is not None:
            a.pdf = target
        else:
            a.file = target
        written.append(target)
    fsync_dir(out)
    return written


def merged_pdf(everything: list[Attachment], heading: str, missing: list[str]) -> bytes:
    """The inventory page, then every PDF with a bookmark of its number and title."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    inventory = inventory_pdf(everything, heading, missing)
    writer.append(PdfReader(io.BytesIO(inventory)), outline_item="Опись документов")
    with intake.quiet("pypdf"):
        for n, a in enumerate(everything, 1):
            if a.pdf is not None:
                writer.append(_open_pdf(a.pdf), outline_item=f"{n:02d} {a.title}")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def inventory_pdf(everything: list[Attachment], heading: str, missing: list[str]) -> bytes:
    """Опись: number, name, pages; what is missing (a package built with --force) goes first.

    A court document: it lists only what the package holds, and no program's words (no «--force»)."""
    from kezdocs.paperwork.pdftext import new_document

    pdf = new_document()
    pdf.add_page()
    pdf.set_font("roboto", "B", 14)
    pdf.multi_cell(0, 8, "Опись документов", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("roboto", "", 11)
    pdf.multi_cell(0, 6, heading, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    if missing:
        pdf.set_text_color(170, 0, 0)
        pdf.set_font("roboto", "B", 11)
        pdf.multi_cell(0, 6, "В комплекте документов не хватает:", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("roboto", "", 11)
        for m in missing:
            pdf.multi_cell(0, 6, f"• {m}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(4)
    with pdf.table(col_widths=(12, 140, 25), text_align=("CENTER", "LEFT", "CENTER")) as table:
        table.row(("№", "Наименование документа", "Листов"))
        for n, a in enumerate(everything, 1):
            note = "" if a.pdf else " (не PDF — в общий файл не вошёл)"
            table.row((str(n), a.title + note, str(a.pages) if a.pages else "—"))
        total = sum(a.pages or 0 for a in everything)
        table.row(("", "Всего листов", str(total)))
    return bytes(pdf.output())
