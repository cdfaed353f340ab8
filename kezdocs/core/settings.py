"""The administration's settings (`настройки.yaml` in the root).

Pure: `parse_settings(text, source)` returns `Settings` and problems. Sections
that other features own (document classification rules, the watcher) are kept
as plain data in `Settings.extra` for those modules to read.

The settings `kezdocs init` writes are a sample: the line «образец: да» (`SAMPLE_KEY`) marks them until the
clerk has put in the administration's own details and deleted it. Until then every command warns
(`SAMPLE_MESSAGE`, a problem of the settings) and no document a court, a debtor, a bank or the bailiffs read is
written with the sample's details (`sample_refusal`).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from kezdocs.core import plaintext
from kezdocs.core.model import Problem
from kezdocs.core.money import parse_amount
from kezdocs.core.plaintext import Map, Seq, Text

SETTINGS_NAME = "настройки.yaml"

# The administrators of section 2 of the regulation.
REGULATION_ADMINISTRATORS = (
    "Управление финансов Администрации муниципального образования «Муниципальный округ Кезский район Удмуртской Республики»",
    "Администрация муниципального образования «Муниципальный округ Кезский район Удмуртской Республики»",
    "Управление образования Администрации муниципального образования «Муниципальный округ Кезский район Удмуртской Республики»",
    "Управление территориального развития Администрации муниципального образования «Муниципальный округ Кезский район Удмуртской Республики»",
    "Отдел культуры Администрации муниципального образования «Муниципальный округ Кезский район Удмуртской Республики»",
)


@dataclass(frozen=True)
class PaymentDetails:
    """Реквизиты для перечисления (п. 4.4(7))."""

    recipient: str | None = None  # получатель
    inn: str | None = None
    kpp: str | None = None
    treasury_account: str | None = None  # казначейский счёт
    ecs: str | None = None  # единый казначейский счёт (ЕКС, корр. счёт)
    bik: str | None = None
    bank: str | None = None
    oktmo: str | None = None
    bank_short: str | None = None  # the bank's name as the QR code carries it (BankName, at most 45 characters)

    def missing(self) -> list[str]:
        names = {"recipient": "получатель", "inn": "ИНН", "kpp": "КПП", "treasury_account": "казначейский счёт",
                 "ecs": "ЕКС", "bik": "БИК", "bank": "банк", "oktmo": "ОКТМО"}
        return [label for attr, label in names.items() if not getattr(self, attr)]


@dataclass(frozen=True)
class Person:
    position: str
    name: str
    power_of_attorney: str | None = None  # «доверенность»: the document of authority of a deputy or a lawyer


@dataclass(frozen=True)
class Thresholds:
    """Court route thresholds: settings, because they change with the law (DOMAIN.md)."""

    court_order: Decimal = Decimal("500000")  # ГПК ст. 121
    magistrate: Decimal = Decimal("50000")  # ГПК ст. 23
    arbitration_order: Decimal = Decimal("500000")  # АПК ст. 229.2


@dataclass(frozen=True)
class Settings:
    name: str = REGULATION_ADMINISTRATORS[1]
    short_name: str = "Администрация Кезского района"
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    inn: str | None = None
    ogrn: str | None = None
    chief_code: str | None = None  # код главного администратора доходов (3 цифры)
    payment: PaymentDetails = PaymentDetails()
    administrators: tuple[str, ...] = REGULATION_ADMINISTRATORS
    head: Person | None = None  # Глава (6.1, 6.2)
    signer: Person | None = None  # who signs claims and applications
    representative: Person | None = None  # the representative in court
    power_of_attorney: str | None = None
    courts: dict = field(default_factory=dict, compare=False, hash=False)  # kind -> name and address
    bailiffs: str | None = None  # ОСП
    thresholds: Thresholds = Thresholds()
    # КБК of the penalty and fines per income КБК: ((income, penalty), ...); read it through `penalty_kbk`
    penalty_kbks: tuple[tuple[str, str], ...] = ()
    extra: dict = field(default_factory=dict, compare=False, hash=False)  # sections owned by other modules
    sample_line: int | None = None  # the line of «образец: да»: the details are still those of `kezdocs init`


SAMPLE_KEY = "образец"
SAMPLE_FIX = "замените реквизиты в {file} своими и удалите строку «образец: да» (строка {line})"
SAMPLE_MESSAGE = "настройки — образец из kezdocs init: " + SAMPLE_FIX
# Documents kept inside the administration (the memo to the head, the write-off decision): written even from the
# sample settings. Every other kind goes to a court, a debtor, a bank or the bailiffs.
INTERNAL_KINDS = frozenset({"memo", "write-off"})
_YES, _NO = frozenset({"да", "yes", "true"}), frozenset({"нет", "no", "false"})

TOP_KEYS = (SAMPLE_KEY, "администрация", "краткое_наименование", "адрес", "телефон", "email", "инн", "огрн",
            "код_главного_администратора", "реквизиты", "администраторы", "глава", "подписант", "представитель",
            "суды", "фссп", "пороги", "кбк_пеней", "классификация", "наблюдение", "документы")
PAYMENT_KEYS = {"получатель": "recipient", "инн": "inn", "кпп": "kpp", "казначейский_счет": "treasury_account",
                "казначейский_счёт": "treasury_account", "екс": "ecs", "бик": "bik", "банк": "bank", "октмо": "oktmo",
                "банк_кратко": "bank_short"}
# ГОСТ Р 56042-2014, табл. 1: the bank's name in a payment QR code is at most 45 characters.
BANK_NAME_LIMIT = 45
THRESHOLD_KEYS = {"судебный_приказ": "court_order", "мировой_судья": "magistrate",
                  "арбитражный_приказ": "arbitration_order"}
OWNED_ELSEWHERE = ("классификация", "наблюдение", "документы")

# Sane ranges of the numeric settings: (least, most, unit). A value outside (or «1e400», «inf», «nan») is a
# problem naming the line, and the default is used — a watcher waiting 1e400 seconds would silently do nothing.
THRESHOLD_RANGE = (Decimal("1"), Decimal("1000000000000"), "руб.")  # пороги: from 1 rouble to a trillion
NUMBER_RANGES = {
    ("наблюдение", "задержка"): (Decimal("0.1"), Decimal("3600"), "секунд"),  # a file still for up to an hour
    ("наблюдение", "пересканирование"): (Decimal("0.1"), Decimal("1440"), "минут"),  # up to once a day
}


def parse_settings(text: str, source: str = SETTINGS_NAME) -> tuple[Settings, list[Problem]]:
    """Read the settings; on problems, fall back to defaults field by field."""
    problems: list[Problem] = []
    try:
        root = plaintext.load(text)
    except plaintext.PlainYamlError as exc:
        return Settings(), [Problem(source, exc.line, str(exc))]
    if root is None:
        return Settings(), []
    if not isinstance(root, Map):
        return Settings(), [Problem(source, 1, "настройки должны быть набором полей «ключ: значение»")]

    def bad(key: str, message: str, line: int | None = None) -> None:
        problems.append(Problem(source, line or root.line_of(key), message, key))

    for key in root:
        if key not in TOP_KEYS:
            hint = difflib.get_close_matches(key, TOP_KEYS, n=1, cutoff=0.6)
            bad(key, f"неизвестное поле «{key}»" + (f"; может быть, «{hint[0]}»?" if hint else ""))
    get = lambda key: plaintext.strip(root.get(key))  # noqa: E731
    chief = get("код_главного_администратора")
    if chief is not None and not (chief.isdigit() and len(chief) == 3):
        bad("код_главного_администратора", f"код главного администратора — 3 цифры, а не «{chief}»")
        chief = None
    values = dict(
        address=get("адрес"), phone=get("телефон"), email=get("email"), inn=get("инн"), ogrn=get("огрн"),
        chief_code=chief, bailiffs=get("фссп"), power_of_attorney=_nested_text(root.get("представитель"), "доверенность"),
    )
    if get("администрация"):
        values["name"] = get("администрация")
    if get("краткое_наименование"):
        values["short_name"] = get("краткое_наименование")
    values["payment"] = _payment(root.get("реквизиты"), bad)
    administrators = _text_list(root.get("администраторы"))
    if administrators:
        values["administrators"] = tuple(administrators)
    for key, attr in (("глава", "head"), ("подписант", "signer"), ("представитель", "representative")):
        values[attr] = _person(root.get(key), key, bad)
    values["courts"] = {k: plaintext.strip(v) for k, v in root.get("суды", {}).items()} if isinstance(root.get("суды"), Map) else {}
    values["thresholds"] = _thresholds(root.get("пороги"), bad)
    values["penalty_kbks"] = _penalty_kbks(root.get("кбк_пеней"), bad)
    values["extra"] = {key: _checked_section(key, root[key], source, problems) for key in OWNED_ELSEWHERE if key in root}
    values["sample_line"] = _sample_line(root, source, problems)
    return Settings(**values), problems


def _sample_line(root: Map, source: str, problems: list[Problem]) -> int | None:
    """The line of «образец: да» (and its warning among the problems); None when the settings are the clerk's own."""
    if SAMPLE_KEY not in root:
        return None
    line, value = root.line_of(SAMPLE_KEY), (plaintext.strip(root.get(SAMPLE_KEY)) or "").lower()
    if value in _NO:
        return None
    problems.append(Problem(source, line, SAMPLE_MESSAGE.format(file=source, line=line), SAMPLE_KEY))
    if value not in _YES:  # still taken for a sample: only the clerk knows the details were replaced
        problems.append(Problem(source, line, f"«{SAMPLE_KEY}: {value}» не понято: после замены реквизитов образца "
                                              "удалите эту строку"))
    return line


