"""Court and enforcement documents of the demo root, as a lawyer reads them (issue 14, items 6, 7, 11).

The demo root is written once for the module (a legal entity with two addresses, an ИП and a citizen, whose
penalties use the key rate past its last known change, so the calculation has warnings); every document kind
is built by the core and rendered from the shipped templates, then read back with python-docx.
"""
from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from kezdocs import demo
from kezdocs.core import samples
from kezdocs.core.documents import build
from kezdocs.core.kinds import KINDS
from kezdocs.core.model import Address, Debtor, DebtorType
from kezdocs.core.parties import enforcement_signer, party_address
from kezdocs.core.russian import organisation_genitive
from kezdocs.core.settings import Person
from kezdocs.folders.casefolder import open_root
from kezdocs.paperwork.render import facts_for
from kezdocs.paperwork.sandbox import render_bytes
from kezdocs.paperwork.template_sources import find_template

TODAY = date(2026, 11, 24)  # after the last known key rate (27.07.2026, confidence M): the calculation warns
CASES = {"legal": "2026-001", "ip": "2026-002", "person": "2026-003"}
ORG_GENITIVE = "Администрации муниципального образования «Муниципальный округ Кезский район Удмуртской Республики»"
PROGRAM_WORDS = ("ключевая_ставка.csv", "пересчитайте", "не подтверждена", "дело.yaml", "kezdocs", "--force",
                 "Внимание:")
EGRUL = "426000, Удмуртская Республика, г. Ижевск, ул. Пушкина, д. 10"
CONTRACT = "427550, Удмуртская Республика, п. Кез, ул. Кирова, д. 1"


