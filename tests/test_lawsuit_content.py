"""The lawsuit's content (issue 14, item 14; the document part of item 3).

A lawsuit states the circumstances of the claim and the evidence for them (ГПК РФ ст. 131 ч. 2 п. 5; АПК РФ
ст. 125 ч. 1 п. 5): for rent, the object of the lease and the contract's clauses, and the law of the basis's kind
(ГК РФ ст. 606, 614; for land also ЗК РФ ст. 39.7, 65). It may demand the penalty or interest until the debt is
paid (Пленум ВС РФ от 24.03.2016 № 7, пп. 48, 65). After a cancelled court order it says so (ГПК РФ ст. 129;
АПК РФ ст. 229.5 ч. 4). The kind of the basis is a code — the card's «основание.вид» or the income КБК — never
read from the document's name. Documents are rendered from the shipped templates and read back with python-docx.
"""
from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn

from kezdocs.core import basis_kinds, claimlaw, samples, stages
from kezdocs.core.card import parse_card
from kezdocs.core.documents import build
from kezdocs.core.keyrates import KeyRates, parse_rates
from kezdocs.core.kinds import KINDS
from kezdocs.core.model import Basis, BasisKind, BasisObject, Charge, DebtorType, Event, PenaltyMethod, PenaltyTerms
from kezdocs.core.penalty import calculate
from kezdocs.core.workdays import Calendar
from kezdocs.demo import company_inn
from kezdocs.paperwork.sandbox import render_bytes
from kezdocs.paperwork.template_sources import find_template

TODAY = samples.SAMPLE_TODAY  # 24.11.2026
KBK_LAND = "00011105012140000120"  # 1 11 05012 14: аренда земли, государственная собственность не разграничена
KBK_LAND_AFTER = "00011105024140000120"  # 1 11 05024 14: аренда земли после разграничения собственности
KBK_PREMISES = "00011105035140000120"  # 1 11 05035 14: аренда имущества в оперативном управлении
KBK_TREASURY = "00011105075140000120"  # 1 11 05075 14: аренда имущества казны (кроме земельных участков)
KBK_SERVITUDE = "00011105312140000120"  # 1 11 05312 14: плата по соглашениям об установлении сервитута
KBK_SERVICES = "00011301994140000130"  # 1 13 01994 14: платные услуги
KBK_SALE = "00011402043140000410"  # 1 14 02043 14: продажа имущества

GK = "Гражданского кодекса Российской Федерации"
ZK = "Земельного кодекса Российской Федерации"


