"""The day a delivery notice states becomes a suggestion «претензия вручена» with the letter's ШПИ and address:
shown by `status`, in СТАТУС.txt and on the case page, and recorded only when the user confirms it."""
import re
from datetime import date
from pathlib import Path

import pytest

from kezdocs import cases
from kezdocs.core import delivery
from kezdocs.core.card import parse_card
from kezdocs.core.classification import DEFAULT_RULES, document
from kezdocs.folders import audit
from kezdocs.folders.casefolder import open_root
from kezdocs.paperwork.pdftext import text_pdf
from kezdocs.web.server import Server

from conftest import DEMO_DAY

CASE = "2026-001"  # ООО «Ромашка»: the claim went to two addresses on 04.11.2026, the voluntary term runs
TO_CONTRACT, TO_EGRUL = "42755012345675", "42755012345682"  # the demo card's ШПИ, по договору and по ЕГРЮЛ
NOTICE = "Почта/уведомление о вручении.pdf"


@pytest.mark.parametrize("text, day", [
    ("Уведомление о вручении\nВручено 05.12.2026", date(2026, 12, 5)),
    ("ВРУЧЕНО: 5.12.26 лично", date(2026, 12, 5)),
    ("Дата вручения 05.12.2026", date(2026, 12, 5)),
    ("Отчёт об отслеживании\nПрием 01.12.2026\nВручение адресату почтальоном 06.12.2026 14:31", date(2026, 12, 6)),
    ("Уведомление о вручении\nВручено адресату", None),  # no day written
    ("Вручено 31.02.2026", None),  # no such day
    ("Дата приёма 01.12.2026", None),
])
def test_the_day_of_delivery_in_a_notice(text, day):
    assert delivery.delivered_on(text) == day


@pytest.fixture()
def demo_case(built_demo):
    """A demo card (2026-001 unless told), followed by `events`."""
    def with_events(events: str, number: str = CASE):
        card = next(built_demo.glob(f"{number} */дело.yaml")).read_text(encoding="utf-8")
        case, problems = parse_card(card + events)
        assert problems == []
        return case
    return with_events


def notice(text: str, name: str = NOTICE):
    return document(name, text, DEFAULT_RULES)


DELIVERED = f"Уведомление о вручении\nШПИ {TO_EGRUL}\nВручено 10.11.2026"


@pytest.mark.parametrize("events, documents, expected", [
    ("", [notice(DELIVERED)], [("10.11.2026", (("шпи", TO_EGRUL), ("адрес", "по ЕГРЮЛ")))]),
    # the notice of the other letter names the other address
    ("", [notice(f"Уведомление о вручении\nШПИ {TO_CONTRACT}\nДата вручения 09.11.2026")],
     [("09.11.2026", (("шпи", TO_CONTRACT), ("адрес", "по договору")))]),
    # recorded already: with the ШПИ, or without one on that day
    (f'  - {{дата: 10.11.2026, событие: претензия вручена, шпи: "{TO_EGRUL}"}}\n', [notice(DELIVERED)], []),
    ("  - {дата: 10.11.2026, событие: претензия вручена}\n", [notice(DELIVERED)], []),
    # a delivery on another day, recorded without a ШПИ, is another letter's
    ("  - {дата: 12.11.2026, событие: претензия вручена}\n", [notice(DELIVERED)],
     [("10.11.2026", (("шпи", TO_EGRUL), ("адрес", "по ЕГРЮЛ")))]),
    ("", [notice("Уведомление о вручении\nШПИ 42755098765435\nВручено 10.11.2026")], []),  # not a claim's letter
    ("", [notice(f"Уведомление о вручении\nШПИ {TO_EGRUL}\nВручено адресату")], []),  # no day: nothing to offer
    ("", [document(f"квитанция {TO_EGRUL}.pdf", "Кассовый чек\nВручено 10.11.2026", DEFAULT_RULES)], []),  # a receipt
    # two notices of one letter: one suggestion, the earliest day
    ("", [notice(DELIVERED), notice(DELIVERED.replace("10.11", "11.11"), "Почта/уведомление 2.pdf")],
     [("10.11.2026", (("шпи", TO_EGRUL), ("адрес", "по ЕГРЮЛ")))]),
])
def test_a_notice_suggests_the_delivery_the_card_lacks(demo_case, events, documents, expected):
    found = delivery.suggestions(demo_case(events), documents)
    assert [(f"{s.date:%d.%m.%Y}", s.fields) for s in found] == expected
    assert all(s.event == "claim_delivered" for s in found)


