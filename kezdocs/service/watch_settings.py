"""Section «наблюдение» of `настройки.yaml`: how long a file must stay unchanged, how often every folder is
checked again, which documents the service makes by itself. A bad value keeps its default and is a problem."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kezdocs.core import plaintext
from kezdocs.core.errors import KezdocsError
from kezdocs.core.kinds import resolve_kind
from kezdocs.core.model import Problem
from kezdocs.core.plaintext import Map, Seq
from kezdocs.core.settings import SETTINGS_NAME, Settings

SECTION = "наблюдение"


@dataclass(frozen=True)
class WatchSettings:
    """Section «наблюдение» of `настройки.yaml`."""

    delay: float = 2.0  # задержка: seconds a file must stay unchanged
    rescan_minutes: float = 5.0  # пересканирование: minutes between fingerprint checks of all folders
    auto_documents: tuple[str, ...] = ()  # автодокументы: kinds generated when their moment comes


def parse_watch_settings(section, source: str = SETTINGS_NAME) -> tuple[WatchSettings, list[Problem]]:
    """Read the section (plain data from `plaintext`); a bad value keeps its default and is a problem."""
    if section is None:
        return WatchSettings(), []
    if not isinstance(section, Map):
        return WatchSettings(), [Problem(source, getattr(section, "line", None),
                                         f"«{SECTION}» — набор полей: задержка, пересканирование, автодокументы")]
    problems: list[Problem] = []
    values: dict = {}
    for key, value in section.items():
        line = section.line_of(key)
        if key in ("задержка", "пересканирование"):
            number = _positive(plaintext.strip(value))
            if number is None:
                unit = "секунд" if key == "задержка" else "минут"
                problems.append(Problem(source, line, f"«{SECTION}.{key}»: ожидается положительное число {unit}"))
            else:
                values["delay" if key == "задержка" else "rescan_minutes"] = number
        elif key == "автодокументы":
            kinds, bad = _kinds(value, line, source)
            values["auto_documents"] = kinds
            problems += bad
        else:
            problems.append(Problem(source, line, f"неизвестное поле «{SECTION}.{key}»; допустимые: задержка, "
                                                  "пересканирование, автодокументы"))
    return WatchSettings(**values), problems


def _positive(text: str | None) -> float | None:
    try:
        number = Decimal((text or "").replace(",", "."))
    except InvalidOperation:
        return None
    return float(number) if number.is_finite() and number > 0 else None


def _kinds(value, line: int, source: str) -> tuple[tuple[str, ...], list[Problem]]:
    """Document kinds by code or Russian name («претензия», «расчёт»), as `kezdocs generate` takes them."""
    items = value if isinstance(value, Seq) else [value]
    codes, problems = [], []
    for text in (t for t in (plaintext.strip(v) for v in items) if t):
        try:
            codes.append(resolve_kind(text).code)
        except KezdocsError as exc:
            problems.append(Problem(source, line, f"«{SECTION}.автодокументы»: {exc}"))
    return tuple(dict.fromkeys(codes)), problems


def watch_settings(settings: Settings) -> tuple[WatchSettings, list[Problem]]:
    return parse_watch_settings(settings.extra.get(SECTION))
