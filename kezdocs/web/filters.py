"""How values read on the pages: dates as 01.12.2026, money as 12 345,67, names made safe (Jinja filters)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask

from kezdocs.core.money import format_rub
from kezdocs.core.names import shown_name


def day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    return value.strftime("%d.%m.%Y %H:%M") if isinstance(value, datetime) else value.strftime("%d.%m.%Y")


def rub(value: Decimal | None) -> str:
    return format_rub(value) if value is not None else "—"


def first_upper(text: str) -> str:
    """«номер дела в суде» → «Номер дела в суде», «ШПИ» stays «ШПИ» (Jinja's capitalize would lower it)."""
    return text[:1].upper() + text[1:]


def install(app: Flask) -> None:
    app.jinja_env.filters.update(day=day, rub=rub, safe_name=shown_name, first_upper=first_upper)
