"""The web workspace's forms, through Flask's test client on a real demo root: each goes through the library
function the CLI calls, a stale form writes nothing and keeps what was typed, a repeated payment asks first,
uploads land in the case folder as dropped files, and the list searches, filters, sorts and pages."""
import html
import io
import re
from pathlib import Path

import pytest

from kezdocs import cases
from kezdocs.core.card import parse_card
from kezdocs.folders import audit
from kezdocs.folders.casefolder import open_root
from kezdocs.web.server import Server

from conftest import DEMO_DAY, wait_for

CASE = "2026-001"  # ООО «Ромашка»: claim sent, the voluntary term runs


@pytest.fixture()
def served(demo_copy):
    server = Server(open_root(demo_copy), "127.0.0.1", 0, today_fn=lambda: DEMO_DAY, delay=0.2)
    server.start()
    yield server, demo_copy
    server.stop()


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def card_of(root: Path, case: str = CASE) -> Path:
    return next(root.glob(f"{case} */дело.yaml"))


def payments(root: Path, case: str = CASE):
    return parse_card(card_of(root, case).read_text(encoding="utf-8"))[0].payments


def test_a_payment_is_recorded_in_date_order_shown_and_audited(served):
    server, root = served
    client = server.app.test_client()
    page = client.get(f"/cases/{CASE}").data.decode()
    answer = client.post(f"/cases/{CASE}/events", data={
        "csrf_token": hidden(page, "csrf_token"), "version": hidden(page, "version"), "event": "payment",
        "date": "20.11.2026", "amount": "2 500,50", "document": "п/п № 77"})
    assert answer.status_code == 302
    recorded = [(p.date.isoformat(), str(p.amount), p.document) for p in payments(root)]
    assert ("2026-11-20", "2500.50", "п/п № 77") in recorded
    assert recorded == sorted(recorded)  # in date order, whatever order the card had them typed in
    page = client.get(f"/cases/{CASE}").data.decode()
    assert "2 500,50 руб., п/п № 77" in page
    assert "Записано: платёж 2 500,50 руб. от 20.11.2026" in page  # the flash
    entry = audit.AuditLog(root).of_case(CASE)[0]
    assert (entry.user, entry.action) == ("локальный пользователь", "payment")


def test_a_stale_form_writes_nothing_keeps_what_was_typed_and_shows_the_other_change(served):
    server, root = served
    client = server.app.test_client()
    page = client.get(f"/cases/{CASE}").data.decode()
    form = {"csrf_token": hidden(page, "csrf_token"), "version": hidden(page, "version"), "event": "payment",
            "date": "21.11.2026", "amount": "111", "document": "п/п № 5"}
    cases.record_entry(open_root(root), CASE, "платёж", "19.11.2026", {}, "999", "п/п № 4")  # the CLI, meanwhile
    before = card_of(root).read_bytes()
    answer = client.post(f"/cases/{CASE}/events", data=form)
    assert answer.status_code == 409
    assert card_of(root).read_bytes() == before
    page = answer.data.decode()
    assert "изменили после того, как вы открыли форму" in page
    assert "999,00 руб., п/п № 4" in page  # the other change, on the page
    assert 'name="amount" value="111"' in page and 'name="document" value="п/п № 5"' in page
    again = client.post(f"/cases/{CASE}/events", data={**form, "version": hidden(page, "version")})
    assert again.status_code == 302
    assert {str(p.amount) for p in payments(root)} >= {"999", "111"}


def test_a_repeated_payment_asks_for_confirmation(served):
    server, root = served
    client = server.app.test_client()
    page = client.get(f"/cases/{CASE}").data.decode()
    form = {"csrf_token": hidden(page, "csrf_token"), "event": "payment", "date": "20.11.2026", "amount": "300",
            "document": "п/п № 9", "version": hidden(page, "version")}
    assert client.post(f"/cases/{CASE}/events", data=form).status_code == 302
    page = client.get(f"/cases/{CASE}").data.decode()
    asked = client.post(f"/cases/{CASE}/events", data={**form, "version": hidden(page, "version")})
    assert asked.status_code == 409 and 'name="confirm"' in asked.data.decode()
    assert sum(str(p.amount) == "300" for p in payments(root)) == 1
    confirmed = {**form, "version": hidden(asked.data.decode(), "version"), "confirm": "1"}
    assert client.post(f"/cases/{CASE}/events", data=confirmed).status_code == 302
    assert sum(str(p.amount) == "300" for p in payments(root)) == 2


