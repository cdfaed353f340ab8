"""The card's common fields as a form shows and sends them: the debtor, the addresses, the bank, the charges, the
penalty terms.

`common_fields` reads them from a card's text (every value as text, the card
rules' own reader); `set_common_fields` writes a form's values back into the
text through ruamel's round trip, so the clerk's comments, the other sections
and the key order stay as they were; `edit_common_fields` does it through the
one card writer, refusing a form built from a card that changed since.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from kezdocs.core import plaintext
from kezdocs.core.card import BANK_KEYS, DEBTOR_FIELDS, DEBTOR_KEYS, PENALTY_KEYS, TOP_KEYS
from kezdocs.core.errors import KezdocsError
from kezdocs.core.model import Problem
from kezdocs.core.plaintext import Map, Seq
from kezdocs.folders.cardedit import edit, round_trip
from kezdocs.folders.cardfile import update_card

# Form key -> (path of sections in the card, the key there, the order of that section's keys).
SCALARS: dict[str, tuple[tuple[str, ...], str, dict]] = {
    **{f"должник.{key}": (("должник",), key, DEBTOR_KEYS)
       for key in ("тип", *dict.fromkeys(k for keys in DEBTOR_FIELDS.values() for k in keys))},
    "банк.наименование": (("должник", "банк"), "наименование", BANK_KEYS),
    "банк.адрес": (("должник", "банк"), "адрес", BANK_KEYS),
    **{f"неустойка.{key}": (("неустойка",), key, PENALTY_KEYS)
       for key in ("способ", "ставка", "ставка_на", "предел", "мораторий")},
}
# Form key -> (section, key, the order of that section's keys, the columns of a row).
LISTS: dict[str, tuple[tuple[str, ...], str, dict, tuple[str, ...]]] = {
    "адреса": (("должник",), "адреса", DEBTOR_KEYS, ("вид", "адрес")),
    "начисления": ((), "начисления", TOP_KEYS, ("период", "сумма", "срок_уплаты")),
}
QUOTED_COLUMNS = frozenset({"адрес", "сумма"})  # written in double quotes, as a new card writes them
NUMBER = re.compile(r"[1-9]\d*(\.\d+)?|0\.\d+")  # written plain where the card had a plain number
SECTION_ORDER = {"должник": TOP_KEYS, "банк": DEBTOR_KEYS, "неустойка": TOP_KEYS}


def common_fields(text: str) -> dict[str, object]:
    """The form's values: each key of SCALARS as text («» when the card has none), each of LISTS as rows of text.

    A text that is no card raises `ValueError` (as the card rules would report it).
    """
    root = plaintext.load(text)
    if not isinstance(root, Map):
        raise ValueError("карточка должна быть набором полей «ключ: значение»")
    values: dict[str, object] = {}
    for field, (path, key, _order) in SCALARS.items():
        values[field] = plaintext.strip(_section(root, path).get(key)) or ""
    for field, (path, key, _order, columns) in LISTS.items():
        values[field] = _rows(_section(root, path).get(key), columns)
    return values


def _section(root: Map, path: tuple[str, ...]) -> Map:
    for name in path:
        root = root.get(name) if isinstance(root.get(name), Map) else Map()
    return root


def _rows(value, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Rows of a list section; addresses written as a mapping ({регистрации: …}) read as (вид, адрес) rows."""
    if isinstance(value, Map) and len(columns) == 2:
        return [(key, plaintext.strip(text) or "") for key, text in value.items()]
    if not isinstance(value, Seq):
        return []
    return [tuple(plaintext.strip(row.get(c)) or "" for c in columns) for row in value if isinstance(row, Map)]


def set_common_fields(text: str, values: dict) -> str:
    """`text` with the form's `values` written in: only the keys given change; an empty value removes its key
    (the card rules then say if it was required); a list is replaced whole (blank rows dropped)."""
    unknown = [key for key in values if key not in SCALARS and key not in LISTS]
    if unknown:
        raise KezdocsError(f"в форме неизвестные поля карточки: {', '.join(unknown)}")

    def change(data: CommentedMap) -> None:
        for field, value in values.items():
            if field in SCALARS:
                path, key, order = SCALARS[field]
                _set_scalar(data, path, key, order, "" if value is None else str(value).strip())
            else:
                path, key, order, columns = LISTS[field]
                _set_list(data, path, key, order, columns, value)

    return edit(text, change)


