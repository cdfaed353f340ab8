"""A registry's CSV, read as Excel saves it, and strictly.

UTF-8 with or without BOM, or Windows-1251; «;» or «,» between columns;
amounts with a decimal comma. Quoting is read strictly, line by line: a quote
inside an unquoted value, text after a closing quote, or a quote left open
(which would swallow the rows after it) is reported with its line, and every
line it affects is left out — never merged into a neighbour's value without a
word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kezdocs.core import encodings
from kezdocs.core.model import Problem

_QUOTED = re.compile(r'"((?:[^"]|"")*)"')
LINES_LISTED = 1000  # lines of one broken span reported one by one; the rest in one problem
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class Broken:
    """Lines `first`..`last` of a CSV that cannot be read as rows: why (the first line's message), and the
    column where it happened (its index in the line)."""

    first: int
    last: int
    column: int
    why: str  # "open" (a quote never closed), "merged" (rows inside quotes), "stray" (a quote out of place),
    # "count" (lines the reader could not account for)


def csv_rows(data: bytes) -> tuple[list[tuple[int, list]], list[Broken]]:
    """UTF-8 (BOM or not) or Windows-1251; the delimiter is the one the header line uses most.

    Returns the rows by their first physical line, and the spans of lines that
    broken quoting makes unreadable. Python's `csv` would merge the rows after
    an unclosed quote into one value, and drop a stray quote, without a word;
    here the records are counted against the physical lines, so every line is
    either read or reported.
    """
    text = encodings.decode(data)[0]
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first.count)
    rows, broken, covered = _parse_csv(text, delimiter)
    physical = len(_LINE_BREAK.findall(text)) + (0 if not text or text.endswith(("\n", "\r")) else 1)
    if covered != physical:  # cannot happen by construction; if it ever does, no line goes unreported
        broken.append(Broken(1, physical, 0, "count"))
        rows = []
    return rows, broken


def _parse_csv(text: str, delimiter: str) -> tuple[list[tuple[int, list]], list[Broken], int]:
    """RFC 4180 as Excel writes it, tracking physical lines: (rows, broken spans, lines covered by both)."""
    unquoted = re.compile(f"[^{re.escape(delimiter)}\r\n]*")
    rows: list[tuple[int, list]] = []
    broken: list[Broken] = []
    pos, line, end, covered = 0, 1, len(text), 0
    while pos < end:
        first, cells, fault = line, [], None
        while True:  # the fields of one record
            if text.startswith('"', pos):
                found = _QUOTED.match(text, pos)
                if found is None:  # the quote stays open to the end of the file
                    value = text[pos + 1:]
                    line += len(_LINE_BREAK.findall(value.rstrip("\r\n")))
                    fault = fault or Broken(first, line, len(cells), "open")
                    cells.append(value)
                    pos = end
                    break
                value = found.group(1)
                breaks = len(_LINE_BREAK.findall(value))
                if breaks and delimiter in value:  # whole rows inside one value
                    fault = fault or Broken(first, line, len(cells), "merged")
                line += breaks
                pos = found.end()
                tail = unquoted.match(text, pos).group()
                if tail:  # text after the closing quote: «"Ромашка" ООО» or «"ООО "Ромашка""»
                    fault = fault or Broken(first, line, len(cells), "stray")
                    pos += len(tail)
                cells.append(value.replace('""', '"') + tail)
            else:
                value = unquoted.match(text, pos).group()
                if '"' in value:  # «ООО "Ромашка"» without quotes around the value
                    fault = fault or Broken(first, line, len(cells), "stray")
                cells.append(value)
                pos += len(value)
            if pos < end and text[pos] == delimiter:
                pos += 1
                continue
            break
        last = line
        if pos < end:  # the line break that ends the record
            pos += 2 if text.startswith("\r\n", pos) else 1
            line += 1
        covered += last - first + 1
        if fault is None:
            rows.append((first, cells))
        else:
            fault.last = last
            broken.append(fault)
    return rows, broken, covered


def broken_problems(broken: list[Broken], headers: dict[int, str], source: str) -> list[Problem]:
    """Each line of a broken span reported by its number, the first one with the reason."""
    problems = []
    for b in broken:
        column = headers.get(b.column)
        where = f"в столбце «{column}»" if column else f"в {b.column + 1}-м столбце"
        span = f"строки {b.first}–{b.last} не загружены" if b.last > b.first else f"строка {b.first} не загружена"
        if b.why == "open":
            first = (f"кавычка {where} открыта и не закрыта до конца файла: {span} — закройте кавычку "
                     "(значение с кавычками целиком берётся в кавычки, кавычки внутри удваиваются)")
        elif b.why == "merged":
            first = (f"кавычка {where} не закрыта в своей строке: строки {b.first}–{b.last} слились в одно значение "
                     "и не загружены — проверьте кавычки в этой строке")
        elif b.why == "count":
            first = f"число прочитанных строк не сходится с числом строк файла: {span}"
        else:
            first = (f"лишняя кавычка {where}: значение нельзя прочитать однозначно, строка не загружена — в CSV "
                     'значение с кавычками целиком берётся в кавычки, а кавычки внутри удваиваются: "ООО ""Ромашка"""')
        problems.append(Problem(source, b.first, first, column))
        if b.why == "count":
            continue
        inside = f"внутри кавычки, открытой в строке {b.first}{f' (столбец «{column}»)' if column else ''}"
        listed = min(b.last, b.first + LINES_LISTED)
        problems += [Problem(source, n, f"не загружена: строка оказалась {inside}")
                     for n in range(b.first + 1, listed + 1)]
        if listed < b.last:  # a quote open at the top of a huge file: the reason once, not a million lines
            problems.append(Problem(source, listed + 1, f"не загружены и строки {listed + 1}–{b.last}: они {inside}"))
    return problems
