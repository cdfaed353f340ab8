"""Writing documents: find the template, fill it safely, name and keep the file, convert to PDF.

The shell around `documents` (which builds the data). Templates are DOCX
files filled by docxtpl in a sandboxed Jinja environment with autoescaping
(a name like «ООО «Ромашка & Сыновья» <1>» comes out exactly) and strict
undefined variables (a template that asks for data the document does not
have is refused, naming the template and the variable — never a document
with a silent gap). A root may override any default template by a file of
the same name in its `шаблоны/` folder. Such a template is a program from
outside: it is filled in a helper process stopped after `TEMPLATE_SECONDS`
or past `TEMPLATE_MEMORY`; the sandbox bounds `*` and `**` (`MAX_TEXT`,
`MAX_POWER_BITS`) and the output (`MAX_OUTPUT`) for every template, and
`{% include %}`/`{% import %}`/`{% extends %}` are refused with a message.

Generated files go to the case's `Сформировано/` folder, named by
`file_name` (no control or bidi characters, at most `MAX_NAME_BYTES`, never
two alike in one run). Their SHA-256 is kept in
`Сформировано/.kezdocs-manifest.json`: a file edited since kezdocs wrote it
is never overwritten (the new one gets « (2)»); an unedited one is replaced
when the content changed and left alone when it did not. The hashes about to
be written are recorded as «pending» before the files, so a run killed
between a file and the manifest leaves nothing that looks like a clerk's edit.
"""
from __future__ import annotations

import difflib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
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
from jinja2 import BaseLoader, StrictUndefined, Template, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import MAX_RANGE, SandboxedEnvironment
from jinja2.utils import missing as jinja_missing
from pathvalidate import sanitize_filename

from kezdocs.core import documents

from kezdocs.core import payqr

from kezdocs.core import stages

from kezdocs.folders import workers
from kezdocs.folders.casefolder import GENERATED_DIR, CaseFolder, Root, nfc
from kezdocs.core.documents import Facts, Kind
from kezdocs.core.errors import KezdocsError
from kezdocs.folders.files import sha256 as file_sha256
from kezdocs.folders.files import os_error_reason, remove_stale_temp, write_bytes_atomic, write_text_atomic
from kezdocs.folders.locks import held

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


def copy_template(root: Root, name: str) -> Path:
    """Put a default template into the root's `шаблоны/` for the user to edit in Word; returns the new file.

    Never over a template the root already has (that may be a clerk's work): the file is written only if it
    still does not exist at the moment of the rename. `name` may omit «.docx».
    """
    names = documents.template_names()
    stem = nfc(name.strip()).lower()
    stem = stem[:-len(".docx")] if stem.endswith(".docx") else stem
    wanted = f"{stem}.docx"
    if wanted not in names:
        stems = {n.removesuffix(".docx"): n for n in names}
        hint = difflib.get_close_matches(stem, list(stems), n=1, cutoff=0.5)
        tip = f"; может быть, «{stems[hint[0]]}»?" if hint else ""
        raise KezdocsError(f"шаблона «{name}» нет среди шаблонов по умолчанию ({', '.join(names)}){tip}")
    if not root.path.is_dir():
        raise KezdocsError(f"папка с делами не найдена: {root.path} (укажите её: --root ПАПКА)")
    target = root.path / USER_TEMPLATES / wanted
    refused = KezdocsError(f"свой шаблон {USER_TEMPLATES}/{wanted} уже есть, он не перезаписывается "
                           f"({target}); чтобы взять шаблон по умолчанию заново, переименуйте или удалите свой")
    if wanted in _user_templates(root) or target.exists():
        raise refused
    if not write_bytes_atomic(target, (default_templates_dir() / wanted).read_bytes(), expected=None):
        raise refused
    return target


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


# Limits on a root's own templates (`шаблоны/`): a template is a program, and a user's may never end or may
# ask for gigabytes. They are filled in a helper process (workers.limited) that is stopped past these limits.
TEMPLATE_SECONDS = 10  # to fill one document (the default templates take a tenth of a second)
TEMPLATE_MEMORY = 512 << 20  # bytes of address space for the process that fills it (it needs ~200 МБ)
MAX_TEMPLATE_BYTES = 50 << 20  # a template file
# Limits the sandbox itself enforces, for every template, in any process:
MAX_TEXT = 1_000_000  # characters (or items) one expression may make: 'x' * n, [1] * n
MAX_POWER_BITS = 100_000  # bits of an integer power: 10 ** n
MAX_OUTPUT = 20_000_000  # characters one part of a document (its body, a header) may come to


