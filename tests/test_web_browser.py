"""The web workspace driven in a real browser (Playwright + Debian's chromium) on the demo root as of 24.11.2026:
each role's daily work from the issue's «Done means», every assertion both on the page and on the files."""
from __future__ import annotations

import base64
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pypdf
from webdriver import sign_in

from kezdocs import cases as library
from kezdocs.core import eventrules, newcase
from kezdocs.core.card import CARD_NAME, GENERATED_DIR, parse_card
from kezdocs.core.model import EVENTS
from kezdocs.core.stages import STAGES
from kezdocs.demo import KBK_RENT, company_inn
from kezdocs.folders import cardchange
from kezdocs.folders.cardfile import CardChanged
from kezdocs.paperwork import package
from kezdocs.paperwork.pdftext import text_pdf
from kezdocs.web.filters import first_upper

from conftest import DEMO_DAY

XSS = '<script>window.__x=1</script><img src=x onerror="window.__x=2">'
CLAIM = "claim_sent"
STALE = first_upper(str(CardChanged("", "")))  # the notice of a form built before the card changed
OVERDUE_CASES = ("2026-001", "2026-002", "2026-003", "2026-004", "2026-005", "2026-006", "2026-011")


def card_path(root: Path, case: str) -> Path:
    return next(root.glob(f"{case} */{CARD_NAME}"))


def card_of(site, case: str):
    """The case as its card on disk says (parsed by the card rules, which must find nothing wrong)."""
    path = card_path(site.root, case)
    parsed, problems = parse_card(path.read_text(encoding="utf-8"), CARD_NAME,
                                  site.library_root().settings.administrators)
    assert problems == []
    return parsed


