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
"""
from __future__ import annotations

import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pathvalidate import sanitize_filename

from . import intake, render, requirements, stages
from .casefolder import GENERATED_DIR, CaseFolder, Root, nfc
from .errors import KezdocsError
from .files import write_bytes_atomic
from .model import Problem

PACKAGE_DIR = intake.PACKAGE_PREFIX + "{day}"  # Сформировано/Пакет 2024-05-20
MERGED_NAME = "Пакет одним файлом.pdf"
CALCULATION_TITLE = "Расчёт задолженности и пени"
DOCUMENT_TITLES = {"lawsuit": "Исковое заявление", "court-order": "Заявление о выдаче судебного приказа"}
OFFICE_SUFFIXES = {".docx", ".doc", ".odt", ".rtf", ".xlsx", ".xls", ".ods", ".txt"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
MAX_TITLE = 100  # characters of a file name's title part: court portals and Windows paths are short
_OWN_FILE = re.compile(r"^\d{2} .+\.\w+$")


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
    assessment = stages.assess(folder.case, today, root.calendar, root.settings.thresholds)
    if step is None:
        step = requirements.next_step(assessment.stage, assessment.route, bool(folder.case.debtor.bank_accounts))
    checklist = requirements.checklist(folder.case, step, documents) if step else None
    return CheckResult(folder, documents, checklist, [*root.root_problems, *file_problems], assessment)


# --- build ---------------------------------------------------------------------------------

@dataclass
class Attachment:
    title: str
    source: Path  # the file read (a clerk's file, or one generated in the work folder)
    pdf: Path | None = None  # the PDF to package; None when it could not be made
    pages: int | None = None


@dataclass
class PackageResult:
    folder: Path  # Сформировано/Пакет <date>
    files: list[Path]  # the numbered files, in order
    merged: Path
    step: str
    missing: list[str]
    warnings: list[str] = field(default_factory=list)


def build(root: Root, ref: str, today: date, force: bool = False) -> PackageResult:
    """Write the package of the case's court step; refuse when something is missing, unless `force`."""
    result = check(root, ref, today)
    step = _court_step(result)
    case_folder, case = result.folder, result.folder.case
    planned = intake.Document(f"{GENERATED_DIR}/{CALCULATION_TITLE}.pdf", "calculation",
                              intake.KINDS["calculation"], today, (), "name")
    checklist = requirements.checklist(case, step, [*result.documents, planned])
    if not checklist.ready and not force:
        raise KezdocsError("пакет не сформирован — не хватает документов:\n"
                           + "\n".join(f"  • {m}" for m in checklist.missing)
                           + f"\nСписок: kezdocs check {ref} --step {step}; сформировать всё равно: --force")
    warnings = [str(p) for p in result.problems]
    office = render.soffice()
    if office is None:
        warnings.append("LibreOffice не установлен: файлы Word упакованы как есть и не вошли в общий PDF "
                        "(установите LibreOffice и повторите kezdocs package)")
    with tempfile.TemporaryDirectory(prefix="kezdocs-package-") as tmp:
        work = Path(tmp)
        calculation = render.generate(root, case_folder, "calculation", today, out=work / "calc")[0]
        attachments = _unique([Attachment(CALCULATION_TITLE, calculation)] + [
            Attachment(_title(d), intake.real_path(case_folder.path, d.relpath))
            for item in checklist.items if item.key != "calculation" for d in _chosen(item, result.documents)])
        _to_pdf(attachments, work / "att", office, warnings)
        lawsuit_docx = render.generate(root, case_folder, step, today, out=work / "main",
                                       attachments=[(a.title, a.pages) for a in attachments])[0]
        lawsuit = Attachment(DOCUMENT_TITLES[step], lawsuit_docx)
        _to_pdf([lawsuit], work / "main-pdf", office, warnings)
        everything = [lawsuit, *attachments]
        target = case_folder.path / GENERATED_DIR / PACKAGE_DIR.format(day=today.isoformat())
        files = _write_numbered(everything, target)
        merged = target / MERGED_NAME
        write_bytes_atomic(merged, merged_pdf(everything, _heading(case, step, today), checklist.missing))
    return PackageResult(target, files, merged, step, checklist.missing, warnings)


def _court_step(result: CheckResult) -> str:
    """The package is for court: the case's court step, else the one its route suggests."""
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


# --- conversion ----------------------------------------------------------------------------

