"""What a registry's rows do to the cases, decided before anything is written.

- a new case gets a folder «<номер> <должник>» and a commented card
  (`newcard.new_card_text`), checked by `card.parse_card` before it is written;
- an existing case (same number) gets the charges and payments it lacks,
  appended with `cardedit.append_entry` so the clerk's comments survive; a charge
  or payment already on the card is a duplicate and is skipped, never added
  twice; the case's other columns do not change an existing card;
- a bad row is reported with its row number and column and is not imported;
  the good rows are.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from pathvalidate import sanitize_filename

from kezdocs.core import card as card_mod
from kezdocs.core.model import Case, Problem
from kezdocs.core.money import as_text, format_rub
from kezdocs.core.newcard import new_card_text
from kezdocs.folders import cardedit
from kezdocs.paperwork.registry import ADDRESS_KINDS, BY_KEY
from kezdocs.paperwork.registry_read import Row


@dataclass
class Existing:
    """A case folder already in the root: its card's text, and the case when the card is valid."""

    folder: Path
    text: str
    case: Case | None


@dataclass
class Plan:
    new: dict[Path, str] = field(default_factory=dict)  # folder -> card text
    updates: dict[Path, str] = field(default_factory=dict)  # card path -> new text, as the card was when planned
    edits: dict[Path, list[Row]] = field(default_factory=dict)  # card path -> rows to apply to the card as written
    lines: dict[Path, list[int]] = field(default_factory=dict)  # folder -> its rows, to report a failed write
    imported: list[int] = field(default_factory=list)  # row numbers applied
    duplicates: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def plan(rows: list[Row], existing: dict[str, list[Existing]], root_path: Path, source: str,
         administrators: tuple[str, ...]) -> Plan:
    """Decide, case by case, the new cards and the edits of existing ones."""
    result = Plan()
    by_case: dict[str, list[Row]] = {}
    for row in rows:
        by_case.setdefault(row.number, []).append(row)
    for number, case_rows in by_case.items():
        case_rows, fields = _consistent(case_rows, source, result.problems)
        found = existing.get(number, [])
        if len(found) > 1:
            names = ", ".join(f"«{e.folder.name}»" for e in found)
            _reject(result, case_rows, source, f"дело № {number} есть в нескольких папках ({names}) — "
                                               "оставьте одну и повторите импорт")
        elif found and found[0].case is None:
            _reject(result, case_rows, source, f"дело № {number} (папка «{found[0].folder.name}»): в карточке ошибки — "
                                               "исправьте её (kezdocs status) и повторите импорт")
        elif found:
            _update(result, found[0], case_rows, source, administrators)
        elif case_rows:
            _create(result, number, fields, case_rows, root_path, source, administrators)
    return result


def _consistent(rows: list[Row], source: str, problems: list[Problem]) -> tuple[list[Row], dict]:
    """The case's fields from its first rows; a later row that says otherwise is reported and left out."""
    fields: dict[str, tuple[object, int]] = {}
    kept = []
    for row in rows:
        clash = next((k for k, v in row.case.items() if k in fields and fields[k][0] != v), None)
        if clash:
            first_value, first_line = fields[clash]
            problems.append(Problem(source, row.line, f"«{_shown(row.case[clash])}» не совпадает со строкой "
                                                      f"{first_line} того же дела («{_shown(first_value)}»)",
                                    BY_KEY[clash].header))
            continue
        for key, value in row.case.items():
            fields.setdefault(key, (value, row.line))
        kept.append(row)
    return kept, {k: v for k, (v, _) in fields.items()}


def _shown(value) -> str:
    return f"{value:%d.%m.%Y}" if isinstance(value, date) else str(value)


def _reject(result: Plan, rows: list[Row], source: str, message: str) -> None:
    result.problems += [Problem(source, row.line, message) for row in rows]


