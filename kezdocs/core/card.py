"""The case card (`дело.yaml`): its keys and their validation.

`parse_card(text, source)` is pure: it returns a `model.Case` or the list of
problems (file, line, field, Russian message), never raises. Every scalar is
read as text and then validated (`cardfields.Reader`), so identifiers keep their
leading zeros. A new card's text is `newcard`; edits of a card's text live in
`folders.cardedit` (ruamel's round trip, comments kept).
"""
from __future__ import annotations

import difflib
import re
from decimal import Decimal

from stdnum.exceptions import ValidationError
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from kezdocs.core import cardbasis, plaintext
from kezdocs.core.cardfields import Reader
from kezdocs.core.filekinds import kind_code, kind_hint
from kezdocs.core.model import (EVENTS, JUDGMENT_RESULTS, Address, Case, Charge, Debtor, DebtorType, Event, Instalment,
                                Officer, Payment, PenaltyMethod, PenaltyTerms, Problem)
from kezdocs.core.plaintext import Map, Seq, Text

CARD_NAME = "дело.yaml"
GENERATED_DIR = "Сформировано"  # documents kezdocs writes into a case folder
STATUS_FILE = "СТАТУС.txt"  # the case's status, written by kezdocs

# Keys of each section; the value says whether it is required.
TOP_KEYS = {
    "номер": True, "администратор": True, "ответственный": True, "должник": True, "основание": True,
    "код_дохода": True, "неустойка": False, "начисления": True, "платежи": False, "события": False,
    "уин": False, "штрафы": False, "примечание": False, "файлы": False,
}
OFFICER_KEYS = {"фио": True, "телефон": False, "email": False}
DEBTOR_KEYS = {
    "тип": True, "наименование": False, "фамилия": False, "имя": False, "отчество": False, "инн": False,
    "огрн": False, "огрнип": False, "кпп": False, "дата_рождения": False, "место_рождения": False,
    "снилс": False, "паспорт": False, "пол": False, "адреса": True, "счета": False, "ликвидирован": False,
    "банк": False,
}
# The keys of «должник» a card reads for each type of debtor (a form shows these; `_debtor` reads them).
DEBTOR_FIELDS = {
    "юрлицо": ("наименование", "инн", "огрн", "кпп"),
    "ип": ("наименование", "фамилия", "имя", "отчество", "инн", "огрнип"),
    "физлицо": ("фамилия", "имя", "отчество", "инн", "дата_рождения", "место_рождения", "снилс", "паспорт"),
}
BANK_KEYS = {"наименование": True, "адрес": True}
POSTCODE = re.compile(r"(?<!\d)\d{6}(?!\d)")  # a Russian postal index: what makes an address a postal one
ADDRESS_KEYS = {"вид": True, "адрес": True}
PENALTY_KEYS = {"способ": True, "ставка": False, "ставка_на": False, "мораторий": False, "предел": False}
CHARGE_KEYS = {"период": True, "сумма": True, "срок_уплаты": True}
PAYMENT_KEYS = {"дата": True, "сумма": True, "документ": False, "начисление": False}
INSTALMENT_KEYS = {"срок": True, "сумма": True}
EVENT_KEYS = {"дата": True, "событие": True, "результат": False, "график": False}  # other keys are kept as details

DEBTOR_TYPES = {"юрлицо": DebtorType.LEGAL, "ип": DebtorType.ENTREPRENEUR, "физлицо": DebtorType.PERSON}
PENALTY_METHODS = {
    "процент в день": PenaltyMethod.PERCENT,
    "1/300 ключевой ставки": PenaltyMethod.KEY_RATE_300,
    "1/300": PenaltyMethod.KEY_RATE_300,
    "395 гк": PenaltyMethod.ARTICLE_395,
    "395": PenaltyMethod.ARTICLE_395,
    "нет": PenaltyMethod.NONE,
}
RATE_MODES = {"на дату расчета": "on-date", "на дату расчёта": "on-date", "по периодам": "per-period"}
MORATORIUM_MODES = {"авто": "auto", "включить": "include", "исключить 428": "exclude-428"}
PERSON_ADDRESS_KINDS = ("регистрации", "фактический")
INCOME_GROUPS = ("111", "113", "114", "116", "117")
EVENT_CODES = {name.lower(): code for code, name in EVENTS.items()}  # the clerk may write «фссп»
RESULT_CODES = {name: code for code, name in JUDGMENT_RESULTS.items()}


