"""The web workspace's access rules, through Flask's test client on a real demo root and a real watcher:
roles, sign-in, CSRF, the session cookie, downloads only from inside the case folder, every value escaped,
`serve` refusing a network address without accounts, the audit log."""
import re
import shutil
import time
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from kezdocs.core.errors import KezdocsError
from kezdocs.folders import audit, users
from kezdocs.folders.casefolder import open_root
from kezdocs.web.server import Server

from conftest import DEMO_DAY

PASSWORD = "пароль-надёжный-1"
CASE = "2026-001"


@pytest.fixture()
def served(demo_copy):
    server = Server(open_root(demo_copy), "127.0.0.1", 0, today_fn=lambda: DEMO_DAY, delay=0.2)
    server.start()
    yield server, demo_copy
    server.stop()


def token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def card_bytes(root: Path, case: str = CASE) -> bytes:
    return next(root.glob(f"{case} */дело.yaml")).read_bytes()


def signed_in(server, root: Path, role: str):
    users.add_user(root, role[:4] + "x", role, PASSWORD)
    client = server.app.test_client()
    page = client.get("/login").data.decode()
    answer = client.post("/login", data={"csrf_token": token(page), "login": role[:4] + "x", "password": PASSWORD})
    assert answer.status_code == 302
    return client


# Which role may open which page (GET) — 200 or 403; `core.roles` is the table, this checks the pages ask it.
PAGES = [
    ("/", {"специалист": 200, "юрист": 200, "финансист": 200, "наблюдатель": 200}),
    (f"/cases/{CASE}", {"специалист": 200, "юрист": 200, "финансист": 200, "наблюдатель": 200}),
    ("/new", {"специалист": 200, "юрист": 200, "финансист": 403, "наблюдатель": 403}),
    (f"/cases/{CASE}/edit", {"специалист": 200, "юрист": 200, "финансист": 403, "наблюдатель": 403}),
    (f"/cases/{CASE}/check", {"специалист": 403, "юрист": 200, "финансист": 403, "наблюдатель": 403}),
    ("/reports", {"специалист": 403, "юрист": 403, "финансист": 200, "наблюдатель": 403}),
]


@pytest.mark.parametrize("role", ["специалист", "юрист", "финансист", "наблюдатель"])
def test_each_role_opens_only_its_pages(served, role):
    server, root = served
    client = signed_in(server, root, role)
    got = {path: client.get(path).status_code for path, _ in PAGES}
    assert got == {path: expected[role] for path, expected in PAGES}
    forbidden = client.get("/reports" if role != "финансист" else "/new").data.decode()
    assert "Доступ запрещён" in forbidden and role in forbidden


def test_a_viewer_sees_no_write_form_and_a_post_with_a_valid_token_changes_nothing(served):
    server, root = served
    client = signed_in(server, root, "наблюдатель")
    page = client.get(f"/cases/{CASE}").data.decode()
    assert 'id="event-form"' not in page and 'id="upload-form"' not in page and "Изменить карточку" not in page
    before = card_bytes(root)
    answer = client.post(f"/cases/{CASE}/events", data={"csrf_token": token(page), "event": "payment",
                                                         "date": "25.11.2026", "amount": "100"})
    assert answer.status_code == 403
    assert card_bytes(root) == before


def test_with_accounts_every_page_asks_for_a_sign_in_and_a_wrong_password_is_logged(served):
    server, root = served
    users.add_user(root, "ivanova", "юрист", PASSWORD)
    client = server.app.test_client()
    answer = client.get(f"/cases/{CASE}")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    page = client.get("/login").data.decode()
    wrong = client.post("/login", data={"csrf_token": token(page), "login": "ivanova", "password": "не тот"})
    assert wrong.status_code == 401 and "Неверный логин или пароль" in wrong.data.decode()
    right = client.post("/login", data={"csrf_token": token(page), "login": "ivanova", "password": PASSWORD})
    cookie = right.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    actions = [(e.user, e.action) for e in audit.AuditLog(root).recent(5)]
    assert ("ivanova", "login_failed") in actions and ("ivanova", "login") in actions


def test_a_post_without_the_csrf_token_is_refused_and_the_card_is_unchanged(served):
    server, root = served
    client = server.app.test_client()
    before = card_bytes(root)
    for path, data in [(f"/cases/{CASE}/events", {"event": "payment", "date": "25.11.2026", "amount": "100"}),
                       (f"/cases/{CASE}/edit", {"должник.инн": "1831000001"}),
                       ("/new", {"number": "2026-099"})]:
        answer = client.post(path, data=data)
        assert answer.status_code == 403, path
        assert "Форма устарела" in answer.data.decode()
    assert card_bytes(root) == before
    assert not list(root.glob("2026-099*"))


@pytest.mark.parametrize("path", [
    "..%2F..%2Fнастройки.yaml", "../настройки.yaml", "%2Fetc%2Fpasswd", ".kezdocs/users.json", "нет такого.pdf",
    "..%5C..%5Cнастройки.yaml",
])
def test_a_file_is_served_only_from_inside_its_case_folder(served, path):
    server, root = served
    assert server.app.test_client().get(f"/cases/{CASE}/files/{path}").status_code == 404


