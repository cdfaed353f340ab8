"""Reports and the debtor registry: Приложение 2 and 3, the inventory, the registry's export and import.

Each report is the CLI's (`report_files.write`): the file is kept in the
root's «Отчёты» as the CLI keeps it, and sent to the browser. An import is
shown first as a dry run of the uploaded file; only the confirmation writes.
"""
from __future__ import annotations

import io
import secrets
import time
from datetime import datetime
from pathlib import Path

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, send_file, url_for

from kezdocs.core.dates import parse_date
from kezdocs.core.errors import KezdocsError
from kezdocs.core.reports import parse_quarter
from kezdocs.folders import audit
from kezdocs.folders.files import drop_file
from kezdocs.web.access import needs

bp = Blueprint("reports", __name__)
REPORTS = {"overdue": "Приложение 2 — сведения о просроченной задолженности",
           "measures": "Приложение 3 — сводный отчёт о мерах",
           "inventory": "Инвентаризация расчётов с должниками (п. 3.2)"}
UPLOADS = "uploads"  # under ROOT/.kezdocs: registries waiting for the import's confirmation
REGISTRY_LIMIT = 20 * 1024 * 1024
UPLOAD_KEPT = 24 * 3600  # seconds an unconfirmed upload waits


def workspace():
    return current_app.config["WORKSPACE"]


def _audit(action: str, detail: str) -> None:
    audit.record(workspace().root.path, g.person.login, None, action, detail, datetime.now())


@bp.route("/reports")
@needs("reports")
def index():
    ws = workspace()
    today = ws.today_fn()
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    return render_template("reports.html", reports=REPORTS, today=today, quarter=quarter,
                           administrators=ws.root.settings.administrators)


@bp.route("/reports/<kind>", methods=["POST"])
@needs("reports")
def report(kind: str):
    from kezdocs.paperwork import report_files

    if kind not in REPORTS:
        raise KezdocsError(f"нет такого отчёта: «{kind}»")
    ws = workspace()
    when = _period(kind, request.form.get("when", ""))
    fmt = request.form.get("format", "xlsx")
    administrator = request.form.get("administrator") or None
    path, result = report_files.write(ws.root, kind, when, administrator, fmt)
    _audit("report", f"отчёт «{REPORTS[kind]}» на {request.form.get('when')}: файл «{path.name}»")
    return send_file(path, as_attachment=True, download_name=path.name, max_age=0)


def _period(kind: str, text: str):
    """The report's date (or the inventory's quarter «2026-Q3»), checked as the CLI checks it."""
    if kind == "inventory":
        try:
            parse_quarter(text)
        except ValueError:
            raise KezdocsError(f"«{text}» — не квартал (пишите 2026-Q4)") from None
        return text
    day = parse_date(text)
    if day is None:
        raise KezdocsError(f"«{text}» — не дата (пишите 25.12.2026)")
    return day


@bp.route("/registry/export", methods=["POST"])
@needs("import")
def export():
    from kezdocs.paperwork import registry_export

    ws = workspace()
    out = ws.root.own_dir / "exports" / f"Дела {ws.today_fn():%Y-%m-%d}.xlsx"
    out.parent.mkdir(parents=True, exist_ok=True)
    result = registry_export.export_cases(ws.root, ws.today_fn(), out)
    _audit("export", f"выгружено дел: {result.cases}")
    return send_file(result.path, as_attachment=True, download_name=result.path.name, max_age=0)


@bp.route("/registry/template")
@needs("import")
def template():
    from kezdocs.paperwork import registry

    return send_file(io.BytesIO(registry.template_bytes()), as_attachment=True, max_age=0,
                     download_name="Реестр должников — образец.xlsx")


def _forget_old(folder: Path) -> None:
    """Uploads nobody confirmed within a day are removed (they are copies; the clerk keeps the original)."""
    limit = time.time() - UPLOAD_KEPT
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


@bp.route("/registry/import", methods=["POST"])
@needs("import")
def import_registry():
    """Upload → dry run shown; «confirm» with the upload's token → the import itself."""
    from kezdocs.paperwork import registry_import

    ws = workspace()
    folder = ws.root.own_dir / UPLOADS
    token = request.form.get("token", "")
    if token:
        matches = [p for p in folder.glob(f"{token}-*")] if token.isalnum() else []
        if not matches:
            raise KezdocsError("загруженный реестр не найден — загрузите его ещё раз")
        result = registry_import.import_registry(ws.root, matches[0], dry_run=False)
        matches[0].unlink(missing_ok=True)  # imported: the copy is done with (an interrupted one stays to re-run)
        _audit("import", f"загружен реестр: строк {result.rows}, новых дел {len(result.created)}, "
                         f"дополнено дел {len(result.updated)}")
        for name in [*result.created, *result.updated]:
            ws.refresh(name)
        flash(f"Реестр загружен: новых дел — {len(result.created)}, дополнено — {len(result.updated)}.", "ok")
        return render_template("import.html", result=result, token="", name=matches[0].name.split("-", 1)[1])
    item = request.files.get("file")
    if item is None or not item.filename:
        flash("Выберите файл реестра (XLSX или CSV).", "error")
        return redirect(url_for("reports.index"))
    token = secrets.token_hex(8)
    folder.mkdir(parents=True, exist_ok=True)
    _forget_old(folder)
    path = drop_file(folder, f"{token}-{item.filename}", item.stream, limit=REGISTRY_LIMIT)
    result = registry_import.import_registry(ws.root, path, dry_run=True)
    return render_template("import.html", result=result, token=token, name=item.filename)
