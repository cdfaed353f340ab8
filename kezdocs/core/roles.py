"""Who may do what in the web workspace: the one table of roles and permissions.

The workspace asks `may(role, permission)` before every action and before it
shows a form; the CLI's `users add --role` asks `role_of`. Everyone who can
open the workspace reads; writing is by role.
"""
from __future__ import annotations

# Permission code -> what it allows, in Russian (shown in the README and on the users' page).
PERMISSIONS: dict[str, str] = {
    "read": "просмотр дел, документов и отчётов",
    "case_write": "создание дел, запись событий и платежей, правка карточки",
    "upload": "загрузка файлов в папку дела",
    "documents": "формирование документов, проверка достаточности, сборка пакета",
    "reports": "отчёты (приложения 2 и 3, опись)",
    "import": "загрузка и выгрузка реестра должников",
}

_SPECIALIST = frozenset({"read", "case_write", "upload"})

ROLES: dict[str, frozenset[str]] = {
    "специалист": _SPECIALIST,
    "юрист": _SPECIALIST | {"documents"},
    "финансист": frozenset({"read", "reports", "import"}),
    "наблюдатель": frozenset({"read"}),
}

# The one user of a workspace served on 127.0.0.1 while no accounts exist: the person at the machine that holds
# the root, who may do everything the command line lets them do anyway.
LOCAL = "локальный пользователь"


def may(role: str, permission: str) -> bool:
    """Whether `role` is allowed `permission`; an unknown role or permission is allowed nothing."""
    if permission not in PERMISSIONS:
        return False
    if role == LOCAL:
        return True
    return permission in ROLES.get(role, frozenset())


def role_of(text: str) -> str | None:
    """The role a user typed («Юрист», « юрист »), or None when there is no such role (LOCAL is no account's)."""
    wanted = text.strip().casefold()
    return next((role for role in ROLES if role.casefold() == wanted), None)
