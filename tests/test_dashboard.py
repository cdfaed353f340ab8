"""СТАТУС.txt and Сводка.html: their text, escaping, colours, and the page in a real headless Chromium."""
import fcntl
import json
import os
import shutil
import subprocess
import time
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from kezdocs.cli import main
from kezdocs.core.card import STATUS_FILE
from kezdocs.core.status import CaseStatus
from kezdocs.core.workdays import DEFAULT as CALENDAR
from kezdocs.folders.casefolder import open_root
from kezdocs.paperwork import dashboard
from kezdocs.service.sync import sync

TODAY = date(2026, 11, 24)
CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium не установлен (Debian: apt-get install chromium; "
                                                              ".ci/run ставит его сам)")


def record(**changes):
    base = dict(
        case="2026-101", folder="2026-101 ООО Тест", debtor="ООО «Тест»", administrator="Управление финансов",
        officer="Иванова Мария Петровна", kbk="00011105012140000120", stage="overdue",
        stage_label="просрочена: претензия не направлена", next_action="направить требование (претензию)",
        deadline="2026-12-04", deadline_missed=False, clause="4.2", route=None, debt="15000.00", penalty="1234.5",
        deadlines=[{"step": "claim", "label": "направить требование (претензию)", "clause": "4.2",
                    "due": "2026-12-04", "done_on": None, "state": "pending"}],
        documents=[{"path": "договор.pdf", "kind": "contract"}], missing=["копия претензии"], problems=[],
        penalty_warnings=[])
    base.update(changes)
    return CaseStatus.from_json(base)


@pytest.fixture()
def root(demo_copy):
    return open_root(demo_copy)


# --- СТАТУС.txt -----------------------------------------------------------------------------------

def test_status_text_in_russian_with_amounts_dates_and_missing_items():
    text = dashboard.status_text(record(), TODAY)
    assert text.startswith("\ufeffДело № 2026-101 — ООО «Тест»\r\n")
    assert "Состояние на 24.11.2026" in text
    assert "Задолженность:       15 000,00 руб." in text
    assert "Пени:                1 234,50 руб." in text
    assert "Срок:                04.12.2026 (п. 4.2)\r\n" in text
    assert "Не хватает для следующего шага:\r\n  • копия претензии" in text
    assert "договор.pdf — договор" in text  # the document's kind in Russian
    assert "направить требование (претензию) (п. 4.2) — до 04.12.2026, идёт срок" in text
    assert "\n" not in text.replace("\r\n", "")


def test_status_text_marks_a_missed_deadline_and_says_when_nothing_is_missing():
    text = dashboard.status_text(record(deadline="2026-11-20", deadline_missed=True, missing=[]), TODAY)
    assert "20.11.2026 (п. 4.2) — ПРОСРОЧЕН" in text
    assert "Для следующего шага всё есть." in text


def test_status_of_a_broken_card_lists_its_problems_with_lines(root):
    written = sync(root, TODAY)
    broken = root.path / "2026-009 Ошибка в карточке"
    text = (broken / STATUS_FILE).read_text(encoding="utf-8-sig")
    assert "Стадия:              ошибка в карточке" in text
    assert "дело.yaml, стр. 17: неизвестное поле «обременение»" in text
    assert "Задолженность:       —" in text
    assert written.statuses == 11
    # Unchanged content is not rewritten: the second run changes nothing.
    mtime = (broken / STATUS_FILE).stat().st_mtime_ns
    again = sync(root, TODAY)
    assert again.statuses == 0 and (broken / STATUS_FILE).stat().st_mtime_ns == mtime


def test_status_never_recreates_a_vanished_folder(tmp_path):
    gone = tmp_path / "удалённое дело"
    assert dashboard.write_status(gone, record(), TODAY) is False
    assert not gone.exists()


# --- Сводка.html (pure) ---------------------------------------------------------------------------

def test_summary_escapes_everything_and_is_self_contained():
    nasty = record(debtor='ООО «Берёзка & Сыновья» <script>alert(1)</script>', officer='Иванов "Старший" <И.>',
                   folder="2026-102 O'Brien & Co", case="2026-102",
                   problems=[{"file": "2026-102 O'Brien & Co/дело.yaml", "line": 3, "message": "поле <x> пустое"}],
                   documents=[{"path": "Сформировано/Требование <1>.docx", "kind": "claim_copy"},
                              {"path": "Почта/чек & опись.pdf", "kind": "postal_receipt"}])
    page = dashboard.summary_html([nasty], TODAY, CALENDAR)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Берёзка &amp; Сыновья" in page
    assert 'data-officer="Иванов &quot;Старший&quot; &lt;И.&gt;"' in page
    assert "поле &lt;x&gt; пустое" in page and "дело.yaml, стр. 3" in page
    assert 'href="2026-102%20O%27Brien%20%26%20Co/"' in page
    assert 'href="2026-102%20O%27Brien%20%26%20Co/%D0%A1%D1%84' in page and "Требование &lt;1&gt;.docx" in page
    assert "%D0%9F%D0%BE%D1%87%D1%82%D0%B0/%D1%87%D0%B5%D0%BA%20%26%20" in page and "чек &amp; опись.pdf" in page
    # Nothing from outside the page: no external scripts, styles, images or fonts.
    assert "http://" not in page and "https://" not in page
    assert "<link" not in page and " src=" not in page and "@import" not in page