def test_a_card_without_any_shpi_takes_the_notice_of_a_letter_sent_by_then(demo_case):
    case = demo_case("события:\n  - {дата: 01.11.2026, событие: претензия направлена}\n", "2026-002")
    later = notice(f"Уведомление о вручении\nШПИ {TO_EGRUL}\nВручено 05.11.2026")
    earlier = notice("Уведомление о вручении\nВручено 30.10.2026", "Почта/уведомление 2.pdf")  # before the claim
    assert [(s.date, s.fields) for s in delivery.suggestions(case, [later, earlier])] == [
        (date(2026, 11, 5), (("шпи", TO_EGRUL),))]


def test_the_suggestion_reads_as_a_sentence_and_a_command(demo_case):
    (found,) = delivery.suggestions(demo_case(""), [notice(DELIVERED)])
    assert found.text == (f"записать «претензия вручена» 10.11.2026 (ШПИ {TO_EGRUL}, адрес по ЕГРЮЛ) — по файлу "
                          f"«{NOTICE}»")
    assert found.command(CASE) == (f'kezdocs record {CASE} "претензия вручена" --date 10.11.2026 '
                                   f'--field шпи={TO_EGRUL} --field "адрес=по ЕГРЮЛ"')


@pytest.fixture()
def with_notice(demo_copy) -> Path:
    folder = next(demo_copy.glob(f"{CASE} *"))
    (folder / NOTICE).write_bytes(text_pdf([["Уведомление о вручении", f"ШПИ {TO_EGRUL}", "Вручено 10.11.2026"]]))
    return demo_copy


def test_status_and_its_file_show_the_suggestion_and_record_nothing(with_notice):
    card = next(with_notice.glob(f"{CASE} */дело.yaml"))
    before = card.read_bytes()
    (record,) = cases.status(open_root(with_notice), DEMO_DAY, CASE).records
    line = (f"предложение: записать «претензия вручена» 10.11.2026 (ШПИ {TO_EGRUL}, адрес по ЕГРЮЛ) — по файлу "
            f"«{NOTICE}»; команда: kezdocs record {CASE} \"претензия вручена\" --date 10.11.2026 "
            f"--field шпи={TO_EGRUL} --field \"адрес=по ЕГРЮЛ\"")
    assert [s.line for s in record.suggestions] == [line]
    assert record.public_json()["suggestions"][0]["fields"] == {"шпи": TO_EGRUL, "адрес": "по ЕГРЮЛ"}
    assert f"  • {line}" in (card.parent / "СТАТУС.txt").read_text(encoding="utf-8-sig").splitlines()
    assert card.read_bytes() == before


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def test_the_case_page_records_the_suggestion_when_confirmed(with_notice):
    server = Server(open_root(with_notice), "127.0.0.1", 0, today_fn=lambda: DEMO_DAY, delay=0.2)
    server.start()
    try:
        client = server.app.test_client()
        card = next(with_notice.glob(f"{CASE} */дело.yaml"))
        page = client.get(f"/cases/{CASE}").data.decode()
        assert f"Записать «претензия вручена» 10.11.2026 (ШПИ {TO_EGRUL}, адрес по ЕГРЮЛ)" in page
        form = {"source": NOTICE, "event": "claim_delivered", "date": "2026-11-10", "version": hidden(page, "version")}
        before = card.read_bytes()
        assert client.post(f"/cases/{CASE}/suggestions", data=form).status_code == 403  # no CSRF token
        assert client.post(f"/cases/{CASE}/suggestions", data={**form, "csrf_token": hidden(page, "csrf_token"),
                                                               "date": "2026-11-11"}).status_code == 302
        assert card.read_bytes() == before  # a suggestion the case does not hold records nothing
        answer = client.post(f"/cases/{CASE}/suggestions", data={**form, "csrf_token": hidden(page, "csrf_token")})
        assert answer.status_code == 302
        events = [(e.kind, e.date, e.fields) for e in parse_card(card.read_text(encoding="utf-8"))[0].events]
        assert events[-1] == ("claim_delivered", date(2026, 11, 10), {"шпи": TO_EGRUL, "адрес": "по ЕГРЮЛ"})
        page = client.get(f"/cases/{CASE}").data.decode()
        assert 'id="suggestions"' not in page  # recorded: nothing left to suggest
        assert audit.AuditLog(with_notice).of_case(CASE)[0].detail == (
            f"записано по предложению: событие «претензия вручена» от 10.11.2026 по файлу «{NOTICE}»")
    finally:
        server.stop()
