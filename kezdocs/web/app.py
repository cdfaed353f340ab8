"""The web workspace as a Flask application: configuration, security, error pages, the parts registered.

Flask renders pages on the server with Jinja2 (autoescaped, undefined
variables are errors), so the workspace needs no JavaScript framework and
works offline; waitress serves it (`server.py`). Every form carries a CSRF
token (Flask-WTF): a POST without it is refused with 403 and changes nothing.
The session cookie is HttpOnly and SameSite=Strict; its key lives in the
server's memory only (a root on a file share is readable by every clerk), so
a restart signs everyone out. On the loopback address only a loopback Host is
answered (no DNS rebinding).
"""
from __future__ import annotations

import secrets
import traceback
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, Response, g, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from jinja2 import StrictUndefined
from werkzeug.exceptions import HTTPException

from kezdocs.core.errors import KezdocsError
from kezdocs.web import access, actions, filters, pages, reports
from kezdocs.web.workspace import Ambiguous, CaseNotFound, Workspace

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
UPLOAD_LIMIT = 50 * 1024 * 1024  # a scanned contract of 100 pages fits; a video does not


def create_app(workspace: Workspace, *, local: bool, debug: bool = False) -> Flask:
    """The application over `workspace`. `local`: served on the loopback address, where a root without
    accounts needs no sign-in."""
    app = Flask(__name__)
    app.config.update(
        WORKSPACE=workspace, LOCAL=local, SECRET_KEY=secrets.token_hex(32),  # in memory: never on the shared root
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_NAME="kezdocs_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12), MAX_CONTENT_LENGTH=UPLOAD_LIMIT,
        WTF_CSRF_TIME_LIMIT=None, WTF_CSRF_SSL_STRICT=False, KEZDOCS_DEBUG=debug,
    )
    app.jinja_env.undefined = StrictUndefined
    filters.install(app)
    CSRFProtect(app)
    if local:  # a page of another site cannot reach the workspace through a name it points at 127.0.0.1
        app.before_request(_loopback_host_only)
    app.before_request(access.load_person)
    for blueprint in (access.bp, pages.bp, actions.bp, reports.bp):
        app.register_blueprint(blueprint)
    _errors(app)
    return app


def _loopback_host_only():
    """On the loopback address, a request whose Host is not a loopback name is refused (DNS rebinding)."""
    try:
        name = urlsplit("//" + request.environ.get("HTTP_HOST", "")).hostname or ""
    except ValueError:  # a Host that is no host at all
        name = ""
    if name not in LOOPBACK_NAMES:
        return Response("Неверный адрес рабочего места: откройте http://127.0.0.1 на этом компьютере.", 400,
                        mimetype="text/plain")
    return None


def _errors(app: Flask) -> None:
    """Every failure becomes a Russian page; the traceback goes to the log (and to the page with --debug)."""

    @app.errorhandler(CSRFError)
    def csrf_failed(exc):
        return _page(403, "Форма устарела или отправлена не со страницы kezdocs. Обновите страницу и повторите.")

    @app.errorhandler(CaseNotFound)
    def no_case(exc):
        return _page(404, str(exc))

    @app.errorhandler(Ambiguous)
    def ambiguous(exc):
        g.setdefault("person", None)
        return render_template("ambiguous.html", number=exc.number, folders=exc.folders), 409

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
        return _page(500, "Внутренняя ошибка kezdocs. Сообщите разработчикам; подробности — в журнале службы.", shown)


def _page(code: int, message: str, trace: str = ""):
    g.setdefault("person", None)
    return render_template("error.html", code=code, message=message, trace=trace), code