def test_an_event_with_a_bad_shpi_is_refused_with_the_reason(served):
    server, root = served
    client = server.app.test_client()
    page = client.get("/cases/2026-002").data.decode()  # ИП Петров: overdue, the claim not sent yet
    before = card_of(root, "2026-002").read_bytes()
    answer = client.post("/cases/2026-002/events", data={
        "csrf_token": hidden(page, "csrf_token"), "event": "claim_sent", "date": "25.11.2026",
        "f_шпи": "42755011111111", "version": hidden(page, "version")})
    assert answer.status_code == 400
    assert "неверная контрольная цифра (должна быть 0)" in answer.data.decode()
    assert card_of(root, "2026-002").read_bytes() == before


def test_a_new_case_shows_errors_beside_the_fields_then_is_created(served):
    server, root = served
    client = server.app.test_client()
    token = hidden(client.get("/new").data.decode(), "csrf_token")
    good = {"csrf_token": token, "number": "2026-050", "debtor_type": "ИП", "debtor": "Иванов Иван Иванович",
            "inn": "183100000010", "address": "427550, Удмуртская Республика, п. Кез, ул. Лесная, д. 1",
            "officer": "Иванова Мария Петровна", "basis": "Договор аренды", "basis_number": "5",
            "basis_date": "01.02.2025", "kbk": "00011105012140000120", "charge_period": "I квартал 2026",
            "charge_amount": "15000", "charge_due": "10.03.2026",
            "administrator": open_root(root).settings.administrators[0]}
    bad = client.post("/new", data={**good, "inn": "1234567890"})
    assert bad.status_code == 400
    assert re.search(r'id="error-inn">[^<]*контрольн', bad.data.decode())
    assert not list(root.glob("2026-050*"))
    made = client.post("/new", data=good)
    assert made.status_code == 302, re.findall(r'id="error-([a-z_]+)">([^<]*)', made.data.decode())
    case = parse_card(card_of(root, "2026-050").read_text(encoding="utf-8"))[0]
    assert (case.number, case.debtor.inn, str(case.charges[0].amount)) == ("2026-050", "183100000010", "15000")
    assert "2026-050" in client.get("/").data.decode()


