"""The kinds of file a case folder holds: codes, Russian labels, how a user names a kind, and the clerk's word.

One table for the classifier (`classification`), the settings' rules, the card's «файлы» (`card`) and every list
that shows a file's kind; `card_kind` tells intake the card's kind of a file before it decides what to read, and
`with_card` applies the card's «файлы» to classified documents. Kept apart from the classifier so the card can name
a kind without importing it.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import replace

from kezdocs.core.model import Problem
from kezdocs.core.names import nfc

# Scans and photos: the image files a clerk drops (HEIC from phones). OCR, barcodes and the package read these.
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".heif"})

# Stable code -> Russian label, in the order lists show them.
KINDS: dict[str, str] = {
    "contract": "договор",
    "amendment": "дополнительное соглашение",
    "act_invoice": "акт / счёт",
    "reconciliation": "акт сверки",
    "calculation": "расчёт",
    "claim_copy": "претензия (копия)",
    "debtor_reply": "ответ должника",
    "postal_receipt": "почтовая квитанция",
    "post_inventory": "опись вложения",
    "delivery_notice": "уведомление о вручении",
    "tracking_report": "отчёт об отслеживании",
    "registry_extract": "выписка ЕГРЮЛ/ЕГРИП",
    "egrn": "выписка ЕГРН",
    "bank_statement": "выписка по счёту",
    "power_of_attorney": "доверенность",
    "diploma": "диплом представителя",
    "admin_decision": "решение администрации",
    "lawsuit": "исковое заявление",
    "lawsuit_sent_proof": "подтверждение направления иска",
    "withdrawal": "отказ от иска",
    "order_cancellation": "определение об отмене судебного приказа",
    "court_ruling": "определение суда",
    "judgment": "решение суда",
    "court_order": "судебный приказ",
    "writ": "исполнительный лист",
    "bank_response": "ответ банка",
    "bailiff_decision": "постановление ФССП",
    "payment_order": "платёжное поручение",
    "archive": "архив",
    "other": "прочее",
}
ARCHIVE_NOTICE = "архив не распаковывается — положите файлы из него в папку дела"
# Other names a user may give a kind in the settings or the card (besides its label and code).
KIND_ALIASES = {"акт": "act_invoice", "счёт": "act_invoice", "счет": "act_invoice", "претензия": "claim_copy",
                "квитанция": "postal_receipt", "выписка": "registry_extract", "диплом": "diploma",
                "иск": "lawsuit", "определение": "court_ruling", "решение": "judgment",
                "постановление": "bailiff_decision", "другое": "other", "допник": "amendment",
                "доп. соглашение": "amendment", "ЕГРН": "egrn", "выписка банка": "bank_statement",
                "ответ на претензию": "debtor_reply", "решение Главы": "admin_decision"}


def fold(text: str) -> str:
    """How names and keywords are compared: NFC, case-folded, ё as е, spaces collapsed."""
    return re.sub(r"\s+", " ", nfc(text).casefold().replace("ё", "е"))


_ALIASES = {fold(name): code for name, code in KIND_ALIASES.items()}


def kind_code(name: str) -> str | None:
    """A kind's code from its code, Russian label or alias, as a user writes it."""
    key = fold(name).strip()
    for code, label in KINDS.items():
        if key in (code, fold(label)):
            return code
    return _ALIASES.get(key)


def kind_hint(name: str) -> str:
    """«; может быть, «…»?» with the label or alias closest to a kind nobody knows, or "" when none is close."""
    labels = {fold(label): label for label in (*KINDS.values(), *KIND_ALIASES)}
    hint = difflib.get_close_matches(fold(name), list(labels), n=1, cutoff=0.5)
    return f"; может быть, «{labels[hint[0]]}»?" if hint else ""


# --- the clerk's word: the card's «файлы» ---------------------------------------------------------

UNRECOGNISED = "не распознан: укажите вид"
AWAITING_OCR = "распознаётся"


def kind_text(label: str | None, awaiting_ocr: bool = False) -> str:
    """What a list of files says after «<файл> — »: its kind, «не распознан: укажите вид», or — for a scan OCR
    has not read yet, which is not unrecognised but unread — «распознаётся» (after the kind its name gave)."""
    if awaiting_ocr:
        return f"{label}, {AWAITING_OCR}" if label else AWAITING_OCR
    return label or UNRECOGNISED


def card_hint(relpath: str) -> str:
    """How to give a file its kind without renaming it (after «Как указать вид: »): the card's «файлы», with
    this file as the example."""
    return f'в карточке дела, файл не переименовывается: файлы: {{"{relpath}": договор}}'


def _given(case) -> dict[str, tuple[str, str, int | None]]:
    """fold(relpath) -> (relpath as the card writes it, kind code, line) of the card's «файлы»."""
    return {fold(rel): (rel, code, line) for rel, code, line in (case.file_kinds if case else ())}


def card_kind(case, relpath: str) -> str | None:
    """The kind code the card's «файлы» gives the file at `relpath` (compared as shown: case and «ё» aside), or
    None. Asked BEFORE a file is read: a scan the card calls a receipt is read for its ШПИ (text and barcodes),
    one it calls a contract needs no OCR to be one."""
    found = _given(case).get(fold(relpath))
    return found[1] if found else None


def with_card(documents, case, folder: str) -> tuple[list, list[Problem]]:
    """The folder's documents (`classification.Document`) with the kinds the card's «файлы» gives, and what the
    clerk must know about them.

    The one place where the clerk's word overrides a file's name and text
    (source "card"), called wherever a case's files are classified. A file
    the section names that is not in the folder is a problem at its line of
    the card; each archive gets `ARCHIVE_NOTICE` (`folder`: the case folder as shown).
    """
    given = _given(case)
    result, seen = [], set()
    for d in documents:
        rel, code, _ = given.get(fold(d.relpath), (None, None, None))
        if code:
            seen.add(fold(rel))
            d = replace(d, kind=code, label=KINDS[code], source_of_kind="card")
        result.append(d)
    problems = [_missing_file(case.source, rel, line, documents) for key, (rel, _, line) in given.items()
                if key not in seen]
    problems += [Problem(f"{folder}/{d.relpath}", None, ARCHIVE_NOTICE) for d in result if d.kind == "archive"]
    return result, problems


def _missing_file(card: str, relpath: str, line: int | None, documents) -> Problem:
    hint = difflib.get_close_matches(relpath, [d.relpath for d in documents], n=1, cutoff=0.6)
    tip = f"; может быть, «{hint[0]}»?" if hint else " (путь пишется от папки дела, через «/»)"
    return Problem(card, line, f"«файлы»: файла «{relpath}» нет в папке дела{tip}", "файлы")
