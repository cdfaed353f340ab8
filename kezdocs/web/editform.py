"""The «edit the card» form: its fields, their Russian labels, and the values read back from a submit.

The form also carries the values it was built from (`original`), so a submit
changes only what the user changed (`changes`), and a stale one is merged:
the card's new values, with the user's changes on top; a field both changed
is named (`conflicts`). Nobody's edit is lost, and nothing is written
without the user seeing the merge.

The values are `cardchange.common_fields`'s shape — single fields by their
card path («должник.инн»), lists (addresses, charges) as rows — so the form
and the card writer speak the same keys. Empty rows are dropped; the card
rules (`card.parse_card`, asked by the card writer) judge the rest.
"""
from __future__ import annotations

import json

from kezdocs.core.card import DEBTOR_FIELDS, DEBTOR_TYPES, MORATORIUM_MODES, PENALTY_METHODS, RATE_MODES

EXTRA_ROWS = 2  # empty rows offered under each list, for a new address or charge

LABELS = {
    "должник.тип": "Тип должника (юрлицо, ип, физлицо)",
    "должник.наименование": "Наименование должника",
    "должник.фамилия": "Фамилия", "должник.имя": "Имя", "должник.отчество": "Отчество",
    "должник.инн": "ИНН", "должник.кпп": "КПП", "должник.огрн": "ОГРН", "должник.огрнип": "ОГРНИП",
    "должник.дата_рождения": "Дата рождения", "должник.место_рождения": "Место рождения",
    "должник.снилс": "СНИЛС", "должник.паспорт": "Паспорт",
    "банк.наименование": "Банк должника (для заявления в банк)", "банк.адрес": "Адрес банка",
    "неустойка.способ": "Неустойка: способ", "неустойка.ставка": "Ставка, % в день",
    "неустойка.ставка_на": "Ставка ЦБ на (дату расчёта или по периодам)",
    "неустойка.предел": "Предел, % от долга", "неустойка.мораторий": "Мораторий",
}
# Fields the card allows only a few words in: the form offers them as a list (the card's own tables).
CHOICES = {
    "должник.тип": tuple(DEBTOR_TYPES),
    "неустойка.способ": tuple(PENALTY_METHODS),
    "неустойка.ставка_на": tuple(RATE_MODES),
    "неустойка.мораторий": tuple(MORATORIUM_MODES),
}
LISTS = {
    "адреса": ("Адреса должника", (("вид", "Вид адреса"), ("адрес", "Адрес с почтовым индексом"))),
    "начисления": ("Начисления", (("период", "Период"), ("сумма", "Сумма, руб."), ("срок_уплаты", "Срок уплаты"))),
}


def label(key: str) -> str:
    return LABELS.get(key, key)


def shown(values: dict) -> list[tuple[str, str, tuple[str, ...]]]:
    """(key, value, choices) of each single field the form shows: of «должник», those the card reads for this type
    of debtor (`card.DEBTOR_FIELDS`); a field not shown is left in the card as it is."""
    kind = str(values.get("должник.тип", "")).lower()
    read = DEBTOR_FIELDS.get(kind, tuple(k for keys in DEBTOR_FIELDS.values() for k in keys))
    return [(key, value, CHOICES.get(key, ())) for key, value in values.items() if not isinstance(value, list)
            and not (key.startswith("должник.") and key != "должник.тип" and key.split(".", 1)[1] not in read)]


def rows(values: dict, name: str) -> list[tuple[str, ...]]:
    """The list's rows as the form shows them: the card's, then `EXTRA_ROWS` empty ones."""
    width = len(LISTS[name][1])
    return [tuple(row) for row in values.get(name) or []] + [("",) * width] * EXTRA_ROWS


def values_from(form, current: dict) -> dict:
    """What the user submitted, in `common_fields`' shape: the single fields the form showed (a field it did not
    show is not touched), every list whole."""
    values: dict = {key: form[key].strip() for key, value in current.items()
                    if not isinstance(value, list) and key in form}
    for name, (_, columns) in LISTS.items():
        found = []
        index = 0
        while f"{name}-{index}-{columns[0][0]}" in form:
            row = tuple(form.get(f"{name}-{index}-{key}", "").strip() for key, _ in columns)
            if any(row):
                found.append(row)
            index += 1
        values[name] = found
    return values


def original_json(values: dict) -> str:
    """The values a form was built from, as its hidden field carries them."""
    return json.dumps(values, ensure_ascii=False)


def original_from(form, current: dict) -> dict:
    """The values the submitted form was built from (the card as it is now, when the form carried none)."""
    try:
        data = json.loads(form.get("original", ""))
    except ValueError:
        return current
    if not isinstance(data, dict):
        return current
    return {key: [tuple(row) for row in value] if isinstance(value, list) else value for key, value in data.items()}


def changes(submitted: dict, original: dict) -> dict:
    """What the user changed in the form."""
    return {key: value for key, value in submitted.items() if value != original.get(key)}


def merged(fresh: dict, changed: dict, original: dict) -> tuple[dict, dict]:
    """A stale form's answer: the card's new values with the user's changes on top, and the fields changed both
    in the card and by the user (key -> the card's new value)."""
    conflicts = {key: fresh[key] for key in changed if key in fresh and fresh[key] != original.get(key)
                 and fresh[key] != changed[key]}
    return {**fresh, **changed}, conflicts