def docx_text(data: bytes) -> str:
    body = Document(io.BytesIO(data)).element.body
    lines = ("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    return "\n".join(line for line in lines if line)


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


# --- the card: «основание.вид», «основание.объект», «основание.пункты» ---------------------------------

CARD = f"""номер: 2026-100
администратор: Управление территориального развития
ответственный: {{фио: Иванова Мария Петровна, телефон: "+7 (34158) 3-12-34"}}
должник:
  тип: юрлицо
  наименование: ООО «Ромашка»
  инн: "{company_inn('183100000')}"
  адреса:
    - {{вид: по ЕГРЮЛ, адрес: "426000, Удмуртская Республика, г. Ижевск, ул. Пушкина, д. 10"}}
основание:
  документ: Договор аренды земельного участка
  номер: 12/2023
  дата: 10.01.2023
EXTRA
код_дохода: "{KBK_LAND}"
неустойка: {{способ: процент в день, ставка: 0.1}}
начисления:
  - {{период: I квартал 2026, сумма: "15 000,00", срок_уплаты: 10.03.2026}}
"""
EXTRA_LINE = CARD.splitlines().index("EXTRA") + 1  # the first line of the fields under test


def card(extra: str):
    return parse_card(CARD.replace("EXTRA", extra.rstrip("\n")), "дело.yaml")


@pytest.mark.parametrize("extra, kind, obj, rent, penalty", [
    # nothing written: the old card stays valid, the kind is left to the КБК
    ("  претензия_обязательна: да", None, None, None, None),
    ("  вид: аренда земли", BasisKind.LAND_RENT, None, None, None),
    ("  вид: Аренда имущества", BasisKind.PROPERTY_RENT, None, None, None),
    ("  вид: услуги", BasisKind.SERVICES, None, None, None),
    ("  вид: иное", BasisKind.OTHER, None, None, None),
    ('  объект: {кадастровый_номер: "18:13:041001:125", площадь: "1 200", адрес: "п. Кез, ул. Кирова, з/у 1"}',
     None, BasisObject("18:13:041001:125", Decimal("1200"), "п. Кез, ул. Кирова, з/у 1"), None, None),
    # a seven-digit quarter, a decimal area with a comma and a unit, the block form
    ('  объект:\n    кадастровый_номер: "18:26:0410001:25"\n    площадь: "54,3 кв. м"',
     None, BasisObject("18:26:0410001:25", Decimal("54.3"), None), None, None),
    ("  объект: {площадь: 36.5}", None, BasisObject(None, Decimal("36.5"), None), None, None),
    ('  пункты: {плата: "3.1", неустойка: 5.2.1}', None, None, "3.1", "5.2.1"),
    ('  пункты: {плата: "4"}', None, None, "4", None),
])
def test_the_new_basis_fields_parse(extra, kind, obj, rent, penalty):
    case, problems = card(extra)
    assert problems == []
    assert (case.basis.kind, case.basis.object, case.basis.rent_clause, case.basis.penalty_clause) == \
        (kind, obj, rent, penalty)


@pytest.mark.parametrize("extra, offset, field, message", [
    # a closed list: the kind is a code, so an unknown word is an error, not a guess
    ("  вид: аренда", 0, "основание.вид", "«аренда» в поле «основание.вид» — допустимо: аренда земли, аренда "
                                          "имущества, услуги, продажа, возмещение, иное"),
    # 218-ФЗ ст. 5: округ (2 digits), район (2), квартал (6–7), номер объекта — separated by colons
    ('  объект: {кадастровый_номер: "18-13-041001-25"}', 0, "основание.объект.кадастровый_номер",
     "кадастровый номер «18-13-041001-25» записан неверно"),
    ('  объект:\n    адрес: п. Кез\n    кадастровый_номер: "18:13:04100:25"', 2, "основание.объект.кадастровый_номер",
     "кадастровый номер «18:13:04100:25» записан неверно"),
    ('  объект: {кадастровый_номер: "1813041001125"}', 0, "основание.объект.кадастровый_номер", "записан неверно"),
    ('  объект:\n    площадь: "-5"', 1, "основание.объект.площадь", "площадь «-5» — не число квадратных метров"),
    ('  объект: {площадь: "0"}', 0, "основание.объект.площадь", "площадь «0» — не число квадратных метров больше нуля"),
    ('  объект: {площадь: большая}', 0, "основание.объект.площадь", "площадь «большая»"),
    ("  объект: {}", 0, "основание.объект", "нет ни кадастрового номера, ни площади, ни адреса"),
    ("  объект: {этаж: 2}", 0, "основание.объект.этаж", "неизвестное поле «основание.объект.этаж»"),
    ('  объект: участок у реки', 0, "основание.объект", "должно быть набором полей"),
    # a clause is cited as «пунктом 3.1 договора»: the number only
    ('  пункты: {плата: "п. 3.1"}', 0, "основание.пункты.плата", "пункт договора «п. 3.1»: пишите только номер"),
    ('  пункты:\n    плата: "3.1"\n    неустойка: "5.2 и 5.3"', 2, "основание.пункты.неустойка", "«5.2 и 5.3»"),
    ('  пункты: {пени: "5.2"}', 0, "основание.пункты.пени", "допустимые: плата, неустойка"),
])
def test_bad_basis_fields_are_problems_with_the_card_line(extra, offset, field, message):
    case, problems = card(extra)
    assert case is None
    assert [(p.line, p.field) for p in problems] == [(EXTRA_LINE + offset, field)]
    assert message in problems[0].message


# --- the kind of the basis: the card's code, else the КБК's digits 4–13 --------------------------------

@pytest.mark.parametrize("kbk, kind", [
    # БК РФ ст. 20; Приказ Минфина России № 82н, приложение 1: 1 11 05 01x/02x land rent, 03x/07x property rent
    (KBK_LAND, BasisKind.LAND_RENT), (KBK_LAND_AFTER, BasisKind.LAND_RENT),
    (KBK_PREMISES, BasisKind.PROPERTY_RENT), (KBK_TREASURY, BasisKind.PROPERTY_RENT),
    ("000 1 11 05012 14 0000 120", BasisKind.LAND_RENT),  # spaces as printed
    # a servitude, services, a sale: no kind from the code, so no special article
    (KBK_SERVITUDE, None), (KBK_SERVICES, None), (KBK_SALE, None),
    ("1110501214", None), ("", None), (None, None),  # not a 20-digit КБК
])
def test_the_kind_from_the_kbk(kbk, kind):
    assert basis_kinds.kind_from_kbk(kbk) is kind


@pytest.mark.parametrize("written, kbk, kind", [
    (None, KBK_LAND, BasisKind.LAND_RENT),
    (BasisKind.SERVICES, KBK_LAND, BasisKind.SERVICES),  # the card's word wins over the code
    (BasisKind.PROPERTY_RENT, KBK_SERVICES, BasisKind.PROPERTY_RENT),
    (None, KBK_SERVICES, None),
])
def test_the_cards_kind_wins_over_the_kbk(written, kbk, kind):
    # the name of the document never decides: a «Договор аренды» with a services КБК cites no rent article
    basis = Basis("Договор аренды земельного участка", "1", None, kind=written)
    assert basis_kinds.kind_of(basis, kbk) is kind


@pytest.mark.parametrize("kind, penalty_article, text", [
    (BasisKind.LAND_RENT, "330", f"статьями 309, 310, 330, 606, 614 {GK}, статьями 39.7, 65 {ZK}"),
    (BasisKind.PROPERTY_RENT, "395", f"статьями 309, 310, 395, 606, 614 {GK}"),
    (BasisKind.PROPERTY_RENT, "", f"статьями 309, 310, 606, 614 {GK}"),
    (BasisKind.SERVICES, "330", f"статьями 309, 310, 330 {GK}"),
    (None, "", f"статьями 309, 310 {GK}"),
])
def test_the_articles_of_each_kind(kind, penalty_article, text):
    # ГК РФ ст. 309, 310 for every obligation; ст. 606, 614 for a lease; ЗК РФ ст. 39.7, 65 for land
    assert basis_kinds.articles_text(kind, penalty_article) == text


# --- the penalty until the debt is paid ----------------------------------------------------------------

@pytest.mark.parametrize("terms, label, principal, expected", [
    (PenaltyTerms(PenaltyMethod.PERCENT, Decimal("0.1")), "пени", Decimal("15000"),
     "а также пени, начисленные на сумму основного долга 15 000,00 руб. с 25 ноября 2026 г. по день фактической "
     "уплаты долга, исходя из 0,1% за каждый день просрочки"),
    (PenaltyTerms(PenaltyMethod.KEY_RATE_300), "пени", Decimal("8400"),
     "а также пени, начисленные на сумму основного долга 8 400,00 руб. с 25 ноября 2026 г. по день фактической "
     "уплаты долга, исходя из одной трёхсотой ключевой ставки Банка России, действующей на день фактической "
     "уплаты, за каждый день просрочки"),
    (PenaltyTerms(PenaltyMethod.KEY_RATE_300, rate_mode="per-period"), "пени", Decimal("8400"),
     "а также пени, начисленные на сумму основного долга 8 400,00 руб. с 25 ноября 2026 г. по день фактической "
     "уплаты долга, исходя из одной трёхсотой ключевой ставки Банка России, действовавшей в соответствующие "
     "периоды, за каждый день просрочки"),
    (PenaltyTerms(PenaltyMethod.ARTICLE_395), "проценты по ст. 395 ГК РФ", Decimal("5400"),
     "а также проценты по ст. 395 ГК РФ, начисленные на сумму основного долга 5 400,00 руб. с 25 ноября 2026 г. "
     "по день фактической уплаты долга, исходя из ключевой ставки Банка России, действовавшей в соответствующие "
     "периоды"),
    # a contractual cap still applies after the judgment (ГК РФ ст. 330, the parties' agreement)
    (PenaltyTerms(PenaltyMethod.PERCENT, Decimal("0.05"), cap_percent=Decimal("100")), "пени", Decimal("240000"),
     "а также пени, начисленные на сумму основного долга 240 000,00 руб. с 25 ноября 2026 г. по день фактической "
     "уплаты долга, исходя из 0,05% за каждый день просрочки, с учётом установленного договором предела неустойки "
     "(не более 100% от суммы долга)"),
    # no penalty agreed, or no principal left to accrue on: nothing to demand
    (PenaltyTerms(PenaltyMethod.NONE), "пени", Decimal("15000"), ""),
    (PenaltyTerms(PenaltyMethod.PERCENT, Decimal("0.1")), "пени", Decimal("0"), ""),
])
def test_the_penalty_until_payment(terms, label, principal, expected):
    # Пленум ВС РФ № 7 от 24.03.2016, п. 65 (penalty) and п. 48 (ГК РФ ст. 395 interest): from the day after
    # the calculated period to the day the debt is paid, at the method's rate
    assert flat(claimlaw.until_paid(terms, label, principal, TODAY)) == expected


# --- the cancelled court order -------------------------------------------------------------------------

FILED = Event(date(2026, 9, 1), "court_order_filed", {"суд": "мировой судья"})
FILED_NUMBERED = Event(date(2026, 9, 1), "court_order_filed", {"дело_суда": "2-1100/2026"})
ISSUED = Event(date(2026, 9, 10), "court_order_issued", {"дело_суда": "2-1234/2026"})
ISSUED_BARE = Event(date(2026, 9, 10), "court_order_issued")
CANCELLED = Event(date(2026, 10, 5), "court_order_cancelled")


@pytest.mark.parametrize("events, arbitration, expected", [
    ((FILED, ISSUED, CANCELLED), False,
     "Ранее истец обращался с заявлением о выдаче судебного приказа (заявление подано 01.09.2026); судебный "
     "приказ от 10.09.2026 по делу № 2-1234/2026 отменён определением от 05.10.2026 в связи с поступлением "
     "возражений должника (статья 129 ГПК РФ)."),
    ((FILED, ISSUED, CANCELLED), True,
     "Ранее истец обращался с заявлением о выдаче судебного приказа (заявление подано 01.09.2026); судебный "
     "приказ от 10.09.2026 по делу № 2-1234/2026 отменён определением от 05.10.2026 в связи с поступлением "
     "возражений должника (часть 4 статьи 229.5 АПК РФ)."),
    # the case number where the card has it: on the cancellation, else the order, else the application
    ((FILED_NUMBERED, ISSUED_BARE, CANCELLED), False,
     "Ранее истец обращался с заявлением о выдаче судебного приказа (заявление подано 01.09.2026); судебный "
     "приказ от 10.09.2026 по делу № 2-1100/2026 отменён определением от 05.10.2026 в связи с поступлением "
     "возражений должника (статья 129 ГПК РФ)."),
    ((ISSUED, replace(CANCELLED, fields={"дело_суда": "2-1234/2026 (13-55/2026)"})), False,
     "Ранее истец обращался с заявлением о выдаче судебного приказа; судебный приказ от 10.09.2026 по делу "
     "№ 2-1234/2026 (13-55/2026) отменён определением от 05.10.2026 в связи с поступлением возражений должника "
     "(статья 129 ГПК РФ)."),
    # what the card does not record is not stated: no date of the order, no number
    ((CANCELLED,), False,
     "Ранее истец обращался с заявлением о выдаче судебного приказа; судебный приказ отменён определением от "
     "05.10.2026 в связи с поступлением возражений должника (статья 129 ГПК РФ)."),
    ((FILED, ISSUED), False, ""),  # not cancelled: nothing to say
    ((), False, ""),
])
def test_the_cancelled_order_paragraph(events, arbitration, expected):
    case = replace(samples.sample_case(DebtorType.PERSON), events=events)
    assert flat(claimlaw.cancelled_order(case, arbitration)) == expected


# --- the rendered lawsuit ---------------------------------------------------------------------------------

LAND = Basis("Договор аренды земельного участка", "12/2025", date(2025, 1, 10),
             object=BasisObject("18:13:041001:125", Decimal("1200"), "Удмуртская Республика, п. Кез, ул. Кирова, з/у 1"),
             rent_clause="3.1", penalty_clause="5.2")
PREMISES = Basis("Договор аренды нежилого помещения", "7-П/2025", date(2025, 1, 15),
                 object=BasisObject("18:13:041002:310", Decimal("54.3"), "п. Кез, ул. Ленина, д. 3, пом. 2"),
                 rent_clause="3.2", penalty_clause="6.1")
SERVICES = Basis("Договор на оказание платных услуг", "44", date(2026, 2, 1), rent_clause="2.3")
CHARGES = (Charge("I квартал 2026", Decimal("15000.00"), date(2026, 3, 10)),
           Charge("II квартал 2026", Decimal("30000.00"), date(2026, 6, 10)))
BEFORE_COURT = (Event(date(2026, 7, 1), "claim_sent", {"шпи": "42755012345675"}), Event(date(2026, 8, 10), "memo_sent"),
                Event(date(2026, 8, 14), "decision_taken"))


RATES = KeyRates(parse_rates("2025-06-09,20.00\n2025-12-22,16.00\n", "ключевая_ставка.csv")[0])


def render(kind: str, debtor: DebtorType, basis: Basis, kbk: str, terms: PenaltyTerms, events=BEFORE_COURT) -> str:
    """The document as the court reads it: built by the core, rendered from the shipped template."""
    sample = samples.sample_facts(debtor)
    case = replace(sample.case, basis=basis, kbk=kbk, penalty=terms, charges=CHARGES, payments=(), events=events)
    calc = calculate(case.charges, case.payments, case.penalty, TODAY, RATES)
    facts = replace(sample, case=case, calc=calc,
                    assessment=stages.assess(case, TODAY, Calendar(), penalty=calc.total))
    (doc,) = build(KINDS[kind], facts)
    return docx_text(render_bytes(find_template(None, doc.template), doc.context))


PERCENT = PenaltyTerms(PenaltyMethod.PERCENT, Decimal("0.1"))
KEY_RATE = PenaltyTerms(PenaltyMethod.KEY_RATE_300)
INTEREST = PenaltyTerms(PenaltyMethod.ARTICLE_395)
NONE = PenaltyTerms(PenaltyMethod.NONE)


@pytest.mark.parametrize("debtor, basis, kbk, terms, present, absent", [
    # land rent, the kind from the КБК: ГК РФ ст. 606, 614 and ЗК РФ ст. 39.7, 65; the object and both clauses
    (DebtorType.LEGAL, LAND, KBK_LAND, PERCENT,
     [f"руководствуясь статьями 309, 310, 330, 606, 614 {GK}, статьями 39.7, 65 {ZK}, статьями 4, 125, 126 "
      "Арбитражного процессуального кодекса Российской Федерации,",
      "Объектом аренды является земельный участок с кадастровым номером 18:13:041001:125, площадью 1 200 кв. м, "
      "расположенный по адресу: Удмуртская Республика, п. Кез, ул. Кирова, з/у 1.",
      "В соответствии с пунктом 3.1 договора арендатор обязан вносить арендную плату в установленные договором "
      "сроки.",
      "ответчику в соответствии с пунктом 5.2 договора начислены пени",
      "В силу статей 606 и 614 Гражданского кодекса",
      "(пункт 1 статьи 65 Земельного кодекса Российской Федерации)", "статьёй 39.7 Земельного кодекса",
      "Договор аренды земельного участка № 12/2025 от 10.01.2025"],
     ["по делу №", "судебный приказ"]),
    # property rent (1 11 05035): the lease articles, no Land Code
    (DebtorType.ENTREPRENEUR, PREMISES, KBK_PREMISES, KEY_RATE,
     [f"руководствуясь статьями 309, 310, 330, 606, 614 {GK}, статьями 4, 125, 126",
      "Объектом аренды является имущество с кадастровым номером 18:13:041002:310, площадью 54,3 кв. м, "
      "расположенное по адресу: п. Кез, ул. Ленина, д. 3, пом. 2.",
      "В соответствии с пунктом 3.2 договора арендатор обязан вносить арендную плату",
      "ответчику в соответствии с пунктом 6.1 договора начислены пени",
      "В силу статей 606 и 614 Гражданского кодекса"],
     ["Земельного кодекса", "39.7"]),
    # a service debt (1 13): ГК РФ ст. 309, 310 and the interest's 395 only; the payment clause of the card
    (DebtorType.PERSON, SERVICES, KBK_SERVICES, INTEREST,
     [f"руководствуясь статьями 309, 310, 395 {GK}, статьями 131, 132 Гражданского процессуального кодекса",
      "В соответствии с пунктом 2.3 договора платежи вносятся в установленные договором сроки."],
     ["606", "614", "Земельного кодекса", "Объектом аренды", "в соответствии с пунктом 5.2"]),
    # the card's kind wins: a land КБК but «вид: услуги» cites no lease article
    (DebtorType.PERSON, replace(SERVICES, kind=BasisKind.SERVICES), KBK_LAND, PERCENT,
     [f"руководствуясь статьями 309, 310, 330 {GK},",
      "В соответствии с пунктом 2.3 договора заказчик обязан оплатить оказанные услуги"],
     ["606", "Земельного кодекса"]),
    # the interest of ГК РФ ст. 395 is the law's: the contract's penalty clause is not cited for it
    (DebtorType.LEGAL, LAND, KBK_LAND, INTEREST,
     [f"руководствуясь статьями 309, 310, 395, 606, 614 {GK}, статьями 39.7, 65 {ZK},"],
     ["пунктом 5.2"]),
    # no penalty: no article 330 and nothing demanded until payment
    (DebtorType.LEGAL, LAND, KBK_LAND, NONE,
     [f"руководствуясь статьями 309, 310, 606, 614 {GK}, статьями 39.7, 65 {ZK},"],
     ["330", "по день фактической уплаты", "пунктом 5.2"]),
])
def test_the_lawsuit_states_the_object_the_clauses_and_the_articles_of_the_basis(debtor, basis, kbk, terms, present,
                                                                                   absent):
    text = flat(render("lawsuit", debtor, basis, kbk, terms))
    for fragment in present:
        assert fragment in text, fragment
    for fragment in absent:
        assert fragment not in text, fragment


def test_a_card_without_the_new_fields_states_none_of_them():
    # every statement comes from the card: no object, no clause, no invented sentence
    bare = Basis("Договор аренды земельного участка", "12/2025", date(2025, 1, 10))
    text = flat(render("lawsuit", DebtorType.LEGAL, bare, KBK_LAND, PERCENT))
    assert "Объектом аренды" not in text and "пунктом" not in text
    assert f"статьями 309, 310, 330, 606, 614 {GK}, статьями 39.7, 65 {ZK}" in text  # the КБК still says land


@pytest.mark.parametrize("debtor, terms, demand", [
    (DebtorType.LEGAL, PERCENT, "исходя из 0,1% за каждый день просрочки."),
    (DebtorType.ENTREPRENEUR, KEY_RATE, "исходя из одной трёхсотой ключевой ставки Банка России, действующей на "
                                        "день фактической уплаты, за каждый день просрочки."),
    (DebtorType.PERSON, INTEREST, "исходя из ключевой ставки Банка России, действовавшей в соответствующие "
                                  "периоды."),
])
def test_the_lawsuit_demands_the_penalty_until_payment_after_the_total(debtor, terms, demand):
    # Пленум ВС РФ № 7 от 24.03.2016, пп. 48, 65: in the ПРОШУ part, after the sum, on the principal claimed
    text = flat(render("lawsuit", debtor, LAND, KBK_LAND, terms))
    asked = text[text.index("ПРОШУ:"):text.index("Приложение:")]
    label = "проценты по ст. 395 ГК РФ" if terms is INTEREST else "пени"
    total = asked.index(", всего ")
    demand_at = asked.index(f", а также {label}, начисленные на сумму основного долга 45 000,00 руб. с 25 ноября "
                            f"2026 г. по день фактической уплаты долга, {demand}")
    assert total < demand_at
    assert asked.count("по день фактической уплаты") == 1


def test_the_court_order_application_states_the_facts_but_demands_no_penalty_until_payment():
    # claim_facts is shared: the object, the clauses and the lease articles; the demand is the lawsuit's
    text = flat(render("court-order", DebtorType.PERSON, LAND, KBK_LAND, PERCENT))
    assert "Объектом аренды является земельный участок с кадастровым номером 18:13:041001:125" in text
    assert "В силу статей 606 и 614" in text and "статьёй 39.7 Земельного кодекса" in text
    assert "по день фактической уплаты" not in text


def test_the_basis_number_keeps_its_sign():
    # «№ 12/2025» never breaks between the sign and the number
    sample = samples.sample_facts(DebtorType.LEGAL)
    (doc,) = build(KINDS["lawsuit"], replace(sample, case=replace(sample.case, basis=LAND)))
    assert doc.context["basis"]["text"] == "Договор аренды земельного участка №\u00a012/2025 от 10.01.2025"
    assert doc.context["basis"]["kind"] == "аренда земли"
    assert doc.context["basis"]["object"]["area"] == "1\u00a0200\u00a0кв.\u00a0м"


ORDER_EVENTS = BEFORE_COURT + (FILED, ISSUED, CANCELLED)


@pytest.mark.parametrize("debtor, article", [
    (DebtorType.PERSON, "(статья 129 ГПК РФ)"),
    (DebtorType.LEGAL, "(часть 4 статьи 229.5 АПК РФ)"),
])
def test_after_a_cancelled_order_the_lawsuit_states_it_with_the_exact_dates(debtor, article):
    # ГПК РФ ст. 129, АПК РФ ст. 229.5 ч. 4: the claim goes by lawsuit once the order is cancelled, and the
    # lawsuit states the order (its date and case number) and the ruling (its date) from the card's events
    text = flat(render("lawsuit", debtor, LAND, KBK_LAND, PERCENT, events=ORDER_EVENTS))
    expected = ("Ранее истец обращался с заявлением о выдаче судебного приказа (заявление подано 01.09.2026); "
                "судебный приказ от 10.09.2026 по делу № 2-1234/2026 отменён определением от 05.10.2026 в связи с "
                f"поступлением возражений должника {article}.")
    assert expected in text
    # it comes after the facts of the debt and before the request
    assert text.index("образовалась задолженность") < text.index(expected) < text.index("ПРОШУ:")


def test_without_a_cancellation_the_lawsuit_says_nothing_of_a_court_order():
    text = flat(render("lawsuit", DebtorType.PERSON, LAND, KBK_LAND, PERCENT, events=BEFORE_COURT + (FILED, ISSUED)))
    assert "судебного приказа" not in text and "судебный приказ" not in text


@pytest.mark.parametrize("kind, kbk, written", [
    # ГПК РФ ст. 122, АПК РФ ст. 229.2 п. 1: a court order only on a written transaction — told by codes alone
    (None, "00011105012140000120", True),  # land rent
    (None, "00011105091140000120", True),  # other income of 1 11 05 (use of property under a contract)
    (None, "00011301994140000130", True),  # paid services
    (None, "00011402053140000410", True),  # sale of property
    (None, "00011610123010000140", False),  # damages
    (None, "00011705050140000180", False),  # other non-tax income
    (None, "1110501", False),  # not a 20-digit КБК: nothing is told
    (BasisKind.DAMAGES, "00011105012140000120", False),  # the card's kind wins over the code
    (BasisKind.SERVICES, "00011610123010000140", True),
])
def test_a_written_transaction_is_told_by_the_kind_or_the_income_code(kind, kbk, written):
    assert basis_kinds.written_deal(Basis("Документ", None, None, kind=kind), kbk) is written
