"""Court order first (issue 14, item 3): a lawsuit on a claim that belongs to a court order is returned
(ГПК РФ ст. 135 ч. 1 п. 1.1) or left without consideration (АПК РФ ст. 148 ч. 1 п. 2.1). kezdocs refuses to
write it until the order is cancelled (ГПК РФ ст. 129), and then the lawsuit's checklist asks for the ruling."""
import json

from click.testing import CliRunner

from kezdocs.cli import main

DAY = "2026-11-24"
CITIZEN = "2026-003"  # 5 400 + interest: a court order of the magistrate (ГПК РФ ст. 121, 23)
ORDER_ASKED = "2026-005"  # a citizen whose court-order application is filed


def run(root, *args):
    return CliRunner().invoke(main, [*args, "--root", str(root), "--today", DAY])


def flat(text: str) -> str:
    return " ".join(text.split())


def lawsuits(root, case: str) -> list:
    return [p for p in root.glob(f"{case} */Сформировано/*.docx") if "Исковое" in p.name]


def test_a_lawsuit_on_a_court_order_claim_is_refused_with_the_article_unless_forced(demo_copy):
    refused = run(demo_copy, "generate", CITIZEN, "lawsuit")
    assert refused.exit_code == 2
    assert "ГПК РФ ст. 135 ч. 1 п. 1.1" in flat(refused.output)
    assert lawsuits(demo_copy, CITIZEN) == []
    forced = run(demo_copy, "generate", CITIZEN, "lawsuit", "--force")
    assert forced.exit_code == 0, forced.output
    assert len(lawsuits(demo_copy, CITIZEN)) == 1


def test_after_the_order_is_cancelled_the_lawsuit_is_written_and_needs_the_ruling(demo_copy):
    for event, when in (("судебный приказ вынесен", "10.11.2026"), ("судебный приказ отменен", "20.11.2026")):
        recorded = CliRunner().invoke(main, ["record", ORDER_ASKED, event, "--date", when, "--root", str(demo_copy)])
        assert recorded.exit_code == 0, recorded.output
    written = run(demo_copy, "generate", ORDER_ASKED, "lawsuit")
    assert written.exit_code == 0, written.output
    assert len(lawsuits(demo_copy, ORDER_ASKED)) == 1

    def ruling_present() -> bool:
        result = run(demo_copy, "check", ORDER_ASKED, "--step", "lawsuit", "--json")
        items = {i["item"]: i["present"] for i in json.loads(result.output)["items"]}
        return items["Определение об отмене судебного приказа"]

    assert ruling_present() is False
    folder = next(demo_copy.glob(f"{ORDER_ASKED} *"))
    (folder / "Определение об отмене судебного приказа.txt").write_text("Определение об отмене судебного приказа",
                                                                          encoding="utf-8")
    assert ruling_present() is True
