"""The demo root: each case is in the stage it was written for, and moves on as days pass."""
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from kezdocs.folders.casefolder import open_root
from kezdocs.folders.scan import scan

from conftest import DEMO_DAY

BUILT = date(2026, 11, 24)


@pytest.fixture(scope="module")
def root(built_demo, tmp_path_factory):
    """A copy of the session's demo root (built as of 24.11.2026 = BUILT): scanning writes an index into it."""
    assert BUILT == DEMO_DAY
    return Path(shutil.copytree(built_demo, tmp_path_factory.mktemp("demo") / "дела"))


def stages_on(root, day):
    return {r.case: (r.stage, r.deadline.isoformat() if r.deadline else None) for r in scan(open_root(root), day).records}


def test_stages_on_the_day_the_demo_was_built(root):
    s = stages_on(root, BUILT)
    assert s["2026-001"] == ("claim_sent", "2026-12-04")  # claim 04.11 + 30 days (п. 4.5)
    assert s["2026-002"] == ("overdue", "2026-12-10")  # overdue since 10.11 + 30 days (п. 4.2)
    assert s["2026-003"][0] == "voluntary_expired"  # claim 10.10 + 30 = 09.11 → memo by 16.11 (п. 6.1)
    assert s["2026-003"][1] == "2026-11-16"
    assert s["2026-004"] == ("decision_taken", "2026-12-01")  # decision 17.11 + 10 working days (п. 6.3)
    assert s["2026-005"][0] == "court_order_requested"
    assert s["2026-006"] == ("writ_received", "2026-12-07")  # received 21.11 + 14 days = 05.12 (Sat) → 07.12
    assert s["2026-007"][0] == "paid"
    assert s["2026-008"][0] == "current"
    assert s["2026-009 Ошибка в карточке"][0] == "card_error"


def test_stages_move_on_with_time(root):
    later = stages_on(root, BUILT + timedelta(days=15))  # 09.12.2026
    assert later["2026-001"][0] == "voluntary_expired"
    assert later["2026-001"][1] == "2026-12-11"  # voluntary term ended 04.12 → 5 working days
    assert later["2026-002"][0] == "overdue"
    assert later["2026-008"][0] == "current"
    much_later = stages_on(root, BUILT + timedelta(days=30))  # 24.12.2026
    assert much_later["2026-008"][0] == "overdue"  # due 14.12.2026
    assert much_later["2026-002"][1] == "2026-12-10"


def test_money_of_the_demo(root):
    records = {r.case: r for r in scan(open_root(root), BUILT).records}
    assert str(records["2026-001"].debt) == "10000.00"
    assert str(records["2026-003"].debt) == "5400.00"
    assert str(records["2026-004"].debt) == "240000.00"
    # ООО «Ромашка», 0.1 % a day, due 10.10.2026 (a Saturday), 5 000 paid 15.10. The old expectation (475.00,
    # delay from 11.10) was wrong: by ГК РФ ст. 193 the debtor may pay on Monday 12.10, the delay starts 13.10:
    # 15 000 × 0.1 % × 3 days (13.10–15.10) = 45.00; 10 000 × 0.1 % × 40 days (16.10–24.11) = 400.00 → 445.00
    assert str(records["2026-001"].penalty) == "445.00"


def test_later_stages_of_the_demo(root):
    s = stages_on(root, BUILT)
    # the principal is paid while the lawsuit waits, the 0.1 % penalty sued for is not: the claim is reduced to the
    # unpaid part (ГПК РФ ст. 39 ч. 1), not withdrawn (a withdrawal, п. 5.6, would give up the penalty)
    assert s["2026-010"][0] == "principal_paid_in_court"
    assert s["2026-011"][0] == "enforcement"
