"""What kezdocs writes into the folders for people who never open a terminal.

- `СТАТУС.txt` in every case folder: the case as of today, in Russian — stage,
  next action, deadline, debt and penalty, what is missing for the next step,
  the card's problems with line numbers.
- `Сводка.html` in the root: one self-contained page (inline CSS and script,
  nothing fetched from anywhere) with every case, sortable by clicking a column
  header and filterable by officer, stage and administrator; today's agenda on
  top; totals by stage and by КБК. The page also honours URL parameters
  (`?sort=debt&dir=desc&officer=…&stage=…&administrator=…`) so a link can open
  it already sorted and filtered.

`status_text` and `summary_html` are pure (statuses in, text out); the writers
at the bottom put the text in place atomically and only when it changed, so
editors and the watcher see no needless change.
"""
from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from kezdocs.core import stages
from kezdocs.core.card import CARD_NAME, GENERATED_DIR, STATUS_FILE
from kezdocs.core.classification import KINDS
from kezdocs.core.filekinds import card_hint, kind_text
from kezdocs.core.money import as_text, format_rub
from kezdocs.core.names import shown_name
from kezdocs.core.status import CaseStatus, StatusDeadline, StatusDocument, StatusProblem, ocr_waiting, repeats
from kezdocs.core.workdays import Calendar
from kezdocs.folders.casefolder import Root, folder_name
from kezdocs.folders.files import remove_stale_temp, write_text_if_changed

SUMMARY_FILE = "Сводка.html"
SOON_WORKING_DAYS = 5  # a deadline this close is shown in amber
NO_KBK = "КБК не указан"
NO_OFFICER = "не указан"
DEADLINE_STATES = {"met": "выполнено", "missed": "просрочено", "pending": "идёт срок",
                   "projected": "если не будет оплаты"}


