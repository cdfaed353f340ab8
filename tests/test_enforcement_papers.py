"""Issue 14, item 10: bank and ФССП applications reach a postal address and carry the signer's authority.

The card names the debtor's bank and its postal address («должник.банк»); the settings' «фссп» names the
division with its address; a deputy signs with a доверенность («подписант.доверенность») or the head signs.
Real DOCX: the shipped templates filled by the sandbox and opened back with python-docx.
"""
import io
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from kezdocs.core import samples
from kezdocs.core.card import parse_card
from kezdocs.core.documents import build
from kezdocs.core.kinds import KINDS
from kezdocs.core.missing import missing
from kezdocs.core.model import Address, DebtorType
from kezdocs.core.parties import enforcement_signer
from kezdocs.core.settings import parse_settings
from kezdocs.paperwork.sandbox import fill

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
BANK = Address("Удмуртское отделение № 8618 ПАО Сбербанк",
               "426033, Удмуртская Республика, г. Ижевск, ул. Карла Маркса, д. 290")


def text(kind: str, facts) -> str:
    [doc] = build(KINDS[kind], facts)
    data = fill((TEMPLATES / doc.template).read_bytes(), doc.template, doc.context)
    body = Document(io.BytesIO(data)).element.body  # every paragraph, nested tables included
    lines = ("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    return "\n".join(line for line in lines if line).replace("\u00a0", " ")


def with_bank(bank: Address | None):
    facts = samples.sample_facts(DebtorType.LEGAL)
    return replace(facts, case=replace(facts.case, debtor=replace(facts.case.debtor, bank=bank)))


CARD = """номер: "2026-050"
администратор: Управление территориального развития
ответственный: {{фио: Иванова Мария Петровна}}
должник:
  тип: физлицо
  фамилия: Черных
  имя: Ольга
  адреса:
    - {{вид: регистрации, адрес: "427580, Удмуртская Республика, п. Кез, ул. Садовая, д. 8"}}
{bank}основание: {{документ: Договор аренды}}
код_дохода: "00011105012140000120"
начисления:
  - {{период: I квартал 2026, сумма: "15 000,00", срок_уплаты: 10.01.2026}}
"""


@pytest.mark.parametrize("bank, parsed, problem", [
    ('  банк: {наименование: "ПАО Сбербанк", адрес: "426033, г. Ижевск, ул. Карла Маркса, д. 290"}\n',
     Address("ПАО Сбербанк", "426033, г. Ижевск, ул. Карла Маркса, д. 290"), None),
    ("", None, None),
    # the application goes by post (229-ФЗ ст. 8 ч. 1): an address with no postal index is not a postal address
    ('  банк: {наименование: "ПАО Сбербанк", адрес: "г. Ижевск, ул. Карла Маркса, д. 290"}\n', None,
     (10, "должник.банк.адрес", "почтового индекса")),
    ('  банк: {наименование: "ПАО Сбербанк"}\n', None, (10, "должник.банк.адрес", "нет обязательного поля")),
    ('  банк: ПАО Сбербанк\n', None, (10, "должник.банк", "набором полей")),
])
def test_the_card_names_the_bank_with_its_postal_address(bank, parsed, problem):
    case, problems = parse_card(CARD.format(bank=bank))
    if problem is None:
        assert problems == [] and case.debtor.bank == parsed
    else:  # a card with a problem is reported, not used
        line, field, words = problem
        assert [(p.line, p.field) for p in problems] == [(line, field)] and words in problems[0].message


def test_a_bank_application_goes_to_the_bank_at_its_address():
    # 229-ФЗ ст. 8 ч. 1: the взыскатель sends the writ to the bank where the debtor's accounts are
    application = text("bank", with_bank(BANK))
    assert "В Удмуртское отделение № 8618 ПАО Сбербанк\n426033, Удмуртская Республика, г. Ижевск" in application
    assert "Руководителю банка" not in application


def test_without_the_bank_the_application_is_refused_saying_where_to_write_it():
    assert "банк должника и его почтовый адрес (карточка: «должник.банк: {наименование: …, адрес: …}»)" \
        in missing(KINDS["bank"], with_bank(None))
    assert missing(KINDS["bank"], with_bank(BANK)) == []


@pytest.mark.parametrize("division, problem", [
    ("Кезское РОСП УФССП России по Удмуртской Республике, 427580, п. Кез, ул. Кирова, д. 11", None),
    ("Кезское РОСП УФССП России по Удмуртской Республике", "почтовый адрес подразделения ФССП"),
    (None, "подразделение ФССП (настройки: «фссп»)"),
])
@pytest.mark.parametrize("kind", ["bailiffs", "enforcement-query"])
def test_the_bailiffs_division_needs_a_postal_address(division, problem, kind):
    facts = samples.sample_facts(DebtorType.LEGAL)
    events = tuple(replace(e, fields={k: v for k, v in e.fields.items() if k not in ("осп", "фссп")})
                   for e in facts.case.events)  # the division comes from the settings alone here
    facts = replace(facts, settings=replace(facts.settings, bailiffs=division),
                    case=replace(facts.case, events=events))
    found = [m for m in missing(KINDS[kind], facts) if "ФССП" in m]
    if problem is None:
        assert found == []
        assert "427580, п. Кез, ул. Кирова, д. 11" in text(kind, facts)
    else:
        assert len(found) == 1 and problem in found[0]


SETTINGS = """глава: {должность: Глава муниципального образования, фио: Богданов Игорь Олегович}
подписант: {должность: Заместитель главы Администрации, фио: Кузнецова Анна Викторовна%s}
"""


@pytest.mark.parametrize("authority, short, attached", [
    # 229-ФЗ ст. 8 ч. 2, ст. 30 ч. 2: a deputy's application comes with the document of authority
    (", доверенность: «№ 7 от 12.01.2026»", "А.В. Кузнецова", "№ 7 от 12.01.2026"),
    ("", "И.О. Богданов", ""),  # no доверенность known: the head signs, nothing to attach
])
@pytest.mark.parametrize("kind", ["bank", "bailiffs"])
def test_the_deputy_signs_with_her_own_doverennost(authority, short, attached, kind):
    settings, problems = parse_settings(SETTINGS % authority.replace("«", '"').replace("»", '"'))
    assert problems == []
    person, found = enforcement_signer(settings)
    assert found == attached
    facts = replace(with_bank(BANK), settings=replace(samples.sample_facts(DebtorType.LEGAL).settings,
                                                      head=settings.head, signer=settings.signer))
    application = text(kind, facts)
    assert short in application
    assert (f"копия доверенности {attached}" in application) is bool(attached)
