"""YAML read as plain text, with line numbers: the reader under cards and settings.

Every scalar stays a string (no YAML 1.1/1.2 guessing: ИНН «0012…» keeps its
zeros, «нет» is not a boolean), and every value remembers its line so a
problem can say `дело.yaml:12`. Anchors and aliases are refused (a card never
needs them, and they are how a «billion laughs» file explodes), and so are
files too large or too deep to be a human-written card.
"""
from __future__ import annotations

from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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


def load(text: str) -> Map | Seq | Text | None:
    """Parse `text`; raise PlainYamlError (with a Russian message) when it is not plain YAML."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise PlainYamlError(f"файл больше {MAX_BYTES // 1_000_000} МБ — это не карточка дела")
    try:
        node = YAML(typ="rt").compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise PlainYamlError(f"ошибка синтаксиса YAML: {exc.problem or exc.context}", line) from None
    except (YAMLError, RecursionError) as exc:
        raise PlainYamlError(f"ошибка синтаксиса YAML: {exc}") from None
    if node is None:
        return None
    return _convert(node, 0, set())


def _convert(node: Node, depth: int, seen: set[int]):
    line = node.start_mark.line + 1
    if depth > MAX_DEPTH:
        raise PlainYamlError(f"слишком глубокая вложенность (больше {MAX_DEPTH} уровней)", line)
    if id(node) in seen or getattr(node, "anchor", None):
        raise PlainYamlError("якоря и ссылки YAML (&, *) в карточке не допускаются", line)
    seen.add(id(node))
    if isinstance(node, ScalarNode):
        return Text(str(node.value), line)
    if isinstance(node, SequenceNode):
        items = Seq(_convert(child, depth + 1, seen) for child in node.value)
        items.line = line
        return items
    if isinstance(node, MappingNode):
        return _mapping(node, depth, seen, line)
    raise PlainYamlError("непонятный элемент YAML", line)  # pragma: no cover


def _mapping(node: MappingNode, depth: int, seen: set[int], line: int) -> Map:
    result = Map()
    result.line = line
    result.key_lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise PlainYamlError("ключ должен быть словом", key_node.start_mark.line + 1)
        key = str(key_node.value).strip()
        key_line = key_node.start_mark.line + 1
        if key == "<<":
            raise PlainYamlError("слияние ключей (<<) в карточке не допускается", key_line)
        if key in result:
            raise PlainYamlError(f"ключ «{key}» повторяется", key_line)
        result[key] = _convert(value_node, depth + 1, seen)
        result.key_lines[key] = key_line
    return result


def strip(value) -> str | None:
    """The text of a scalar, trimmed; None for an empty or missing one."""
    if isinstance(value, Text):
        text = value.value.strip()
        return text or None
    return None
