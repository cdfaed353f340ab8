"""YAML read as plain text, with line numbers: the reader under cards and settings.

Every scalar stays a string (no YAML 1.1/1.2 guessing: ИНН «0012…» keeps its
zeros, «нет» is not a boolean), and every value remembers its line so a
problem can say `дело.yaml:12`. Anchors and aliases are refused (a card never
needs them, and they are how a «billion laughs» file explodes), and so are
files too large or too deep to be a human-written card.
"""
from __future__ import annotations

from dataclasses import dataclass

import yaml

MAX_BYTES = 1_000_000
MAX_DEPTH = 12


@dataclass(frozen=True)
class Text:
    """A scalar: its text and the 1-based line it stands on."""

    value: str
    line: int


class Map(dict):
    """A mapping of key -> value that also knows each key's line."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Seq(list):
    line: int = 0


class PlainYamlError(ValueError):
    """The text is not a readable card; `line` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


# libyaml's C parser when PyYAML was built with it (the wheels are): a card in 0.3 ms instead of 6 ms.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Map | Seq | Text | None:
    """Parse `text`; raise PlainYamlError (with a Russian message) when it is not plain YAML.

    The tree is built here from the parser's events, without recursion and
    without YAML's own composer: an anchor, an alias or a nesting deeper than
    MAX_DEPTH is refused at the event that shows it, before anything grows.
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise PlainYamlError(f"файл больше {MAX_BYTES // 1_000_000} МБ — это не карточка дела")
    try:
        return _build(yaml.parse(text, Loader=_LOADER))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        if "nesting depth" in str(exc.problem):  # libyaml's own limit, met before ours on a hostile file
            raise PlainYamlError(f"слишком глубокая вложенность (больше {MAX_DEPTH} уровней)", line) from None
        raise PlainYamlError(f"ошибка синтаксиса YAML: {exc.problem or exc.context}", line) from None
    except yaml.reader.ReaderError as exc:
        line = text.encode("utf-8", "surrogatepass")[:exc.position].count(b"\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise PlainYamlError(f"недопустимый символ в тексте (U+{code:04X})", line) from None
    except (yaml.YAMLError, UnicodeError) as exc:
        raise PlainYamlError(f"ошибка синтаксиса YAML: {exc}") from None


def _build(events) -> Map | Seq | Text | None:
    """The one document of the stream as Map/Seq/Text; `stack` holds the open collections."""
    stack: list[Map | Seq] = []
    pending: list[tuple[str, int] | None] = []  # per open mapping: the key waiting for its value
    result = None
    documents = 0
    for event in events:
        line = event.start_mark.line + 1
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise PlainYamlError("в файле несколько документов YAML (---): карточка — один документ", line)
            continue
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            done = stack.pop()
            pending.pop()
            result = _attach(stack, pending, done, line) if stack else done
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        if isinstance(event, yaml.AliasEvent) or event.anchor:
            raise PlainYamlError("якоря и ссылки YAML (&, *) в карточке не допускаются", line)
        if len(stack) > MAX_DEPTH:
            raise PlainYamlError(f"слишком глубокая вложенность (больше {MAX_DEPTH} уровней)", line)
        if isinstance(event, yaml.ScalarEvent):
            value = Text(str(event.value), line)
            result = _attach(stack, pending, value, line) if stack else value
            continue
        if stack and isinstance(stack[-1], Map) and pending[-1] is None:
            raise PlainYamlError("ключ должен быть словом", line)
        if isinstance(event, yaml.SequenceStartEvent):
            opened: Map | Seq = Seq()
        else:
            opened = Map()
            opened.key_lines = {}
        opened.line = line
        stack.append(opened)
        pending.append(None)
    return result


def _attach(stack: list, pending: list, value, line: int):
    """Put a finished value into the innermost open collection (as a key or as a value)."""
    parent = stack[-1]
    if isinstance(parent, Seq):
        parent.append(value)
        return parent
    if pending[-1] is None:
        key = value.value.strip()
        if key == "<<":
            raise PlainYamlError("слияние ключей (<<) в карточке не допускается", line)
        if key in parent:
            raise PlainYamlError(f"ключ «{key}» повторяется", line)
        pending[-1] = (key, line)
        return parent
    key, key_line = pending[-1]
    parent[key] = value
    parent.key_lines[key] = key_line
    pending[-1] = None
    return parent


def strip(value) -> str | None:
    """The text of a scalar, trimmed; None for an empty or missing one."""
    if isinstance(value, Text):
        text = value.value.strip()
        return text or None
    return None