def parse_card(text: str, source: str = CARD_NAME, administrators: tuple[str, ...] | None = None) -> tuple[Case | None, list[Problem]]:
    """Validate a card's text; a card with any problem gives no `Case`."""
    reader = Reader(source)
    try:
        root = plaintext.load(text)
    except plaintext.PlainYamlError as exc:
        return None, [Problem(source, exc.line, str(exc))]
    if not isinstance(root, Map):
        return None, [Problem(source, 1, "карточка должна быть набором полей «ключ: значение»")]
    reader.keys(root, "", TOP_KEYS)
    case = _case(reader, root, administrators)
    if reader.problems:
        return None, reader.problems
    return case, []


def _case(r: Reader, root: Map, administrators: tuple[str, ...] | None) -> Case | None:
    number = r.text(root, "номер", "")
    administrator = r.text(root, "администратор", "")
    if administrator and administrators and not _known_administrator(administrator, administrators):
        hint = difflib.get_close_matches(administrator, list(administrators), n=1, cutoff=0.4)
        tip = f"; может быть, «{hint[0]}»?" if hint else ""
        r.problem(root.line_of("администратор"), "администратор",
                  f"администратор «{administrator}» не указан в настройках{tip}")
    officer = _officer(r, root)
    debtor = _debtor(r, root)
    basis = cardbasis.basis(r, root)
    kbk = _kbk(r, root)
    penalty = _penalty(r, root)
    charges = tuple(_charge(r, item, i) for i, item in enumerate(r.items(root, "начисления", "")))
    if not charges and "начисления" in root and not r.problems:
        r.problem(root.line_of("начисления"), "начисления", "нет ни одного начисления")
    payments = tuple(_payment(r, item, i) for i, item in enumerate(r.items(root, "платежи", "")))
    _check_payment_charges(r, charges, payments)
    events = tuple(_event(r, item, i) for i, item in enumerate(r.items(root, "события", "")))
    _check_event_order(r, events)
    uin = _uin(r, root)
    fines = r.amount(root, "штрафы", "") if "штрафы" in root else Decimal("0")
    file_kinds = _file_kinds(r, root)
    if r.problems:
        return None
    return Case(
        number=number, administrator=administrator, officer=officer, debtor=debtor, basis=basis, kbk=kbk,
        penalty=penalty, charges=charges, payments=payments, events=events, uin=uin, fines=fines,
        note=r.text(root, "примечание", ""), source=r.source, file_kinds=file_kinds,
    )


def _file_kinds(r: Reader, root: Map) -> tuple[tuple[str, str, int | None], ...]:
    """«файлы»: a file of the folder (its path as kezdocs shows it) -> its kind, by label or code.

    The clerk's word for a file whose name says nothing («Сканы/скан 001.pdf»: договор), without renaming it;
    `filekinds.with_card` applies it and names a file the folder does not hold.
    """
    value = root.get("файлы")
    if value is None:
        return ()
    if not isinstance(value, Map):
        r.problem(root.line_of("файлы"), "файлы",
                  'поле «файлы» — набор «файл: вид»: файлы: {"Сканы/скан 001.pdf": договор}')
        return ()
    found = []
    for name, given in value.items():
        line, kind = value.line_of(name), plaintext.strip(given) or ""
        code = kind_code(kind)
        if code is None:
            r.problem(line, f"файлы.{name}", f"файлы: у файла «{name}» неизвестный вид «{kind}»{kind_hint(kind)}")
        else:
            found.append((name.strip().replace("\\", "/"), code, line))
    return tuple(found)


