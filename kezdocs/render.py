"""Writing documents: find the template, fill it safely, name and keep the file, convert to PDF.

The shell around `documents` (which builds the data). Templates are DOCX
files filled by docxtpl in a sandboxed Jinja environment with autoescaping
(a name like «ООО «Ромашка & Сыновья» <1>» comes out exactly) and strict
undefined variables (a template that asks for data the document does not
have is refused, naming the template and the variable — never a document
with a silent gap). A root may override any default template by a file of
the same name in its `шаблоны/` folder.

Generated files go to the case's `Сформировано/` folder. Their SHA-256 is
kept in `Сформировано/.kezdocs-manifest.json`: a file edited since kezdocs
wrote it is never overwritten (the new one gets « (2)»); an unedited one is
replaced when the content changed and left alone when it did not.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from filelock import FileLock
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import missing as jinja_missing
from pathvalidate import sanitize_filename

from . import documents, payqr, workers
from .casefolder import GENERATED_DIR, CaseFolder, Root, nfc
from .documents import Facts, Kind
from .errors import KezdocsError
from .files import sha256 as file_sha256
from .files import write_bytes_atomic, write_text_atomic

USER_TEMPLATES = "шаблоны"
MANIFEST = ".kezdocs-manifest.json"
DEFAULT_ORIGIN = "по умолчанию"
QR_WIDTH_MM = 40
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


# --- templates ---------------------------------------------------------------------------------------

def default_templates_dir() -> Path:
    """The package's templates (`kezdocs.templates`), or the source tree's `templates/` when not installed."""
    try:
        return Path(str(resources.files("kezdocs.templates")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class TemplateSource:
    name: str
    path: Path
    origin: str  # «по умолчанию» or «шаблоны/»
    kinds: tuple[str, ...]  # codes of the document kinds that use it (empty: used by none)


def _user_templates(root: Root | None) -> dict[str, Path]:
    folder = root.path / USER_TEMPLATES if root else None
    if folder is None or not folder.is_dir():
        return {}
    return {nfc(p.name): p for p in sorted(folder.iterdir())
            if p.suffix.lower() == ".docx" and not p.name.startswith(("~$", ".~lock", "."))}


def _kinds_of(name: str) -> tuple[str, ...]:
    return tuple(k.code for k in documents.KINDS.values() if name in k.variants.values())


def find_template(root: Root | None, name: str) -> TemplateSource:
    """The root's own `шаблоны/<name>` when there is one, else the default."""
    own = _user_templates(root).get(nfc(name))
    if own is not None:
        return TemplateSource(name, own, f"{USER_TEMPLATES}/", _kinds_of(name))
    path = default_templates_dir() / name
    if not path.is_file():
        raise KezdocsError(f"шаблон «{name}» не найден ни в {USER_TEMPLATES}/, ни среди шаблонов по умолчанию ({path.parent})")
    return TemplateSource(name, path, DEFAULT_ORIGIN, _kinds_of(name))


def list_templates(root: Root | None) -> list[TemplateSource]:
    """Every template a document kind uses, where it comes from; then the root's files no kind uses."""
    found = [find_template(root, name) for name in documents.template_names()]
    known = set(documents.template_names())
    extra = [TemplateSource(name, path, f"{USER_TEMPLATES}/", ()) for name, path in _user_templates(root).items()
             if name not in known]
    return found + extra


# --- rendering ---------------------------------------------------------------------------------------

class _Fields(dict):
    """A context dictionary that knows its path, so a missing key is reported as «debtor.nme»."""

    __slots__ = ("_kez_path",)


def _wrap(value, path: str):
    if isinstance(value, dict):
        wrapped = _Fields((k, _wrap(v, f"{path}.{k}" if path else k)) for k, v in value.items())
        wrapped._kez_path = path
        return wrapped
    if isinstance(value, list):
        return [_wrap(v, f"{path}[]") for v in value]
    return value


class _Undefined(StrictUndefined):
    """StrictUndefined with the full dotted name of what is missing."""

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        parent = getattr(self._undefined_obj, "_kez_path", None) if self._undefined_obj is not jinja_missing else None
        return f"«{parent}.{self._undefined_name}»" if parent else f"«{self._undefined_name}»"


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """One sandboxed, autoescaping, strict environment per process."""
    return SandboxedEnvironment(undefined=_Undefined, autoescape=True)


