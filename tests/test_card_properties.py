"""The card parser on any text: a `Case`, or problems that each name a line — never an exception."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kezdocs.core import plaintext
from kezdocs.core.card import parse_card
from kezdocs.demo import example_card

SOURCE = "дело-1/дело.yaml"
CARD_LINES = example_card().splitlines()
# Pieces YAML gives meaning to, so random text reaches the parser's corners, not only its first error.
YAML_BITS = st.sampled_from([": ", "- ", "  ", "\n", "{", "}", "[", "]", ",", "&a ", "*a", "!!str ", "? ", "|", ">",
                             "'", '"', "#", "---", "...", "%YAML 1.2", "<<: ", "\t", "\\", "ё", "«", "\x00", "\ufeff"])


def check(text: str) -> None:
    case, problems = parse_card(text, SOURCE)
    assert (case is None) == bool(problems)
    lines = len(re.split(r"\r\n|\r|\n", text)) + 1  # YAML breaks lines at a lone «\r» too (hypothesis found «'\r\r»)
    for p in problems:
        assert p.file == SOURCE and p.message
        assert p.line is not None and 1 <= p.line <= lines, p


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text(text):
    check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(YAML_BITS, st.text(max_size=8)), max_size=60).map("".join))
def test_yaml_punctuation(text):
    check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_real_card_damaged_line_by_line(data):
    """The example card with lines dropped, doubled, re-indented or cut: the interesting neighbourhood."""
    lines = list(CARD_LINES)
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "double", "indent", "dedent", "cut", "insert"]))
        if action == "drop" and len(lines) > 1:
            del lines[i]
        elif action == "double":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = "  " + lines[i]
        elif action == "dedent":
            lines[i] = lines[i].lstrip()
        elif action == "cut":
            lines[i] = lines[i][: data.draw(st.integers(0, max(len(lines[i]) - 1, 0)))]
        else:
            lines.insert(i, data.draw(st.text(max_size=30)).replace("\n", " "))
    check("\n".join(lines) + "\n")


PRINTABLE = st.characters(whitelist_categories=("L", "N", "P", "S", "Zs"))


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.text(PRINTABLE, max_size=5), lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.from_regex(r"[a-zа-я0-9_]{1,5}", fullmatch=True), inner, max_size=3), max_leaves=30))
def test_plain_yaml_round_trip_keeps_text(value):
    """Whatever structure is written as flow YAML comes back as the same strings (no type guessing)."""
    if _nodes_on_deepest_path(value) > plaintext.MAX_DEPTH + 1:
        with pytest.raises(plaintext.PlainYamlError, match="вложенность"):
            plaintext.load(_flow(value))
    else:
        assert _plain(plaintext.load(_flow(value))) == value


def _nodes_on_deepest_path(value) -> int:
    """The root is at depth 0; the loader refuses a node deeper than MAX_DEPTH."""
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return 1 + max(map(_nodes_on_deepest_path, children), default=0)


def _flow(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _plain(node):
    if isinstance(node, plaintext.Map):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, plaintext.Seq):
        return [_plain(v) for v in node]
    if isinstance(node, plaintext.Text):
        return node.value
    return node


def test_an_unchanged_example_card_is_valid():
    case, problems = parse_card(example_card(), SOURCE)
    assert problems == [] and case.number == "2024-001"
