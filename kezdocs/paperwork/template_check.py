"""`kezdocs templates check` and `templates vars`: every template rendered against the sample cases, the variables
it uses that its documents do not have, and every variable documented with an example."""
from __future__ import annotations

from dataclasses import dataclass

from kezdocs.core.documents import build
from kezdocs.core.errors import KezdocsError
from kezdocs.core.kinds import GPK, KINDS
from kezdocs.core.model import DebtorType
from kezdocs.core.samples import sample_facts
from kezdocs.core.variables import VARIABLES, flatten
from kezdocs.folders.casefolder import Root
from kezdocs.paperwork.sandbox import limited, render_bytes, shown_template, template_bytes, template_variables
from kezdocs.paperwork.template_sources import DEFAULT_ORIGIN, TemplateSource, list_templates


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
        kind = KINDS[source.kinds[0]]
        variant = next(v for v, name in kind.variants.items() if name == source.name)
        context = build(kind, sample_facts(_sample_type(variant)))[0].context
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
        return template_variables(template_bytes(source.path), shown_template(source))
    return limited(template_variables, source)


def _sample_type(variant: str):
    """A person for the ГПК variant of a template, an organisation otherwise."""
    return DebtorType.PERSON if variant == GPK else DebtorType.LEGAL


def variables() -> list[tuple[str, str, str]]:
    """(variable, description, example) for every variable, examples from the sample cases."""
    examples: dict[str, object] = {}
    for debtor_type in (DebtorType.LEGAL, DebtorType.ENTREPRENEUR, DebtorType.PERSON):
        facts = sample_facts(debtor_type)
        for kind in KINDS.values():
            for path, value in flatten(build(kind, facts)[0].context).items():
                if examples.get(path) in (None, "", False):
                    examples[path] = value
    return [(path, text, _example_text(path, examples.get(path, ""))) for path, text in VARIABLES.items()]


def _example_text(path: str, value: object) -> str:
    if path == "qr":
        return "картинка QR-кода (в шаблоне — {{ qr }} в отдельном абзаце)"
    if path.endswith(".qr"):  # a picture too (sandbox: every value under «qr»), not the payment string
        return "картинка QR-кода (в строке таблицы {%tr for p in payment.transfers %} — {{ p.qr }} в отдельном абзаце)"
    if isinstance(value, bool):
        return "да / нет"
    return str(value).replace("\u00a0", " ") or "—"
