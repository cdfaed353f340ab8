"""A sample case for `templates check` and `templates vars`: a case that went the whole way, on a fixed day, so
every group of every document has data."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import lru_cache

from kezdocs.core import stages
from kezdocs.core.facts import Facts
from kezdocs.core.keyrates import KeyRates
from kezdocs.core.model import (Address, Basis, BasisObject, Case, Charge, Debtor, DebtorType, Event, Officer, Payment,
                                PenaltyMethod, PenaltyTerms)
from kezdocs.core.penalty import calculate
from kezdocs.core.settings import PaymentDetails, Person, Settings
from kezdocs.core.workdays import Calendar

SAMPLE_TODAY = date(2026, 11, 24)


def sample_settings() -> Settings:
    return Settings(
        address="427580, Удмуртская Республика, п. Кез, ул. Кирова, д. 5", phone="+7 (34158) 3-11-11",
        email="kez@example.ru", inn="1831000001", ogrn="1021800000001", chief_code="000",
        payment=PaymentDetails("УФК по Удмуртской Республике (Администрация Кезского района)", "1831000001",
                               "183101001", "03100643000000011300", "40102810545370000081", "019401100",
                               "ОТДЕЛЕНИЕ-НБ УДМУРТСКАЯ РЕСПУБЛИКА БАНКА РОССИИ//УФК по Удмуртской Республике г. Ижевск",
                               "94626000"),
        penalty_kbks=(("00011105012140000120", "00011607090140000140"),),  # пени по договору аренды — свой КБК
        head=Person("Глава муниципального образования «Муниципальный округ Кезский район Удмуртской Республики»",
                    "Богданов Игорь Олегович"),
        signer=Person("Заместитель главы Администрации по экономике и финансам", "Кузнецова Анна Викторовна"),
        representative=Person("Начальник отдела правовой и кадровой работы", "Смирнов Павел Андреевич"),
        power_of_attorney="№ 15 от 09.01.2026",
        courts={"мировой": "Мировой судья судебного участка Кезского района Удмуртской Республики, 427580, п. Кез, "
                           "ул. Кирова, д. 7",
                "районный": "Кезский районный суд Удмуртской Республики, 427580, п. Кез, ул. Кирова, д. 9",
                "арбитражный": "Арбитражный суд Удмуртской Республики, 426011, г. Ижевск, ул. Ломоносова, д. 5"},
        bailiffs="Кезское РОСП УФССП России по Удмуртской Республике, 427580, п. Кез, ул. Кирова, д. 11",
    )


_SAMPLE_DEBTORS = {
    DebtorType.LEGAL: Debtor(DebtorType.LEGAL, "ООО «Ромашка & Сыновья» <1>", inn="1831000001", ogrn="1021800000001",
                             kpp="183101001",
                             addresses=(Address("по договору", "427550, Удмуртская Республика, п. Кез, ул. Кирова, д. 1"),
                                        Address("по ЕГРЮЛ", "426000, Удмуртская Республика, г. Ижевск, ул. Пушкина, д. 10")),
                             bank_accounts=("40702810468000001234 в Удмуртском отделении № 8618 ПАО Сбербанк",),
                             bank=Address("Удмуртское отделение № 8618 ПАО Сбербанк", "426033, Удмуртская Республика, г. Ижевск, ул. Карла Маркса, д. 290")),
    DebtorType.ENTREPRENEUR: Debtor(DebtorType.ENTREPRENEUR, "Индивидуальный предприниматель Петров Сергей Иванович",
                                    inn="183100000010", ogrn="318183100000015", last_name="Петров",
                                    first_name="Сергей", middle_name="Иванович",
                                    addresses=(Address("по договору", "427580, Удмуртская Республика, п. Кез, "
                                                                      "ул. Ленина, д. 3, кв. 4"),),
                                    bank_accounts=("40802810468000005678 в ПАО Сбербанк",),
                                    bank=Address("Удмуртское отделение № 8618 ПАО Сбербанк", "426033, Удмуртская Республика, г. Ижевск, ул. Карла Маркса, д. 290")),
    DebtorType.PERSON: Debtor(DebtorType.PERSON, "Черных Ольга Викторовна", inn="183100000010",
                              last_name="Черных", first_name="Ольга", middle_name="Викторовна", gender="female",
                              birth_date=date(1979, 5, 12), birth_place="п. Кез Удмуртской АССР",
                              snils="112-233-445 95", passport="94 00 123456",
                              addresses=(Address("регистрации", "427580, Удмуртская Республика, п. Кез, ул. Садовая, д. 8"),
                                         Address("фактический", "426057, Удмуртская Республика, г. Ижевск, "
                                                                "ул. Майская, д. 21, кв. 40"))),
}


def sample_case(debtor_type: DebtorType = DebtorType.LEGAL) -> Case:
    """A case that went the whole way, so every group of every document has data."""
    events = (
        Event(date(2026, 2, 20), "claim_sent", {"шпи": "42755012345675"}),
        Event(date(2026, 3, 30), "memo_sent"), Event(date(2026, 4, 6), "decision_taken"),
        Event(date(2026, 4, 15), "lawsuit_filed", {"дело_суда": "А71-1234/2026"}),
        Event(date(2026, 6, 10), "judgment", {"result": "granted"}), Event(date(2026, 7, 13), "judgment_in_force"),
        Event(date(2026, 8, 3), "writ_received", {"номер": "ФС № 045678912", "выдан": "28.07.2026",
                                                  "сумма": "46 350,00"}),
        Event(date(2026, 8, 10), "sent_to_bailiffs"),
        Event(date(2026, 8, 20), "enforcement_opened", {"номер": "12345/26/18045-ИП", "пристав": "Иванов И. И."}),
        Event(date(2026, 10, 30), "enforcement_ended", {"основание": "пп. 5"}),
    )
    return Case(
        number="2026-001", administrator="Управление территориального развития",
        officer=Officer("Иванова Мария Петровна", "+7 (34158) 3-12-34", "ivanova@example.ru"), debtor=_SAMPLE_DEBTORS[debtor_type],
        basis=Basis("Договор аренды земельного участка", "12/2025", date(2025, 1, 10),
                    object=BasisObject("18:13:041001:125", Decimal("1200"), "Удмуртская Республика, п. Кез, "
                                                                            "ул. Кирова, з/у 1"),
                    rent_clause="3.1", penalty_clause="5.2"),
        kbk="00011105012140000120", penalty=PenaltyTerms(PenaltyMethod.PERCENT, Decimal("0.1")),
        charges=(Charge("I квартал 2026", Decimal("15000.00"), date(2026, 1, 10)),
                 Charge("II квартал 2026", Decimal("30000.00"), date(2026, 4, 10))),
        payments=(Payment(date(2026, 2, 1), Decimal("5000.00"), "п/п № 123"),),
        events=events, uin="18810000000000000012",
    )


@lru_cache(maxsize=None)
def sample_facts(debtor_type: DebtorType = DebtorType.LEGAL) -> Facts:
    """The facts `templates check` renders every template from (a fixed day, two files); do not mutate."""
    case = sample_case(debtor_type)
    calc = calculate(case.charges, case.payments, case.penalty, SAMPLE_TODAY, KeyRates([]))
    calc = replace(calc, warnings=("Расчёт выполнен по 24.11.2026, а последнее известное изменение ключевой ставки — "
                                   "с 27.07.2026: если ставка с тех пор менялась, добавьте её и пересчитайте.",))
    files = (("Договор/договор аренды 12-2025.pdf", 3), ("Почта/квитанция 42755012345675.pdf", 1))
    return Facts(case, sample_settings(), SAMPLE_TODAY, calc, stages.assess(case, SAMPLE_TODAY, Calendar(), penalty=calc.total),
                 None, files)
