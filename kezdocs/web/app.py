"""The web workspace as a Flask application: configuration, security, error pages, the parts registered.

Flask renders pages on the server with Jinja2 (autoescaped, undefined
variables are errors), so the workspace needs no JavaScript framework and
works offline; waitress serves it (`server.py`). Every form carries a CSRF
token (Flask-WTF): a POST without it is refused with 403 and changes nothing.
The session cookie is HttpOnly and SameSite=Strict; its key is kept in the
root, so a restart does not sign everyone out.
"""
from __future__ import annotations

import secrets
import traceback
from datetime import timedelta
from pathlib import Path

from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from jinja2 import StrictUndefined
from werkzeug.exceptions import HTTPException

from kezdocs.core.errors import KezdocsError
from kezdocs.folders.files import write_text_atomic
from kezdocs.web import access, actions, filters, pages, reports
from kezdocs.web.workspace import CaseNotFound, Workspace

SECRET_FILE = "web_secret"
UPLOAD_LIMIT = 50 * 1024 * 1024  # a scanned contract of 100 pages fits; a video does not


def create_app(workspace: Workspace, *, local: bool, debug: bool = False) -> Flask:
    """The application over `workspace`. `local`: served on the loopback address, where a root without
    accounts needs no sign-in."""
    app = Flask(__name__)
    app.config.update(
        WORKSPACE=workspace, LOCAL=local, SECRET_KEY=_secret(workspace.root.own_dir),
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_NAME="kezdocs_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12), MAX_CONTENT_LENGTH=UPLOAD_LIMIT,
        WTF_CSRF_TIME_LIMIT=None, WTF_CSRF_SSL_STRICT=False, KEZDOCS_DEBUG=debug,
    )
    app.jinja_env.undefined = StrictUndefined
    filters.install(app)
    CSRFProtect(app)
    app.before_request(access.load_person)
    for blueprint in (access.bp, pages.bp, actions.bp, reports.bp):
        app.register_blueprint(blueprint)
    _errors(app)
    return app


def _secret(own_dir: Path) -> str:
    """The session key, made once per root and kept in `.kezdocs/` (readable by the service's account only)."""
    path = own_dir / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = secrets.token_hex(32)
        write_text_atomic(path, key)
        path.chmod(0o600)
        return key


def _errors(app: Flask) -> None:
    """Every failure becomes a Russian page; the traceback goes to the log (and to the page with --debug)."""

    @app.errorhandler(CSRFError)
    def csrf_failed(exc):
        return _page(403, "Форма устарела или отправлена не со страницы kezdocs. Обновите страницу и повторите.")

    @app.errorhandler(CaseNotFound)
    def no_case(exc):
        return _page(404, str(exc))

    @app.errorhandler(KezdocsError)
    def refused(exc):
        return _page(400, str(exc))

    @app.errorhandler(access.NotAllowed)
    def not_allowed(exc):
        return _page(403, f"Доступ запрещён: {exc.description}")

    @app.errorhandler(HTTPException)
    def http(exc):
        texts = {403: "Доступ запрещён", 404: "Страница не найдена", 405: "Так эту страницу не открывают",
                 413: "Файл слишком большой: не больше 50 МБ за раз"}
        return _page(exc.code or 500, texts.get(exc.code, "Запрос не выполнен"))

    @app.errorhandler(Exception)
    def failed(exc):
        app.logger.error("ошибка на странице %s:\n%s", request.path, traceback.format_exc())
        shown = traceback.format_exc() if app.config["KEZDOCS_DEBUG"] else ""
        return _page(500, f"Внутренняя ошибка kezdocs ({type(exc).__name__}). Сообщите разработчикам; "
                          "подробности — в журнале службы.", shown)


def _page(code: int, message: str, trace: str = ""):
    g.setdefault("person", None)
    return render_template("error.html", code=code, message=message, trace=trace), code