def test_a_link_inside_the_case_folder_pointing_out_is_not_followed(served):
    server, root = served
    folder = next(root.glob(f"{CASE} *"))
    (folder / "ссылка.yaml").symlink_to(root / "настройки.yaml")
    client = server.app.test_client()
    assert client.get(f"/cases/{CASE}/files/ссылка.yaml").status_code == 404
    assert client.get(f"/cases/{CASE}/files/дело.yaml").status_code == 200


def test_every_value_is_escaped(served):
    server, root = served
    card = next(root.glob(f"{CASE} */дело.yaml"))
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    card.write_text(card.read_text(encoding="utf-8").replace("наименование: ООО «Ромашка»",
                                                             f"наименование: '{hostile}'"), encoding="utf-8")
    server.workspace.refresh(card.parent.name)
    assert hostile in card.read_text(encoding="utf-8")
    client = server.app.test_client()
    for page in (client.get("/").data.decode(), client.get(f"/cases/{CASE}").data.decode()):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script>alert" not in page and "<img src=x" not in page


def test_serve_on_a_network_address_needs_accounts(demo_copy):
    with pytest.raises(KezdocsError, match="учётные записи"):
        Server(open_root(demo_copy), "0.0.0.0", 0)
    users.add_user(demo_copy, "ivanova", "юрист", PASSWORD)
    server = Server(open_root(demo_copy), "0.0.0.0", 0, today_fn=lambda: DEMO_DAY)
    assert server.app.config["LOCAL"] is False


@pytest.mark.parametrize("target", ["/\t/evil.example", "//evil.example", "https://evil.example/", "/\\evil.example",
                                    "evil.example"])
def test_after_the_sign_in_only_a_path_of_this_site_is_followed(served, target):
    server, root = served
    users.add_user(root, "ivanova", "юрист", PASSWORD)
    client = server.app.test_client()
    page = client.get("/login").data.decode()
    answer = client.post("/login", query_string={"next": target},
                         data={"csrf_token": token(page), "login": "ivanova", "password": PASSWORD})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"


def test_a_path_of_this_site_is_where_the_sign_in_leads(served):
    server, root = served
    users.add_user(root, "ivanova", "юрист", PASSWORD)
    client = server.app.test_client()
    page = client.get("/login").data.decode()
    answer = client.post("/login", query_string={"next": f"/cases/{CASE}"},
                         data={"csrf_token": token(page), "login": "ivanova", "password": PASSWORD})
    assert answer.headers["Location"] == f"/cases/{CASE}"


def test_on_the_loopback_address_another_host_name_is_not_answered(served):
    server, root = served
    client = server.app.test_client()
    assert client.get("/", headers={"Host": "evil.example:8080"}).status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1:8080"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost"}).status_code == 200


@pytest.mark.parametrize("name, inline", [("письмо.html", False), ("рисунок.svg", False), ("скан.pdf", True),
                                          ("фото.jpg", True), ("заметка.txt", True)])
def test_a_dropped_file_never_runs_as_a_page_of_the_workspace(served, name, inline):
    server, root = served
    folder = next(root.glob(f"{CASE} *"))
    (folder / name).write_bytes(b"<script>alert(1)</script>")
    answer = server.app.test_client().get(f"/cases/{CASE}/files/{name}")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"].startswith("inline" if inline else "attachment")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Content-Security-Policy"].startswith("sandbox")


def test_a_changed_password_ends_the_sessions_signed_in_with_the_old_one(served):
    server, root = served
    client = signed_in(server, root, "юрист")
    assert client.get(f"/cases/{CASE}").status_code == 200
    users.set_password(root, "юрисx", "другой-пароль-2")
    assert client.get(f"/cases/{CASE}").status_code == 302


def test_a_failed_sign_in_logs_a_long_login_short_and_takes_a_second(served):
    server, root = served
    users.add_user(root, "ivanova", "юрист", PASSWORD)
    client = server.app.test_client()
    page = client.get("/login").data.decode()
    started = time.monotonic()
    client.post("/login", data={"csrf_token": token(page), "login": "x" * 100_000, "password": "не тот"})
    assert time.monotonic() - started >= 1.0
    assert audit.AuditLog(root).recent(1)[0].user == "x" * 64
    assert audit.audit_path(root).stat().st_size < 1_000


def test_a_number_two_cards_give_opens_a_page_to_choose_the_folder(served):
    server, root = served
    original = next(root.glob(f"{CASE} *"))
    twin = root / f"{CASE} копия"
    shutil.copytree(original, twin)
    server.workspace.refresh(twin.name)
    page = server.app.test_client().get(f"/cases/{CASE}")
    assert page.status_code == 409
    links = re.findall(r'<li><a href="/cases/([^"]+)"', page.data.decode())
    assert sorted(unquote(link) for link in links) == sorted([original.name, twin.name])
    assert server.app.test_client().get(f"/cases/{quote(twin.name)}").status_code == 200


def test_a_form_without_the_card_version_is_refused(served):
    server, root = served
    client = server.app.test_client()
    page = client.get(f"/cases/{CASE}").data.decode()
    before = card_bytes(root)
    answer = client.post(f"/cases/{CASE}/events", data={"csrf_token": token(page), "event": "payment",
                                                         "date": "25.11.2026", "amount": "100"})
    assert answer.status_code == 400 and "нет версии карточки" in answer.data.decode()
    assert card_bytes(root) == before