def edit_common_fields(card_path: Path, values: dict, check: Callable[[str], list[Problem]],
                       expected_version: str | None) -> str:
    """The form's values written into the card through the one card writer; returns the text written."""
    return update_card(card_path, lambda text: set_common_fields(text, values), check, what="правка",
                       expected_version=expected_version)


# --- writing into the round-trip tree ----------------------------------------------------------------------

def _set_scalar(data: CommentedMap, path: tuple[str, ...], key: str, order: dict, value: str) -> None:
    section = _open(data, path, create=bool(value))
    if section is None:
        return
    if not value:
        section.pop(key, None)
        _drop_if_empty(data, path)
        return
    _put(section, key, _scalar(section.get(key), key, value), order)


def _scalar(old, key: str, value: str):
    """The value as the card would hold it: unchanged is left as it is; a new one keeps the old one's style
    (quotes; a plain number stays plain), an address is double-quoted as a new card writes it."""
    if old is not None and str(old) == value:
        return old
    if isinstance(old, (DoubleQuotedScalarString, SingleQuotedScalarString)):
        return type(old)(value)
    if isinstance(old, (int, float)) and not isinstance(old, bool) and NUMBER.fullmatch(value):
        return round_trip().load(value)
    return DoubleQuotedScalarString(value) if key in QUOTED_COLUMNS else value


def _set_list(data: CommentedMap, path: tuple[str, ...], key: str, order: dict, columns: tuple[str, ...],
              rows) -> None:
    new = [_row(columns, row) for row in rows if any(str(cell).strip() for cell in row)]
    section = _open(data, path, create=bool(new))
    if section is None:
        return
    if not new:
        section.pop(key, None)
        return
    existing = section.get(key)
    if isinstance(existing, CommentedSeq):  # refilled in place: the comments around the list stay
        existing.clear()
    else:
        existing = CommentedSeq()
        _put(section, key, existing, order)
    existing.fa.set_block_style()
    existing.extend(new)


def _row(columns: tuple[str, ...], row) -> CommentedMap:
    cells = [str(cell).strip() for cell in row]
    if len(cells) != len(columns):
        raise KezdocsError(f"строка списка: нужно {len(columns)} значения ({', '.join(columns)}), а их {len(cells)}")
    result = CommentedMap((column, DoubleQuotedScalarString(cell) if column in QUOTED_COLUMNS else cell)
                          for column, cell in zip(columns, cells) if cell)
    result.fa.set_flow_style()
    return result


def _open(data: CommentedMap, path: tuple[str, ...], create: bool) -> CommentedMap | None:
    """The section at `path` (made, in the card's key order and flow style, when `create`), or None."""
    section = data
    for name in path:
        inner = section.get(name)
        if not isinstance(inner, CommentedMap):
            if not create:
                return None
            inner = CommentedMap()
            inner.fa.set_flow_style()
            _put(section, name, inner, SECTION_ORDER[name])
        section = inner
    return section


def _drop_if_empty(data: CommentedMap, path: tuple[str, ...]) -> None:
    """A section left empty by the form («банк» with neither name nor address) goes with its last key."""
    if len(path) < 2:
        return
    parent = _open(data, path[:-1], create=False)
    if parent is not None and isinstance(parent.get(path[-1]), CommentedMap) and not parent[path[-1]]:
        del parent[path[-1]]


def _put(mapping: CommentedMap, key: str, value, order: dict) -> None:
    """Set `key`; a new key goes where the card's key order puts it (before the first key that follows it)."""
    if key in mapping:
        mapping[key] = value
        return
    known = list(order)
    rank = known.index(key) if key in known else len(known)
    later = [i for i, k in enumerate(mapping) if k in known and known.index(k) > rank]
    mapping.insert(later[0] if later else len(mapping), key, value)
