"""The pages that read: the list of cases (`/`), a case (`/cases/<номер>`), a case's files to open or download.

A file is served only from inside its case folder: the path is resolved and
must stay under the folder (no «..», no link out), else 404.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file

from kezdocs.core import stages
from kezdocs.core.card import GENERATED_DIR
from kezdocs.core.classification import KINDS as FILE_KINDS
from kezdocs.core.errors import KezdocsError
from kezdocs.core.kinds import KINDS
from kezdocs.core.model import EVENTS, JUDGMENT_RESULTS, Case, Event, Payment
from kezdocs.core.money import format_rub
from kezdocs.core.status import ocr_waiting
from kezdocs.folders import cardfile
from kezdocs.web import caselist, eventform
from kezdocs.web.access import needs
from kezdocs.web.workspace import Found

bp = Blueprint("pages", __name__)
# The only files a browser is let to open in place (a PDF viewer, an image, plain text); everything else — HTML, SVG,
# an Office file — is downloaded, never shown as a page of the workspace.
INLINE = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
          ".gif": "image/gif", ".txt": "text/plain; charset=utf-8", ".yaml": "text/plain; charset=utf-8"}
# The steps whose documents go to a court with a list of attachments: only they have a package.
COURT_STEPS = frozenset(kind.code for kind in KINDS.values() if "attachments" in kind.groups)


def workspace():
    return current_app.config["WORKSPACE"]


@bp.route("/")
@needs("read")
def cases():
    ws = workspace()
    query = caselist.Query.of(request.args)
    today = ws.today_fn()
    records = ws.records()
    listing = caselist.listing(records, query, today, ws.root.calendar)
    agenda = caselist.agenda(records, query, today)
    return render_template("cases.html", listing=listing, query=query, sorts=caselist.SORTS,
                           filters=caselist.FILTERS, agenda=agenda, today=today)


@dataclass(frozen=True)
class TimelineEntry:
    """An event or a payment, as the case page lists them in date order."""

    when: object
    title: str
    detail: str
    payment: bool


def timeline(case: Case) -> list[TimelineEntry]:
    entries = [_event_entry(e) for e in case.events] + [_payment_entry(p) for p in case.payments]
    return sorted(entries, key=lambda e: e.when)


def _event_entry(event: Event) -> TimelineEntry:
    shown = {("результат" if key == "result" else key): JUDGMENT_RESULTS.get(value, value) if key == "result" else value
             for key, value in event.fields.items()}
    detail = ", ".join(f"{key}: {value}" for key, value in shown.items())
    return TimelineEntry(event.date, EVENTS.get(event.kind, event.kind), detail, False)


def _payment_entry(payment: Payment) -> TimelineEntry:
    detail = f"{format_rub(payment.amount)} руб." + (f", {payment.document}" if payment.document else "")
    return TimelineEntry(payment.date, "Платёж", detail, True)


@bp.route("/cases/<path:ref>")
@needs("read")
def case(ref: str):
    return render_case(workspace().find(ref))


def render_case(found: Found, *, form: dict | None = None, stale: str = "", status: int = 200, errors=None):
    """The case page; after a refused or stale submit, the form keeps what the user typed (`form`) and the
    page shows the card's new state with `stale` (a Russian notice)."""
    ws = workspace()
    today = ws.today_fn()
    version = cardfile.card_version(found.card)  # before reading: a write in between makes the form stale
    folder = ws.root.load(found.path)
    checklist = None
    from kezdocs.paperwork import package  # classifies the folder's files

    if folder.case is not None:
        try:
            checklist = package.check_folder(ws.root, folder, today).checklist
        except KezdocsError:
            checklist = None
    record = found.record
    generated = [d for d in record.documents if d.path.startswith(GENERATED_DIR + "/")]
    sources = [d for d in record.documents if not d.path.startswith(GENERATED_DIR + "/")]
    return render_template(
        "case.html", found=found, ref=ws.ref_of(record), record=record, folder=folder, case=folder.case, version=version, today=today,
        timeline=timeline(folder.case) if folder.case else [], checklist=checklist, generated=generated,
        sources=sources, file_kinds=FILE_KINDS, audit=ws.audit.of_case(record.case)[:50],
        events=eventform.choices(folder.case, record.stage) if folder.case else [],
        event_fields=eventform.field_rows(), kinds=_kinds(record), court_steps=COURT_STEPS,
        package=package.latest(found.path), ocr_waiting=ocr_waiting, form=form or {}, stale=stale, errors=errors or {},
    ), status


def _kinds(record) -> list[tuple[str, str, bool]]:
    """(code, title, due now) of every document kind; those the stage calls for first."""
    due = set(stages.stage_documents(record.stage, record.proceeding, record.accounts_known)
              if record.stage in stages.STAGES else ())
    rows = [(k.code, k.title, k.code in due) for k in KINDS.values()]
    return sorted(rows, key=lambda r: not r[2])


@bp.route("/cases/<path:ref>/files/<path:relpath>")
@needs("read")
def case_file(ref: str, relpath: str):
    """A file of the case folder, opened in the browser or downloaded (`?download=1`)."""
    found = workspace().find(ref)
    path = inside(found.path, relpath)
    inline = request.args.get("download") != "1" and path.suffix.lower() in INLINE
    answer = send_file(path, as_attachment=not inline, download_name=path.name, max_age=0, conditional=True,
                       mimetype=INLINE.get(path.suffix.lower()))
    # A clerk's file is the clerk's, not the workspace's: it never runs as a page of the workspace.
    answer.headers["X-Content-Type-Options"] = "nosniff"
    answer.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return answer


def inside(folder: Path, relpath: str) -> Path:
    """`relpath` under `folder`, or 404: no «..», no absolute path, no link leading out, no hidden or own file."""
    parts = relpath.replace("\\", "/").split("/")
    if any(p in ("", ".", "..") or p.startswith(".") for p in parts) or os.path.isabs(relpath):
        abort(404)
    base = folder.resolve()
    path = (base / Path(*parts)).resolve()
    if base not in path.parents or not path.is_file():
        abort(404)
    return path