def sample_refusal(settings: Settings, kind) -> str | None:
    """Why a document of `kind` (a `kinds.Kind`) may not be written from these settings: they are still the
    sample of `kezdocs init` and the document leaves the administration. None when it may."""
    if settings.sample_line is None or kind.code in INTERNAL_KINDS:
        return None
    return (f"документ «{kind.title}» не сформирован: в нём были бы реквизиты образца из kezdocs init; "
            + SAMPLE_FIX.format(file=SETTINGS_NAME, line=settings.sample_line))


def _checked_section(section: str, value, source: str, problems: list[Problem]):
    """A section another module reads, without the numbers out of their `NUMBER_RANGES` (each one a problem).

    Only well-formed numbers are judged here; a value that is not a number at
    all is left for the owning module, which says what it expects.
    """
    if not isinstance(value, Map):
        return value
    kept = Map()
    kept.line, kept.key_lines = value.line, getattr(value, "key_lines", {})
    for key, item in value.items():
        limits = NUMBER_RANGES.get((section, key))
        number = _number(plaintext.strip(item)) if limits and isinstance(item, Text) else None
        if number is not None and not _within(number, limits):
            name = f"{section}.{key}"
            problems.append(Problem(source, value.line_of(key), _range_message(name, item.value.strip(), limits), name))
            continue
        kept[key] = item
    return kept