def form_fields(page: str) -> dict[str, str]:
    """The inputs of a page as a browser would submit them (values unescaped)."""
    return {name: html.unescape(value) for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', page)}


def test_a_stale_card_form_merges_the_other_change_with_ours(served):
    server, root = served
    client = server.app.test_client()
    fields = form_fields(client.get(f"/cases/{CASE}/edit").data.decode())
    text = card_of(root).read_text(encoding="utf-8")
    card_of(root).write_text(text.replace("ООО «Ромашка»", "ООО «Ромашка-2»"), encoding="utf-8")  # an editor
    ours = {"банк.наименование": "ПАО Сбербанк", "банк.адрес": "426000, г. Ижевск, ул. Пушкинская, д. 1"}
    stale = client.post(f"/cases/{CASE}/edit", data={**fields, **ours})
    assert stale.status_code == 409
    assert "ООО «Ромашка-2»" in card_of(root).read_text(encoding="utf-8")  # nothing written over the editor's save
    merged = form_fields(stale.data.decode())
    assert (merged["должник.наименование"], merged["банк.наименование"]) == ("ООО «Ромашка-2»", "ПАО Сбербанк")
    assert re.search(r'<ul id="others"><li>Наименование должника: «ООО «Ромашка-2»»</li>', stale.data.decode())
    assert client.post(f"/cases/{CASE}/edit", data=merged).status_code == 302
    case = parse_card(card_of(root).read_text(encoding="utf-8"))[0]
    assert (case.debtor.name, case.debtor.bank.kind) == ("ООО «Ромашка-2»", "ПАО Сбербанк")
    assert "# " in card_of(root).read_text(encoding="utf-8")  # the clerk's comments are kept


def test_a_field_both_changed_is_named_and_the_form_keeps_ours(served):
    server, root = served
    client = server.app.test_client()
    fields = form_fields(client.get(f"/cases/{CASE}/edit").data.decode())
    text = card_of(root).read_text(encoding="utf-8")
    card_of(root).write_text(text.replace("ООО «Ромашка»", "ООО «Ромашка-2»"), encoding="utf-8")
    stale = client.post(f"/cases/{CASE}/edit", data={**fields, "должник.наименование": "ООО «Ромашка-3»"})
    page = stale.data.decode()
    assert form_fields(page)["должник.наименование"] == "ООО «Ромашка-3»"
    assert "Наименование должника: «ООО «Ромашка-2»» — <strong>это поле изменили и вы" in page


@pytest.mark.parametrize("sent, kept", [
    ("квитанция.pdf", "квитанция.pdf"),
    ("../../настройки.yaml", "настройки.yaml"),
    ("Сканы/скан 1.jpg", "скан 1.jpg"),
])
def test_an_upload_lands_in_the_case_folder_never_outside_never_over_a_file(served, sent, kept):
    server, root = served
    client = server.app.test_client()
    token = hidden(client.get(f"/cases/{CASE}").data.decode(), "csrf_token")
    folder = card_of(root).parent
    settings = (root / "настройки.yaml").read_bytes()
    for data in (b"first", b"second"):
        answer = client.post(f"/cases/{CASE}/files", data={"csrf_token": token, "files": (io.BytesIO(data), sent)},
                             content_type="multipart/form-data")
        assert answer.status_code == 302
    stem, suffix = kept.rsplit(".", 1)
    assert (folder / kept).read_bytes() == b"first"
    assert (folder / f"{stem} (2).{suffix}").read_bytes() == b"second"
    assert (root / "настройки.yaml").read_bytes() == settings


def test_the_list_searches_filters_sorts_and_pages(served):
    server, root = served
    client = server.app.test_client()
    assert re.findall(r'<tr>\s*<td><a href="/cases/([^"]+)"', client.get("/?q=1831004567").data.decode()) == ["2026-006"]
    by_officer = client.get("/?officer=Шутова Елена Николаевна").data.decode()
    rows = re.findall(r'<tr>\s*<td><a href="/cases/([^"]+)"', by_officer)
    assert rows and "2026-001" not in rows
    debts = re.findall(r'<td class="num">([\d  ,]+)</td>\s*<td class="num">', client.get("/?sort=debt&dir=desc").data.decode())
    values = [float(d.replace("\u00a0", "").replace(" ", "").replace(",", ".")) for d in debts]
    assert values == sorted(values, reverse=True) and len(values) >= 5
    for n in range(60):  # more cases than a page holds
        cases.create_case(open_root(root), {
            "number": f"2027-{n:03d}", "debtor_type": "физлицо", "debtor": "Петров Пётр Петрович",
            "address": "427550, п. Кез, ул. Лесная, д. 1", "officer": "Иванова Мария Петровна",
            "administrator": open_root(root).settings.administrators[0], "basis": "Договор аренды",
            "kbk": "00011105012140000120", "charge_period": "2026", "charge_amount": "100", "charge_due": "10.03.2026"})
    wait_for(lambda: len(server.workspace.records()) == 71, what="the watcher taking the new folders")
    first = client.get("/?sort=case").data.decode()
    assert "Страница 1 из 2" in first and len(re.findall(r'<tr>\s*<td><a href="/cases/', first)) == 50
    second = client.get("/?sort=case&page=2").data.decode()
    assert len(re.findall(r'<tr>\s*<td><a href="/cases/', second)) == 71 - 50


def test_an_event_recorded_on_the_web_makes_the_documents_its_stage_calls_for(demo_copy):
    """«автодокументы» hold for a write from the web as for a file the watcher sees: the refresh after the form is
    the watcher's own pass, compared with the status before it."""
    settings = demo_copy / "настройки.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "наблюдение:\n  автодокументы: [фссп]\n",
                        encoding="utf-8")
    server = Server(open_root(demo_copy), "127.0.0.1", 0, today_fn=lambda: DEMO_DAY, delay=30)  # no event needed
    server.start()
    try:
        client = server.app.test_client()
        page = client.get("/cases/2026-011").data.decode()
        answer = client.post("/cases/2026-011/events", data={
            "csrf_token": hidden(page, "csrf_token"), "version": hidden(page, "version"),
            "event": "enforcement_ended", "date": "24.11.2026"})
        assert answer.status_code == 302
        made = sorted(p.name for p in next(demo_copy.glob("2026-011 *")).glob("Сформировано/*.docx"))
        assert made == ["2026-11-24 Заявление о возбуждении исполнительного производства 2026-011.docx"]
    finally:
        server.stop()
