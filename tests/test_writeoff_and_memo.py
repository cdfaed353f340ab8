"""Issue 14, items 8 and 9: the write-off ground from a closed list; the memo states only what the card says.

Real DOCX: the shipped templates filled by the sandbox and opened back with python-docx.
"""
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from kezdocs.core import samples, writeoff
from kezdocs.core.documents import build
from kezdocs.core.kinds import KINDS
from kezdocs.core.missing import missing
from kezdocs.core.model import DebtorType, Event
from kezdocs.paperwork.sandbox import fill

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def text(kind: str, facts) -> str:
    [doc] = build(KINDS[kind], facts)
    data = fill((TEMPLATES / doc.template).read_bytes(), doc.template, doc.context)
    body = Document(io.BytesIO(data))
    lines = [p.text for p in body.paragraphs]
    lines += [c.text for t in body.tables for r in t.rows for c in r.cells]
    return "\n".join(lines).replace("\u00a0", " ")


def with_events(debtor_type, events, **basis):
    base = samples.sample_facts(debtor_type)
    case = replace(base.case, events=tuple(events), basis=replace(base.case.basis, **basis))
    return replace(base, case=case)


# БК РФ ст. 47.2 п. 1: the decision names exactly the subpoint recorded on «признана безнадежной».
@pytest.mark.parametrize("ground", writeoff.GROUNDS, ids=lambda g: g.code)
def test_each_ground_is_named_by_the_decision(ground):
    facts = with_events(DebtorType.LEGAL, [Event(date(2026, 11, 1), "written_off", {"основание": ground.code})])
    decision = text("write-off", facts)
    assert f"☒ подпункт {ground.code} — {ground.text}" in decision
    assert "☐" not in decision and decision.count("☒") == 1
    assert ground.documents  # every ground names what confirms it (ППРФ № 393, п. 4), and the decision lists them
    assert all(f"— {d};" in decision for d in ground.documents)
    assert "____" not in decision.split("Документы, подтверждающие основание")[1].split("Задолженность списать")[0]
    assert missing(KINDS["write-off"], facts) == []


# «п. 3 ч. 1 ст. 46 229-ФЗ» is the ground of ending enforcement, not БК subpoint 3 (liquidation): a note never
# selects a ground.
@pytest.mark.parametrize("events", [
    [Event(date(2026, 10, 30), "enforcement_ended", {"основание": "п. 3 ч. 1 ст. 46 229-ФЗ"})],
    [Event(date(2026, 10, 30), "written_off", {"основание": "п. 3 ч. 1 ст. 46 229-ФЗ"})],
    [Event(date(2026, 10, 30), "written_off", {"примечание": "пп. 3"})],
])
def test_a_note_never_selects_a_ground(events):
    facts = with_events(DebtorType.LEGAL, events)
    assert writeoff.recorded_ground(facts.case) is None
    assert "☒" not in text("write-off", facts)
    assert "«3» — ликвидация организации" in writeoff.ground_problem(facts.case)
    assert writeoff.ground_problem(facts.case) in missing(KINDS["write-off"], facts)


@pytest.mark.parametrize("events, said", [
    ([], "нет события «признана безнадежной»"),
    ([Event(date(2026, 11, 1), "written_off")], "основание не указано"),
    ([Event(date(2026, 11, 1), "written_off", {"основание": "7"})], "указано «7» — такого подпункта нет"),
])
def test_no_valid_ground_is_refused_naming_the_allowed_ones(events, said):
    facts = with_events(DebtorType.LEGAL, events)
    problem = writeoff.ground_problem(facts.case)
    assert said in problem
    assert all(f"«{g.code}» — {g.title}" in problem for g in writeoff.GROUNDS)
    assert problem in missing(KINDS["write-off"], facts)  # `generate` refuses with this line


CLAIM = Event(date(2026, 2, 20), "claim_sent", {"шпи": "42755012345675"})


# Every fact of the memo comes from the card: the claim's date and tracking number from the event; «не
# предусмотрено» only when the card says so (основание.претензия_обязательна) and never in arbitration, where a
# pre-trial claim is required by law (АПК РФ ст. 4 ч. 5).
@pytest.mark.parametrize("debtor_type, events, required, present, absent", [
    (DebtorType.ENTREPRENEUR, [CLAIM], True,
     ("Требование (претензия) направлено должнику 20 февраля 2026", "42755012345675",
      "неисполнении должником требования"), ("не предусмотрено",)),
    (DebtorType.ENTREPRENEUR, [], True, ("неуплате должником",),
     ("не предусмотрено", "направлено должнику", "копии требований")),
    (DebtorType.LEGAL, [], False, ("неуплате должником",), ("не предусмотрено",)),
    (DebtorType.PERSON, [], False, ("условиями документа-основания не предусмотрено",), ("направлено должнику",)),
])
def test_memo_states_only_what_the_card_says(debtor_type, events, required, present, absent):
    memo = text("memo", with_events(debtor_type, events, claim_required=required))
    for phrase in present:
        assert phrase in memo
    for phrase in absent:
        assert phrase not in memo