def _day(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"


def _rub(amount: Decimal | None) -> str:
    return f"{format_rub(amount)} руб." if amount is not None else "—"


def _missed(record: CaseStatus, today: date) -> bool:
    return record.deadline is not None and (record.deadline_missed or record.deadline < today)


def urgency(record: CaseStatus, today: date, soon: date) -> str:
    """«missed» (red): the deadline has passed; «soon» (amber): it falls by `soon` (`SOON_WORKING_DAYS` working
    days ahead); "" otherwise. Сводка.html and the web workspace colour deadlines by it."""
    if record.deadline is None:
        return ""
    return "missed" if _missed(record, today) else ("soon" if record.deadline <= soon else "")


def _local_file(record: CaseStatus, file: str | None) -> str:
    """A problem's file as seen from inside its case folder («дело.yaml», not «2026-001 …/дело.yaml»)."""
    prefix = f"{record.folder}/"
    return file[len(prefix):] if file and file.startswith(prefix) else (file or "")


def _problem_line(record: CaseStatus, p: StatusProblem) -> str:
    where = _local_file(record, p.file)
    if p.line:
        where = f"{where}, стр. {p.line}" if where else f"стр. {p.line}"
    return f"{where}: {p.message}" if where else p.message


# --- СТАТУС.txt ----------------------------------------------------------------------------------

def status_text(record: CaseStatus, today: date) -> str:
    """The text of a case folder's `СТАТУС.txt` (CRLF and a BOM, so any Windows Notepad reads it)."""
    lines = [f"Дело № {record.case} — {record.debtor or 'должник не указан (ошибка в карточке)'}",
             f"Состояние на {today:%d.%m.%Y}. Файл обновляет программа kezdocs; правки в нём не сохраняются.", ""]
    deadline = _day(record.deadline)
    if record.deadline:
        clause = f" (п. {record.clause})" if record.clause else ""
        deadline += clause + (" — ПРОСРОЧЕН" if _missed(record, today) else "")
    fields = [("Стадия", record.stage_label), ("Следующее действие", record.next_action or "—"),
              ("Срок", deadline), ("Задолженность", _rub(record.debt)), ("Пени", _rub(record.penalty)),
              ("Путь в суд", record.route), ("Ответственный", record.officer),
              ("Администратор", record.administrator), ("КБК", record.kbk)]
    lines += [f"{label + ':':<20} {value}" for label, value in fields if value]
    lines += _section("Сроки по делу", [_deadline_line(d) for d in record.deadlines])
    if not record.card_error:
        missing = list(record.missing)
        lines += _section("Не хватает для следующего шага", missing) if missing else ["", "Для следующего шага всё есть."]
    lines += _section("Предложения (kezdocs не записывает их сам — подтвердите командой)",
                      [s.line for s in record.suggestions])
    lines += _section("Документы в папке", [_document_line(d, record.pending_ocr) for d in record.documents])
    unknown = [d.path for d in record.documents if d.kind is None and d.path not in record.pending_ocr]
    lines += [f"  Как указать вид: {card_hint(unknown[0])}"] if unknown else []
    waiting = ocr_waiting(record)  # «Распознаётся: 2 файла (OCR) — …» and the files
    lines += _section(f"{waiting[:1].upper()}{waiting[1:]} — вид и ШПИ этих файлов появятся, когда текст будет "
                      "прочитан", list(record.pending_ocr)) if waiting else []
    lines += _section("Замечания по карточке и документам", [_problem_line(record, p) for p in record.problems])
    lines += _section("Замечания к расчёту пени", list(record.penalty_warnings or ()))
    # A file name (or a card value) with a newline, a CR or a bidi mark must not write a line of its own.
    return "\ufeff" + "\r\n".join(map(shown_name, lines)) + "\r\n"


def _section(title: str, items: list[str]) -> list[str]:
    return ["", f"{title}:", *(f"  • {item}" for item in items)] if items else []


def _deadline_line(d: StatusDeadline) -> str:
    state = DEADLINE_STATES.get(d.state, d.state or "")
    done = f", выполнено {_day(d.done_on)}" if d.done_on else f", {state}"
    return f"{d.label} (п. {d.clause}) — до {_day(d.due)}{done}"


def _document_line(d: StatusDocument, pending_ocr: tuple[str, ...]) -> str:
    """«<файл> — <вид>», «— не распознан: укажите вид», or «— распознаётся» for a scan OCR has not read yet."""
    return f"{d.path} — {kind_text(KINDS.get(d.kind, d.kind) if d.kind else None, d.path in pending_ocr)}"


# --- Сводка.html ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str
    title: str
    numeric: bool = False


COLUMNS = (Column("case", "Дело"), Column("debtor", "Должник"), Column("officer", "Ответственный"),
           Column("stage", "Стадия"), Column("action", "Следующее действие"), Column("deadline", "Срок"),
           Column("debt", "Долг, руб.", True), Column("penalty", "Пени, руб.", True),
           Column("missing", "Не хватает"), Column("documents", "Документы", True), Column("generated", "Сформировано", True),
           Column("problems", "Замечания", True))

FILTERS = (("officer", "Ответственный"), ("stage", "Стадия"), ("administrator", "Администратор"))


def summary_html(records: list[CaseStatus], today: date, calendar: Calendar, title: str = "Дела о взыскании задолженности") -> str:
    """The whole `Сводка.html`: every value escaped, links relative to the root (the page lives there)."""
    soon = calendar.add_working_days(today, SOON_WORKING_DAYS)
    e = html.escape
    rows = "\n".join(_row(r, today, soon) for r in records)
    repeated = repeats(records)
    counted = [r for r in records if r.folder not in repeated]  # a number two cards give is one case in the totals
    heads = "".join(f'<th data-key="{c.key}" data-type="{"num" if c.numeric else "text"}" tabindex="0">{e(c.title)}</th>'
                    for c in COLUMNS)
    return f"""<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} — сводка на {today:%d.%m.%Y}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{e(title)}</h1>
<p class="sub">Сводка на {today:%d.%m.%Y}. Дел: {len(records)}. Страницу обновляет программа kezdocs.
<span class="legend"><span class="missed">срок пропущен</span> <span class="soon">срок в ближайшие {SOON_WORKING_DAYS} рабочих дней</span></span></p>
{_agenda_block(records, today)}
<h2>Все дела</h2>
<form class="filters" onsubmit="return false">
{''.join(_filter_select(key, label, records) for key, label in FILTERS)}
<span id="shown" class="shown"></span>
</form>
<table id="cases">
<thead><tr>{heads}</tr></thead>
<tbody>
{rows}
</tbody>
</table>
<h2>Итоги по стадиям</h2>
{_repeats_note(repeated)}
{_totals_table("Стадия", _totals(counted, lambda r: r.stage_label or r.stage), "by-stage")}
<h2>Итоги по кодам доходов (КБК)</h2>
{_totals_table("КБК", _totals(counted, lambda r: r.kbk or NO_KBK), "by-kbk")}
<script>{_SCRIPT}</script>
</body>
</html>
"""


def _href(*parts: str) -> str:
    return "/".join(quote(p) for p in parts)


def _row(r: CaseStatus, today: date, soon: date) -> str:
    e = html.escape
    deadline_class = urgency(r, today, soon)
    clerks = [d for d in r.documents if not d.path.startswith(GENERATED_DIR + "/")]
    generated = [d for d in r.documents if d.path.startswith(GENERATED_DIR + "/")]
    cells = {
        "case": (r.case, f'<a href="{e(_href(r.folder))}/">{e(r.case)}</a>'),
        "debtor": (r.debtor or "", e(r.debtor or "—")
                   + (f'<div class="adm">{e(r.administrator)}</div>' if r.administrator else "")),
        "officer": (r.officer or "", e(r.officer or "—")),
        "stage": (r.stage_label or "", e(r.stage_label or "")),
        "action": (r.next_action or "", e(r.next_action or "—")),
        "deadline": (r.deadline.isoformat() if r.deadline else "", e(_day(r.deadline))),
        "debt": _amount_cell(r.debt),
        "penalty": _amount_cell(r.penalty),
        "missing": (str(len(r.missing)), _list(list(r.missing))),
        "documents": (str(len(clerks)), _documents(r.folder, clerks, collapsed=True)),
        "generated": (str(len(generated)), _documents(r.folder, generated)),
        "problems": (str(len(r.problems)), _list([_problem_line(r, p) for p in r.problems])),
    }
    tds = "".join(f'<td data-col="{c.key}" data-v="{e(cells[c.key][0])}"'
                  + (f' class="{deadline_class}"' if c.key == "deadline" and deadline_class else "")
                  + (' class="num"' if c.key in ("debt", "penalty") else "") + f">{cells[c.key][1]}</td>" for c in COLUMNS)
    attrs = " ".join(f'data-{key}="{e(_filter_value(r, key))}"' for key, _ in FILTERS)
    return f'<tr {attrs} data-folder="{e(r.folder)}">{tds}</tr>'


def _amount_cell(amount: Decimal | None) -> tuple[str, str]:
    """(sort value, shown text) of a money cell: the machine form to sort by, the Russian form to read."""
    return (as_text(amount), html.escape(format_rub(amount))) if amount is not None else ("", "—")


def _documents(folder: str, documents: list[StatusDocument], collapsed: bool = False) -> str:
    """Links to a case's files with their kinds; the clerk's own files fold under their count."""
    e = html.escape
    items = [f'<a href="{e(_href(folder, *d.path.split("/")))}">{e(d.path.split("/")[-1])}</a>'
             + (f' <span class="kind">{e(KINDS.get(d.kind, d.kind))}</span>' if collapsed and d.kind else "")
             for d in documents]
    listed = _list(items, escape=False)
    if not collapsed or not listed:
        return listed
    return f"<details><summary>{len(items)}</summary>{listed}</details>"


def _list(items: list[str], escape: bool = True) -> str:
    if not items:
        return ""
    return "<ul>" + "".join(f"<li>{html.escape(i) if escape else i}</li>" for i in items) + "</ul>"


def _filter_value(record: CaseStatus, key: str) -> str:
    if key == "officer":
        return record.officer or NO_OFFICER
    return getattr(record, key) or ""


def _filter_select(key: str, label: str, records: list[CaseStatus]) -> str:
    e = html.escape
    if key == "stage":
        options = {r.stage: r.stage_label or "" for r in records}
    else:
        options = {_filter_value(r, key): _filter_value(r, key) for r in records}
    items = "".join(f'<option value="{e(v)}">{e(text)}</option>'
                    for v, text in sorted(options.items(), key=lambda kv: kv[1]) if v)
    return (f'<label>{e(label)}: <select id="f-{key}" data-filter="{key}">'
            f'<option value="">все</option>{items}</select></label>\n')


def _agenda_block(records: list[CaseStatus], today: date) -> str:
    """Today's agenda: what is due today and what is already missed, by officer."""
    items = stages.agenda(records, today, 0)
    e = html.escape
    if not items:
        return f'<section id="agenda"><h2>На сегодня, {today:%d.%m.%Y}</h2><p>Сроков на сегодня нет, просроченных нет.</p></section>'
    rows = "".join(
        f'<tr class="{"missed" if i.missed else "today"}"><td>{i.deadline:%d.%m.%Y}{" — просрочено" if i.missed else ""}</td>'
        f"<td>{e(i.case)}</td><td>{e(i.action)}</td><td>{e(i.clause)}</td><td>{e(i.officer)}</td></tr>"
        for i in items)
    return (f'<section id="agenda"><h2>На сегодня, {today:%d.%m.%Y}: сроки и просрочки</h2>'
            f"<table><thead><tr><th>Срок</th><th>Дело</th><th>Действие</th><th>Пункт</th><th>Ответственный</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></section>")


def _repeats_note(repeated: set[str]) -> str:
    if not repeated:
        return ""
    names = ", ".join(f"«{html.escape(name)}»" for name in sorted(repeated))
    return (f'<p class="sub" id="repeats">Номер дела повторяется — в итогах не посчитаны папки {names}: '
            "их номер уже дан делу в папке перед ними (см. «Замечания»).</p>")


def _totals(records: list[CaseStatus], key) -> list[tuple[str, int, Decimal, Decimal]]:
    """(group, cases, debt, penalty), in order of first appearance; broken cards count with no money."""
    groups: dict[str, list] = defaultdict(lambda: [0, Decimal("0"), Decimal("0")])
    for r in records:
        g = groups[key(r)]
        g[0] += 1
        g[1] += r.debt if r.debt is not None else 0
        g[2] += r.penalty if r.penalty is not None else 0
    return [(name, *values) for name, values in groups.items()]


def _totals_table(title: str, rows: list[tuple[str, int, Decimal, Decimal]], table_id: str) -> str:
    e = html.escape
    body = "".join(f"<tr><td>{e(name)}</td><td class=\"num\">{n}</td><td class=\"num\">{format_rub(debt)}</td>"
                   f"<td class=\"num\">{format_rub(pen)}</td></tr>" for name, n, debt, pen in rows)
    total = (f"<tr class=\"total\"><td>Всего</td><td class=\"num\">{sum(r[1] for r in rows)}</td>"
             f"<td class=\"num\">{format_rub(sum((r[2] for r in rows), Decimal('0')))}</td>"
             f"<td class=\"num\">{format_rub(sum((r[3] for r in rows), Decimal('0')))}</td></tr>")
    return (f'<table id="{table_id}" class="totals"><thead><tr><th>{e(title)}</th><th>Дел</th><th>Долг, руб.</th>'
            f"<th>Пени, руб.</th></tr></thead><tbody>{body}{total}</tbody></table>")


_CSS = """
body{font-family:"Segoe UI",Roboto,"Liberation Sans",Arial,sans-serif;font-size:14px;margin:16px;color:#222}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:20px 0 6px}
.sub{color:#555;margin:0 0 8px}.legend span{padding:1px 6px;margin-left:8px;border-radius:3px}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#eef1f5}#cases th{cursor:pointer;user-select:none;white-space:nowrap}
#cases th[aria-sort=ascending]::after{content:" \\25B2"}#cases th[aria-sort=descending]::after{content:" \\25BC"}
td.num{text-align:right;white-space:nowrap}td ul{margin:0;padding-left:16px;font-size:12px}
.missed{background:#fde0e0;color:#a40000;font-weight:bold}.soon{background:#fff1c2;color:#6b4e00}
tr.today td{background:#fff1c2}.adm,.kind{color:#666;font-size:12px}summary{cursor:pointer}.totals{width:auto}.total td{font-weight:bold}
.filters{margin:6px 0}.filters label{margin-right:14px}.filters select{max-width:280px}.shown{color:#555}
tr[hidden]{display:none}
@media print{.filters{display:none}#cases th::after{content:""}}
"""

_SCRIPT = """
(function () {
  var table = document.getElementById('cases'), body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var selects = Array.prototype.slice.call(document.querySelectorAll('select[data-filter]'));
  function value(row, key) {
    var cell = row.querySelector('td[data-col="' + key + '"]');
    return cell ? cell.getAttribute('data-v') : '';
  }
  function sortBy(key, dir) {
    var head = table.querySelector('th[data-key="' + key + '"]');
    if (!head) return;
    var numeric = head.getAttribute('data-type') === 'num', sign = dir === 'desc' ? -1 : 1;
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, key), y = value(b, key);
      if (x === '' || y === '') return (x === '') - (y === '');
      var r = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, 'ru', {numeric: true});
      return sign * r;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
    head.setAttribute('aria-sort', dir === 'desc' ? 'descending' : 'ascending');
  }
  function filter() {
    var shown = 0, rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row) {
      var ok = selects.every(function (s) { return !s.value || row.getAttribute('data-' + s.getAttribute('data-filter')) === s.value; });
      row.hidden = !ok;
      shown += ok ? 1 : 0;
    });
    document.getElementById('shown').textContent = 'Показано дел: ' + shown + ' из ' + rows.length;
  }
  heads.forEach(function (head) {
    function toggle() { sortBy(head.getAttribute('data-key'), head.getAttribute('aria-sort') === 'ascending' ? 'desc' : 'asc'); }
    head.addEventListener('click', toggle);
    head.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') toggle(); });
  });
  selects.forEach(function (s) { s.addEventListener('change', filter); });
  var params = new URLSearchParams(window.location.search);
  selects.forEach(function (s) {
    var wanted = params.get(s.getAttribute('data-filter'));
    if (wanted !== null) s.value = wanted;
  });
  if (params.get('sort')) sortBy(params.get('sort'), params.get('dir') === 'desc' ? 'desc' : 'asc');
  filter();
})();
"""


# --- the writers (shell) -------------------------------------------------------------------------

def case_paths(root: Root, names: list[str] | None = None) -> dict[str, Path]:
    """The case folders on disk right now, by NFC name (records name folders in NFC); with `names`, only those
    (looked up directly — a write into one case of 10 000 lists no folders — unless a name is not found as
    written, say stored in NFD)."""
    if names is not None:
        direct = {name: root.path / name for name in names if (root.path / name / CARD_NAME).is_file()}
        if len(direct) == len(names):
            return direct
    return {folder_name(p): p for p in root.case_folders()}


def write_status(folder: Path, record: CaseStatus, today: date) -> bool:
    """Rewrite a case folder's `СТАТУС.txt` when its content changed; never recreate a vanished folder.

    After a write, the temporary files a killed write left in the folder are removed.
    """
    if not folder.is_dir():
        return False
    written = write_text_if_changed(folder / STATUS_FILE, status_text(record, today))
    if written:
        remove_stale_temp(folder)
    return written


def write_summary(root: Root, records: list[CaseStatus], today: date) -> bool:
    """Rewrite the root's `Сводка.html` when its content changed."""
    page = summary_html(records, today, root.calendar, root.settings.short_name)
    return write_text_if_changed(root.path / SUMMARY_FILE, page)
