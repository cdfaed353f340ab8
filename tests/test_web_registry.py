"""Reports and the debtor registry in the web workspace (Flask's test client, a real demo root): a report is the
CLI's file, sent as a download; an uploaded registry is checked first (nothing written) and imported only on
confirmation; the export is the CLI's workbook."""
import io
import re

import openpyxl
import pytest

from kezdocs.folders import audit
from kezdocs.folders.casefolder import open_root
from kezdocs.paperwork import registry
from kezdocs.web.server import Server

from conftest import DEMO_DAY


@pytest.fixture()
def served(demo_copy):
    server = Server(open_root(demo_copy), "127.0.0.1", 0, today_fn=lambda: DEMO_DAY, delay=0.2)
    server.start()
    yield server, demo_copy
    server.stop()


def token(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/reports").data.decode()).group(1)


def example_registry() -> bytes:
    """The shipped template's example sheet, as a clerk would fill the registry."""
    book = openpyxl.load_workbook(io.BytesIO(registry.template_bytes()))
    book.remove(book[registry.SHEET])
    book["Пример"].title = registry.SHEET
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_uploaded_registry_is_checked_first_and_imported_on_confirmation(served):
    server, root = served
    client = server.app.test_client()
    checked = client.post("/registry/import", content_type="multipart/form-data", data={
        "csrf_token": token(client), "file": (io.BytesIO(example_registry()), "реестр.xlsx")})
    page = checked.data.decode()
    assert checked.status_code == 200 and "Будет загружено: 2" in page and "2024-017 ООО Ромашка" in page
    assert not list(root.glob("2024-017*"))  # the check wrote nothing
    confirm = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)
    done = client.post("/registry/import", data={"csrf_token": token(client), "token": confirm})
    assert done.status_code == 200 and "Загружено: 2" in done.data.decode()
    assert (root / "2024-017 ООО Ромашка" / "дело.yaml").is_file()
    assert audit.AuditLog(root).recent(1)[0].action == "import"


def test_a_confirmation_token_that_names_no_upload_is_refused(served):
    server, root = served
    client = server.app.test_client()
    for bad in ("0123456789abcdef", "../../настройки"):
        answer = client.post("/registry/import", data={"csrf_token": token(client), "token": bad})
        assert answer.status_code == 400 and "загрузите его ещё раз" in answer.data.decode()


def test_reports_and_the_export_are_the_cli_files_as_downloads(served):
    server, root = served
    client = server.app.test_client()
    overdue = client.post("/reports/overdue", data={"csrf_token": token(client), "when": "25.12.2026",
                                                    "format": "xlsx"})
    assert overdue.status_code == 200
    kept = root / "Отчёты" / "Отчёт о просроченной задолженности на 2026-12-25.xlsx"
    assert overdue.data == kept.read_bytes()
    inventory = client.post("/reports/inventory", data={"csrf_token": token(client), "when": "2026-Q4",
                                                        "format": "docx"})
    assert inventory.status_code == 200 and inventory.data[:2] == b"PK"
    wrong = client.post("/reports/overdue", data={"csrf_token": token(client), "when": "вчера", "format": "xlsx"})
    assert wrong.status_code == 400 and "не дата" in wrong.data.decode()
    export = client.post("/registry/export", data={"csrf_token": token(client)})
    book = openpyxl.load_workbook(io.BytesIO(export.data))
    assert registry.SHEET in book.sheetnames