def docx_text(data: bytes) -> str:
    body = Document(io.BytesIO(data)).element.body
    lines = ("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    return "\n".join(line for line in lines if line).replace("\u00a0", " ")


@pytest.fixture(scope="module")
def texts(tmp_path_factory):
    """(debtor, kind) -> the text of each copy, and the calculations' warnings per debtor."""
    path = tmp_path_factory.mktemp("demo")
    demo.build(path, TODAY)
    root = open_root(path)
    out, warnings = {}, {}
    for debtor, ref in CASES.items():
        folder = root.find(ref)
        for kind in KINDS.values():
            facts = facts_for(root, folder, kind, TODAY)
            warnings[debtor] = facts.calc.warnings
            out[debtor, kind.code] = [docx_text(render_bytes(find_template(root, doc.template), doc.context))
                                      for doc in build(kind, facts)]
    return out, warnings


# --- item 7: the creditor declined -----------------------------------------------------------------

@pytest.mark.parametrize("name, genitive", [
    ("Администрация муниципального образования «Муниципальный округ Кезский район Удмуртской Республики»",
     ORG_GENITIVE),
    ("Управление имущественных и земельных отношений Администрации Кезского района",
     "Управления имущественных и земельных отношений Администрации Кезского района"),
    ("Отдел культуры Администрации Кезского района", "Отдела культуры Администрации Кезского района"),
    ("Комитет по управлению имуществом", "Комитета по управлению имуществом"),
    ("АДМИНИСТРАЦИЯ КЕЗСКОГО РАЙОНА", "АДМИНИСТРАЦИИ КЕЗСКОГО РАЙОНА"),
    # unknown head words stay as written: a legal form, an abbreviation, an adjective before the noun
    ("ООО «Ромашка»", "ООО «Ромашка»"),
    ("МКУ «Центр учёта»", "МКУ «Центр учёта»"),
    ("Муниципальное казённое учреждение «Центр»", "Муниципальное казённое учреждение «Центр»"),
    ("Администрация", "Администрации"),
    ("", ""),
])
def test_an_organisation_is_declined_by_its_head_noun_only(name, genitive):
    # «в пользу истца — Администрации …»: the apposition agrees with «истца» (genitive); only the head noun
    # changes, the rest of the name already depends on it
    assert organisation_genitive(name) == genitive


@pytest.mark.parametrize("debtor, kind, party", [
    (debtor, kind, party) for debtor in CASES
    for kind, party in (("lawsuit", "истца"), ("court-order", "взыскателя"), ("bank", "взыскателя"),
                        ("bailiffs", "взыскателя"))
])
def test_the_creditor_is_in_the_genitive_in_every_claim(texts, debtor, kind, party):
    text = texts[0][debtor, kind][0]
    assert f"в пользу {party} — {ORG_GENITIVE} —" in text
    assert "в пользу истца — Администрация" not in text and "в пользу взыскателя — Администрация" not in text


# --- item 11: no program text in a document ------------------------------------------------------------

def test_the_demo_calculations_do_warn(texts):
    # the test below could not fail without warnings to leak
    _, warnings = texts
    for debtor in ("ip", "person"):
        assert any("ключевая_ставка.csv" in w for w in warnings[debtor])
        assert any("не подтверждена" in w for w in warnings[debtor])


@pytest.mark.parametrize("debtor, kind", [(d, k) for d in CASES for k in KINDS])
def test_no_document_carries_a_program_message(texts, debtor, kind):
    # A document a court or a debtor reads has legal text only; warnings go to the user (CLI, СТАТУС.txt)
    for text in texts[0][debtor, kind]:
        assert text
        for word in PROGRAM_WORDS:
            assert word not in text, (debtor, kind, word)


# --- item 6: the party's address is the registered one ---------------------------------------------------

@pytest.mark.parametrize("debtor_type, addresses, main, extra", [
    (DebtorType.LEGAL, [("по договору", CONTRACT), ("по ЕГРЮЛ", EGRUL)], EGRUL, [CONTRACT]),
    (DebtorType.LEGAL, [("ПО ЕГРЮЛ", EGRUL), ("по договору", CONTRACT)], EGRUL, [CONTRACT]),
    (DebtorType.ENTREPRENEUR, [("по договору", CONTRACT), ("по егрип", EGRUL)], EGRUL, [CONTRACT]),
    (DebtorType.ENTREPRENEUR, [("по договору", EGRUL), ("по ЕГРИП", EGRUL)], EGRUL, []),  # one place, once
    # no registry address on the card: the first one; an address's own text never decides
    (DebtorType.LEGAL, [("по договору", CONTRACT), ("фактический", "426000, г. Ижевск (по ЕГРЮЛ)")], CONTRACT,
     ["426000, г. Ижевск (по ЕГРЮЛ)"]),
    # a person's place of residence stays the card's first address
    (DebtorType.PERSON, [("регистрации", CONTRACT), ("по ЕГРИП", EGRUL)], CONTRACT, []),
])
def test_the_party_address_is_the_registry_address(debtor_type, addresses, main, extra):
    # АПК РФ ст. 125 ч. 1 п. 2, ст. 229.3: the место нахождения of an organisation is the one in the register
    debtor = Debtor(debtor_type, "Должник", addresses=tuple(Address(k, t) for k, t in addresses))
    found, others = party_address(debtor)
    assert found.text == main and [a.text for a in others] == extra


@pytest.mark.parametrize("kind", ["lawsuit", "court-order"])
def test_the_company_is_at_its_egrul_address_in_court_papers(texts, kind):
    text = texts[0]["legal", kind][0]
    assert f"место нахождения: {EGRUL}" in text
    assert f"адрес по договору: {CONTRACT}" in text
    assert f"место нахождения: {CONTRACT}" not in text


@pytest.mark.parametrize("kind", ["bank", "bailiffs"])
def test_the_company_is_at_its_egrul_address_in_enforcement_papers(texts, kind):
    text = texts[0]["legal", kind][0]
    assert f"место нахождения: {EGRUL}; адрес по договору: {CONTRACT}." in text


def test_an_entrepreneur_with_one_place_has_no_additional_address(texts):
    text = texts[0]["ip", "lawsuit"][0]
    assert "адрес: 427580, Удмуртская Республика, п. Кез, ул. Ленина, д. 3, кв. 4" in text
    assert "адрес по договору" not in text


# --- item 10: who signs an enforcement application, and the reply term of a query -------------------------

HEAD = Person("Глава муниципального образования", "Богданов Игорь Олегович")
DEPUTY = Person("Заместитель главы Администрации", "Кузнецова Анна Викторовна")
LAWYER = Person("Начальник отдела правовой и кадровой работы", "Смирнов Павел Андреевич")


@pytest.mark.parametrize("signer, representative, authority, who, attached", [
    (None, LAWYER, "№ 15 от 09.01.2026", HEAD, ""),  # the head acts without a доверенность
    (HEAD, LAWYER, "№ 15 от 09.01.2026", HEAD, ""),
    (LAWYER, LAWYER, "№ 15 от 09.01.2026", LAWYER, "№ 15 от 09.01.2026"),  # the representative, with it attached
    (Person(LAWYER.position, "смирнов  павел андреевич"), LAWYER, "№ 15", LAWYER, "№ 15"),  # same person
    (DEPUTY, LAWYER, "№ 15 от 09.01.2026", HEAD, ""),  # a deputy with no known доверенность: the head signs
    (DEPUTY, None, None, HEAD, ""),
])
def test_an_enforcement_application_is_signed_with_a_document_of_authority(signer, representative, authority, who,
                                                                             attached):
    # 229-ФЗ ст. 8 ч. 2, ст. 30 ч. 2, ст. 57: a representative's application comes with the доверенность
    settings = replace(samples.sample_facts(DebtorType.LEGAL).settings, head=HEAD, signer=signer,
                       representative=representative, power_of_attorney=authority)
    person, found = enforcement_signer(settings)
    assert person.name.casefold().split() == who.name.casefold().split()
    assert found == attached


@pytest.mark.parametrize("debtor", list(CASES))
@pytest.mark.parametrize("kind", ["bank", "bailiffs"])
def test_the_demo_deputy_does_not_sign_without_a_doverennost(texts, debtor, kind):
    # the demo's signer is a deputy whose доверенность the settings do not know: the head signs
    text = texts[0][debtor, kind][0]
    assert "И.О. Богданов" in text and "А.В. Кузнецова" not in text
    assert "копия доверенности" not in text


def test_a_representative_signer_attaches_the_doverennost():
    facts = samples.sample_facts(DebtorType.LEGAL)
    settings = replace(facts.settings, signer=LAWYER, representative=LAWYER, power_of_attorney="№ 15 от 09.01.2026")
    signer = build(KINDS["bailiffs"], replace(facts, settings=settings))[0].context["signer"]
    assert (signer["short"], signer["power_of_attorney"]) == ("П.А.\u00a0Смирнов", "№ 15 от 09.01.2026")
    # a letter of the administration keeps its signer
    assert build(KINDS["claim"], replace(facts, settings=settings))[0].context["signer"]["power_of_attorney"] == ""


def test_the_enforcement_query_asks_for_a_reply_within_ten_days(texts):
    # 229-ФЗ ст. 64.1 ч. 5: an application of a party is considered within ten days of its receipt
    text = " ".join(texts[0]["legal", "enforcement-query"][0].split())
    assert "частью 5 статьи 64.1 Федерального закона № 229-ФЗ (десять дней со дня поступления запроса)" in text