def test_deadline_colours_count_working_days_by_the_production_calendar():
    today = date(2026, 12, 30)  # then come the New Year holidays: 5 working days end on 15.01.2027
    assert CALENDAR.add_working_days(today, 5) == date(2027, 1, 15)
    records = [record(case="A", folder="A", deadline="2026-12-29", deadline_missed=True),
               record(case="B", folder="B", deadline="2027-01-14"),  # 5 weekdays would end on 06.01
               record(case="C", folder="C", deadline="2027-01-18")]
    cells = {r.folder: r.deadline_class for r in parse_rows(dashboard.summary_html(records, today, CALENDAR))}
    assert cells == {"A": "missed", "B": "soon", "C": None}


def test_summary_totals_by_stage_and_kbk_and_todays_agenda():
    records = [record(case="A", folder="A", debt="100.10", penalty="1.00"),
               record(case="B", folder="B", debt="200.20", penalty="2.00", kbk="00011301994140000130"),
               record(case="C", folder="C", stage="paid", stage_label="погашена", debt="0.00", penalty="0.00",
                      deadline=None, next_action=None),
               record(case="D", folder="D", deadline="2026-11-24", next_action="подать иск", officer="Шутова Е. Н."),
               record(case="E", folder="E", debt=None, penalty=None, stage="card_error", stage_label="ошибка в карточке",
                      kbk=None, deadline=None)]
    page = dashboard.summary_html(records, TODAY, CALENDAR)
    by_stage = table_text(page, "by-stage")
    assert ["просрочена: претензия не направлена", "3", "15 300,30", "1 237,50"] in by_stage
    assert ["погашена", "1", "0,00", "0,00"] in by_stage
    assert ["ошибка в карточке", "1", "0,00", "0,00"] in by_stage
    assert by_stage[-1] == ["Всего", "5", "15 300,30", "1 237,50"]
    by_kbk = table_text(page, "by-kbk")
    assert ["00011301994140000130", "1", "200,20", "2,00"] in by_kbk and ["КБК не указан", "1", "0,00", "0,00"] in by_kbk
    agenda = table_text(page, None, section="agenda")
    assert agenda == [["24.11.2026", "D", "подать иск", "4.2", "Шутова Е. Н."]]


# --- the page in headless Chromium ----------------------------------------------------------------

