"""The fields of a new case as one table: what the command line asks (`kezdocs new`) and the web form shows.

A field is checked the one way a card is: the form's values are written as a card's text (`newcard`) and read
back by `card.parse_card`; each problem goes back to the field it came from (its `Problem.field`, e.g.
«должник.инн» → `inn`, «начисления[1].сумма» → `charge_amount`). Nothing here re-checks an ИНН, a КБК, a date:
the card's rules do. What this module adds is only what a form needs: which fields are required, their labels.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Sequence

from kezdocs.core import plaintext
from kezdocs.core.card import CARD_NAME, DEBTOR_TYPES, PERSON_ADDRESS_KINDS, parse_card
from kezdocs.core.newcard import new_card_text

REQUIRED = "обязательное поле"
CARD = ""  # the key of a problem that belongs to no field of the form


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    required: bool
    hint: str = ""
    choices: tuple[str, ...] = ()


# In the order they are asked. Required: what parse_card demands of every card, and what the regulation needs to
# act on a debt (the basis, the КБК, one charge). The ИНН is demanded for an organisation or an ИП only: the card
# says so (`field_errors`). The administrators' choices come from the settings at run time.
NEW_CASE_FIELDS: tuple[FormField, ...] = (
    FormField("number", "Номер дела", True, "например 2024-017"),
    FormField("debtor_type", "Тип должника", True, "", tuple(DEBTOR_TYPES)),
    FormField("debtor", "Наименование или ФИО должника", True, "организация — как в ЕГРЮЛ; человек — фамилия имя отчество"),
    FormField("inn", "ИНН должника", False, "обязателен для юрлица и ИП"),
    FormField("officer", "ФИО ответственного", True),
    FormField("phone", "Телефон ответственного", False),
    FormField("administrator", "Администратор доходов", True, "подразделение из настроек"),
    FormField("address_kind", "Вид адреса", False,
              "юрлицо и ИП — «по договору» (по умолчанию) или «по ЕГРЮЛ»; физлицо — «регистрации» (по умолчанию) "
              "или «фактический»"),
    FormField("address", "Адрес должника", True, "с почтовым индексом"),
    FormField("basis", "Документ-основание", True, "например «Договор аренды»"),
    FormField("basis_number", "Номер документа-основания", False),
    FormField("basis_date", "Дата документа-основания", False, "10.03.2024"),
    FormField("kbk", "КБК (код дохода)", True, "20 цифр"),
    FormField("charge_period", "Период начисления", True, "например «I квартал 2024»"),
    FormField("charge_amount", "Сумма начисления, руб.", True, "например 15 000,00"),
    FormField("charge_due", "Срок уплаты", True, "например 10.03.2024"),
)
LABELS: dict[str, str] = {f.key: f.label for f in NEW_CASE_FIELDS} | {CARD: "Карточка"}

# The card's field (`Problem.field`) -> the form's key.
_CARD_FIELDS = {
    "номер": "number", "администратор": "administrator", "ответственный": "officer", "ответственный.фио": "officer",
    "ответственный.телефон": "phone", "должник.тип": "debtor_type", "должник.наименование": "debtor",
    "должник.фамилия": "debtor", "должник.имя": "debtor", "должник.отчество": "debtor", "должник.инн": "inn",
    "должник.адреса": "address", "должник.адреса.адрес": "address", "должник.адреса.вид": "address_kind",
    "основание": "basis", "основание.документ": "basis", "основание.номер": "basis_number",
    "основание.дата": "basis_date", "код_дохода": "kbk", "начисления": "charge_amount",
}
_CHARGE_FIELDS = {"период": "charge_period", "сумма": "charge_amount", "срок_уплаты": "charge_due"}
_CHARGE = re.compile(r"начисления\[(\d+)\]\.(.+)")


def cleaned(values: dict[str, str]) -> dict[str, str]:
    """Every field of the table, trimmed (a missing one empty); the debtor's type in the card's lower case («ИП»)."""
    result = {f.key: str(values.get(f.key) or "").strip() for f in NEW_CASE_FIELDS}
    result["debtor_type"] = result["debtor_type"].casefold()
    return result


def from_options(options: dict[str, str | None], addresses: Sequence[str], charges: Sequence[str]):
    """The command line's options as the form's values, and the addresses and charges beyond the first.
    An address is «вид=адрес» (without «вид=», the debtor type's usual kind); a charge «период;сумма;срок»."""
    pairs = [tuple(a.split("=", 1)) if "=" in a else ("", a) for a in addresses]
    rows = [tuple((c.split(";") + ["", "", ""])[:3]) for c in charges]
    values = cleaned({**options, **dict(zip(("address_kind", "address"), pairs[0] if pairs else ())),
                      **dict(zip(("charge_period", "charge_amount", "charge_due"), rows[0] if rows else ()))})
    return values, pairs[1:], rows[1:]


def default_address_kind(debtor_type: str) -> str:
    """A person's address is where they are registered (п. 4.5 of the regulation); others', the contract's."""
    return PERSON_ADDRESS_KINDS[0] if debtor_type.casefold() == "физлицо" else "по договору"


def card_text(values: dict[str, str], addresses: Sequence[tuple[str, str]] = (),
              charges: Sequence[tuple[str, str, str]] = ()) -> str:
    """The new card's text, commented for the clerk; `addresses` and `charges` beyond the form's first ones."""
    v = cleaned(values)
    kind = v["debtor_type"] if v["debtor_type"] in DEBTOR_TYPES else json.dumps(v["debtor_type"], ensure_ascii=False)
    pairs = [(v["address_kind"] or default_address_kind(v["debtor_type"]), v["address"])] if v["address"] else []
    first = (v["charge_period"], v["charge_amount"], v["charge_due"])
    rows = [first] if any(first) else []
    return new_card_text(v["number"], v["administrator"], v["officer"], v["phone"], kind, v["debtor"], v["inn"],
                         [*pairs, *addresses], v["basis"], v["basis_number"], v["basis_date"], v["kbk"],
                         [*rows, *charges])


def field_errors(values: dict[str, str], administrators: tuple[str, ...], *,
                 addresses: Sequence[tuple[str, str]] = (),
                 charges: Sequence[tuple[str, str, str]] = ()) -> dict[str, str]:
    """Form key -> the Russian reason, for every bad field («» for what belongs to no field); empty when the card
    would be valid. The reasons are the card's (`parse_card`), plus «обязательное поле» for an empty required one."""
    v = cleaned(values)
    errors = {f.key: REQUIRED for f in NEW_CASE_FIELDS if f.required and not v[f.key]}
    found: dict[str, list[str]] = {}
    for problem in parse_card(card_text(v, addresses, charges), CARD_NAME, administrators)[1]:
        key = _form_key(problem.field)
        if key not in errors:
            found.setdefault(key, []).append(_charge_prefix(problem.field) + problem.message)
    return errors | {key: "; ".join(dict.fromkeys(messages)) for key, messages in found.items()}


def prompt(spec: FormField) -> str:
    """The question the command line asks: the label, with the choices or the hint."""
    shown = ", ".join(spec.choices) or spec.hint
    return f"{spec.label} ({shown})" if shown else spec.label


def answer_problem(key: str, answer: str, values: dict[str, str], administrators: tuple[str, ...]) -> str | None:
    """What is wrong with `answer` to the field `key`, given the values collected so far; None when it will do."""
    return field_errors({**values, key: answer}, administrators).get(key)


def needed(key: str, values: dict[str, str], administrators: tuple[str, ...]) -> bool:
    """Whether the field must be asked: required, or demanded by the card for these values (an organisation's ИНН)."""
    return key in field_errors({**values, key: ""}, administrators)


def _form_key(field: str | None) -> str:
    if field is None:
        return CARD
    charge = _CHARGE.fullmatch(field)
    if charge:
        return _CHARGE_FIELDS.get(charge.group(2), "charge_amount")
    return _CARD_FIELDS.get(field, CARD)


def _charge_prefix(field: str | None) -> str:
    """A problem of a charge beyond the form's first names it («начисление 2: …»)."""
    charge = _CHARGE.fullmatch(field or "")
    return f"начисление {charge.group(1)}: " if charge and charge.group(1) != "1" else ""


def card_number(text: str) -> str | None:
    """The «номер» of a card's text, even of a card with other problems (None when it has none)."""
    try:
        root = plaintext.load(text)
    except plaintext.PlainYamlError:
        return None
    return plaintext.strip(root.get("номер")) if isinstance(root, plaintext.Map) else None