class Entries:
    """The charges and payments a card has, to tell a new entry from a duplicate or a clash."""

    def __init__(self, case: Case | None):
        self.charges = {c.period: (c.amount, c.due) for c in case.charges} if case else {}
        self.payments = [(p.date, p.amount, p.document) for p in case.payments] if case else []

    def charge(self, period: str, amount: Decimal, due: date) -> str:
        """Say "new" (and remember it), "duplicate", or why it clashes with the card's charge of that period."""
        if period not in self.charges:
            self.charges[period] = (amount, due)
            return "new"
        old_amount, old_due = self.charges[period]
        if (old_amount, old_due) == (amount, due):
            return "duplicate"
        return (f"начисление за период «{period}» уже есть с суммой {format_rub(old_amount)} руб. и сроком "
                f"{old_due:%d.%m.%Y} — исправьте реестр или карточку")

    def payment(self, when: date, amount: Decimal, document: str | None) -> str:
        if any(d == when and a == amount and (doc == document or not doc or not document)
               for d, a, doc in self.payments):
            return "duplicate"
        self.payments.append((when, amount, document))
        return "new"


def entries_of(rows: list[Row], known: Entries, source: str, result: Plan) -> list[tuple[Row, list[tuple[str, dict]]]]:
    """Per row, the card entries it adds; duplicates are noted, clashing rows reported and left out."""
    accepted = []
    for row in rows:
        entries, duplicate = [], []
        if row.charge:
            period, amount, due = row.charge
            verdict = known.charge(period, amount, due)
            if verdict not in ("new", "duplicate"):
                result.problems.append(Problem(source, row.line, verdict, BY_KEY["period"].header))
                continue
            if verdict == "new":
                entries.append(("начисления", {"период": period, "сумма": as_text(amount),
                                               "срок_уплаты": f"{due:%d.%m.%Y}"}))
            else:
                duplicate.append(f"начисление «{period}» на {format_rub(amount)} руб.")
        if row.payment:
            when, amount, document = row.payment
            if known.payment(when, amount, document) == "new":
                entries.append(("платежи", {"дата": f"{when:%d.%m.%Y}", "сумма": as_text(amount),
                                            **({"документ": document} if document else {})}))
            else:
                duplicate.append(f"платёж {when:%d.%m.%Y} на {format_rub(amount)} руб.")
        if duplicate:
            result.duplicates.append(Problem(source, row.line, f"уже есть в деле № {row.number} "
                                                               f"({'; '.join(duplicate)}) — пропущено"))
        accepted.append((row, entries))
    return accepted


def _update(result: Plan, found: Existing, rows: list[Row], source: str, administrators: tuple[str, ...]) -> None:
    accepted = entries_of(rows, Entries(found.case), source, result)
    text = found.text
    for _, entries in accepted:
        for section, entry in entries:
            text = cardedit.append_entry(text, section, entry)
    if text == found.text:
        return
    path = found.folder / card_mod.CARD_NAME
    if _valid(text, f"{found.folder.name}/{card_mod.CARD_NAME}", administrators, [r for r, _ in accepted], source, result):
        result.updates[path] = text
        result.edits[path] = [row for row, entries in accepted if entries]
        result.lines[found.folder] = [row.line for row, entries in accepted if entries]
        result.imported += [row.line for row, entries in accepted if entries]


def _valid(text: str, shown: str, administrators: tuple[str, ...], rows: list[Row], source: str, result: Plan) -> bool:
    """The card as it would be written must pass `parse_card`; otherwise none of its rows goes in."""
    _, problems = card_mod.parse_card(text, shown, administrators)
    if not problems:
        return True
    reasons = "; ".join(f"{shown}:{p.line}: {p.message}" if p.line else f"{shown}: {p.message}" for p in problems)
    _reject(result, rows[:1], source, f"карточка дела № {rows[0].number} не прошла бы проверку: {reasons}")
    _reject(result, rows[1:], source, f"не загружена вместе с делом № {rows[0].number} (см. строку {rows[0].line})")
    return False


