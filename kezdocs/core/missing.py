"""What a document needs and the card or the settings do not give: problems in Russian, each saying where to
write the missing fact («где указать»), so `generate` refuses with a list instead of an empty field."""
from __future__ import annotations

from kezdocs.core import writeoff
from kezdocs.core.courts import addressee, bailiffs_text, court_key, court_text, enforcement
from kezdocs.core.facts import Facts, format_rub, last_filing
from kezdocs.core.kinds import Kind
from kezdocs.core.model import DebtorType
from kezdocs.core.money import ZERO
from kezdocs.core.russian import date_short
from kezdocs.core.settings import penalty_kbk


def missing(kind: Kind, facts: Facts) -> list[str]:
    """What the document needs and the card or the settings do not give, in Russian («где указать»)."""
    found = _missing_people(kind, facts) + _missing_money(kind, facts)
    if "court" in kind.groups:
        found += _missing_court(kind, facts)
    return found + _missing_enforcement(kind, facts)


def _missing_people(kind: Kind, facts: Facts) -> list[str]:
    case, settings = facts.case, facts.settings
    found = []
    if not (settings.signer or settings.head):
        found.append("подписант (настройки: «подписант: {должность: …, фио: …}»)")
    if "head" in kind.groups and not settings.head:
        found.append("глава (настройки: «глава: {должность: …, фио: …}»)")
    if kind.per_address and not case.debtor.addresses:
        found.append("адрес должника (карточка: «должник.адреса»)")
    if kind.code == "claim" and not (case.officer and case.officer.phone):
        found.append("телефон ответственного (карточка: «ответственный.телефон», п. 4.4(8))")
    return found


def _missing_money(kind: Kind, facts: Facts) -> list[str]:
    calc, day = facts.calc, date_short(facts.today)
    found = []
    if kind.code in ("claim", "post-inventory", "memo", "lawsuit", "court-order") and calc.principal <= ZERO:
        found.append(f"просроченная задолженность: на {day} её нет")
    if kind.code == "calculation" and calc.principal <= ZERO and not calc.rows:
        found.append(f"просроченная задолженность или пени: на {day} их нет")
    if kind.code == "write-off" and calc.principal + calc.total + facts.case.fines <= ZERO:
        found.append(f"задолженность: на {day} её нет")
    if kind.code == "withdrawal" and calc.principal > ZERO:
        found.append(f"погашение долга: на {day} не уплачено {format_rub(calc.principal)} руб. "
                     "(отказ от иска заявляют после добровольной оплаты, п. 5.6)")
    if "payment" in kind.groups and facts.settings.payment.missing():
        found.append("реквизиты для перечисления: " + ", ".join(facts.settings.payment.missing())
                     + " (настройки: «реквизиты»)")
    case = facts.case
    # A document that asks the debtor to pay (the claim: sums and QR codes) sends the penalty and fines to their
    # own КБК, never to the income's (`settings.penalty_kbk`, по указаниям о порядке применения КБК)
    if "qr" in kind.groups and calc.total + case.fines > ZERO and not penalty_kbk(facts.settings, case.kbk):
        found.append(f"КБК пеней для кода дохода {case.kbk} (настройки: «кбк_пеней»)")
    return found


def _missing_enforcement(kind: Kind, facts: Facts) -> list[str]:
    case = facts.case
    found = []
    if kind.code == "withdrawal" and not last_filing(case):
        found.append("подача иска в суд (событие «иск подан» или «заявление о выдаче судебного приказа подано»)")
    if "writ" in kind.groups and not case.last_event("writ_received"):
        found.append("исполнительный документ (событие «исполнительный документ получен» с полем «номер»)")
    if kind.code == "bank" and not case.debtor.bank_accounts:
        found.append("счёт должника в банке (карточка: «должник.счета»)")
    # 229-ФЗ ст. 8 ч. 1, ст. 30 ч. 1: the application goes by post to the bank or to the ФССП division
    if kind.code == "bank" and case.debtor.bank is None:
        found.append("банк должника и его почтовый адрес (карточка: «должник.банк: {наименование: …, адрес: …}»)")
    if "bailiffs" in kind.groups and not bailiffs_text(case, facts.settings):
        found.append("подразделение ФССП (настройки: «фссп»)")
    elif "bailiffs" in kind.groups and not addressee(bailiffs_text(case, facts.settings))["address"]:
        found.append("почтовый адрес подразделения ФССП (настройки: «фссп: Наименование, индекс, адрес»)")
    if kind.code == "enforcement-query" and not enforcement(kind, facts)["number"]:
        # 229-ФЗ ст. 50: a party asks about its own proceeding — the query names it by its number
        found.append("исполнительное производство (событие «исполнительное производство возбуждено» с полем «номер»)")
    if kind.code == "write-off" and writeoff.ground_problem(case):
        # БК РФ ст. 47.2 п. 1: a decision without one of its grounds is void; the ground is recorded, never guessed
        found.append(writeoff.ground_problem(case))
    return found


def _missing_court(kind: Kind, facts: Facts) -> list[str]:
    case, settings = facts.case, facts.settings
    found = []
    if not court_text(kind, facts):
        key = court_key(kind, facts)
        found.append(f"суд (настройки: «суды: {key}: …» — наименование и адрес суда)")
    if kind.code in ("lawsuit", "court-order"):
        absent = [label for label, value in (("инн", settings.inn), ("огрн", settings.ogrn), ("адрес", settings.address))
                  if not value]
        if absent:
            found.append("ИНН, ОГРН и адрес администрации — истца (настройки: " + ", ".join(f"«{a}»" for a in absent) + ")")
    d = case.debtor
    if kind.code in ("lawsuit", "court-order") and d.type is not DebtorType.PERSON and not case.last_event("claim_sent"):
        found.append("направление претензии ответчику (событие «претензия направлена»; досудебный порядок — "
                     "АПК РФ ст. 4 ч. 5)")
    if kind.code == "court-order" and d.type is DebtorType.PERSON:
        if not (d.birth_date and d.birth_place):
            found.append("дата и место рождения должника (карточка: «должник.дата_рождения», «должник.место_рождения»; "
                         "ГПК РФ ст. 124)")
        if not (d.inn or d.snils or d.passport):
            found.append("идентификатор должника — ИНН, СНИЛС или паспорт (карточка: «должник.инн», «должник.снилс», "
                         "«должник.паспорт»; ГПК РФ ст. 124)")
    return found