_TEMPLATE_CACHE: dict[tuple[str, int, int], bytes] = {}


def _template_bytes(path: Path) -> bytes:
    """The template file, read once per process while it is unchanged."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _TEMPLATE_CACHE:
        _TEMPLATE_CACHE[key] = path.read_bytes()
    return _TEMPLATE_CACHE[key]


def render_bytes(source: TemplateSource, context: dict) -> bytes:
    """Fill a template; a template error becomes a Russian `KezdocsError` naming the template."""
    shown = f"«{source.name}» ({source.origin})"
    try:
        tpl = DocxTemplate(io.BytesIO(_template_bytes(source.path)))
        data = _wrap({k: v for k, v in context.items() if k != "qr"}, "")
        if "qr" in context:
            data["qr"] = InlineImage(tpl, io.BytesIO(payqr.qr_png(context["qr"])), width=Mm(QR_WIDTH_MM))
        tpl.render(data, jinja_env=environment(), autoescape=True)
        _tidy(tpl.docx)
        buffer = io.BytesIO()
        tpl.save(buffer)
    except UndefinedError as exc:
        raise KezdocsError(f"шаблон {shown}: переменная {exc.message} не определена — таких данных у документа нет "
                           "(список переменных: kezdocs templates vars)") from None
    except TemplateSyntaxError as exc:
        raise KezdocsError(f"шаблон {shown}: ошибка в записи шаблона (строка {exc.lineno} XML): {exc.message}") from None
    except SecurityError as exc:
        raise KezdocsError(f"шаблон {shown}: недопустимое выражение: {exc}") from None
    except TemplateError as exc:
        raise KezdocsError(f"шаблон {shown}: {exc}") from None
    except (zipfile.BadZipFile, KeyError) as exc:
        raise KezdocsError(f"шаблон {shown} — не документ DOCX: {exc}") from None
    return _stable_zip(buffer.getvalue())


_DOUBLE_PERIOD = re.compile(r"(?<=[а-яёА-ЯЁ]\.)\.(?!\.)")


def _tidy(docx) -> None:
    """Drop the period a template puts after a value that already ends with one («2026 г.», «руб.»)."""
    for node in docx.element.body.iter(qn("w:t")):
        if node.text and ".." in node.text:
            node.text = _DOUBLE_PERIOD.sub("", node.text)


def _stable_zip(data: bytes) -> bytes:
    """The same document gives the same bytes: fixed entry times, so unchanged output is recognised."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, _ZIP_TIME), src.read(info.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --- one case ------------------------------------------------------------------------------------------

def file_name(kind: Kind, case_number: str, today: date, suffix: str = "") -> str:
    """«2026-11-24 Требование (претензия) 2024-017 (по ЕГРЮЛ).docx», safe on Windows."""
    tail = f" ({suffix})" if suffix else ""
    return sanitize_filename(f"{today.isoformat()} {kind.title} {case_number}{tail}.docx", platform="windows",
                             replacement_text="-")


def facts_for(root: Root, folder: CaseFolder, kind: Kind, today: date,
              attachments: Iterable[tuple[str, int | None]] | None = None) -> Facts:
    """Everything the document is built from, computed from the root's settings, key rates and calendar."""
    from .penalty import for_case
    from .stages import assess

    case = folder.case
    calc = for_case(case, today, root.rates)
    assessment = assess(case, today, root.calendar, root.settings.thresholds)
    files = ()
    if "attachments" in kind.groups and attachments is None:
        files = tuple((f.relpath, _pages(folder.path / f.relpath)) for f in folder.files)
    chosen = None if attachments is None else tuple(attachments)
    return Facts(case, root.settings, today, calc, assessment, chosen, files)


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
    lacking = documents.missing(kind, facts)
    if lacking:
        raise KezdocsError(f"дело {folder.ref}: для документа «{kind.title}» не хватает данных:\n"
                           + "\n".join(f"  • {item}" for item in lacking))
    return [(file_name(kind, folder.case.number, today, doc.suffix), render_bytes(find_template(root, doc.template), doc.context))
            for doc in documents.build(kind, facts)]


