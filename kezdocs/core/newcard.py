"""The text of a new case card (`дело.yaml`), with comments that teach the format to the clerk who fills in the rest."""
from __future__ import annotations

import json


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escaping is valid YAML)."""
    return json.dumps(str(value), ensure_ascii=False)


def new_card_text(number: str, administrator: str, officer: str, phone: str, debtor_type: str, debtor_name: str,
                  inn: str, addresses: list[tuple[str, str]], basis: str, basis_number: str, basis_date: str,
                  kbk: str, charges: list[tuple[str, str, str]]) -> str:
    """The text of a fresh `дело.yaml`, commented so a clerk can fill in the rest by hand."""
    if debtor_type == "физлицо":
        parts = (debtor_name.split() + ["", "", ""])[:3]
        who = (f"  фамилия: {_q(parts[0])}\n  имя: {_q(parts[1])}\n  отчество: {_q(parts[2])}\n"
               f"  # дата_рождения: 01.01.1980\n  # место_рождения: п. Кез\n")
    else:
        who = f"  наименование: {_q(debtor_name)}\n"
    inn_line = f"  инн: {_q(inn)}\n" if inn else "  # инн: \"\"\n"
    address_lines = "".join(f"    - {{вид: {_q(kind)}, адрес: {_q(text)}}}\n" for kind, text in addresses)
    charge_lines = "".join(
        f"  - {{период: {_q(period)}, сумма: {_q(amount)}, срок_уплаты: {_q(due)}}}\n" for period, amount, due in charges
    )
    return f"""# Карточка дела о взыскании задолженности (kezdocs). Все значения — текст; даты: 10.03.2024.
номер: {_q(number)}
администратор: {_q(administrator)}
ответственный: {{фио: {_q(officer)}, телефон: {_q(phone)}}}
должник:
  тип: {debtor_type}            # юрлицо | ип | физлицо
{who}{inn_line}  # огрн: ""             # для ИП — огрнип
  адреса:                # юрлицо: по договору и по ЕГРЮЛ; физлицо: регистрации и фактический
{address_lines}  # счета: ["40702810000000000000 в ПАО Сбербанк"]   # известные счета должника (229-ФЗ ст. 8)
основание:
  документ: {_q(basis)}
  номер: {_q(basis_number)}
  дата: {_q(basis_date)}
  претензия_обязательна: да   # нет — если договор не требует претензии (п. 4.4)
  # срок_добровольной_оплаты: 30   # дней, если договор устанавливает свой срок (п. 4.5)
  # вид: аренда земли   # аренда земли | аренда имущества | услуги | продажа | возмещение | иное; без него — по КБК
  # объект: {{кадастровый_номер: "18:13:041001:25", площадь: 1200, адрес: "п. Кез, ул. Кирова, з/у 1"}}   # для иска
  # пункты: {{плата: "3.1", неустойка: "5.2"}}   # пункты договора о плате и о неустойке — иск на них ссылается
код_дохода: {_q(kbk)}
неустойка: {{способ: нет}}   # процент в день (ставка: 0.1) | 1/300 ключевой ставки | 395 ГК | нет
начисления:
{charge_lines}платежи: []
  # - {{дата: 02.04.2024, сумма: 5000, документ: п/п № 123}}
события: []
  # - {{дата: 15.04.2024, событие: претензия направлена, шпи: "42755012345675"}}
"""
