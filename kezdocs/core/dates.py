"""The one date parser: how a user writes a date in a card, a setting, a registry or a command.

«2024-03-10» and «10.03.2024» (day and month may have one digit: «2.1.2028»).
Pure: text in, `date` or None out.
"""
from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_RU = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")


def parse_date(text: str) -> date | None:
    """A date written «2028-01-02» or «02.01.2028»; None when it is neither or no such day exists (31.02)."""
    text = str(text).strip()
    if found := _ISO.fullmatch(text):
        year, month, day = found.groups()
    elif found := _RU.fullmatch(text):
        day, month, year = found.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None
