"""Where a document's template comes from: the default templates shipped with kezdocs, or a root's own file of the
same name in its `шаблоны/` folder, which overrides it; `kezdocs templates copy NAME` puts a default one there."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kezdocs.core.errors import KezdocsError
from kezdocs.core.kinds import KINDS, template_names
from kezdocs.core.names import nfc
from kezdocs.folders.casefolder import Root
from kezdocs.folders.files import write_bytes_atomic

USER_TEMPLATES = "шаблоны"
DEFAULT_ORIGIN = "по умолчанию"


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
    return tuple(k.code for k in KINDS.values() if name in k.variants.values())


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
    found = [find_template(root, name) for name in template_names()]
    known = set(template_names())
    extra = [TemplateSource(name, path, f"{USER_TEMPLATES}/", ()) for name, path in _user_templates(root).items()
             if name not in known]
    return found + extra


def copy_template(root: Root, name: str) -> Path:
    """Put a default template into the root's `шаблоны/` for the user to edit in Word; returns the new file.

    Never over a template the root already has (that may be a clerk's work): the file is written only if it
    still does not exist at the moment of the rename. `name` may omit «.docx».
    """
    names = template_names()
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