def _to_pdf(attachments: list[Attachment], work: Path, office: str | None, warnings: list[str]) -> None:
    """Give each attachment a PDF and its page count: PDFs as they are, images via fpdf2, office files
    via one LibreOffice call (without `office` they keep no PDF and are packaged as they are)."""
    work.mkdir(parents=True, exist_ok=True)
    pending: list[tuple[Attachment, Path]] = []
    for n, a in enumerate(attachments):
        suffix = a.source.suffix.lower()
        if suffix == ".pdf":
            a.pdf = a.source
        elif suffix in IMAGE_SUFFIXES:
            a.pdf = _image_pdf(a.source, work / f"{n:03d}.pdf", warnings)
        elif suffix in OFFICE_SUFFIXES and office:
            copy = work / f"{n:03d}{suffix}"  # numbered copies: two «скан.docx» from two folders do not collide
            shutil.copyfile(a.source, copy)
            pending.append((a, copy))
    if pending:
        try:
            render.convert_to_pdf([c for _, c in pending], work / "pdf")
        except KezdocsError as exc:  # what did convert is used; the rest is packaged as it is
            warnings.append(f"{exc}: такие файлы упакованы как есть")
        for a, copy in pending:
            produced = work / "pdf" / f"{copy.stem}.pdf"
            a.pdf = produced if produced.is_file() else None
    for a in attachments:
        a.pages = _page_count(a, warnings) if a.pdf else None


def _image_pdf(source: Path, target: Path, warnings: list[str]) -> Path | None:
    """A scan saved as a picture becomes one A4 page."""
    from .pdftext import new_document

    pdf = new_document()
    pdf.add_page()
    try:
        pdf.image(str(source), x=pdf.l_margin, y=pdf.t_margin, w=pdf.epw, h=pdf.eph, keep_aspect_ratio=True)
    except Exception as exc:  # noqa: BLE001 - a damaged picture is reported, the package goes on
        warnings.append(f"«{source.name}»: изображение не читается ({type(exc).__name__}), файл упакован как есть")
        return None
    target.write_bytes(bytes(pdf.output()))
    return target


def _page_count(a: Attachment, warnings: list[str]) -> int | None:
    from pypdf import PdfReader

    try:
        return len(PdfReader(a.pdf).pages)
    except Exception as exc:  # noqa: BLE001 - a damaged PDF is reported by intake too; keep it out of the merge
        warnings.append(f"«{a.source.name}»: PDF повреждён ({type(exc).__name__}) — не вошёл в общий файл")
        a.pdf = None
        return None


# --- output --------------------------------------------------------------------------------

def file_name(number: int, title: str, suffix: str) -> str:
    """«02 Расчёт задолженности и пени.pdf»: safe on Windows, short enough for court portals."""
    clean = sanitize_filename(title.replace("/", "-").replace("\\", "-"), platform="windows").strip(" .")
    if len(clean) > MAX_TITLE:
        clean = clean[:MAX_TITLE].rstrip(" .")
    return f"{number:02d} {clean or 'Документ'}{suffix}"


def _write_numbered(everything: list[Attachment], target: Path) -> list[Path]:
    """Write «NN title.pdf» files; earlier numbered files of the same day's package are replaced."""
    names = [file_name(n, a.title, ".pdf" if a.pdf else a.source.suffix.lower()) for n, a in enumerate(everything, 1)]
    if target.is_dir():
        for old in target.iterdir():
            if old.is_file() and _OWN_FILE.match(nfc(old.name)) and nfc(old.name) not in names:
                old.unlink()
    written = []
    for name, a in zip(names, everything):
        write_bytes_atomic(target / name, (a.pdf or a.source).read_bytes())
        written.append(target / name)
    return written


def merged_pdf(everything: list[Attachment], heading: str, missing: list[str]) -> bytes:
    """The inventory page, then every PDF with a bookmark of its number and title."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    inventory = inventory_pdf(everything, heading, missing)
    writer.append(PdfReader(io.BytesIO(inventory)), outline_item="Опись документов")
    for n, a in enumerate(everything, 1):
        if a.pdf is not None:
            writer.append(PdfReader(a.pdf), outline_item=f"{n:02d} {a.title}")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def inventory_pdf(everything: list[Attachment], heading: str, missing: list[str]) -> bytes:
    """Опись: number, name, pages; what is missing (a package built with --force) goes first."""
    from .pdftext import new_document

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
        pdf.multi_cell(0, 6, "Пакет сформирован с --force, не хватает документов:", new_x="LMARGIN", new_y="NEXT")
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