def _number(text: str | None) -> Decimal | None:
    """A number as written in the settings («2», «0,5», «1e400», «inf»); None when it is not one."""
    try:
        return Decimal((text or "").strip().replace(",", "."))
    except InvalidOperation:
        return None


def _within(number: Decimal, limits: tuple[Decimal, Decimal, str]) -> bool:
    return number.is_finite() and limits[0] <= number <= limits[1]


def _range_message(name: str, text: str, limits: tuple[Decimal, Decimal, str]) -> str:
    least, most, unit = limits
    shown = text if len(text) <= 40 else text[:40] + "…"
    return (f"«{name}»: «{shown}» — вне допустимых пределов: от {_plain(least)} до {_plain(most)} {unit}; "
            "используется значение по умолчанию")


def _plain(number: Decimal) -> str:
    """«0,1», «3 600», «1 000 000 000 000»: a limit as Russian text writes it."""
    return f"{number:,f}".replace(",", "\u00a0").replace(".", ",")


def _nested_text(value, key: str) -> str | None:
    return plaintext.strip(value.get(key)) if isinstance(value, Map) else None


def _text_list(value) -> list[str]:
    if isinstance(value, Seq):
        return [t for t in (plaintext.strip(v) for v in value) if t]
    return []


def _payment(value, bad) -> PaymentDetails:
    if not isinstance(value, Map):
        return PaymentDetails()
    fields = {}
    for key, item in value.items():
        attr = PAYMENT_KEYS.get(key)
        if attr is None:
            bad("реквизиты", f"неизвестное поле «реквизиты.{key}»", value.line_of(key))
        else:
            fields[attr] = plaintext.strip(item)
    short = fields.get("bank_short")
    if short and len(short) > BANK_NAME_LIMIT:
        bad("реквизиты", f"«реквизиты.банк_кратко»: «{short}» — {len(short)} знаков, а в QR-коде платежа "
            f"(ГОСТ Р 56042-2014) наименование банка — не более {BANK_NAME_LIMIT}; сократите его, пока используется "
            "полное наименование, сокращённое по целым словам", value.line_of("банк_кратко"))
        fields["bank_short"] = None
    return PaymentDetails(**fields)


# Digits 4–6 of a КБК: the group and subgroup of the income; 1 16 — «Штрафы, санкции, возмещение ущерба».
SANCTIONS_GROUP = "116"


