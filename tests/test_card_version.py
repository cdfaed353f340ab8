"""A form carries the version of the card it was built from; a stale submit writes nothing and says so."""
from __future__ import annotations

import hashlib
import os
import time

import pytest

from kezdocs.core.card import CARD_NAME, parse_card
from kezdocs.core.errors import KezdocsError
from kezdocs.folders import cardedit
from kezdocs.folders.cardfile import CardChanged, card_version, update_card, version_of
from kezdocs.folders.casefolder import open_root

CASE_FOLDER = "2026-001 ООО Ромашка"
PAYMENT = {"дата": "01.12.2026", "сумма": "700,00", "документ": "п/п № 77"}


def _check(root):
    administrators = open_root(root).settings.administrators
    return lambda text: parse_card(text, CARD_NAME, administrators)[1]


def _pay(text: str) -> str:
    return cardedit.append_entry(text, "платежи", PAYMENT)


def _editor_save(card, text: str) -> None:
    """A clerk's editor saved the card a while ago (so the writer need not wait for it to settle)."""
    card.write_text(text, encoding="utf-8")
    past = time.time() - 5
    os.utime(card, (past, past))


def test_version_is_the_start_of_the_bytes_sha256():
    assert version_of(b"abc") == hashlib.sha256(b"abc").hexdigest()[:16]
    assert version_of(b"abc") != version_of(b"abd")


def test_card_version_is_the_version_of_the_card_on_disk(demo_copy):
    card = demo_copy / CASE_FOLDER / CARD_NAME
    assert card_version(card) == version_of(card.read_bytes())


def test_card_version_of_a_missing_card_is_a_russian_error(tmp_path):
    (tmp_path / "2026-099 Нет").mkdir()
    with pytest.raises(KezdocsError, match="карточка не найдена"):
        card_version(tmp_path / "2026-099 Нет" / CARD_NAME)


def test_a_stale_version_writes_nothing_and_gives_the_cards_new_state(demo_copy):
    card = demo_copy / CASE_FOLDER / CARD_NAME
    seen = card_version(card)  # the form is built
    _editor_save(card, card.read_text(encoding="utf-8") + "примечание: позвонить бухгалтеру\n")
    changed = card.read_bytes()
    with pytest.raises(CardChanged, match="изменили после того, как вы открыли форму; ничего не записано") as caught:
        update_card(card, _pay, _check(demo_copy), expected_version=seen)
    assert card.read_bytes() == changed
    assert caught.value.text == changed.decode("utf-8")
    assert caught.value.version == version_of(changed)
    assert isinstance(caught.value, KezdocsError)  # the CLI and the web show it like any other refusal


def test_the_current_version_writes(demo_copy):
    card = demo_copy / CASE_FOLDER / CARD_NAME
    written = update_card(card, _pay, _check(demo_copy), expected_version=card_version(card))
    assert card.read_text(encoding="utf-8") == written
    case, problems = parse_card(written)
    assert problems == []
    assert [p.document for p in case.payments][-1] == "п/п № 77"


def test_the_new_state_a_refusal_gives_is_the_version_to_submit_again(demo_copy):
    card = demo_copy / CASE_FOLDER / CARD_NAME
    seen = card_version(card)
    update_card(card, _pay, _check(demo_copy))  # another clerk's record meanwhile
    with pytest.raises(CardChanged) as caught:
        update_card(card, _pay, _check(demo_copy), expected_version=seen)
    update_card(card, _pay, _check(demo_copy), expected_version=caught.value.version)
    assert card.read_text(encoding="utf-8").count("п/п № 77") == 2


def test_without_a_version_the_writer_works_as_before(demo_copy):
    card = demo_copy / CASE_FOLDER / CARD_NAME
    _editor_save(card, card.read_text(encoding="utf-8") + "примечание: правка\n")
    written = update_card(card, _pay, _check(demo_copy))
    assert "примечание: правка" in written
    assert "п/п № 77" in written