@needs_chromium
def test_page_in_chromium_screenshot_sort_and_filter_by_url(root, tmp_path):
    written = sync(root, TODAY)
    page = root.path / dashboard.SUMMARY_FILE
    shot = tmp_path / "сводка.png"
    chromium(tmp_path, "--window-size=1400,1000", f"--screenshot={shot}", page.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000

    records = {r.folder: r for r in written.records}
    rows = parse_rows(dump_dom(tmp_path, page.as_uri() + "?sort=debt&dir=desc"))
    assert len(rows) == 11 and not any(r.hidden for r in rows)
    debts = [float(records[r.folder].debt) for r in rows if records[r.folder].debt is not None]
    assert debts == sorted(debts, reverse=True) and debts[0] == 640000.0
    assert rows[-1].folder == "2026-009 Ошибка в карточке"  # no amount: last, whatever the direction

    officer = "Шутова Елена Николаевна"
    rows = parse_rows(dump_dom(tmp_path, page.as_uri() + "?officer=" + officer.replace(" ", "%20")))
    shown = {r.folder for r in rows if not r.hidden}
    assert shown == {f for f, r in records.items() if r.officer == officer} and len(shown) == 4


@needs_chromium
def test_page_in_chromium_sorts_on_header_clicks_and_filters_on_select(root, tmp_path):
    sync(root, TODAY)
    page = (root.path / dashboard.SUMMARY_FILE).as_uri()
    rows = "Array.from(document.querySelectorAll('#cases tbody tr'))"
    visible = f"{rows}.filter(r => !r.hidden).map(r => r.dataset.folder)"
    results = cdp_evaluate(tmp_path, page, [
        "document.querySelector('th[data-key=deadline]').click()",
        f"{rows}.map(r => r.querySelector('[data-col=deadline]').dataset.v)",
        "document.querySelector('th[data-key=deadline]').click()",
        f"{rows}.map(r => r.querySelector('[data-col=deadline]').dataset.v)",
        "var s = document.getElementById('f-stage'); s.value = 'overdue'; s.dispatchEvent(new Event('change'))",
        visible,
        "document.getElementById('shown').textContent",
        "var a = document.getElementById('f-administrator'); a.value = 'Управление финансов';"
        "s.value = ''; s.dispatchEvent(new Event('change'))",
        visible,
    ])
    ascending, descending = [d for d in results[1] if d], [d for d in results[3] if d]
    assert ascending == sorted(ascending) and len(ascending) >= 4
    assert descending == sorted(ascending, reverse=True)
    assert results[1][-1] == "" and results[3][-1] == ""  # cases without a deadline stay last
    assert results[5] == ["2026-002 ИП Петров"]
    assert results[6] == "Показано дел: 1 из 11"
    assert results[8] == ["2026-003 Черных Ольга"]


def test_dashboard_command_writes_the_page_and_statuses(root):
    result = CliRunner().invoke(main, ["dashboard", "--root", str(root.path), "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert "дел — 11" in result.output
    page = (root.path / dashboard.SUMMARY_FILE).read_text(encoding="utf-8")
    assert "ООО «Берёзка &amp; Сыновья» &lt;1&gt;" in page
    assert all((f / STATUS_FILE).exists() for f in root.case_folders())


# --- helpers --------------------------------------------------------------------------------------

class Row:
    def __init__(self, attrs):
        self.folder = attrs.get("data-folder")
        self.hidden = "hidden" in attrs
        self.deadline_class = None


class _Rows(HTMLParser):
    """The rows of table#cases, in document order, with their deadline cell's class."""

    def __init__(self):
        super().__init__()
        self.rows, self.in_cases = [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.in_cases = attrs.get("id") == "cases"
        elif self.in_cases and tag == "tr" and "data-folder" in attrs:
            self.rows.append(Row(attrs))
        elif self.in_cases and tag == "td" and attrs.get("data-col") == "deadline" and self.rows:
            self.rows[-1].deadline_class = attrs.get("class")


def parse_rows(page: str) -> list[Row]:
    parser = _Rows()
    parser.feed(page)
    return parser.rows


class _Table(HTMLParser):
    def __init__(self, table_id, section):
        super().__init__()
        self.table_id, self.section = table_id, section
        self.inside, self.rows, self.cell = False, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (tag == "table" and self.table_id and attrs.get("id") == self.table_id) or \
                (tag == "section" and self.section and attrs.get("id") == self.section):
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag == "td":
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("table", "section") and self.inside and (tag == "table") == bool(self.table_id):
            self.inside = False
        elif tag == "td" and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table_text(page: str, table_id: str | None, section: str | None = None) -> list[list[str]]:
    parser = _Table(table_id, section)
    parser.feed(page)
    return [row for row in parser.rows if row]


BROWSER_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync")


def chromium(tmp_path: Path, *args: str) -> str:
    profile = tmp_path / f"chromium-profile-{time.monotonic_ns()}"
    done = subprocess.run([CHROMIUM, *BROWSER_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dump_dom(tmp_path: Path, url: str) -> str:
    return chromium(tmp_path, "--dump-dom", url)


def cdp_evaluate(tmp_path: Path, url: str, expressions: list[str]) -> list:
    """Open `url` and evaluate each expression in turn over the DevTools protocol (a pipe: fd 3 in, fd 4 out)."""
    to_browser_r, to_browser_w = os.pipe()
    from_browser_r, from_browser_w = os.pipe()

    def wire_fds():  # in the child: its fd 3 reads our commands, its fd 4 writes the replies
        high_in = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
        high_out = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
        os.dup2(high_in, 3)
        os.dup2(high_out, 4)

    profile = tmp_path / f"chromium-profile-{time.monotonic_ns()}"
    browser = subprocess.Popen([CHROMIUM, *BROWSER_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe",
                                "about:blank"], pass_fds=(3, 4), preexec_fn=wire_fds,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(to_browser_r)
    os.close(from_browser_w)
    pending = b""
    counter = 0

    def send(method, params=None, session=None):
        nonlocal pending, counter
        counter += 1
        message = {"id": counter, "method": method, "params": params or {}, **({"sessionId": session} if session else {})}
        os.write(to_browser_w, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in pending:
                chunk = os.read(from_browser_r, 1 << 16)
                assert chunk, "chromium closed the DevTools pipe"
                pending += chunk
            raw, pending = pending.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == counter:
                assert "error" not in reply, reply["error"]
                return reply["result"]

    try:
        target = send("Target.createTarget", {"url": url})["targetId"]
        session = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]

        def evaluate(expression):
            reply = send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
            assert "exceptionDetails" not in reply, reply["exceptionDetails"]
            return reply["result"].get("value")

        deadline = time.monotonic() + 60
        while evaluate("document.readyState") != "complete" or not evaluate("!!document.getElementById('cases')"):
            assert time.monotonic() < deadline, "the page did not load"
            time.sleep(0.05)
        results = [evaluate(e) for e in expressions]
        send("Browser.close")
        browser.wait(30)
        return results
    finally:
        if browser.poll() is None:
            browser.kill()
            browser.wait()
        os.close(to_browser_w)
        os.close(from_browser_r)