def tree(root: Path) -> dict[str, bytes]:
    """Every case file under the root, with its bytes (the service's own «.kezdocs» aside)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and ".kezdocs" not in p.parts}


def valid_shpi(first13: str) -> str:
    """A domestic ШПИ with the check digit the core accepts."""
    return next(first13 + d for d in "0123456789" if eventrules.shpi_problem(first13 + d) is None)


def stage_shown(page) -> str:
    return page.inner_text("#state dd >> nth=0").strip()


def post_as_form(page, url: str, fields: dict) -> int:
    """A POST from inside the page (the browser's cookies, no form of the page): its HTTP status."""
    return page.evaluate("""async ([url, fields]) => {
        const response = await fetch(url, {method: "POST", body: new URLSearchParams(fields)});
        return response.status; }""", [url, fields])


# --- 1. a clerk: a new case, two uploads, the claim sent -------------------------------------------------------

NEW_CASE = {
    "number": "2026-101", "debtor": "ООО «Ласточка»", "officer": "Иванова Мария Петровна",
    "phone": "+7 (34158) 3-12-34", "address": "427550, Удмуртская Республика, п. Кез, ул. Ленина, д. 5",
    "basis": "Договор аренды земельного участка", "basis_number": "7/2026", "basis_date": "01.02.2026",
    "kbk": KBK_RENT, "charge_period": "III квартал 2026", "charge_amount": "15 000,00", "charge_due": "10.10.2026",
}


def fill_new_case(page, inn: str) -> None:
    for key, value in {**NEW_CASE, "inn": inn}.items():
        page.fill(f"#f-{key}", value)
    page.select_option("#f-debtor_type", "юрлицо")
    with page.expect_navigation():
        page.click("#new-case button[type=submit]")


def test_clerk_creates_a_case_uploads_receipts_and_records_the_claim(site, page, tmp_path):
    sign_in(page, site, "специалист")
    good_inn = company_inn("183100777")
    bad_inn = good_inn[:-1] + str((int(good_inn[-1]) + 1) % 10)
    before = sorted(p.name for p in site.root.iterdir())

    page.goto(site.url + "/new")
    fill_new_case(page, bad_inn)
    administrator = page.input_value("#f-administrator")
    expected = newcase.field_errors({**NEW_CASE, "inn": bad_inn, "debtor_type": "юрлицо",
                                     "administrator": administrator}, site.library_root().settings.administrators)
    assert list(expected) == ["inn"]
    assert page.inner_text(".field.has-error:has(#f-inn) #error-inn") == expected["inn"]
    assert page.input_value("#f-debtor") == NEW_CASE["debtor"]  # what was typed stays
    assert sorted(p.name for p in site.root.iterdir()) == before

    page.fill("#f-inn", good_inn)
    with page.expect_navigation():
        page.click("#new-case button[type=submit]")
    assert page.url.endswith("/cases/2026-101")
    case = card_of(site, "2026-101")
    assert (case.number, case.debtor.name, case.debtor.inn, case.kbk, case.administrator, case.officer.name) == \
        ("2026-101", "ООО «Ласточка»", good_inn, KBK_RENT, administrator, NEW_CASE["officer"])
    assert [(c.period, c.amount, c.due.isoformat()) for c in case.charges] == \
        [("III квартал 2026", Decimal("15000.00"), "2026-10-10")]
    assert (case.basis.document, case.basis.number, case.debtor.addresses[0].text) == \
        (NEW_CASE["basis"], "7/2026", NEW_CASE["address"])
    assert stage_shown(page) == STAGES["overdue"].label
    folder = card_path(site.root, "2026-101").parent

    receipt = text_pdf([["Квитанция Почты России", "Заказное письмо ООО «Ласточка»"]])
    (tmp_path / "Квитанция.pdf").write_bytes(receipt)
    page.set_input_files("#upload-input", tmp_path / "Квитанция.pdf")
    with page.expect_navigation():
        page.click("#upload-form button[type=submit]")
    assert (folder / "Квитанция.pdf").read_bytes() == receipt

    notice = text_pdf([["Уведомление о вручении", "ООО «Ласточка»"]])
    with page.expect_navigation():
        page.evaluate("""([name, data]) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, {type: "application/pdf"}));
            document.getElementById("upload-form").dispatchEvent(
                new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""", ["Уведомление.pdf", base64.b64encode(notice).decode()])
    assert (folder / "Уведомление.pdf").read_bytes() == notice
    assert page.locator("#files a", has_text="Уведомление.pdf").count() == 1

    shpi = valid_shpi("4275501234567")
    page.select_option("#event-kind", CLAIM)
    page.fill("#event-form input[name=date]", "20.11.2026")
    page.fill("#event-form input[name=f_шпи]", shpi)
    with page.expect_navigation():
        page.click("#event-form button[type=submit]")
    events = card_of(site, "2026-101").events
    assert [(e.kind, e.date.isoformat(), e.fields.get("шпи")) for e in events] == [(CLAIM, "2026-11-20", shpi)]
    assert page.locator("#timeline tr", has_text=EVENTS[CLAIM]).filter(has_text=shpi).count() == 1
    assert stage_shown(page) == STAGES[CLAIM].label


# --- 2. a lawyer: the checklist, a court document, the package -------------------------------------------------

def test_lawyer_checks_generates_and_downloads_the_package(site, page, tmp_path):
    sign_in(page, site, "юрист")
    page.goto(site.url + "/cases/2026-004")
    page.click("text=Проверить полноту")
    expected = package.check(site.library_root(), "2026-004", DEMO_DAY).checklist
    assert page.locator("#checklist tbody tr").count() == len(expected.items)
    assert page.locator("#checklist tbody tr.missed").count() == len(expected.missing) > 0
    page.click("text=← к делу")

    page.select_option("#generate-form select[name=kind]", "court-order")
    with page.expect_navigation():
        page.click("#generate-form button[type=submit]")
    generated = list((card_path(site.root, "2026-004").parent / GENERATED_DIR).glob("*.docx"))
    assert len(generated) == 1
    text = "\n".join(p.text for p in docx.Document(str(generated[0])).paragraphs)
    assert "Берёзка" in text
    assert page.locator("p.flash.ok", has_text=generated[0].name).count() == 1
    assert page.locator("p.flash.warn", has_text="не хватает").count() == 1

    page.check("#package-form input[name=force]")
    with page.expect_navigation():
        page.click("#package-form button[type=submit]")
    assert page.locator("p.flash.ok", has_text="Пакет для суда собран").count() == 1
    with page.expect_download() as info:
        page.click("#package a")
    saved = tmp_path / "пакет.zip"
    info.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        names = archive.namelist()
        numbered = [n for n in names if re.fullmatch(r"\d\d .+\.pdf", n)]
        merged = [n for n in names if n not in numbered and not n.endswith(".docx")]  # issue 16: DOCX of the claim
        pages = [leaf.extract_text() for n in numbered for leaf in pypdf.PdfReader(io.BytesIO(archive.read(n))).pages]
        merged_pages = [leaf.extract_text() for leaf in pypdf.PdfReader(io.BytesIO(archive.read(merged[0]))).pages]
    assert numbered[0].startswith("01 Заявление о выдаче судебного приказа")
    assert merged == ["Пакет одним файлом.pdf"]
    assert merged_pages[-len(pages):] == pages  # the merged PDF: the inventory, then every numbered PDF in order
    assert len(merged_pages) > len(pages)
    kept = next((card_path(site.root, "2026-004").parent / GENERATED_DIR).glob("Пакет *"))
    assert sorted(p.name for p in kept.iterdir()) == sorted(names)


# --- 3. the finance officer: Приложение 2, no edit form ---------------------------------------------------------

def test_finance_officer_downloads_the_report_and_cannot_edit(site, page, tmp_path):
    sign_in(page, site, "финансист")
    page.goto(site.url + "/reports")
    with page.expect_download() as info:
        page.click("#report-overdue button[type=submit]")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    debtors = {row[2] for row in sheet.iter_rows(values_only=True) if re.fullmatch(r"\d{20}", str(row[1]))}
    records = {r.case: r.debtor for r in site.server.workspace.records()}
    assert debtors == {records[case] for case in OVERDUE_CASES}

    page.goto(site.url + "/cases/2026-001")
    assert page.locator("text=Изменить карточку").count() == 0
    response = page.goto(site.url + "/cases/2026-001/edit")
    assert response.status == 403
    assert page.inner_text("h1") == "Доступ запрещён: вашей роли («финансист») не разрешено: " \
                                    "создание дел, запись событий и платежей, правка карточки"
    assert page.locator("#edit-card").count() == 0


# --- 4. a viewer reads and writes nothing -----------------------------------------------------------------------

def test_viewer_reads_but_every_write_is_refused(site, page):
    sign_in(page, site, "наблюдатель")
    page.goto(site.url + "/")
    assert page.locator("#cases tbody tr").count() == len(site.server.workspace.records())
    page.goto(site.url + "/cases/2026-001")
    assert page.inner_text("h1") == "Дело 2026-001 — ООО «Ромашка»"
    forms = page.eval_on_selector_all("form", "fs => fs.map(f => [f.method, new URL(f.action).pathname])")
    assert forms == [["post", "/logout"]]
    token = page.input_value("form[action='/logout'] input[name=csrf_token]")
    before = tree(site.root)
    version = "0" * 16
    refused = {path: post_as_form(page, site.url + path, {"csrf_token": token, **fields}) for path, fields in [
        ("/cases/2026-001/events", {"event": "payment", "date": "20.11.2026", "amount": "100", "version": version}),
        ("/cases/2026-001/edit", {"должник.инн": "1831000001", "version": version}),
        ("/cases/2026-001/generate", {"kind": "claim"}),
        ("/cases/2026-001/package", {"force": "1"}),
        ("/new", {"number": "2026-102"}),
        ("/reports/overdue", {"when": "24.11.2026"}),
    ]}
    assert set(refused.values()) == {403}
    assert tree(site.root) == before


# --- 5. a form built before somebody else changed the card -------------------------------------------------------

def test_stale_event_form_keeps_the_typed_values_and_records_on_the_second_submit(site, page):
    page.goto(site.url + "/cases/2026-002")
    assert page.input_value("#event-kind") == ""  # no event is chosen for the clerk
    shpi = valid_shpi("4275501765432")
    page.select_option("#event-kind", CLAIM)
    page.fill("#event-form input[name=date]", "20.11.2026")
    page.fill("#event-form input[name=f_шпи]", shpi)
    library.record_entry(site.library_root(), "2026-002", "платёж", "21.11.2026", {}, "1 000,00", "п/п № 7")

    with page.expect_navigation():
        page.click("#event-form button[type=submit]")
    assert page.inner_text("#stale") == STALE
    assert page.locator("#timeline tr.payment", has_text="1 000,00 руб., п/п № 7").count() == 1
    assert (page.input_value("#event-kind"), page.input_value("#event-form input[name=date]"),
            page.input_value("#event-form input[name=f_шпи]")) == (CLAIM, "20.11.2026", shpi)
    case = card_of(site, "2026-002")
    assert ([p.amount for p in case.payments], case.events) == ([Decimal("1000.00")], ())

    with page.expect_navigation():
        page.click("#event-form button[type=submit]")
    case = card_of(site, "2026-002")
    assert [p.amount for p in case.payments] == [Decimal("1000.00")]
    assert [(e.kind, e.fields.get("шпи")) for e in case.events] == [(CLAIM, shpi)]
    assert page.locator("#stale").count() == 0


def test_stale_edit_form_shows_the_other_change_and_keeps_both(site, page):
    page.goto(site.url + "/cases/2026-001/edit")
    page.fill("input[name='должник.кпп']", "183101002")
    other = "Удмуртское отделение № 8618 ПАО Сбербанк"
    path = card_path(site.root, "2026-001")
    bank = {"банк.наименование": other, "банк.адрес": "426000, г. Ижевск, ул. Ленина, д. 2"}
    cardchange.edit_common_fields(path, bank, library.card_checker(site.library_root(), path), None)

    with page.expect_navigation():
        page.click("#edit-card button[type=submit]")
    assert page.inner_text("#stale p >> nth=0") == STALE
    assert page.locator("#others li", has_text=other).count() == 1  # what the other person changed, named
    assert page.input_value("input[name='должник.кпп']") == "183101002"  # what we typed, kept
    assert page.input_value("input[name='банк.наименование']") == other  # the other change, merged into the form
    assert card_of(site, "2026-001").debtor.bank.kind == other

    with page.expect_navigation():
        page.click("#edit-card button[type=submit]")
    case = card_of(site, "2026-001")
    assert (case.debtor.kpp, case.debtor.bank.kind if case.debtor.bank else None) == ("183101002", other)


# --- 6. CSRF, paths out of the case folder, a hostile debtor name ----------------------------------------------

def test_a_post_without_the_token_and_paths_out_of_the_folder_are_refused(site, page):
    page.goto(site.url + "/cases/2026-001")
    folder = card_path(site.root, "2026-001").parent
    before = tree(site.root)
    version = page.input_value("#event-form input[name=version]")
    assert post_as_form(page, site.url + "/cases/2026-001/events",
                        {"event": "payment", "date": "20.11.2026", "amount": "100", "version": version}) == 403
    assert tree(site.root) == before

    (folder / "ссылка.yaml").symlink_to(site.root / "настройки.yaml")
    files = site.url + "/cases/2026-001/files/"
    assert page.request.get(files + "дело.yaml").body() == (folder / CARD_NAME).read_bytes()  # the folder's own
    statuses = {name: page.request.get(files + name).status
                for name in ("..%2F..%2Fнастройки.yaml", "%2Fetc%2Fpasswd", str(site.root / "настройки.yaml"),
                             "ссылка.yaml")}
    assert set(statuses.values()) == {404}


def test_a_hostile_debtor_name_is_shown_as_text(site, page):
    root = site.library_root()
    values = {**NEW_CASE, "number": "2026-103", "debtor": XSS, "inn": company_inn("183100888"),
              "debtor_type": "юрлицо", "administrator": root.settings.administrators[0]}
    folder = library.create_case(root, values)
    site.server.workspace.refresh(folder.name)
    page.goto(site.url + "/?q=2026-103")
    page.wait_for_load_state("load")
    assert page.inner_text("#cases tbody tr >> nth=0").split("\t")[1].startswith(XSS)
    assert page.evaluate("typeof window.__x") == "undefined"
    page.goto(site.url + "/cases/2026-103")
    page.wait_for_load_state("load")
    assert page.inner_text("h1") == f"Дело 2026-103 — {XSS}"
    assert page.evaluate("typeof window.__x") == "undefined"