def penalty_kbk(settings: Settings, income_kbk: str | None) -> str | None:
    """The КБК the penalty (and the fines) on a debt of the income `income_kbk` are paid to; None when the settings
    do not give one («кбк_пеней»).

    A penalty, interest for a delay or a fine under a contract is a budget income of its own, not the income the
    debt is of: по кодам бюджетной классификации (Приказ Минфина России от 24.05.2022 № 82н, приложение 1) неустойки
    (пени, штрафы) по договорам зачисляются по коду дохода 1 16 07090 (e.g. 000 1 16 07090 14 0000 140), while the
    rent itself is 1 11 05012 … 120. ГИС ГМП matches a payment to its charge by the КБК and the УИН, so a sum paid
    to the rent's КБК with the rent's УИН and larger than the charge is not matched. The exact code is the
    administrator's, hence a setting per income code; nothing here guesses one.
    """
    if not income_kbk:
        return None
    return dict(settings.penalty_kbks).get(income_kbk)


def _kbk_digits(text: str | None) -> str | None:
    """A КБК as 20 digits («000 1 16 07090 14 0000 140» and «000-1-16-…» as the budget documents write it)."""
    digits = re.sub(r"[\s-]", "", text or "")
    return digits if re.fullmatch(r"\d{20}", digits) else None


def _penalty_kbks(value, bad) -> tuple[tuple[str, str], ...]:
    """«кбк_пеней»: «<КБК дохода>: <КБК пеней>» pairs, 20 digits each; a wrong pair is a problem naming its line."""
    if value is None:
        return ()
    if not isinstance(value, Map):
        bad("кбк_пеней", "в поле «кбк_пеней» нужны строки «\"КБК дохода\": \"КБК пеней\"» — по 20 цифр")
        return ()
    pairs = {}
    for key, item in value.items():
        line, income, target = value.line_of(key), _kbk_digits(key), _kbk_digits(plaintext.strip(item))
        shown = plaintext.strip(item) or ""
        if income is None:
            bad("кбк_пеней", f"«кбк_пеней»: код дохода «{key}» должен состоять из 20 цифр "
                f"(в нём {sum(ch.isdigit() for ch in key)})", line)
        elif target is None:
            bad("кбк_пеней", f"«кбк_пеней»: КБК пеней «{shown}» для кода дохода {income} должен состоять из 20 цифр "
                f"(в нём {sum(ch.isdigit() for ch in shown)})", line)
        elif target == income:
            bad("кбк_пеней", f"«кбк_пеней»: КБК пеней для кода дохода {income} совпадает с самим кодом дохода — пени и "
                "штрафы зачисляются на свой КБК (группа 1 16)", line)
        elif target[3:6] != SANCTIONS_GROUP:
            bad("кбк_пеней", f"«кбк_пеней»: КБК пеней {target} для кода дохода {income} — не код группы 1 16 «Штрафы, "
                f"санкции, возмещение ущерба» (цифры 4–6 — «{target[3:6]}», а нужно «116»)", line)
        elif income in pairs:
            bad("кбк_пеней", f"«кбк_пеней»: код дохода {income} указан дважды; используется первая строка", line)
        else:
            pairs[income] = target
    return tuple(pairs.items())


def _person(value, key: str, bad) -> Person | None:
    if value is None:
        return None
    if not isinstance(value, Map) or not plaintext.strip(value.get("фио")):
        bad(key, f"в поле «{key}» нужны «должность» и «фио»")
        return None
    return Person(position=plaintext.strip(value.get("должность")) or "", name=plaintext.strip(value.get("фио")),
                  power_of_attorney=plaintext.strip(value.get("доверенность")))


def _thresholds(value, bad) -> Thresholds:
    if not isinstance(value, Map):
        return Thresholds()
    fields = {}
    for key, item in value.items():
        attr = THRESHOLD_KEYS.get(key)
        try:
            amount = parse_amount(plaintext.strip(item) or "")
        except ValueError:
            amount = None
        if attr is None or amount is None:
            bad("пороги", f"поле «пороги.{key}»: ожидается одно из {', '.join(THRESHOLD_KEYS)} с суммой", value.line_of(key))
        elif not _within(amount, THRESHOLD_RANGE):
            text = plaintext.strip(item) or ""
            bad("пороги", _range_message(f"пороги.{key}", text, THRESHOLD_RANGE), value.line_of(key))
        else:
            fields[attr] = amount
    return Thresholds(**fields)


def as_text(value) -> str | None:
    """Helper for modules reading `Settings.extra`: the text of a scalar."""
    return value.value.strip() if isinstance(value, Text) else None
