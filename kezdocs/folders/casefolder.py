"""The root folder on disk: settings, calendar, key rates, and one folder per case.

The shell's entry to the file system. Reading only: a clerk's files are never
renamed, moved or changed. A case folder is any folder directly under the root
that holds `дело.yaml`; its fingerprint (names, sizes, mtimes of everything in it:
`casefiles`) tells a re-scan whether the card must be read again.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

from kezdocs.core import encodings, plaintext
from kezdocs.core.card import CARD_NAME, parse_card
from kezdocs.core.classification import rules_from_settings
from kezdocs.core.errors import KezdocsError
from kezdocs.core.model import Case, Problem
from kezdocs.core.names import name_problem, nfc
from kezdocs.core.settings import SAMPLE_KEY, SETTINGS_NAME, Settings, parse_settings
from kezdocs.core.status import duplicate_message
from kezdocs.folders.casefiles import FileEntry, fingerprint, folder_name, list_folder
from kezdocs.folders.files import os_error_reason

OWN_DIR = ".kezdocs"  # index, logs, locks
CALENDAR_FILE = "календарь.yaml"
RATES_FILE = "ключевая_ставка.csv"
DEFAULT_ROOT = "casefiles"


@dataclass
class CaseFolder:
    path: Path
    case: Case | None
    problems: list[Problem]
    files: list[FileEntry] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def name(self) -> str:
        return folder_name(self.path)

    @property
    def ref(self) -> str:
        """How the user names the case: its number when the card gives one, else the folder."""
        return self.case.number if self.case else self.name


class Root:
    """An opened root: settings, calendar and key rates are read once, on first use."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_dir():
            raise KezdocsError(f"папка с делами не найдена: {self.path}")
        _refuse_case_folder(self.path)

    @property
    def own_dir(self) -> Path:
        return self.path / OWN_DIR

    @cached_property
    def _settings(self) -> tuple[Settings, list[Problem]]:
        file = self.path / SETTINGS_NAME
        if not file.exists():
            return Settings(), []
        text, problem = read_text(file, SETTINGS_NAME)
        if problem:
            return Settings(), [problem]
        return parse_settings(text, SETTINGS_NAME)

    @property
    def settings(self) -> Settings:
        return self._settings[0]

    @property
    def settings_problems(self) -> list[Problem]:
        return self._settings[1]

    @cached_property
    def _calendar(self):
        from kezdocs.core.workdays import calendar_from_data

        file = self.path / CALENDAR_FILE
        if not file.exists():
            return calendar_from_data(None, CALENDAR_FILE)
        text, problem = read_text(file, CALENDAR_FILE)
        if problem:
            calendar, problems = calendar_from_data(None, CALENDAR_FILE)
            return calendar, [problem, *problems]
        try:
            data = plaintext.load(text)
        except plaintext.PlainYamlError as exc:
            calendar, problems = calendar_from_data(None, CALENDAR_FILE)
            return calendar, [Problem(CALENDAR_FILE, exc.line, str(exc)), *problems]
        return calendar_from_data(data, CALENDAR_FILE)

    @property
    def calendar(self):
        return self._calendar[0]

    @cached_property
    def _rates(self):
        return load_rates(self.path)

    @property
    def rates(self):
        return self._rates[0]

    @cached_property
    def _rules(self):
        return rules_from_settings(self.settings)

    @property
    def rules(self):
        """The document classification rules: defaults plus the settings' «классификация»."""
        return self._rules[0]

    @property
    def sample_problem(self) -> Problem | None:
        """The warning that the settings are still the sample of `kezdocs init`; None once they are the clerk's."""
        return next((p for p in self.settings_problems if p.field == SAMPLE_KEY), None)

    @property
    def root_problems(self) -> list[Problem]:
        """Problems of the root's own files (settings, classification rules, calendar, key rates), and of a root
        that has neither (a mistyped --root, most likely)."""
        return [*self._empty(), *self.settings_problems, *self._rules[1], *self._calendar[1], *self._rates[1]]

    def _empty(self) -> list[Problem]:
        if (self.path / SETTINGS_NAME).is_file() or self.case_folders():
            return []
        return [Problem(SETTINGS_NAME, None, f"в папке «{self.path}» нет ни {SETTINGS_NAME}, ни папок дел (с файлом "
                                             f"{CARD_NAME}) — похоже, это не папка с делами; укажите папку с делами: "
                                             f"--root \"…\", или создайте её: kezdocs init \"{self.path}\"")]

    def case_folders(self) -> list[Path]:
        """Folders directly under the root that hold a card, in name order; links are not followed."""
        with os.scandir(self.path) as entries:
            found = [entry.path for entry in entries
                     if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)
                     and _has_card(entry.path)]
        return sorted(map(Path, found), key=folder_name)

    def load(self, folder: Path) -> CaseFolder:
        """Read one case folder: its files and its card (problems are values, never raised)."""
        files, file_problems = list_folder(folder)
        bad_name = name_problem(nfc(folder.name))
        if bad_name:
            file_problems.insert(0, Problem(folder_name(folder), None, bad_name))
        shown = f"{folder_name(folder)}/{CARD_NAME}"
        text, problem = read_text(folder / CARD_NAME, shown)
        if problem:
            return CaseFolder(folder, None, [problem, *file_problems], files, fingerprint(files))
        case, problems = parse_card(text, shown, self.settings.administrators)
        return CaseFolder(folder, case, [*problems, *file_problems], files, fingerprint(files))

    def find(self, ref: str) -> CaseFolder:
        """The case named by number or folder name; a Russian error when there is none or several."""
        wanted = nfc(ref.strip().rstrip("/\\"))
        direct = self.path / wanted
        if wanted and "/" not in wanted and "\\" not in wanted and not wanted.startswith(".") \
                and (direct / CARD_NAME).is_file():
            return self.load(direct)  # a folder's own name: no need to list 10 000 folders
        folders = self.case_folders()
        by_name = [f for f in folders if folder_name(f) == wanted]
        if by_name:
            return self.load(by_name[0])
        # Folders are usually named «<number> <debtor>»: look there first, then read every card.
        likely = [f for f in folders if folder_name(f).startswith(wanted + " ")]
        matches = [cf for cf in (self.load(f) for f in likely) if cf.case and cf.case.number == wanted]
        if not matches:
            others = [f for f in folders if f not in likely]
            matches = [cf for cf in (self.load(f) for f in others) if cf.case and cf.case.number == wanted]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise KezdocsError(f"{duplicate_message(wanted, [m.name for m in matches])} — укажите имя папки, "
                               f"например: «{matches[0].name}»")
        raise KezdocsError(f"дело «{ref}» не найдено в {self.path} (укажите номер дела или имя папки)")