def _known_administrator(name: str, administrators: tuple[str, ...]) -> bool:
    """A card may name an administrator by the start of its full name («Управление финансов»)."""
    folded = name.casefold()
    return any(a.casefold() == folded or a.casefold().startswith(folded) for a in administrators)


def _officer(r: Reader, root: Map) -> Officer | None:
    section = r.section(root, "ответственный", "ответственный", OFFICER_KEYS)
    if section is None:
        return None
    return Officer(
        name=r.text(section, "фио", "ответственный") or "",
        phone=r.text(section, "телефон", "ответственный"),
        email=r.text(section, "email", "ответственный"),
    )


def _debtor(r: Reader, root: Map) -> Debtor | None:
    d = r.section(root, "должник", "должник", DEBTOR_KEYS)
    if d is None:
        return None
    kind = r.choice(d, "тип", "должник", DEBTOR_TYPES)
    last, first, middle = (r.text(d, k, "должник") for k in ("фамилия", "имя", "отчество"))
    name = r.text(d, "наименование", "должник")
    if kind is DebtorType.PERSON or (kind is DebtorType.ENTREPRENEUR and not name):
        if not (last and first):
            r.problem(d.line, "должник.фамилия", "для физлица и ИП нужны «фамилия» и «имя» (и «отчество», если есть)")
        full = " ".join(x for x in (last, first, middle) if x)
        name = name or (f"Индивидуальный предприниматель {full}" if kind is DebtorType.ENTREPRENEUR else full)
    elif kind is DebtorType.LEGAL and not name:
        r.problem(d.line, "должник.наименование", "нет обязательного поля «должник.наименование»")
    inn = _checked(r, d, "инн", stdnum_inn, "ИНН")
    ogrn = _checked(r, d, "огрнип" if "огрнип" in d else "огрн", stdnum_ogrn, "ОГРН")
    if kind in (DebtorType.LEGAL, DebtorType.ENTREPRENEUR) and "инн" not in d:
        r.problem(d.line, "должник.инн", "для организации и ИП нужен «инн»")
    return Debtor(
        type=kind or DebtorType.LEGAL, name=name or "", inn=inn, ogrn=ogrn, kpp=r.text(d, "кпп", "должник"),
        last_name=last, first_name=first, middle_name=middle,
        birth_date=r.date(d, "дата_рождения", "должник"), birth_place=r.text(d, "место_рождения", "должник"),
        snils=r.text(d, "снилс", "должник"), passport=r.text(d, "паспорт", "должник"),
        gender=_gender(r, d), addresses=_addresses(r, d, kind), bank_accounts=_accounts(r, d),
        liquidated=r.flag(d, "ликвидирован", "должник", False), bank=_bank(r, d),
    )


def _bank(r: Reader, d: Map) -> Address | None:
    """The debtor's bank as the addressee of an application (229-ФЗ ст. 8 ч. 1): its name and postal address."""
    b = r.section(d, "банк", "должник.банк", BANK_KEYS)
    if b is None:
        return None
    name, address = r.text(b, "наименование", "должник.банк"), r.text(b, "адрес", "должник.банк")
    if address and not POSTCODE.search(address):
        r.problem(b.line_of("адрес"), "должник.банк.адрес",
                  f"в адресе банка нет почтового индекса (6 цифр): «{address}»")
    return Address(name or "", address or "") if name and address else None


def _checked(r: Reader, d: Map, key: str, module, label: str) -> str | None:
    raw = r.text(d, key, "должник")
    if raw is None:
        return None
    digits = raw.replace(" ", "")
    try:
        return module.validate(digits)
    except ValidationError:
        r.problem(d.line_of(key), f"должник.{key}", f"{label} «{raw}» неверен: не сходится контрольная сумма или длина")
        return None


