"""The forms that write: a new case, an event or payment, the card's common fields, uploads, documents, packages.

Each goes through the library function the CLI calls (`cases`, `cardchange`,
`files.drop_file`, `package`), so the rules are the same. Every form carries
the version of the card it was built from: when the card changed since
(`CardChanged`), nothing is written and the page comes back with the card's
new state and what the user typed. Each success is written to the audit log
and the case is scanned at once.
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for

from kezdocs import cases as library
from kezdocs.core import encodings, newcase
from kezdocs.core.card import GENERATED_DIR
from kezdocs.core.errors import KezdocsError
from kezdocs.core.model import EVENTS
from kezdocs.folders import audit, cardchange, cardfile
from kezdocs.folders.files import drop_file
from kezdocs.web import editform, eventform
from kezdocs.web.access import needs
from kezdocs.web.pages import render_case

bp = Blueprint("actions", __name__)
UPLOAD_FILE_LIMIT = 50 * 1024 * 1024


def workspace():
    return current_app.config["WORKSPACE"]


def _audit(case: str | None, action: str, detail: str) -> None:
    audit.record(workspace().root.path, g.person.login, case, action, detail, datetime.now())


def _back(found):
    return redirect(url_for("pages.case", ref=workspace().ref_of(found.record)))


def _version(form) -> str:
    """The card version the form was built from; a form without one is refused (it would skip the check)."""
    version = form.get("version", "")
    if not version:
        raise KezdocsError("в форме нет версии карточки — обновите страницу и повторите")
    return version


# --- a new case ----------------------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@needs("case_write")
def new_case():
    ws = workspace()
    administrators = ws.root.settings.administrators
    values = {f.key: request.form.get(f.key, "").strip() for f in newcase.NEW_CASE_FIELDS}
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            folder = library.create_case(ws.root, values)
        except library.FieldErrors as exc:
            errors = exc.errors
        else:
            _audit(values["number"], "create", f"создано дело «{folder.name}»")
            flash(f"Дело {values['number']} создано: папка «{folder.name}».", "ok")
            ws.refresh(folder.name)
            return redirect(url_for("pages.case", ref=values["number"]))  # create_case refuses a number taken
    else:
        values.update(administrator=administrators[0] if administrators else "", debtor_type="юрлицо")
    return render_template("new_case.html", fields=newcase.NEW_CASE_FIELDS, values=values, errors=errors,
                           administrators=administrators), 400 if errors else 200


# --- an event or a payment -----------------------------------------------------------------------

@bp.route("/cases/<path:ref>/events", methods=["POST"])
@needs("case_write")
def record_event(ref: str):
    ws = workspace()
    found = ws.find(ref)
    form = request.form
    code = form.get("event", "")
    payment = code == eventform.PAYMENT
    try:
        library.record_entry(
            ws.root, found.record.folder, "платеж" if payment else code, form.get("date", ""),
            {} if payment else eventform.fields_of(form), form.get("amount") if payment else None,
            form.get("document") or None, confirm=form.get("confirm") == "1",
            expected_version=_version(form))
    except cardfile.CardChanged as exc:
        return render_case(ws.find(ref), form=form.to_dict(), stale=str(exc), status=409)
    except library.FieldErrors as exc:  # each reason beside its field
        errors = {key if key in ("date", "amount") else f"f_{key}": reason for key, reason in exc.errors.items()}
        return render_case(found, form=form.to_dict(), errors={"event": "Запись не сделана — исправьте поля, "
                                                                "отмеченные ниже.", **errors}, status=400)
    except library.DuplicatePayment as exc:
        return render_case(found, form={**form.to_dict(), "ask_confirm": "1"}, errors={"event": str(exc)},
                           status=409)
    except KezdocsError as exc:
        return render_case(found, form=form.to_dict(), errors={"event": str(exc)}, status=400)
    what = f"платёж {form.get('amount')} руб. от {form.get('date')}" if payment else \
        f"событие «{EVENTS.get(code, code)}» от {form.get('date')}"
    _audit(found.record.case, "payment" if payment else "event", f"записано: {what}")
    flash(f"Записано: {what}.", "ok")
    ws.refresh(found.record.folder)
    return _back(found)


@bp.route("/cases/<path:ref>/suggestions", methods=["POST"])
@needs("case_write")
def confirm_suggestion(ref: str):
    """Record an event kezdocs proposed from a file (`CaseStatus.suggestions`), now that the user confirms it:
    the suggestion as the case's status holds it, through the same `record_entry` as the event form."""
    ws = workspace()
    found = ws.find(ref)
    wanted = (request.form.get("source"), request.form.get("event"), request.form.get("date"))
    suggestion = next((s for s in found.record.suggestions if (s.source, s.event, s.date.isoformat()) == wanted), None)
    if suggestion is None:
        flash("Это предложение уже неактуально: дело изменилось. Посмотрите страницу дела заново.", "warn")
        return _back(found)
    when = f"{suggestion.date:%d.%m.%Y}"
    try:
        library.record_entry(ws.root, found.record.folder, suggestion.event, when, dict(suggestion.fields), None, None,
                             expected_version=_version(request.form))
    except cardfile.CardChanged as exc:
        return render_case(ws.find(ref), stale=str(exc), status=409)
    except KezdocsError as exc:
        flash(f"Не записано: {exc}", "error")
        return _back(found)
    what = f"событие «{EVENTS[suggestion.event]}» от {when} по файлу «{suggestion.source}»"
    _audit(found.record.case, "event", f"записано по предложению: {what}")
    flash(f"Записано: {what}.", "ok")
    ws.refresh(found.record.folder)
    return _back(found)


