"""Item 5 of issue 14: the principal paid before the judgment, the penalty sued for is not.

Withdrawing the whole claim (п. 5.6) would give up the unpaid penalty or interest; the plaintiff reduces the
claim to the unpaid part instead (ГПК РФ ст. 39 ч. 1; АПК РФ ст. 49 ч. 1). Real case folders, the stage from
`scan`, the document rendered by `generate_all` and read back with python-docx.
"""
from __future__ import annotations

import pytest
from docx import Document
from test_procedure import DAMAGE, DEAL, LAWSUIT_ROAD, LEGAL, PAID, TODAY, write_root

from kezdocs.core.money import format_rub
from kezdocs.folders.scan import scan
from kezdocs.paperwork import render

PERCENT = "{способ: процент в день, ставка: 0.1}"
IN_COURT = {"events": LAWSUIT_ROAD[:4], "payments": PAID, "due": "16.03.2026"}  # due on a Monday (no ГК 193 shift)

# name -> (card, the stage, its documents)
CASES = {
    # A citizen: the principal paid on 10.06.2026 while the lawsuit waits, the penalty of 0,1 % a day is not.
    "person": ({**IN_COURT, "basis": DAMAGE, "penalty": PERCENT}, "principal_paid_in_court", ("reduction",)),
    # A company in the arbitration court (АПК РФ ст. 49 ч. 1).
    "legal": ({**IN_COURT, "basis": DEAL, "debtor": LEGAL, "penalty": PERCENT}, "principal_paid_in_court",
              ("reduction",)),
    # No penalty is claimed: everything claimed is paid, so the claim is withdrawn in full (п. 5.6).
    "no_penalty": ({**IN_COURT, "basis": DAMAGE, "penalty": "{способ: нет}"}, "paid_in_court", ("withdrawal",)),
}


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return write_root(tmp_path_factory.mktemp("reduction"), {name: spec for name, (spec, _, _) in CASES.items()}, 500)


@pytest.fixture(scope="module")
def records(root):
    return {record.folder.split(" ", 1)[1]: record for record in scan(root, TODAY).records}


@pytest.mark.parametrize("name", list(CASES))
def test_reduction_while_anything_claimed_is_unpaid_else_withdrawal(records, name):
    _, stage, documents = CASES[name]
    record = records[name]
    assert record.stage == stage, record.problems
    assert tuple(render.due_kinds(record)) == documents
    if stage == "principal_paid_in_court":
        assert record.next_action == "заявить об уменьшении исковых требований (ГПК РФ ст. 39 / АПК РФ ст. 49)"


# The penalty: 45 000 × 0,1 % × 86 days (17.03–10.06.2026, the day after the due date to the payment) = 3 870,00.
@pytest.mark.parametrize("name, article, penalty", [
    ("person", "частью 1 статьи 39 Гражданского процессуального кодекса", "3 870,00"),  # a citizen: ГПК РФ ст. 39
    ("legal", "частью 1 статьи 49 Арбитражного процессуального кодекса", "3 870,00"),  # a company: АПК РФ ст. 49
])
def test_the_reduction_names_the_article_and_the_unpaid_penalty(root, records, tmp_path, name, article, penalty):
    record = records[name]
    batch = render.generate_all(root, "reduction", TODAY, out=tmp_path, processes=1)
    files = dict(batch.written)[record.case]
    text = "\n".join(p.text for p in Document(files[0]).paragraphs).replace("\xa0", " ")
    assert format_rub(record.penalty) == penalty  # the status and the document count the same penalty
    assert article in text
    assert "об уменьшении размера исковых требований" in text
    # the unpaid penalty on today is the reduced claim, and nothing of the paid principal is claimed
    assert f"в размере {penalty} руб." in text
    assert f"всего {penalty} руб." in text
    assert "отказывается от иска" not in text
