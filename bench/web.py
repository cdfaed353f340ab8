"""The web workspace under load: page latency beside a static file, and 20 users recording payments at once.

    python bench/web.py                                  # sizes 1000,10000; users on 10000 cases for 60 s
    python bench/web.py --sizes 1000 --seconds 10        # a smoke run
    python bench/web.py --profile                        # also profile the pages in-process (top 15)

Each measurement runs `kezdocs serve` in a fresh process on a free port of
127.0.0.1 (no accounts), on a copy of a `bench/make_root.py` root in /tmp
(the server writes into its root). The floor is `/static/style.css` served by
the same server in the same run: what any page costs at least (waitress,
Flask's routing, the before-request hook). The users' run checks that no
acknowledged payment is lost: every 302 after a POST must be a payment in its
card. Prints a table and writes the «Веб-интерфейс» section of
`bench/results.md` (replacing the previous one).
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import make_root  # noqa: E402
import run  # noqa: E402

CASE_P95 = 0.100  # the target: a case page at 10 000 cases
JUDGED_SIZE = 10_000
SECTION = "## Веб-интерфейс"
DOCUMENT = "bench-web"  # the payments' documents start so: the cards' own payments are not counted
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="([^"]+)"')
STALE = 'id="stale"'
MAX_RETRIES = 50


# --- the server and a browser-like client ---------------------------------------------------------

class Served:
    """`kezdocs serve --root ROOT` on a free port of 127.0.0.1, stopped with Ctrl+C (SIGINT) as a person would."""

    def __init__(self, root: Path):
        self.root = root
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.log = tempfile.TemporaryFile()
        self.started = 0.0

    def __enter__(self) -> "Served":
        begun = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "kezdocs", "serve", "--root", str(self.root),
                                      "--port", str(self.port)], stdout=self.log, stderr=subprocess.STDOUT)
        while not self._answers():
            if self.proc.poll() is not None or time.perf_counter() - begun > 900:
                self.log.seek(0)
                raise RuntimeError(f"kezdocs serve did not start:\n{self.log.read().decode()[-3000:]}")
            time.sleep(0.2)
        self.started = time.perf_counter() - begun
        return self

    def _answers(self) -> bool:
        try:
            return Client(self.port).get("/static/style.css")[0] == 200
        except OSError:
            return False

    def __exit__(self, *exc) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class Client:
    """One keep-alive connection with its cookies (the session holds the CSRF token and the flash messages)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path: str) -> tuple[int, str, str]:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> tuple[int, str, str]:
        return self.request("POST", path, urlencode(form), {"Content-Type": "application/x-www-form-urlencoded"})

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        """(status, body, Location); a GET whose connection the server closed is sent again once."""
        headers = {**(headers or {}), **({"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
                                         if self.cookies else {})}
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body, headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                if attempt == 2 or method != "GET":  # a POST sent again could record twice
                    raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        location = urlsplit(response.headers.get("Location", ""))
        return response.status, text, location.path + (f"?{location.query}" if location.query else "")


def case_path(number: str) -> str:
    return "/cases/" + quote(number, safe="")


def case_refs(root: Path) -> list[str]:
    """How the list links each case: its number, or the folder's name when the card cannot be read."""
    from kezdocs.core.card import parse_card

    refs = []
    for card in sorted(root.glob("*/дело.yaml")):
        case, _problems = parse_card(card.read_text(encoding="utf-8"))
        refs.append(case.number if case is not None else card.parent.name)
    return refs


# --- 1. page latency -----------------------------------------------------------------------------------

def page_latency(port: int, refs: list[str], requests: int, warmup: int = 20) -> dict[str, dict]:
    """Sequential requests on one connection, the three kinds interleaved so each sees the same background
    (the watcher's polls); per kind: times in seconds and the count of answers other than 200."""
    rng = random.Random(15)
    kinds = {"static": lambda: "/static/style.css", "list": lambda: "/", "case": lambda: case_path(rng.choice(refs))}
    client = Client(port)
    for _ in range(warmup):
        for path in kinds.values():
            client.get(path())
    result = {kind: {"times": [], "failed": 0, "bytes": 0} for kind in kinds}
    for _ in range(requests):
        for kind, path in kinds.items():
            target = path()
            started = time.perf_counter()
            status, body, _loc = client.get(target)
            result[kind]["times"].append(time.perf_counter() - started)
            result[kind]["failed"] += status != 200
            result[kind]["bytes"] = max(result[kind]["bytes"], len(body.encode()))
    return result


def latency_rows(size: int, result: dict, rows: list) -> None:
    floor = result["static"]["times"]
    f50, f95 = statistics.median(floor), run._p95(floor)
    titles = {"list": "страница «список дел» (/, 50 строк)", "case": "страница дела (/cases/<номер>, случайные)"}
    for kind, title in titles.items():
        times, failed = result[kind]["times"], result[kind]["failed"]
        p50, p95 = statistics.median(times), run._p95(times)
        judged = kind == "case" and size == JUDGED_SIZE
        rows.append((f"{title}, {size} дел", f"p50 {p50 * 1000:.1f} мс, p95 {p95 * 1000:.1f} мс; "
                     f"до {result[kind]['bytes'] / 1000:.0f} КБ" + (f"; не 200: {failed}" if failed else ""),
                     f"статический файл: p50 {f50 * 1000:.1f} мс, p95 {f95 * 1000:.1f} мс", f"×{p50 / f50:.0f}",
                     f"p95 < {CASE_P95 * 1000:g} мс при {JUDGED_SIZE} делах" if kind == "case" else "—",
                     (p95 < CASE_P95 and not failed) if judged else (None if not failed else False)))


# --- 2. users recording payments ----------------------------------------------------------------------

@dataclass
class Tally:
    """What one user saw: the payments acknowledged (case, document), 409 retries, errors, seconds per payment."""

    acknowledged: list[tuple[str, str]] = field(default_factory=list)
    retries: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def writable_cases(port: int, refs: list[str], count: int) -> list[str]:
    """`count` random cases whose page offers the event form (a closed case does not)."""
    rng, client, chosen = random.Random(20), Client(port), []
    for number in rng.sample(refs, len(refs)):
        status, body, _ = client.get(case_path(number))
        if status == 200 and VERSION.search(body):
            chosen.append(number)
            if len(chosen) == count:
                return chosen
    raise RuntimeError(f"only {len(chosen)} cases offer the event form")


def user_cases(cases: list[str], user: int, shared: int) -> list[str]:
    """Users 2j and 2j+1 (j < shared) both record into cases 2j and 2j+1 in turn; the others, each alone
    into their own case."""
    if user < 2 * shared:
        pair = user - user % 2
        return [cases[pair], cases[pair + 1]]
    return [cases[user]]


def record_payments(port: int, mine: list[str], user: int, seconds: float, start: threading.Barrier,
                    tally: Tally) -> None:
    """A clerk at work: open the case, record a payment, land on the case page again (the browser follows the
    redirect and shows «Записано»); the next payment is typed on that page."""
    client, day = Client(port), date.today().strftime("%d.%m.%Y")
    start.wait()
    deadline = time.perf_counter() + seconds
    shown, body, seq = None, "", 0
    while time.perf_counter() < deadline:
        number = mine[seq % len(mine)]
        form = {"event": "payment", "date": day, "amount": f"{user * 100_000 + seq + 1},50",
                "document": f"{DOCUMENT} u{user} n{seq}"}
        try:
            if shown != number:
                body, shown = client.get(case_path(number))[1], number
            body = pay(client, number, form, body, tally)
        except (OSError, http.client.HTTPException) as exc:
            tally.errors.append(f"{number}: {type(exc).__name__}")
            client, body = Client(port), ""
        if not body:
            shown = None
        seq += 1


def pay(client: Client, number: str, form: dict, body: str, tally: Tally) -> str:
    """Submit one payment from the page `body`; a 409 «the card changed» is read and the same payment submitted
    again with the new version, as a person would. The page the user is on afterwards ("" after an error)."""
    began = time.perf_counter()
    for _ in range(MAX_RETRIES):
        token, version = CSRF.search(body), VERSION.search(body)
        if not (token and version):
            tally.errors.append(f"{number}: на странице нет формы")
            return ""
        status, body, location = client.post(case_path(number) + "/events",
                                             {**form, "csrf_token": token.group(1), "version": version.group(1)})
        if status == 302:
            tally.acknowledged.append((number, form["document"]))
            tally.seconds.append(time.perf_counter() - began)
            return client.get(location)[1]
        if status != 409 or STALE not in body:
            tally.errors.append(f"{number}: ответ {status}")
            return ""
        tally.retries += 1
    tally.errors.append(f"{number}: не записано за {MAX_RETRIES} попыток")
    return ""


def recorded(root: Path, cases: set[str]) -> dict[str, list[str]]:
    """The benchmark's payments (their documents) in each of these cases' cards, as the core reads them."""
    from kezdocs.core.card import parse_card

    found = {}
    for card in root.glob("*/дело.yaml"):
        case, _problems = parse_card(card.read_text(encoding="utf-8"))
        if case is not None and case.number in cases:
            found[case.number] = [p.document for p in case.payments if (p.document or "").startswith(DOCUMENT)]
    if set(cases) - set(found):
        raise RuntimeError(f"cards no longer readable: {sorted(set(cases) - set(found))}")
    return found


def users_run(root: Path, refs: list[str], users: int, shared: int, seconds: float) -> dict:
    with Served(root) as served:
        cases = writable_cases(served.port, refs, users)
        tallies = [Tally() for _ in range(users)]
        start = threading.Barrier(users + 1)
        threads = []
        for user in range(users):
            thread = threading.Thread(target=record_payments, args=(served.port, user_cases(cases, user, shared), user,
                                                                    seconds, start, tallies[user]))
            thread.start()
            threads.append(thread)
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    in_cards = recorded(root, set(cases))
    acknowledged = [pair for t in tallies for pair in t.acknowledged]
    stored = {(number, doc) for number, docs in in_cards.items() for doc in docs}
    return {"asked": seconds, "elapsed": elapsed, "acknowledged": len(acknowledged), "in_cards": len(stored),
            "lost": len(set(acknowledged) - stored), "unacknowledged": len(stored - set(acknowledged)),
            "retries": sum(t.retries for t in tallies), "errors": [e for t in tallies for e in t.errors],
            "seconds": [s for t in tallies for s in t.seconds], "cases": len(cases)}


def users_rows(size: int, users: int, shared: int, result: dict, rows: list, notes: list) -> None:
    rate = result["acknowledged"] / result["elapsed"]
    times = result["seconds"]
    ok = result["lost"] == 0 and result["unacknowledged"] == 0 and not result["errors"]
    rows.append((f"{users} пользователей записывают платежи {result['asked']:g} с (последний ответ через "
                 f"{result['elapsed']:.0f} с), {size} дел",
                 f"{rate:.1f} платежей/с; записано {result['acknowledged']}, в карточках {result['in_cards']}, "
                 f"потеряно {result['lost']}; повторов после 409: {result['retries']}; ошибок: {len(result['errors'])}",
                 "—", "—", "потеряно 0, ошибок 0", ok))
    if times:
        rows.append((f"платёж от отправки до ответа (с повторами), {users} пользователей",
                     f"p50 {statistics.median(times) * 1000:.0f} мс, p95 {run._p95(times) * 1000:.0f} мс",
                     "—", "—", "—", None))
    notes.append(f"пользователи: {result['cases']} дел; {2 * shared} пользователей парами записывают в {2 * shared} "
                 "дел по очереди (устаревшие версии), остальные — каждый в своё дело; после записи — переход на "
                 "страницу дела, как в браузере")
    if result["unacknowledged"]:
        notes.append(f"в карточках {result['unacknowledged']} платежей без ответа 302")
    for error in sorted(set(result["errors"]))[:5]:
        notes.append(f"ошибка: {error}")


# --- 3. the profile the lead asks for when a page is slow ---------------------------------------------

def profile_pages(root: Path, refs: list[str], rounds: int = 5, top: int = 15) -> str:
    """cProfile through Flask's test client on the same root (the watcher scans first), `rounds` of each:
    a case page, the list, a payment's POST (the page it is sent from is read outside the profile)."""
    import cProfile
    import io
    import pstats

    from kezdocs.folders.casefolder import open_root
    from kezdocs.web.app import create_app
    from kezdocs.web.workspace import Workspace

    workspace, out, day = Workspace(open_root(root)), io.StringIO(), date.today().strftime("%d.%m.%Y")
    workspace.start()
    try:
        client = create_app(workspace, local=True).test_client()
        picked = [ref for ref in random.Random(7).sample(refs, 50)  # cases with the form (read: warm-up too)
                  if VERSION.search(client.get(case_path(ref)).get_data(as_text=True))][:rounds]
        calls = {"страница дела": lambda ref, i: (client.get, case_path(ref), {}),
                 "список дел": lambda ref, i: (client.get, "/", {}),
                 "запись платежа (POST)": lambda ref, i: (client.post, case_path(ref) + "/events", {"data": {
                     "event": "payment", "date": day, "amount": f"{i + 1},25", "document": f"bench-profile {i}",
                     **_form_of(client.get(case_path(ref)).get_data(as_text=True))}})}
        for name, call in calls.items():
            profile = cProfile.Profile()
            for i, ref in enumerate(picked):
                method, path, kwargs = call(ref, i)
                profile.runcall(method, path, **kwargs)
            out.write(f"\n===== {name}, {rounds} запросов: kezdocs по общему времени, затем всё по собственному\n")
            stats = pstats.Stats(profile, stream=out)
            stats.sort_stats("cumulative").print_stats("/kezdocs/", top)
            stats.sort_stats("tottime").print_stats(top)
    finally:
        workspace.stop()
    return out.getvalue()


def _form_of(page: str) -> dict:
    return {"csrf_token": CSRF.search(page).group(1), "version": VERSION.search(page).group(1)}


# --- the run -------------------------------------------------------------------------------------------

def scratch_root(size: int, scratch: Path) -> Path:
    """A copy of bench/roots/SIZE (made if missing) under `scratch`: the server writes into its root."""
    source = make_root.ROOTS / str(size)
    if not (source / make_root.SETTINGS_NAME).exists():
        make_root.make_root(source, size, date.fromisoformat(run.TODAY))
    target = scratch / str(size)
    shutil.copytree(source, target, symlinks=True)
    return target


def bench_web(rows: list, notes: list, sizes=(1000, 10_000), requests: int = 200, users: int = 20, shared: int = 5,
              seconds: float = 60, users_size: int | None = None, profile: bool = False) -> None:
    users_size = users_size or max(sizes)
    notes.append("средняя загрузка машины (load average, 1 мин) в начале: {:.1f}".format(os.getloadavg()[0]))
    with tempfile.TemporaryDirectory(prefix="kezdocs-web-") as scratch:
        for size in sizes:
            root = scratch_root(size, Path(scratch))
            refs = case_refs(root)
            with Served(root) as served:
                notes.append(f"kezdocs serve, {size} дел: отвечает через {served.started:.1f} с после запуска")
                result = page_latency(served.port, refs, requests)
            latency_rows(size, result, rows)
            print(run.table(rows), flush=True)
            slow = size == JUDGED_SIZE and run._p95(result["case"]["times"]) >= CASE_P95
            if profile or slow:
                print(profile_pages(root, refs), flush=True)
            if size == users_size:
                users_rows(size, users, shared, users_run(root, refs, users, shared, seconds), rows, notes)
                print(run.table(rows), flush=True)
    notes.append("средняя загрузка в конце: {:.1f} (машину делят другие процессы)".format(os.getloadavg()[0]))
    notes.append(f"задержка страниц: {requests} последовательных запросов каждого вида по одному соединению "
                 "(keep-alive), виды чередуются; перед ними по 20 запросов прогрева")


def write_section(rows: list, notes: list, took: float) -> str:
    """The «Веб-интерфейс» section of bench/results.md, put in place of the previous one."""
    return run.write_section(SECTION, took, rows, notes,
                             "`python bench/web.py`: каждое измерение — свой процесс `kezdocs serve` на 127.0.0.1 без "
                             "учётных записей, на копии корня; нижняя граница — статический файл того же сервера в том "
                             "же прогоне.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--requests", type=int, default=200, help="requests per page kind")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--shared", type=int, default=5, help="pairs of users sharing two cases")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users-size", type=int, default=None, help="root size for the users' run (the largest)")
    parser.add_argument("--profile", action="store_true", help="profile the pages even when the case page is fast")
    args = parser.parse_args()
    started = time.perf_counter()
    rows: list = []
    notes: list[str] = []
    bench_web(rows, notes, tuple(int(s) for s in args.sizes.split(",")), args.requests, args.users, args.shared,
              args.seconds, args.users_size, args.profile)
    print()
    print(write_section(rows, notes, time.perf_counter() - started))
    print(f"записано: {run.RESULTS}")
    if any(row[-1] is False for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
