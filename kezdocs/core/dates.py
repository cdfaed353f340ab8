"""The one date parser: how a user writes a date in a card, a setting, a registry or a command.

Accepted, and nothing else:
- «2024-03-10» (ISO);
- «10.03.2024», day and month of one or two digits («2.1.2028»), optionally followed by «г.» («10.03.2024 г.»);
- «10.03.24»: a two-digit year is 20YY. Every date kezdocs handles — a charge, a payment, an event, a deadline,
  a contract — is of this century; a date of birth is written with four digits («12.05.1979»).
Not accepted: «10/03/2024» — a slash date is read month-first by the English-language programs it usually comes
from (03/04/2024 is 4 March there, 3 April here), and a date silently read wrong is worse than one refused.
A day that does not exist («31.02.26») is not a date.
Pure: text in, `date` or None out.
"""
from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_RU = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4}|[0-9]{2})(?:\s*г\.?)?")
CENTURY = 2000  # of a two-digit year


def parse_date(text: str) -> date | None:
    """A date written «2028-01-02», «02.01.2028» or «02.01.28»; None when it is none of these or no such day
    exists (31.02)."""
    text = str(text).strip()
    if found := _ISO.fullmatch(text):
        year, month, day = found.groups()
    elif found := _RU.fullmatch(text):
        day, month, year = found.groups()
        if len(year) == 2:
            year = CENTURY + int(year)
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None