def _create(result: Plan, number: str, fields: dict, rows: list[Row], root_path: Path, source: str,
            administrators: tuple[str, ...]) -> None:
    missing = _missing_for_new(fields, rows)
    if missing:
        _reject(result, rows, source, f"для нового дела № {number} не заполнено: {', '.join(missing)}")
        return
    accepted = entries_of(rows, Entries(None), source, result)
    kind = fields["type"]
    name = _debtor_name(kind, fields)
    folder = root_path / folder_name(number, name)
    if (folder / card_mod.CARD_NAME).exists() or folder in result.new:
        _reject(result, rows, source, f"папка «{folder.name}» уже занята другим делом")
        return
    charges = [(e["период"], e["сумма"], e["срок_уплаты"]) for _, entries in accepted for s, e in entries
               if s == "начисления"]
    addresses = [(k, fields[f"address_{i}"]) for i, k in enumerate(ADDRESS_KINDS[kind], 1) if f"address_{i}" in fields]
    text = new_card_text(
        number, fields.get("administrator") or administrators[0], fields["officer"], fields.get("phone", ""), kind,
        name, fields.get("inn", ""), addresses, fields["basis"], fields.get("basis_number", ""),
        f"{fields['basis_date']:%d.%m.%Y}" if "basis_date" in fields else "", fields["kbk"], charges)
    text = cardedit.set_debtor_fields(text, _debtor_extras(kind, fields))
    for _, entries in accepted:
        for section, entry in entries:
            if section == "платежи":
                text = cardedit.append_entry(text, section, entry)
    if _valid(text, f"{folder.name}/{card_mod.CARD_NAME}", administrators, [r for r, _ in accepted], source, result):
        result.new[folder] = text
        result.lines[folder] = [row.line for row, _ in accepted]
        result.imported += [row.line for row, entries in accepted if entries or not (row.charge or row.payment)]


def folder_name(number: str, debtor: str) -> str:
    """«2024-017 ООО Ромашка», «2024-021 ИП Петров Пётр»: Windows-safe, without quotes, not too long."""
    short = re.sub(r"^Индивидуальный предприниматель\b", "ИП", debtor)
    label = re.sub(r"[«»\"“”„]", "", f"{number} {short}")
    return sanitize_filename(label, platform="windows", max_len=120).strip()


def _missing_for_new(fields: dict, rows: list[Row]) -> list[str]:
    """Columns a new case cannot do without, by debtor type (the card's own rules, in registry terms)."""
    needed = ["type", "basis", "kbk", "officer", "address_1"]
    kind = fields.get("type")
    if kind == "юрлицо":
        needed += ["name", "inn"]
    elif kind in ("ип", "физлицо"):
        needed += ([] if kind == "ип" and "name" in fields else ["last_name", "first_name"])
        needed += ["inn"] if kind == "ип" else []
    missing = [f"«{BY_KEY[k].header}»" for k in needed if k not in fields]
    if not any(row.charge for row in rows):
        missing.append("начисление («Период», «Сумма начисления», «Срок уплаты»)")
    return missing


def _debtor_name(kind: str, fields: dict) -> str:
    person = " ".join(fields[k] for k in ("last_name", "first_name", "middle_name") if k in fields)
    if kind == "юрлицо":
        return fields["name"]
    if kind == "ип":
        return fields.get("name") or f"Индивидуальный предприниматель {person}"
    return person


def _debtor_extras(kind: str, fields: dict) -> dict[str, str]:
    """What `new_card_text` leaves out: the name parts of a person or ИП, the ОГРН (ОГРНИП)."""
    extras = {card_key: fields[key] for key, card_key in
              (("last_name", "фамилия"), ("first_name", "имя"), ("middle_name", "отчество"))
              if kind != "юрлицо" and key in fields}
    if "ogrn" in fields:
        extras["огрнип" if kind == "ип" else "огрн"] = fields["ogrn"]
    return extras