# --- the card's common fields --------------------------------------------------------------------

@bp.route("/cases/<path:ref>/edit", methods=["GET", "POST"])
@needs("case_write")
def edit_card(ref: str):
    ws = workspace()
    found = ws.find(ref)
    version = cardfile.card_version(found.card)
    try:
        current = cardchange.common_fields(encodings.decode(found.card.read_bytes())[0])  # UTF-8 or Windows-1251
    except (ValueError, UnicodeDecodeError):
        raise KezdocsError(f"карточку дела {found.record.case} не удаётся прочитать — исправьте ошибки, "
                           "перечисленные на странице дела, в дело.yaml") from None
    if request.method == "GET":
        return _edit_page(found, current, version, original=current)
    original = editform.original_from(request.form, current)
    changed = editform.changes(editform.values_from(request.form, current), original)
    try:
        cardchange.edit_common_fields(found.card, changed, library.card_checker(ws.root, found.card),
                                      _version(request.form))
    except cardfile.CardChanged as exc:
        fresh = cardchange.common_fields(exc.text)
        values, conflicts = editform.merged(fresh, changed, original)
        return _edit_page(found, values, exc.version, original=fresh, stale=str(exc),
                          others=editform.changes(fresh, original), changed=conflicts, status=409)
    except KezdocsError as exc:
        return _edit_page(found, {**original, **changed}, version, original=original, errors={"card": str(exc)},
                          status=400)
    edited = ", ".join(editform.label(key) for key in changed) or "без изменений"
    _audit(found.record.case, "edit", f"изменены поля карточки: {edited}")
    ws.refresh(found.record.folder)
    flash("Карточка сохранена.", "ok")
    return _back(found)


def _edit_page(found, values: dict, version: str, *, original: dict, errors=None, stale: str = "", others=None,
               changed=None, status: int = 200):
    return render_template("edit_card.html", found=found, ref=workspace().ref_of(found.record), values=values,
                           version=version, errors=errors or {}, original=editform.original_json(original),
                           stale=stale, others=others or {}, changed=changed or {}, label=editform.label,
                           lists=editform.LISTS, rows=editform.rows, shown=editform.shown), status


# --- files ---------------------------------------------------------------------------------------

@bp.route("/cases/<path:ref>/files", methods=["POST"])
@needs("upload")
def upload(ref: str):
    """Files put into the case folder exactly as if a clerk dropped them there (the watcher takes them)."""
    ws = workspace()
    found = ws.find(ref)
    placed = []
    for item in request.files.getlist("files"):
        if not item.filename:
            continue
        path = drop_file(found.path, item.filename, item.stream, limit=UPLOAD_FILE_LIMIT)
        placed.append(path.name)
        _audit(found.record.case, "upload", f"загружен файл «{path.name}»")
    if not placed:
        flash("Файл не выбран.", "error")
        return _back(found)
    ws.refresh(found.record.folder)
    flash("Загружено: " + ", ".join(f"«{name}»" for name in placed) + ".", "ok")
    return _back(found)