class TemplateLimitError(SecurityError):
    """A template asked for more than a limit allows; the message is Russian, for the user."""


class IncludeRefused(TemplateError):
    """`{% include %}`, `{% import %}`, `{% extends %}`: a DOCX template cannot take text from another file."""


class _RefusingLoader(BaseLoader):
    """The loader behind include/import/extends: refuses with a message instead of «no loader» (a traceback)."""

    def get_source(self, environment, template):
        raise IncludeRefused(template)


class _BudgetTemplate(Template):
    """A template whose output is counted while it is made and stopped past `MAX_OUTPUT` characters."""

    def render(self, *args, **kwargs) -> str:
        context = self.new_context(dict(*args, **kwargs))
        parts, size = [], 0
        try:
            for chunk in self.root_render_func(context):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise TemplateLimitError(f"документ получается длиннее {_count(MAX_OUTPUT)} знаков")
                parts.append(chunk)
        except Exception:
            self.environment.handle_exception()
        return "".join(parts)


def _count(n: int) -> str:
    """«20 000 000»: digits grouped by a non-breaking space, as Russian text writes them."""
    return f"{n:,}".replace(",", "\u00a0")


def _check_repeat(sequence, times) -> None:
    if isinstance(sequence, (str, bytes, list, tuple)) and isinstance(times, int) and len(sequence) * times > MAX_TEXT:
        raise TemplateLimitError(f"умножение даёт {_count(len(sequence) * times)} знаков или элементов, "
                                 f"а предел — {_count(MAX_TEXT)}")


def _check_power(base, exponent) -> None:
    if (isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1
            and base.bit_length() * exponent > MAX_POWER_BITS):
        raise TemplateLimitError(f"степень {base} ** {exponent} слишком велика")


class _Environment(SandboxedEnvironment):
    """The sandbox with bounded `*` and `**` (Jinja's own sandbox bounds only `range`), counted output and no loader."""

    intercepted_binops = frozenset({"*", "**"})
    template_class = _BudgetTemplate

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
        elif operator == "**":
            _check_power(left, right)
        return super().call_binop(context, operator, left, right)


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """One sandboxed, autoescaping, strict environment per process."""
    return _Environment(undefined=_Undefined, autoescape=True, loader=_RefusingLoader())


_TEMPLATE_CACHE: dict[tuple[str, int, int], bytes] = {}


