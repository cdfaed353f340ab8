"""Who is at the keyboard and what they may do: sign-in, the session, the role's permissions.

On the loopback address with no accounts in the root, whoever opens the page
is the one local user and may do everything (`roles.LOCAL`); once accounts
exist, every page asks for a sign-in. What a role may do is `core.roles`'s
table; a view says which permission it needs with `@needs(...)`.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from werkzeug.exceptions import Forbidden

from kezdocs.core import roles
from kezdocs.folders import audit, users

LOGIN_SHOWN = 64  # characters of a failed login written to the audit log
FAILED_DELAY = 1.0  # seconds a failed sign-in waits

bp = Blueprint("access", __name__)


class NotAllowed(Forbidden):
    """The role does not allow the action; the description says which (Russian)."""


@dataclass(frozen=True)
class Person:
    login: str
    role: str

    def may(self, permission: str) -> bool:
        return roles.may(self.role, permission)

    @property
    def local(self) -> bool:
        """The one user at the machine of a root without accounts (no sign-in, no sign-out)."""
        return self.role == roles.LOCAL


def load_person() -> None:
    """`g.person` for this request: the signed-in user, the local user, or None (the sign-in page)."""
    workspace = current_app.config["WORKSPACE"]
    if current_app.config["LOCAL"] and not users.has_users(workspace.root.path):
        g.person = Person(roles.LOCAL, roles.LOCAL)
        return
    login = session.get("login")
    account = next((u for u in users.list_users(workspace.root.path) if u.login == login), None) if login else None
    # a password changed or an account removed ends the sessions signed in with the old one
    g.person = Person(account.login, account.role) if account and session.get("stamp") == account.stamp else None


def needs(permission: str):
    """The view runs only for a person whose role allows `permission`; others get 403 in Russian."""

    def wrap(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            if g.person is None:
                return redirect(url_for("access.login", next=request.full_path))
            if not g.person.may(permission):
                raise NotAllowed(f"вашей роли («{g.person.role}») не разрешено: {roles.PERMISSIONS[permission]}")
            return view(*args, **kwargs)

        return guarded

    return wrap


@bp.route("/login", methods=["GET", "POST"])
def login():
    workspace = current_app.config["WORKSPACE"]
    if request.method == "POST":
        name = request.form.get("login", "").strip()
        account = users.verify(workspace.root.path, name, request.form.get("password", ""))
        if account is None:
            shown = name[:LOGIN_SHOWN] if users.LOGIN.fullmatch(name[:LOGIN_SHOWN]) else "?"
            audit.record(workspace.root.path, shown, None, "login_failed", "неверный логин или пароль",
                         datetime.now())
            time.sleep(FAILED_DELAY)  # a guess costs a second
            flash("Неверный логин или пароль.", "error")
            return render_template("login.html"), 401
        session.clear()
        session["login"], session["stamp"] = account.login, account.stamp
        audit.record(workspace.root.path, account.login, None, "login", "вход в рабочее место", datetime.now())
        return redirect(_local(request.args.get("next", "")) or url_for("pages.cases"))
    return render_template("login.html")


def _local(target: str) -> str | None:
    """`next` after the sign-in, only when it is a path of this site (no scheme, no host, no «//», no control
    characters a browser would drop to make «/\t/evil» into «//evil»)."""
    if any(ord(c) < 32 or c == "\\" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/logout", methods=["POST"])
def logout():
    session.clear()
    return redirect(url_for("access.login"))