def generate(root: Root, folder: CaseFolder | Path, kind: Kind | str, today: date, out: Path | None = None,
             attachments: Iterable[tuple[str, int | None]] | None = None) -> list[Path]:
    """Write one document kind for one case into `Сформировано/` (or `out`); the paths written or kept.

    `folder` is a loaded case folder or its path. `attachments` (title, pages
    or None) replaces the attachment list a lawsuit or a court-order
    application would derive from the case folder.
    """
    if not isinstance(folder, CaseFolder):
        folder = root.load(Path(folder))
    rendered = render_case(root, folder, kind, today, attachments)
    return store(root, Path(out) if out else folder.path / GENERATED_DIR, rendered)


KINDS = documents.KINDS  # code -> Kind, for callers that only know this module


def due_kinds(record: dict) -> list[str]:
    """The kinds a case's status record (`cases.status`) calls for now: by «stage», «route» and «next_action»."""
    accounts_known = "в банк" in (record.get("next_action") or "")
    return [code for code, kind in KINDS.items()
            if documents.due(kind, record.get("stage") or "", record.get("route"), accounts_known)]


# --- keeping files -----------------------------------------------------------------------------------

def store(root: Root, directory: Path, rendered: list[tuple[str, bytes]]) -> list[Path]:
    """Write rendered files, never over a file edited since kezdocs wrote it (see the module docstring)."""
    directory.mkdir(parents=True, exist_ok=True)
    root.own_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(root.own_dir / "generate.lock"), timeout=60):
        manifest = _read_manifest(directory)
        paths = [_store_one(directory, name, data, manifest) for name, data in rendered]
        write_text_atomic(directory / MANIFEST, json.dumps({"version": 1, "files": manifest}, ensure_ascii=False,
                                                           indent=1, sort_keys=True))
    return paths


def _read_manifest(directory: Path) -> dict[str, str]:
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return {k: v for k, v in files.items() if isinstance(v, str)} if isinstance(files, dict) else {}


def _store_one(directory: Path, name: str, data: bytes, manifest: dict[str, str]) -> Path:
    digest = hashlib.sha256(data).hexdigest()
    stem, dot, ext = name.rpartition(".")
    version = 1
    while True:
        candidate = name if version == 1 else f"{stem} ({version}){dot}{ext}"
        path = directory / candidate
        if not path.exists():
            break
        if manifest.get(candidate) == file_sha256(path):  # ours and unedited
            if manifest[candidate] == digest:
                return path
            break
        version += 1
    write_bytes_atomic(path, data)
    manifest[candidate] = digest
    return path


# --- every case --------------------------------------------------------------------------------------