def _template_key(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return str(path), st.st_size, st.st_mtime_ns


def _template_bytes(path: Path) -> bytes:
    """The template file, read once per process while it is unchanged."""
    key = _template_key(path)
    if key not in _TEMPLATE_CACHE:
        _TEMPLATE_CACHE[key] = path.read_bytes()
    return _TEMPLATE_CACHE[key]


def _shown(source: TemplateSource) -> str:
    return f"«{source.name}» ({source.origin})"


def render_bytes(source: TemplateSource, context: dict) -> bytes:
    """Fill a template; a template error becomes a Russian `KezdocsError` naming the template.

    The default templates are filled here; a root's own template in a helper
    process under `TEMPLATE_SECONDS` and `TEMPLATE_MEMORY` (see `_limited`).
    """
    if source.origin == DEFAULT_ORIGIN:
        return fill(_template_bytes(source.path), _shown(source), context)
    return _limited(fill, source, context)


# User templates that ran over a limit in this process (unchanged since): refused at once for REFUSED_SECONDS,
# then tried again — a slow moment of an overloaded machine must not shut a good template out of `watch` for good.
REFUSED_SECONDS = 600
_REFUSED: dict[tuple[str, int, int], tuple[str, float]] = {}


def _limited(func, source: TemplateSource, *args):
    """`func(template bytes, shown name, *args)` for a root's own template, under the time and memory limits.

    A template that ran over a limit is refused at once for `REFUSED_SECONDS`
    (while the file is unchanged): `generate --all` does not wait
    `TEMPLATE_SECONDS` for every case.
    """
    shown = _shown(source)
    try:
        key = _template_key(source.path)
        if key[1] > MAX_TEMPLATE_BYTES:
            raise KezdocsError(f"шаблон {shown}: файл больше {MAX_TEMPLATE_BYTES >> 20} МБ — это не шаблон документа")
        refused = _REFUSED.get(key)
        if refused and time.monotonic() - refused[1] < REFUSED_SECONDS:
            raise KezdocsError(refused[0])
        data = _template_bytes(source.path)
    except OSError as exc:
        raise KezdocsError(f"шаблон {shown} не читается: {exc.strerror or exc}") from None
    try:
        return workers.limited(func, data, shown, *args, seconds=TEMPLATE_SECONDS, memory=TEMPLATE_MEMORY)
    except workers.LimitExceeded as exc:
        if exc.what == "start":
            raise KezdocsError(f"шаблон {shown}: не удалось запустить процесс, в котором заполняются свои шаблоны "
                               "(шаблоны/); документ не сформирован") from None
        if exc.what == "time":
            message = (f"шаблон {shown}: заполнение не закончилось за {TEMPLATE_SECONDS} с и прервано — "
                       "вероятно, в шаблоне слишком большой или бесконечный цикл ({% for %}); документ не сформирован")
        else:
            message = (f"шаблон {shown}: заполнение потребовало больше {TEMPLATE_MEMORY >> 20} МБ памяти и прервано; "
                       "документ не сформирован")
        _REFUSED[key] = message, time.monotonic()
        raise KezdocsError(message) from None


def fill(data: bytes, shown: str, context: dict) -> bytes:
    """Fill the template `data` (a DOCX) with `context`; any failure is a `KezdocsError` naming the template `shown`."""
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        values = _wrap({k: v for k, v in context.items() if k != "qr"}, "")
        if "qr" in context:
            values["qr"] = InlineImage(tpl, io.BytesIO(payqr.qr_png(context["qr"])), width=Mm(QR_WIDTH_MM))
        tpl.render(values, jinja_env=environment(), autoescape=True)
        _tidy(tpl.docx)
        buffer = io.BytesIO()
        tpl.save(buffer)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - every failure of a template is the template's, told in Russian
        raise KezdocsError(_template_error(shown, exc)) from None
    return _stable_zip(buffer.getvalue())


def _template_error(shown: str, exc: Exception) -> str:
    """What went wrong in a template, in Russian."""
    if isinstance(exc, UndefinedError):
        return (f"шаблон {shown}: переменная {exc.message} не определена — таких данных у документа нет "
                "(список переменных: kezdocs templates vars)")
    if isinstance(exc, TemplateSyntaxError):
        return f"шаблон {shown}: ошибка в записи шаблона (строка {exc.lineno} XML): {exc.message}"
    if isinstance(exc, IncludeRefused):
        return (f"шаблон {shown}: подключение другого шаблона («{exc.message}») командами {{% include %}}, "
                "{% import %} или {% extends %} не поддерживается — перенесите нужный текст в сам шаблон")
    if isinstance(exc, TemplateLimitError):
        return f"шаблон {shown}: {exc}; документ не сформирован"
    if isinstance(exc, OverflowError) and "MAX_RANGE" in str(exc):
        return f"шаблон {shown}: range() больше {_count(MAX_RANGE)} элементов не допускается"
    if isinstance(exc, SecurityError):
        return f"шаблон {shown}: недопустимое выражение: {exc}"
    if isinstance(exc, TemplateError):
        return f"шаблон {shown}: {exc}"
    if isinstance(exc, (zipfile.BadZipFile, KeyError)):
        return f"шаблон {shown} — не документ DOCX: {exc}"
    return f"шаблон {shown}: не удалось заполнить ({type(exc).__name__}: {exc})"


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

# A generated file's name, in UTF-8 bytes: « (12)» and « 2» still fit under the 255 bytes of every file system,
# and the whole path stays short enough for Windows' 260 characters in an ordinary folder.
MAX_NAME_BYTES = 200
NAME_HASH = 6  # hex digits of the whole text written after a cut part of a name: cut names stay distinct
DOCX = ".docx"
_DROPPED = frozenset({"Cf", "Cs", "Co", "Cn"})  # format (bidi overrides, zero-width), surrogates, private, unassigned
_SPACES = frozenset({"Cc", "Zl", "Zp", "Zs"})  # control characters and line breaks become plain spaces


def file_name(kind: Kind, case_number: str, today: date, suffix: str = "") -> str:
    """«2026-11-24 Требование (претензия) 2024-017 (по ЕГРЮЛ).docx», safe on Windows.

    No control or bidi characters (U+202E would show «xcod.exe» as «exe.docx»);
    at most `MAX_NAME_BYTES`: a long case number and a long address part are
    cut, each keeping a short hash of its whole text, so that the extension and
    the distinguishing address part always remain.
    """
    head = f"{today.isoformat()} {kind.title} "
    number, tail = name_part(case_number) or "без номера", name_part(suffix)
    room = MAX_NAME_BYTES - _size(head) - _size(DOCX) - (_size(" ()") if tail else 0)
    tail_room = min(_size(tail), max(room // 2, room - _size(number)))
    name = head + _cut(number, room - tail_room) + (f" ({_cut(tail, tail_room)})" if tail else "") + DOCX
    return sanitize_filename(name, platform="windows", replacement_text="-")


def name_part(text: str) -> str:
    """`text` fit for a file name: format and control characters gone, white space as single spaces."""
    kept = "".join(" " if unicodedata.category(ch) in _SPACES else ch for ch in nfc(text)
                   if unicodedata.category(ch) not in _DROPPED)
    return " ".join(kept.split())


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut(text: str, limit: int) -> str:
    """`text` in at most `limit` UTF-8 bytes, never splitting a character; a cut text ends with «…» and a hash."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    mark = "…" + hashlib.sha256(data).hexdigest()[:NAME_HASH]
    return data[:max(0, limit - _size(mark))].decode("utf-8", "ignore").rstrip(" .-") + mark


def distinct_names(names: list[str]) -> list[str]:
    """The names with a repeated one (ignoring case, as Windows does) numbered « 2», « 3»… before the extension."""
    seen: set[str] = set()
    result = []
    for name in names:
        stem, dot, ext = name.rpartition(".")
        candidate, n = name, 1
        while nfc(candidate).casefold() in seen:
            n += 1
            candidate = f"{stem} {n}{dot}{ext}"
        seen.add(nfc(candidate).casefold())
        result.append(candidate)
    return result


def facts_for(root: Root, folder: CaseFolder, kind: Kind, today: date,
              attachments: Iterable[tuple[str, int | None]] | None = None) -> Facts:
    """Everything the document is built from, computed from the root's settings, key rates and calendar."""
    from kezdocs.core.penalty import for_case
    from kezdocs.core.stages import assess

    case = folder.case
    calc = for_case(case, today, root.rates)
    assessment = assess(case, today, root.calendar, root.settings.thresholds, penalty=calc.total)
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
    docs = documents.build(kind, facts)
    names = distinct_names([file_name(kind, folder.case.number, today, doc.suffix) for doc in docs])
    return [(name, render_bytes(find_template(root, doc.template), doc.context)) for name, doc in zip(names, docs)]


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
    clean_own_folders(root)
    return store(root, Path(out) if out else folder.path / GENERATED_DIR, rendered, parents=bool(out))


def clean_own_folders(root: Root) -> None:
    """Remove the temporary files of killed writes in the root and `.kezdocs/` (the case's own: `store`)."""
    for folder in (root.path, root.own_dir, root.own_dir / "index"):
        remove_stale_temp(folder)


KINDS = documents.KINDS  # code -> Kind, for callers that only know this module


def due_kinds(record: dict) -> list[str]:
    """The kinds a case's status record (`cases.status`) calls for now: the procedure table's for its «stage»,
    resolved by the route's proceeding («route_detail») and whether the debtor's accounts are known."""
    proceeding = (record.get("route_detail") or {}).get("proceeding")
    return list(stages.stage_documents(record.get("stage") or "", proceeding, bool(record.get("accounts_known"))))


# --- keeping files -----------------------------------------------------------------------------------

def store(root: Root, directory: Path, rendered: list[tuple[str, bytes]], parents: bool = True) -> list[Path]:
    """Write rendered files, never over a file edited since kezdocs wrote it (see the module docstring).

    The manifest is written twice: first with the hashes about to be written
    marked «pending», then, after the files, with them settled. A run killed
    in between leaves files whose hashes the manifest knows, so the next run
    recognises them as its own, never as a clerk's edit (no false « (2)»).
    `parents=False`: the folder above `directory` (the case folder) must exist —
    a vanished case folder is never made again.
    """
    directory.mkdir(parents=parents, exist_ok=True)
    root.own_dir.mkdir(parents=True, exist_ok=True)
    with held(root.own_dir / "generate.lock", "запись сформированных документов", 60):
        remove_stale_temp(directory)
        manifest = _read_manifest(directory)
        plan = [_place(directory, name, data, manifest) for name, data in rendered]
        writes = [(path, data, digest) for path, data, digest, write in plan if write]
        if writes:
            manifest.pending = {path.name: digest for path, _, digest in writes}
            _write_manifest(directory, manifest)
        for path, data, digest in writes:
            write_bytes_atomic(path, data)
            manifest.files[path.name] = digest
        manifest.pending = {}
        if writes or manifest.changed:
            _write_manifest(directory, manifest)
    return [path for path, *_ in plan]


@dataclass
class _Manifest:
    """`Сформировано/.kezdocs-manifest.json`: name -> SHA-256 of what kezdocs wrote; `pending`: being written."""

    files: dict[str, str] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)
    changed: bool = False  # settled on reading, or learnt a file: worth writing even with nothing new


def _read_manifest(directory: Path) -> _Manifest:
    """The manifest, with the «pending» entries of a run killed midway settled against the files on disk."""
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _Manifest()
    data = data if isinstance(data, dict) else {}
    manifest = _Manifest(_hashes(data.get("files")))
    for name, digest in _hashes(data.get("pending")).items():
        manifest.changed = True
        if _hash_of(directory / name) == digest:  # written before the kill: ours
            manifest.files[name] = digest
    return manifest


def _hashes(value) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def _hash_of(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


def _write_manifest(directory: Path, manifest: _Manifest) -> None:
    data = {"version": 1, "files": manifest.files}
    if manifest.pending:
        data["pending"] = manifest.pending
    write_text_atomic(directory / MANIFEST, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))


def _place(directory: Path, name: str, data: bytes, manifest: _Manifest) -> tuple[Path, bytes, str, bool]:
    """Where `data` goes and whether it must be written: (path, data, digest, write).

    A file with exactly these bytes is kept as it is (ours, or identical —
    nothing to lose); one whose hash the manifest records is ours and
    unedited, so it is replaced; any other is a clerk's, and the document
    goes to « (2)», « (3)»….
    """
    digest = hashlib.sha256(data).hexdigest()
    stem, dot, ext = name.rpartition(".")
    version = 1
    while True:
        candidate = name if version == 1 else f"{stem} ({version}){dot}{ext}"
        path = directory / candidate
        if not os.path.lexists(path):
            return path, data, digest, True
        current = None if path.is_symlink() else _hash_of(path)  # a link (or a folder) is never ours
        if current == digest:
            if manifest.files.get(candidate) != digest:
                manifest.files[candidate] = digest
                manifest.changed = True
            return path, data, digest, False
        if current is not None and manifest.files.get(candidate) == current:
            return path, data, digest, True
        version += 1


# --- every case --------------------------------------------------------------------------------------

@dataclass
class BatchResult:
    """What `generate_all` did: files per case, cases skipped with the reason, cases that need nothing."""

    written: list[tuple[str, list[Path]]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    not_needed: list[str] = field(default_factory=list)


def _work(folder_path: str, kind_code: str, today: date, select: bool, root: Root | None = None) -> tuple[str, str, object]:
    """Render one case in a worker: ("written", ref, files) | ("skipped", ref, reason) | ("not_needed", ref, None)."""
    from kezdocs.core.penalty import for_case
    from kezdocs.core.stages import assess

    root = root or workers.root()
    try:
        folder = root.load(Path(folder_path))
    except OSError as exc:  # the folder vanished or cannot be read: this case's problem, not the batch's
        return "skipped", nfc(Path(folder_path).name), f"папка дела не читается: {os_error_reason(exc)}"
    kind = documents.KINDS[kind_code]
    if folder.case is None:
        return "skipped", folder.ref, f"в карточке ошибок: {len(folder.problems)} (подробно: kezdocs status \"{folder.name}\")"
    if select and not documents.needed(kind, folder.case, assess(
            folder.case, today, root.calendar, root.settings.thresholds,
            penalty=for_case(folder.case, today, root.rates).total)):  # the penalty is part of the price (route)
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
    import time

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
            used = _variables_of(source)
        except KezdocsError as exc:
            reports.append(TemplateReport(source, (), (), str(exc)))
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


def _variables_of(source: TemplateSource) -> set[str]:
    """The variables a template uses; a root's own template is read under the same limits as it is filled."""
    if source.origin == DEFAULT_ORIGIN:
        return template_variables(_template_bytes(source.path), _shown(source))
    return _limited(template_variables, source)


def template_variables(data: bytes, shown: str) -> set[str]:
    """The undeclared variables of the template `data`; an unreadable template is a `KezdocsError`."""
    try:
        return DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(environment())
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - an unreadable template is reported, never a traceback
        raise KezdocsError(f"шаблон не читается: {exc}") from None


def _sample_type(variant: str):
    """A person for the ГПК variant of a template, an organisation otherwise."""
    from kezdocs.core.model import DebtorType

    return DebtorType.PERSON if variant == documents.GPK else DebtorType.LEGAL


def variables() -> list[tuple[str, str, str]]:
    """(variable, description, example) for every variable, examples from the sample cases."""
    from kezdocs.core.model import DebtorType

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
