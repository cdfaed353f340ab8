"""Screenshots of the web workspace for the documentation: one PNG per page, taken in Debian's chromium.

    .venv/bin/python docs/screenshots.py [OUT_DIR]      (default: docs/screenshots)

The demo root is built in a temporary folder as of 24.11.2026 (the day the tests use), so the pictures show the
same cases whenever they are taken; the server runs in this process on a free port. Each page is shown as a user
meets it: the list, a case, the event form refusing a wrong ШПИ, a new case with its fields marked, the card's
edit form after somebody else changed the card, the reports, the sign-in.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from playwright.sync_api import sync_playwright

from kezdocs import cases as library
from kezdocs import demo
from kezdocs.core import eventrules
from kezdocs.folders import cardchange, users
from kezdocs.folders.casefolder import open_root
from kezdocs.web.server import Server

DEMO_DAY = date(2026, 11, 24)
VIEWPORT = {"width": 1280, "height": 800}


def wrong_shpi(first13: str) -> str:
    """A ШПИ whose check digit the core refuses."""
    return next(first13 + d for d in "0123456789" if eventrules.shpi_problem(first13 + d) is not None)


def submit(page, form: str) -> None:
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def event_error(page, url: str) -> None:
    page.goto(url + "/cases/2026-002")
    page.select_option("#event-kind", "claim_sent")
    page.fill("#event-form input[name=date]", "20.11.2026")
    page.fill("#event-form input[name=f_шпи]", wrong_shpi("4275501234567"))
    submit(page, "#event-form")
    page.locator("#event-form").scroll_into_view_if_needed()


def new_case_errors(page, url: str) -> None:
    page.goto(url + "/new")
    for key, value in {"number": "2026-101", "debtor": "ООО «Ласточка»", "inn": "1831007770",
                       "kbk": "000111050121400001", "charge_amount": "пятнадцать тысяч"}.items():
        page.fill(f"#f-{key}", value)
    submit(page, "#new-case")


def stale_edit(page, url: str, root: Path) -> None:
    page.goto(url + "/cases/2026-001/edit")
    page.fill("input[name='должник.кпп']", "183101002")
    card = next(root.glob("2026-001 */дело.yaml"))
    cardchange.edit_common_fields(card, {"банк.наименование": "Удмуртское отделение № 8618 ПАО Сбербанк",
                                         "банк.адрес": "426000, г. Ижевск, ул. Ленина, д. 2"},
                                  library.card_checker(open_root(root), card), None)
    submit(page, "#edit-card")


def take(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        root = Path(work) / "дела"
        demo.build(root, DEMO_DAY)
        with Server(open_root(root), "127.0.0.1", 0, today_fn=lambda: DEMO_DAY, delay=0.2) as server, \
                sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            page = browser.new_page(viewport=VIEWPORT, locale="ru-RU")
            url = server.url
            shots = {
                "list": lambda: page.goto(url + "/"),
                "case": lambda: page.goto(url + "/cases/2026-004"),
                "event-error": lambda: event_error(page, url),
                "new-case-errors": lambda: new_case_errors(page, url),
                "edit-stale": lambda: stale_edit(page, url, root),
                "reports": lambda: page.goto(url + "/reports"),
            }
            written = []
            for name, show in shots.items():
                show()
                written.append(out / f"{name}.png")
                page.screenshot(path=written[-1], full_page=True)
            users.add_user(root, "ivanova", "специалист", "пароль-надёжный-1")  # now every page asks to sign in
            page.goto(url + "/login")
            written.append(out / "login.png")
            page.screenshot(path=written[-1], full_page=True)
            browser.close()
    return written


def main() -> None:
    if shutil.which("chromium") is None:
        sys.exit("нужен chromium (Debian: apt-get install chromium)")
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "screenshots"
    for path in take(out):
        print(path)


if __name__ == "__main__":
    main()
