"""The root folder on disk: settings, calendar, key rates, and one folder per case.

The shell's entry to the file system. Reading only: a clerk's files are never
renamed, moved or changed. A case folder is any folder directly under the root
that holds `дело.yaml`; its fingerprint (names, sizes, mtimes of everything in
it) tells a re-scan whether the card must be read again.
"""
from __future__ import annotations

import hashlib
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import plaintext
from .card import CARD_NAME, parse_card
from .errors import KezdocsError
from .model import Case, Problem
from .settings import SETTINGS_NAME, Settings, parse_settings

OWN_DIR = ".kezdocs"  # index, logs, locks
GENERATED_DIR = "Сформировано"  # documents kezdocs writes into a case folder
STATUS_FILE = "СТАТУС.txt"
CALENDAR_FILE = "календарь.yaml"
RATES_FILE = "ключевая_ставка.csv"
DEFAULT_ROOT = "casefiles"

# Files that are never a clerk's document: editors' lock files, OS litter, temporary files.
IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


def is_ignored(name: str) -> bool:
    """Lock files (`~$x.docx`, `.~lock.x#`), temp files, OS litter and hidden files."""
    lower = name.lower()
    return (
        lower in IGNORED_NAMES
        or name.startswith(("~$", ".~lock.", "."))
        or lower.endswith((".tmp", ".part", ".crdownload", "~"))
    )


def nfc(text: str) -> str:
    """Names are compared in Unicode NFC (macOS writes NFD)."""
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class FileEntry:
    """A file in a case folder: path relative to the case folder (NFC, '/'), size, mtime."""

    relpath: str
    size: int
    mtime_ns: int


@dataclass
class CaseFolder:
    path: Path
    case: Case | None
    problems: list[Problem]
    files: list[FileEntry] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def name(self) -> str:
        return nfc(self.path.name)

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
        from .workdays import calendar_from_data

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
        from .keyrates import load

        return load(self.path)

    @property
    def rates(self):
        return self._rates[0]

    @cached_property
    def _rules(self):
        from .intake import rules_from_settings

        return rules_from_settings(self.settings)

    @property
    def rules(self):
        """The document classification rules: defaults plus the settings' «классификация»."""
        return self._rules[0]

    @property
    def root_problems(self) -> list[Problem]:
        """Problems of the root's own files (settings, classification rules, calendar, key rates)."""
        return [*self.settings_problems, *self._rules[1], *self._calendar[1], *self._rates[1]]

    def case_folders(self) -> list[Path]:
        """Folders directly under the root that hold a card, in name order; links are not followed."""
        with os.scandir(self.path) as entries:
            found = [entry.path for entry in entries
                     if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)
                     and _has_card(entry.path)]
        return sorted(map(Path, found), key=lambda p: nfc(p.name))

    def load(self, folder: Path) -> CaseFolder:
        """Read one case folder: its files and its card (problems are values, never raised)."""
        files = list_files(folder)
        text, problem = read_text(folder / CARD_NAME, f"{nfc(folder.name)}/{CARD_NAME}")
        if problem:
            return CaseFolder(folder, None, [problem], files, fingerprint(files))
        case, problems = parse_card(text, f"{nfc(folder.name)}/{CARD_NAME}", self.settings.administrators)
        return CaseFolder(folder, case, problems, files, fingerprint(files))

    def find(self, ref: str) -> CaseFolder:
        """The case named by number or folder name; a Russian error when there is none or several."""
        wanted = nfc(ref.strip().rstrip("/\\"))
        folders = self.case_folders()
        by_name = [f for f in folders if nfc(f.name) == wanted]
        if by_name:
            return self.load(by_name[0])
        # Folders are usually named «<number> <debtor>»: look there first, then read every card.
        likely = [f for f in folders if nfc(f.name).startswith(wanted + " ")]
        matches = [cf for cf in (self.load(f) for f in likely) if cf.case and cf.case.number == wanted]
        if not matches:
            others = [f for f in folders if f not in likely]
            matches = [cf for cf in (self.load(f) for f in others) if cf.case and cf.case.number == wanted]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(m.name for m in matches)
            raise KezdocsError(f"номер дела «{ref}» указан в нескольких карточках: {names}")
        raise KezdocsError(f"дело «{ref}» не найдено в {self.path} (укажите номер дела или имя папки)")


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
    """The root from --root, else $KEZDOCS_ROOT, else ./casefiles."""
    chosen = path or os.environ.get("KEZDOCS_ROOT") or DEFAULT_ROOT
    return Root(Path(chosen))


def find_root(path: Path | str | None) -> Root | None:
    """Like `open_root`, but None when no root was named and the default one does not exist.

    For commands that work without a root (the calendar, a one-off penalty,
    the templates) and only add what a root has.
    """
    if path is None and not Path(os.environ.get("KEZDOCS_ROOT") or DEFAULT_ROOT).is_dir():
        return None
    return open_root(path)


def read_text(path: Path, shown: str) -> tuple[str, Problem | None]:
    """A text file as UTF-8 (a BOM is dropped); unreadable or binary files become a Problem."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return "", Problem(shown, None, f"не удаётся прочитать файл: {exc.strerror or exc}")
    if len(data) > plaintext.MAX_BYTES:
        return "", Problem(shown, None, f"файл больше {plaintext.MAX_BYTES // 1_000_000} МБ — это не карточка")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        try:
            return data.decode("cp1251"), None
        except UnicodeDecodeError:
            return "", Problem(shown, None, "файл не в кодировке UTF-8 — сохраните его как текст UTF-8")


def list_files(folder: Path) -> list[FileEntry]:
    """Every file of a case folder at any depth, except kezdocs' status file and ignored names.

    Symbolic links are listed neither as files nor followed as folders: nothing
    outside the root is ever read.
    """
    result: list[FileEntry] = []
    stack = [(os.fspath(folder), "")]
    while stack:
        current, prefix = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            name = nfc(entry.name)
            if is_ignored(name) or entry.is_symlink():
                continue
            rel = f"{prefix}{name}"
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, rel + "/"))
            elif entry.is_file(follow_symlinks=False) and rel != STATUS_FILE:
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                result.append(FileEntry(rel, st.st_size, st.st_mtime_ns))
    return sorted(result, key=lambda f: f.relpath)


def fingerprint(files: list[FileEntry]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for f in files:
        digest.update(f"{f.relpath}\0{f.size}\0{f.mtime_ns}\n".encode())
    return digest.hexdigest()