def _gender(r: Reader, d: Map) -> str | None:
    raw = r.text(d, "пол", "должник")
    if raw is None:
        return None
    found = {"м": "male", "муж": "male", "мужской": "male", "ж": "female", "жен": "female", "женский": "female"}.get(raw.lower())
    if found is None:
        r.problem(d.line_of("пол"), "должник.пол", f"пол «{raw}»: пишите «мужской» или «женский»")
    return found


def _addresses(r: Reader, d: Map, kind: DebtorType | None) -> tuple[Address, ...]:
    value = d.get("адреса")
    if isinstance(value, Map):  # {регистрации: ..., фактический: ...}
        found = tuple(Address(k, plaintext.strip(v) or "") for k, v in value.items() if plaintext.strip(v))
    else:
        found = []
        for item in r.items(d, "адреса", "должник"):
            r.keys(item, "должник.адреса", ADDRESS_KEYS)
            kind_text, text = r.text(item, "вид", "должник.адреса"), r.text(item, "адрес", "должник.адреса")
            if kind_text and text:
                found.append(Address(kind_text, text))
        found = tuple(found)
    if "адреса" in d and not found and not r.problems:
        r.problem(d.line_of("адреса"), "должник.адреса", "нет ни одного адреса должника")
    if kind is DebtorType.PERSON and found:
        kinds = {a.kind.lower() for a in found}
        if not any(k.startswith("регистрац") for k in kinds):
            r.problem(d.line_of("адреса"), "должник.адреса", "для физлица нужен адрес «регистрации» (п. 4.5 регламента)")
    return found


def _accounts(r: Reader, d: Map) -> tuple[str, ...]:
    value = d.get("счета")
    if isinstance(value, Seq):
        return tuple(plaintext.strip(v) for v in value if plaintext.strip(v))
    raw = r.text(d, "счета", "должник")
    return (raw,) if raw else ()


def _kbk(r: Reader, root: Map) -> str | None:
    raw = r.text(root, "код_дохода", "")
    if raw is None:
        return None
    digits = re.sub(r"[\s-]", "", raw)
    line = root.line_of("код_дохода")
    if not re.fullmatch(r"\d{20}", digits):
        count = sum(ch.isdigit() for ch in digits)
        r.problem(line, "код_дохода", f"КБК «{raw}» должен состоять из 20 цифр (в нём {count})")
        return None
    if digits[3:6] not in INCOME_GROUPS:
        r.problem(line, "код_дохода",
                  f"КБК «{raw}»: код дохода (цифры 4–6) «{digits[3:6]}» не закреплён за администраторами "
                  f"(допустимы {', '.join(INCOME_GROUPS)} — приложение 1 к регламенту)")
        return None
    return digits


def _uin(r: Reader, root: Map) -> str | None:
    raw = r.text(root, "уин", "")
    if raw is not None and not re.fullmatch(r"\d{20}|\d{25}", raw):
        r.problem(root.line_of("уин"), "уин", f"УИН «{raw}» должен состоять из 20 или 25 цифр")
        return None
    return raw


def _penalty(r: Reader, root: Map) -> PenaltyTerms:
    p = r.section(root, "неустойка", "неустойка", PENALTY_KEYS)
    if p is None:
        return PenaltyTerms()
    method = r.choice(p, "способ", "неустойка", PENALTY_METHODS) or PenaltyMethod.NONE
    percent = r.amount(p, "ставка", "неустойка")
    if method is PenaltyMethod.PERCENT and percent is None and "ставка" not in p:
        r.problem(p.line, "неустойка.ставка", "для способа «процент в день» нужна «ставка» (процент в день, например 0.1)")
    cap = r.amount(p, "предел", "неустойка")
    return PenaltyTerms(
        method=method, percent=percent,
        rate_mode=r.choice(p, "ставка_на", "неустойка", RATE_MODES) or "on-date",
        moratorium=r.choice(p, "мораторий", "неустойка", MORATORIUM_MODES) or "auto",
        cap_percent=cap,
    )


