"""The workspace in a real browser, for the browser tests: Debian's chromium driven by Playwright (one per session,
never downloaded), the workspace served on a fresh demo root per test, and a sign-in as a role.

conftest.py registers the fixtures (`pytest_plugins`).
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from kezdocs.folders import users
from kezdocs.folders.casefolder import Root, open_root
from kezdocs.web.server import Server

from conftest import DEMO_DAY

PASSWORD = "пароль-надёжный-1"
TIMEOUT_MS = 20_000  # a package converts a dozen documents: seconds, not minutes


@dataclass(frozen=True)
class Site:
    """The workspace being served: its address, its root on disk, the server (its workspace, its app)."""

    url: str
    root: Path
    server: Server

    def library_root(self) -> Root:
        """The root as the command line opens it, to change cards behind the browser's back."""
        return open_root(self.root)


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("chromium не установлен (Debian: apt-get install chromium) — браузерные тесты пропущены")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture()
def site(demo_copy):
    with Server(open_root(demo_copy), "127.0.0.1", 0, today_fn=lambda: DEMO_DAY, delay=0.2) as server:
        yield Site(server.url, demo_copy, server)


@pytest.fixture()
def page(browser):
    """A fresh browser window (its own cookies) that accepts downloads."""
    context = browser.new_context(accept_downloads=True, locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    yield opened
    context.close()


def sign_in(page, site: Site, role: str, login: str | None = None) -> str:
    """An account with `role` made in the root, then signed in through /login; returns the login."""
    login = login or f"user-{len(users.list_users(site.root)) + 1}"
    users.add_user(site.root, login, role, PASSWORD)
    page.goto(site.url + "/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button:has-text('Войти')")
    assert "/login" not in page.url, page.inner_text("main")
    return login
