"""Filling a DOCX template safely: docxtpl in a sandboxed Jinja environment.

Autoescaping (a name like «ООО «Ромашка & Сыновья» <1>» comes out exactly) and strict undefined
variables (a template that asks for data the document does not have is refused, naming the template
and the variable — never a document with a silent gap). A root's own template (`шаблоны/`) is a
program from outside: it is filled in a helper process stopped after `TEMPLATE_SECONDS` or past
`TEMPLATE_MEMORY`; the sandbox bounds `*` and `**` (`MAX_TEXT`, `MAX_POWER_BITS`) and the output
(`MAX_OUTPUT`) for every template, and `{% include %}`/`{% import %}`/`{% extends %}` are refused
with a message.
"""
from __future__ import annotations

import io
import re
import time
import zipfile
from functools import lru_cache
from pathlib import Path

from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import BaseLoader, StrictUndefined, Template, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import MAX_RANGE, SandboxedEnvironment
from jinja2.utils import missing as jinja_missing

from kezdocs.core import payqr
from kezdocs.core.errors import KezdocsError
from kezdocs.folders import workers
from kezdocs.paperwork.template_sources import DEFAULT_ORIGIN, TemplateSource

QR_WIDTH_MM = 40
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class _Fields(dict):
    """A context dictionary that knows its path, so a missing key is reported as «debtor.nme»."""

    __slots__ = ("_kez_path",)


def _wrap(value, path: str, picture=None):
    """The context for Jinja: dictionaries that know their path; with `picture`, every non-empty value under the key
    «qr» (`qr`, `payment.transfers[].qr`: a ГОСТ Р 56042-2014 payment string) becomes that string's QR picture."""
    if isinstance(value, dict):
        wrapped = _Fields((k, picture(v) if picture and k == "qr" and isinstance(v, str) and v
                           else _wrap(v, f"{path}.{k}" if path else k, picture)) for k, v in value.items())
        wrapped._kez_path = path
        return wrapped
    if isinstance(value, list):
        return [_wrap(v, f"{path}[]", picture) for v in value]
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


def template_bytes(path: Path) -> bytes:
    """The template file, read once per process while it is unchanged."""
    key = _template_key(path)
    if key not in _TEMPLATE_CACHE:
        _TEMPLATE_CACHE[key] = path.read_bytes()
    return _TEMPLATE_CACHE[key]


def shown_template(source: TemplateSource) -> str:
    return f"«{source.name}» ({source.origin})"


def render_bytes(source: TemplateSource, context: dict) -> bytes:
    """Fill a template; a template error becomes a Russian `KezdocsError` naming the template.

    The default templates are filled here; a root's own template in a helper
    process under `TEMPLATE_SECONDS` and `TEMPLATE_MEMORY` (see `_limited`).
    """
    if source.origin == DEFAULT_ORIGIN:
        return fill(template_bytes(source.path), shown_template(source), context)
    return limited(fill, source, context)


# User templates that ran over a limit in this process (unchanged since): refused at once for REFUSED_SECONDS,
# then tried again — a slow moment of an overloaded machine must not shut a good template out of `watch` for good.
REFUSED_SECONDS = 600
_REFUSED: dict[tuple[str, int, int], tuple[str, float]] = {}


def limited(func, source: TemplateSource, *args):
    """`func(template bytes, shown name, *args)` for a root's own template, under the time and memory limits.

    A template that ran over a limit is refused at once for `REFUSED_SECONDS`
    (while the file is unchanged): `generate --all` does not wait
    `TEMPLATE_SECONDS` for every case.
    """
    shown = shown_template(source)
    try:
        key = _template_key(source.path)
        if key[1] > MAX_TEMPLATE_BYTES:
            raise KezdocsError(f"шаблон {shown}: файл больше {MAX_TEMPLATE_BYTES >> 20} МБ — это не шаблон документа")
        refused = _REFUSED.get(key)
        if refused and time.monotonic() - refused[1] < REFUSED_SECONDS:
            raise KezdocsError(refused[0])
        data = template_bytes(source.path)
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
        values = _wrap(context, "", lambda text: InlineImage(tpl, io.BytesIO(payqr.qr_png(text)), width=Mm(QR_WIDTH_MM)))
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




def template_variables(data: bytes, shown: str) -> set[str]:
    """The undeclared variables of the template `data`; an unreadable template is a `KezdocsError`."""
    try:
        return DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(environment())
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - an unreadable template is reported, never a traceback
        raise KezdocsError(f"шаблон не читается: {exc}") from None