# --- documents and the package -------------------------------------------------------------------

@bp.route("/cases/<path:ref>/generate", methods=["POST"])
@needs("documents")
def generate(ref: str):
    ws = workspace()
    found = ws.find(ref)
    kind = request.form.get("kind", "")
    try:
        result = library.generate(ws.root, found.record.folder, kind, ws.today_fn(),
                                  pdf=request.form.get("pdf") == "1", force=request.form.get("force") == "1")
    except library.LawsuitRefused as exc:
        flash(f"{exc}. Сформировать иск всё равно — отметьте «сформировать, даже если по маршруту сначала нужен "
              "судебный приказ».", "error")
        return _back(found)
    names = [p.name for p in [*result.files, *result.pdfs]]
    _audit(found.record.case, "generate", "сформировано: " + ", ".join(f"«{n}»" for n in names))
    ws.refresh(found.record.folder)
    flash("Сформировано: " + ", ".join(f"«{n}»" for n in names) + "." if names else
          "Документ не изменился: его правили вручную, kezdocs его не перезаписывает.", "ok")
    for missing in result.missing:
        flash("Для подачи не хватает: " + "; ".join(missing.items) + ".", "warn")
    return _back(found)


@bp.route("/cases/<path:ref>/check")
@needs("documents")
def check(ref: str):
    from kezdocs.paperwork import package

    ws = workspace()
    found = ws.find(ref)
    step = request.args.get("step") or None
    result = package.check_folder(ws.root, ws.root.load(found.path), ws.today_fn(), step)
    return render_template("check.html", found=found, ref=ws.ref_of(found.record), result=result)


@bp.route("/cases/<path:ref>/package", methods=["POST"])
@needs("documents")
def build_package(ref: str):
    from kezdocs.paperwork import package

    ws = workspace()
    found = ws.find(ref)
    try:
        result = package.build(ws.root, found.record.folder, ws.today_fn(), request.form.get("force") == "1")
    except package.Incomplete as exc:
        flash("Пакет не собран — не хватает: " + "; ".join(exc.missing) + ". Добавьте их в папку дела или отметьте "
              "«сформировать, даже если чего-то не хватает».", "error")
        return _back(found)
    except package.NotIncluded as exc:
        flash("Пакет не собран — эти файлы не могут в него войти: " + "; ".join(exc.left_out) + ". Замените их или "
              "отметьте «сформировать, даже если чего-то не хватает» — тогда они будут пропущены.", "error")
        return _back(found)
    _audit(found.record.case, "package", f"сформирован пакет: документов {len(result.files)}")
    ws.refresh(found.record.folder)
    flash(f"Пакет для суда собран: документов — {len(result.files)}, папка «{GENERATED_DIR}/{result.folder.name}». "
          "Скачайте его ниже.", "ok")
    for warning in result.warnings:
        flash(warning, "warn")
    if result.efiling:
        flash("Суд в электронном виде не примет (Приказы Судебного департамента № 251 и № 252): "
              + "; ".join(result.efiling), "error")
    return _back(found)


@bp.route("/cases/<path:ref>/package.zip")
@needs("read")
def download_package(ref: str):
    """The case's latest package as one ZIP: the numbered PDFs, the lawsuit's DOCX and the merged PDF."""
    from kezdocs.paperwork import package

    found = workspace().find(ref)
    folder = package.latest(found.path)
    if folder is None:
        abort(404)
    return send_file(io.BytesIO(package_zip(folder)), as_attachment=True, mimetype="application/zip",
                     download_name=f"{folder.name} — дело {found.record.case}.zip", max_age=0)


def package_zip(folder: Path) -> bytes:
    """Every file of a package folder, in one ZIP, under the names the folder gives them."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            archive.write(path, path.name)
    return out.getvalue()
