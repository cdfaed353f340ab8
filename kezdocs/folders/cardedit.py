"""Edits of a card's text that keep the clerk's comments, key order and quoting: the one ruamel set-up.

Each function takes a card's text and returns the edited text; the card
writer (`cardfile.update_card`) applies it to the text it just read. A text
that is no card (half saved by an editor, or broken) raises `ValueError`.
"""
from __future__ import annotations

import io

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from kezdocs.core.dates import parse_date


def round_trip() -> YAML:
    """Round trip, long lines kept whole, lists indented as the example card writes them."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def edit(text: str, change) -> str:
    """`change(data)` applied to the card's round-trip tree; the text back, comments and order kept (ValueError:
    the text is no card). Every edit of a card's text goes through here."""
    yaml = round_trip()
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        raise ValueError(f"карточка не читается как YAML: {exc}") from None
    if not isinstance(data, CommentedMap):
        raise ValueError("карточка должна быть набором полей «ключ: значение»")
    change(data)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def append_entry(text: str, section: str, entry: dict[str, str]) -> str:
    """`entry` appended to the list `section` (события / платежи), in flow style like the example card."""
    return _put(text, section, entry, len)


def insert_entry(text: str, section: str, entry: dict[str, str]) -> str:
    """`entry` put into the list `section` in date order (`_position`), in flow style like the example card.
    Comments stay with the entries they follow; an event out of order would make the card wrong."""
    day = parse_date(entry["дата"])
    return _put(text, section, entry, lambda existing: _position(
        [parse_date(str(item.get("дата", ""))) if isinstance(item, dict) else None for item in existing], day))


def _put(text: str, section: str, entry: dict[str, str], position) -> str:
    def change(data: CommentedMap) -> None:
        row = CommentedMap((k, v) for k, v in entry.items())
        row.fa.set_flow_style()
        existing = data.get(section)
        if not isinstance(existing, list):
            existing = CommentedSeq()
            data[section] = existing
        existing.fa.set_block_style()
        existing.insert(position(existing), row)

    return edit(text, change)


def _position(dates: list, day) -> int:
    """After the last entry dated on or before `day`; else before the first dated later; else at the end."""
    if day is None:
        return len(dates)
    not_later = [i for i, when in enumerate(dates) if when is not None and when <= day]
    if not_later:
        return not_later[-1] + 1
    return next((i for i, when in enumerate(dates) if when is not None), len(dates))


def set_debtor_fields(text: str, extras: dict[str, str]) -> str:
    """Keys of the card's «должник» section set (new ones after «инн»)."""
    if not extras:
        return text

    def change(data: CommentedMap) -> None:
        debtor = data.get("должник")
        if not isinstance(debtor, CommentedMap):
            raise ValueError("в карточке нет раздела «должник»")
        for key, value in extras.items():
            if key in debtor:
                debtor[key] = value
            else:
                debtor.insert(list(debtor).index("инн") + 1 if "инн" in debtor else len(debtor), key, value)

    return edit(text, change)