def _refuse_case_folder(path: Path) -> None:
    """A case folder (or a folder inside one) named as the root: say so, and name the root it belongs to."""
    full = path.resolve()
    if _has_card(str(full)):
        raise KezdocsError(f"папка «{path}» — это папка дела, а не папка с делами; укажите её родительскую папку: "
                           f"--root \"{full.parent}\"")
    if full.parent != full and _has_card(str(full.parent)):
        raise KezdocsError(f"папка «{path}» — это папка внутри дела «{full.parent.name}», а не папка с делами; "
                           f"укажите папку, в которой лежат папки дел: --root \"{full.parent.parent}\"")


def settings_template(sample: bool = False) -> str:
    """The commented settings. `sample=True` as `kezdocs init` writes them: with the lines «▼ ОБРАЗЕЦ …» and
    «образец: да», which flag the example details until the clerk replaces them; without (the default), the
    same example as the demo root's own settings."""
    text = resources.files("kezdocs.data").joinpath("settings_template.yaml").read_text(encoding="utf-8")
    flag = f"{SAMPLE_KEY}: да"
    kept = [line for line in text.splitlines(keepends=True) if not line.startswith("# ▼") and line.rstrip() != flag]
    return text if sample else "".join(kept).replace("\n\n\n", "\n\n", 1)


def load_rates(root: Path | None):
    """The shipped key rates plus the root's `ключевая_ставка.csv` when there is one; and their problems."""
    from kezdocs.core.keyrates import PACKAGE_FILE, USER_FILE, KeyRates, conflicts, merge, parse_rates

    shipped_text = resources.files("kezdocs.data").joinpath(PACKAGE_FILE).read_text(encoding="utf-8")
    shipped, problems = parse_rates(shipped_text, PACKAGE_FILE)
    rates = KeyRates(shipped)
    path = Path(root) / USER_FILE if root is not None else None
    if path is None or not path.is_file():
        return rates, problems
    extra, user_problems = parse_rates(encodings.decode(path.read_bytes())[0], USER_FILE)
    return merge(rates, extra), problems + user_problems + conflicts(rates, extra)


def is_case_folder(folder: Path) -> bool:
    """A case: a real folder (not a link, not hidden) directly holding a real `дело.yaml`."""
    return (not folder.name.startswith(".") and folder.is_dir() and not folder.is_symlink()
            and _has_card(str(folder)))


def _has_card(folder: str) -> bool:
    """A regular file `дело.yaml`, not a link (one lstat: this runs for every folder of a large root)."""
    try:
        return stat.S_ISREG(os.lstat(os.path.join(folder, CARD_NAME)).st_mode)
    except OSError:
        return False


def open_root(path: Path | str | None) -> Root:
    """The root from --root, else $KEZDOCS_ROOT, else ./casefiles; a Russian error naming what to do when it is
    missing or is a case folder (one that holds neither settings nor cases is a problem: `Root.root_problems`)."""
    chosen = Path(path or os.environ.get("KEZDOCS_ROOT") or DEFAULT_ROOT)
    if not chosen.is_dir():
        where = "" if path else (" (из KEZDOCS_ROOT)" if os.environ.get("KEZDOCS_ROOT") else " (по умолчанию)")
        raise KezdocsError(f"папка с делами не найдена: «{chosen}»{where}; укажите её: --root \"…\", "
                           f"или создайте новую: kezdocs init \"{chosen}\"")
    return Root(chosen)


def find_root(path: Path | str | None) -> Root | None:
    """Like `open_root`, but None when no root was named and the default one does not exist.

    For commands that work without a root (the calendar, a one-off penalty,
    the templates) and only add what a root has.
    """
    if path is None and not Path(os.environ.get("KEZDOCS_ROOT") or DEFAULT_ROOT).is_dir():
        return None
    return open_root(path)


def read_text(path: Path, shown: str) -> tuple[str, Problem | None]:
    """A text file as UTF-8 (a BOM is dropped); unreadable, too large or binary files become a Problem.

    At most `plaintext.MAX_BYTES` + 1 bytes are read: a 500 MB file named like a card is refused, not loaded.
    """
    try:
        with open(path, "rb") as file:
            data = file.read(plaintext.MAX_BYTES + 1)
    except OSError as exc:
        return "", Problem(shown, None, f"не удаётся прочитать файл: {os_error_reason(exc)}")
    if len(data) > plaintext.MAX_BYTES:
        return "", Problem(shown, None, f"файл больше {plaintext.MAX_BYTES // 1_000_000} МБ — это не карточка")
    try:
        return encodings.decode(data)[0], None
    except UnicodeDecodeError:
        return "", Problem(shown, None, "файл не в кодировке UTF-8 — сохраните его как текст UTF-8")