@dataclass
class BatchResult:
    """What `generate_all` did: files per case, cases skipped with the reason, cases that need nothing."""

    written: list[tuple[str, list[Path]]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    not_needed: list[str] = field(default_factory=list)


def _work(folder_path: str, kind_code: str, today: date, select: bool, root: Root | None = None) -> tuple[str, str, object]:
    """Render one case in a worker: ("written", ref, files) | ("skipped", ref, reason) | ("not_needed", ref, None)."""
    from .stages import assess

    root = root or workers.root()
    folder = root.load(Path(folder_path))
    kind = documents.KINDS[kind_code]
    if folder.case is None:
        return "skipped", folder.ref, f"в карточке ошибок: {len(folder.problems)} (подробно: kezdocs status \"{folder.name}\")"
    if select and not documents.needed(kind, folder.case, assess(folder.case, today, root.calendar,
                                                                  root.settings.thresholds)):
        return "not_needed", folder.ref, None
    try:
        return "written", folder.ref, render_case(root, folder, kind, today)
    except KezdocsError as exc:
        return "skipped", folder.ref, str(exc)


def generate_all(root: Root, kind: Kind | str, today: date, out: Path | None = None, select: bool = True,
                 on_progress: Callable[[str], None] | None = None, processes: int | None = None) -> BatchResult:
    """Write the document for every case whose stage needs it now (all valid cases when `select` is False).

    Rendering runs in `processes` workers (default: one per core); the files are written here, one
    case at a time. A case with missing data is skipped with the reason; the
    others are generated.
    """
    kind = _kind(kind)
    folders = [str(p) for p in root.case_folders()]
    result = BatchResult()
    tasks = [(f, kind.code, today, select) for f in folders]
    for folder_path, (status, ref, payload) in zip(folders, _run(root, tasks, processes or workers.count())):
        if status == "written":
            directory = Path(out) if out else Path(folder_path) / GENERATED_DIR
            result.written.append((ref, store(root, directory, payload)))
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
    return kind if isinstance(kind, Kind) else documents.resolve_kind(kind)


# --- PDF -----------------------------------------------------------------------------------------------

_WINDOWS_SOFFICE = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((p for p in _WINDOWS_SOFFICE if os.path.isfile(p)), None)


def convert_to_pdf(paths: Iterable[Path], outdir: Path | None = None) -> list[Path]:
    """Convert DOCX files to PDF with LibreOffice in ONE headless call; each PDF goes to `outdir` or beside its DOCX.

    A private LibreOffice profile is used, so a LibreOffice window the user has
    open does not swallow the conversion.
    """
    sources = [Path(p) for p in paths]
    if not sources:
        return []
    exe = soffice()
    if exe is None:
        raise KezdocsError("для PDF нужен LibreOffice, а он не установлен (не найдена программа soffice). "
                           "Установите LibreOffice (https://ru.libreoffice.org) или сохраните документы в PDF из Word; "
                           "документы DOCX сформированы.")
    with tempfile.TemporaryDirectory(prefix="kezdocs-pdf-") as tmp:
        work = Path(tmp)
        inputs = []
        for i, src in enumerate(sources):
            copy = work / f"{i}{src.suffix.lower()}"
            shutil.copyfile(src, copy)
            inputs.append(str(copy))
        command = [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(work / "pdf"), *inputs]
        try:
            subprocess.run(command, capture_output=True, timeout=120 + 10 * len(sources), check=False)
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
    if failed:
        raise KezdocsError("LibreOffice не смог преобразовать в PDF: " + ", ".join(failed))
    return written


# --- checking templates -------------------------------------------------------------------------------

@dataclass(frozen=True)
class TemplateReport:
    source: TemplateSource
    unknown: tuple[str, ...]  # names the template uses that its documents do not have
    unused: tuple[str, ...]  # data groups of its kind (beyond the common ones) the template does not use
    error: str | None  # the rendering error against the sample case, if any

    @property
    def ok(self) -> bool:
        return not self.unknown and self.error is None


def check_templates(root: Root | None) -> list[TemplateReport]:
    """Render every template against the sample case; list unknown and unused variables."""
    reports = []
    for source in list_templates(root):
        if not source.kinds:
            reports.append(TemplateReport(source, (), (), "ни один вид документа не использует шаблон с таким именем"))
            continue
        kind = documents.KINDS[source.kinds[0]]
        variant = next(v for v, name in kind.variants.items() if name == source.name)
        context = documents.build(kind, documents.sample_facts(_sample_type(variant)))[0].context
        try:
            used = DocxTemplate(io.BytesIO(_template_bytes(source.path))).get_undeclared_template_variables(environment())
        except (TemplateError, zipfile.BadZipFile, KeyError) as exc:
            reports.append(TemplateReport(source, (), (), f"шаблон не читается: {exc}"))
            continue
        unknown = tuple(sorted(used - set(context)))
        unused = tuple(sorted(set(kind.groups) - used))  # the common groups are there for every template
        error = None
        if not unknown:
            try:
                render_bytes(source, context)
            except KezdocsError as exc:
                error = str(exc)
        reports.append(TemplateReport(source, unknown, unused, error))
    return reports


def _sample_type(variant: str):
    """A person for the ГПК variant of a template, an organisation otherwise."""
    from .model import DebtorType

    return DebtorType.PERSON if variant == documents.GPK else DebtorType.LEGAL


def variables() -> list[tuple[str, str, str]]:
    """(variable, description, example) for every variable, examples from the sample cases."""
    from .model import DebtorType

    examples: dict[str, object] = {}
    for debtor_type in (DebtorType.LEGAL, DebtorType.ENTREPRENEUR, DebtorType.PERSON):
        facts = documents.sample_facts(debtor_type)
        for kind in documents.KINDS.values():
            for path, value in documents.flatten(documents.build(kind, facts)[0].context).items():
                if examples.get(path) in (None, "", False):
                    examples[path] = value
    return [(path, text, _example_text(path, examples.get(path, ""))) for path, text in documents.VARIABLES.items()]


def _example_text(path: str, value: object) -> str:
    if path == "qr":
        return "картинка QR-кода (в шаблоне — {{ qr }} в отдельном абзаце)"
    if isinstance(value, bool):
        return "да / нет"
    return str(value).replace("\u00a0", " ") or "—"
