"""The accounts of the web workspace, kept in the root (`.kezdocs/users.json`) beside the cases they work on.

`{"login": {"role": …, "hash": …, "created": …}}`: passwords are stored only
as argon2 hashes (argon2-cffi's `PasswordHasher`, rehashed on a successful
login when its parameters have grown). Every change is made under a lock and
written atomically, so the CLI adding a user while the workspace rehashes a
password loses neither. Logins are compared without regard to case (a clerk
types «Ivanova» one day and «ivanova» the next) and kept as first typed.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kezdocs.core.errors import KezdocsError
from kezdocs.core.roles import ROLES, role_of
from kezdocs.folders.casefolder import OWN_DIR
from kezdocs.folders.files import write_bytes_atomic
from kezdocs.folders.locks import held

USERS_FILE = "users.json"
PRIVATE = 0o600
LOCK_TIMEOUT = 10.0
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # a password longer than this is no password but an attempt to make hashing slow
LOGIN = re.compile(r"[^\W_][\w.-]{0,63}")  # letters (Cyrillic too), digits, «.», «_», «-»; up to 64


@dataclass(frozen=True)
class User:
    login: str
    role: str
    stamp: str = field(default="", compare=False)  # changes with the password or the role: older sessions end


def _stamp(entry: dict) -> str:
    return hashlib.sha256(f"{entry.get('changed') or entry.get('created')}|{entry['role']}".encode()).hexdigest()[:16]


def add_user(root_path: Path, login: str, role: str, password: str) -> User:
    """A new account; the login must be new, the role one of `ROLES`, the password at least MIN_PASSWORD long."""
    login = _valid_login(login)
    found_role = role_of(role)
    if found_role is None:
        raise KezdocsError(f"роль «{role}» неизвестна; допустимые роли: {', '.join(ROLES)}")
    hashed = _hasher().hash(_valid_password(password))
    with _locked(root_path):
        users = _read(root_path)
        if _key(users, login) is not None:
            raise KezdocsError(f"пользователь «{login}» уже есть")
        users[login] = {"role": found_role, "hash": hashed, "created": datetime.now().isoformat(timespec="seconds")}
        _write(root_path, users)
    return User(login, found_role, _stamp(users[login]))


def remove_user(root_path: Path, login: str) -> None:
    with _locked(root_path):
        users = _read(root_path)
        del users[_existing(users, login)]
        _write(root_path, users)


def set_password(root_path: Path, login: str, password: str) -> None:
    hashed = _hasher().hash(_valid_password(password))
    with _locked(root_path):
        users = _read(root_path)
        entry = users[_existing(users, login)]
        entry["hash"], entry["changed"] = hashed, datetime.now().isoformat(timespec="microseconds")
        _write(root_path, users)


def list_users(root_path: Path) -> list[User]:
    """Every account, by login."""
    users = _read(root_path)
    return sorted((User(login, entry["role"], _stamp(entry)) for login, entry in users.items()),
                  key=lambda u: u.login.casefold())


def has_users(root_path: Path) -> bool:
    """Whether any account exists: without one, the workspace is served on 127.0.0.1 only."""
    return bool(_read(root_path))


def verify(root_path: Path, login: str, password: str) -> User | None:
    """The user whose login and password these are, or None.

    An unknown login costs the same hashing as a wrong password (a dummy hash
    is verified), so the time of an answer does not tell which logins exist.
    """
    users = _read(root_path)
    key = _key(users, login)
    entry = users.get(key) if key is not None else None
    hasher = _hasher()
    if entry is None or len(password) > MAX_PASSWORD:
        _spend(hasher, _dummy_hash(), password[:MAX_PASSWORD])
        return None
    try:
        hasher.verify(entry["hash"], password)
    except (VerificationError, InvalidHashError, ValueError):  # ValueError: a hash edited by hand into non-ASCII
        return None
    if hasher.check_needs_rehash(entry["hash"]):
        _rehash(root_path, key, entry["hash"], hasher.hash(password))
    return User(key, entry["role"], _stamp(entry))


# --- the file -----------------------------------------------------------------------------------------------

def users_path(root_path: Path) -> Path:
    return Path(root_path) / OWN_DIR / USERS_FILE


def _locked(root_path: Path):
    return held(Path(root_path) / OWN_DIR / "locks" / "users.lock", "список пользователей", LOCK_TIMEOUT)


def _read(root_path: Path) -> dict[str, dict]:
    """The accounts; a file that is not what kezdocs wrote is a Russian error, never «no accounts» (that opens
    the workspace to everyone on 127.0.0.1 and would hide the damage)."""
    path = users_path(root_path)
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise KezdocsError(f"{path}: список пользователей не читается ({exc}); восстановите его из резервной копии "
                           "или удалите и заведите пользователей заново") from None
    if not isinstance(content, dict) or not all(_well_formed(entry) for entry in content.values()):
        raise KezdocsError(f"{path}: список пользователей повреждён; восстановите его из резервной копии "
                           "или удалите и заведите пользователей заново")
    return content


def _well_formed(entry) -> bool:
    return isinstance(entry, dict) and entry.get("role") in ROLES and isinstance(entry.get("hash"), str)


def _write(root_path: Path, users: dict[str, dict]) -> None:
    """Atomically, readable by its owner only (it holds the hashes)."""
    write_bytes_atomic(users_path(root_path), json.dumps(users, ensure_ascii=False, indent=1).encode("utf-8"),
                       mode=PRIVATE)


def _rehash(root_path: Path, login: str, old: str, new: str) -> None:
    """Replace a hash made with weaker parameters, unless the password was changed meanwhile."""
    with _locked(root_path):
        users = _read(root_path)
        if users.get(login, {}).get("hash") == old:
            users[login]["hash"] = new
            _write(root_path, users)


# --- checks -------------------------------------------------------------------------------------------------

def _valid_login(login: str) -> str:
    login = unicodedata.normalize("NFC", login.strip())
    if not login:
        raise KezdocsError("логин пуст: придумайте логин из букв и цифр, например ivanova")
    if not LOGIN.fullmatch(login):
        raise KezdocsError(f"логин «{login}»: допустимы буквы, цифры, точка, дефис и подчёркивание (без пробелов), "
                           "первой — буква или цифра, не длиннее 64 знаков")
    return login


def _valid_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise KezdocsError(f"пароль короче {MIN_PASSWORD} знаков — придумайте длиннее")
    if len(password) > MAX_PASSWORD:
        raise KezdocsError(f"пароль длиннее {MAX_PASSWORD} знаков")
    return password


def _key(users: dict[str, dict], login: str) -> str | None:
    """The stored login that `login` names (case and Unicode form aside)."""
    wanted = unicodedata.normalize("NFC", login.strip()).casefold()
    return next((key for key in users if key.casefold() == wanted), None)


def _existing(users: dict[str, dict], login: str) -> str:
    key = _key(users, login)
    if key is None:
        raise KezdocsError(f"пользователя «{login}» нет")
    return key


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("kezdocs: no such user")


def _spend(hasher: PasswordHasher, hashed: str, password: str) -> None:
    try:
        hasher.verify(hashed, password)
    except VerificationError:
        pass