def _charge(r: Reader, item: Map, index: int) -> Charge | None:
    path = f"начисления[{index + 1}]"
    r.keys(item, path, CHARGE_KEYS)
    amount, due = r.amount(item, "сумма", path), r.date(item, "срок_уплаты", path)
    if amount is not None and amount == 0:
        r.problem(item.line_of("сумма"), f"{path}.сумма", "сумма начисления равна нулю")
    return Charge(period=r.text(item, "период", path) or "", amount=amount, due=due, line=item.line)


def _payment(r: Reader, item: Map, index: int) -> Payment:
    path = f"платежи[{index + 1}]"
    r.keys(item, path, PAYMENT_KEYS)
    return Payment(
        date=r.date(item, "дата", path), amount=r.amount(item, "сумма", path),
        document=r.text(item, "документ", path), charge=r.text(item, "начисление", path), line=item.line,
    )


def _check_payment_charges(r: Reader, charges: tuple[Charge, ...], payments: tuple[Payment, ...]) -> None:
    periods = {c.period for c in charges if c}
    for p in payments:
        if p.charge and p.charge not in periods:
            r.problem(p.line, "платежи.начисление", f"платёж назначен на начисление «{p.charge}», которого нет в карточке")


def _event(r: Reader, item: Map, index: int) -> Event | None:
    path = f"события[{index + 1}]"
    r.keys(item, path, EVENT_KEYS, loose=True)
    when = r.date(item, "дата", path)
    name = r.text(item, "событие", path)
    code = None
    if name is not None:
        code = EVENT_CODES.get(name.lower()) or (name if name in EVENTS else None)
        if code is None:
            hint = difflib.get_close_matches(name.lower(), list(EVENT_CODES), n=1, cutoff=0.5)
            tip = f"; может быть, «{hint[0]}»?" if hint else ""
            r.problem(item.line_of("событие"), f"{path}.событие", f"неизвестное событие «{name}»{tip}")
    fields = {k: plaintext.strip(v) for k, v in item.items() if k not in EVENT_KEYS and isinstance(v, Text)}
    result = r.choice(item, "результат", path, RESULT_CODES) if "результат" in item else None
    if code == "judgment" and "результат" not in item:
        r.problem(item.line, f"{path}.результат", "у события «решение суда» нужен «результат»: "
                  + ", ".join(JUDGMENT_RESULTS.values()))
    if result:
        fields["result"] = result
    schedule = _schedule(r, item, path)
    if code == "instalment_granted" and not schedule:
        r.problem(item.line, f"{path}.график", "у события «рассрочка предоставлена» нужен «график» платежей")
    return Event(date=when, kind=code, fields=fields, schedule=schedule, line=item.line)


def _schedule(r: Reader, item: Map, path: str) -> tuple[Instalment, ...]:
    result = []
    for i, row in enumerate(r.items(item, "график", path)):
        row_path = f"{path}.график[{i + 1}]"
        r.keys(row, row_path, INSTALMENT_KEYS)
        due, amount = r.date(row, "срок", row_path), r.amount(row, "сумма", row_path)
        if due and amount is not None:
            result.append(Instalment(due, amount))
    return tuple(result)


def _check_event_order(r: Reader, events: tuple[Event, ...]) -> None:
    previous = None
    for e in events:
        if e.date is None:
            continue
        if previous is not None and e.date < previous.date:
            r.problem(e.line, "события",
                      f"события идут не по порядку: «{EVENTS.get(e.kind, e.kind)}» {e.date:%d.%m.%Y} записано после "
                      f"«{EVENTS.get(previous.kind, previous.kind)}» {previous.date:%d.%m.%Y}")
        previous = e
