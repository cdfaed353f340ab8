"""Reading a card's fields: each value taken as text and checked (a date, an amount, a choice, «да»/«нет», a list),
every failure a `Problem` with the file, the line, the field and a Russian message, never an exception.

`card.parse_card` reads a card's sections with one `Reader`.
"""
from __future__ import annotations

import datetime
import difflib
from decimal import Decimal

from kezdocs.core import plaintext
from kezdocs.core.dates import parse_date
from kezdocs.core.model import Problem
from kezdocs.core.money import parse_amount
from kezdocs.core.plaintext import Map, Seq, Text

YES = {"да", "yes", "true", "1"}
NO = {"нет", "no", "false", "0"}


class Reader:
    """Collects problems while reading one card; each check returns None when it fails."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def problem(self, line: int | None, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.source, line, message, field))

    def section(self, parent: Map, key: str, path: str, keys: dict[str, bool], loose: bool = False) -> Map | None:
        value = parent.get(key)
        if not isinstance(value, Map):
            if key in parent:
                self.problem(parent.line_of(key), path, f"поле «{path}» должно быть набором полей «ключ: значение»")
            return None
        self.keys(value, path, keys, loose)
        return value

    def keys(self, mapping: Map, path: str, keys: dict[str, bool], loose: bool = False) -> None:
        """Report unknown keys (with the closest known one) and missing required ones."""
        for key in mapping:
            if key not in keys and not loose:
                hint = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
                tip = f"; может быть, «{hint[0]}»?" if hint else f"; допустимые: {', '.join(keys)}"
                self.problem(mapping.line_of(key), _join(path, key), f"неизвестное поле «{_join(path, key)}»{tip}")
        for key, required in keys.items():
            if required and plaintext.strip(mapping.get(key)) is None and not isinstance(mapping.get(key), (Map, Seq)):
                self.problem(mapping.line, _join(path, key), f"нет обязательного поля «{_join(path, key)}»")

    def text(self, mapping: Map, key: str, path: str) -> str | None:
        value = mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, Text):
            self.problem(mapping.line_of(key), _join(path, key), f"поле «{_join(path, key)}» должно быть строкой")
            return None
        return plaintext.strip(value)

    def date(self, mapping: Map, key: str, path: str) -> datetime.date | None:
        raw = self.text(mapping, key, path)
        if raw is None:
            return None
        parsed = parse_date(raw)
        if parsed is None:
            self.problem(mapping.line_of(key), _join(path, key),
                         f"«{raw}» в поле «{_join(path, key)}» — не дата (пишите 10.03.2024 или 2024-03-10)")
        return parsed

    def amount(self, mapping: Map, key: str, path: str) -> Decimal | None:
        raw = self.text(mapping, key, path)
        if raw is None:
            return None
        try:
            value = parse_amount(raw)
        except ValueError:
            self.problem(mapping.line_of(key), _join(path, key), f"«{raw}» в поле «{_join(path, key)}» — не сумма")
            return None
        if value < 0:
            self.problem(mapping.line_of(key), _join(path, key), f"сумма в поле «{_join(path, key)}» отрицательная: {raw}")
            return None
        return value

    def choice(self, mapping: Map, key: str, path: str, choices: dict):
        raw = self.text(mapping, key, path)
        if raw is None:
            return None
        found = choices.get(raw.lower())
        if found is None:
            self.problem(mapping.line_of(key), _join(path, key),
                         f"«{raw}» в поле «{_join(path, key)}» — допустимо: {', '.join(dict.fromkeys(choices))}")
        return found

    def flag(self, mapping: Map, key: str, path: str, default: bool) -> bool:
        raw = self.text(mapping, key, path)
        if raw is None:
            return default
        if raw.lower() in YES:
            return True
        if raw.lower() in NO:
            return False
        self.problem(mapping.line_of(key), _join(path, key), f"в поле «{_join(path, key)}» пишите «да» или «нет», а не «{raw}»")
        return default

    def items(self, mapping: Map, key: str, path: str) -> list[Map]:
        value = mapping.get(key)
        if value is None or (isinstance(value, Text) and not value.value.strip()):
            return []
        if not isinstance(value, Seq):
            self.problem(mapping.line_of(key), _join(path, key), f"поле «{_join(path, key)}» должно быть списком (строки с «- »)")
            return []
        result = []
        for item in value:
            if isinstance(item, Map):
                result.append(item)
            else:
                self.problem(getattr(item, "line", value.line), _join(path, key),
                             f"элемент списка «{_join(path, key)}» должен быть набором полей в {{…}}")
        return result


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
