"""Classification: what a file a clerk drops into a case folder is, from its path and its text.

Pure: a rule table (`DEFAULT_RULES`, extended from `настройки.yaml`, section
«классификация») applied to a file's path and the text the shell read
(`folders.intake`).

Order of evidence: the file name, then its text, then its folders (innermost
first): a folder says where a clerk keeps a file, not what the file is — the
receipts of a claim live in «Претензия/» — so a kind from a folder alone
yields to the text and is read for it (`needs_text`). A keyword matches whole
words, case- and ё-insensitively, in Unicode NFC; a trailing `*` allows any ending («квитанци*»); a trailing dot
marks an abbreviation («дог.»); «а+б» needs both parts, anywhere in the
file's path («Иск/квитанция.pdf» is proof the lawsuit was sent). The first
matching rule of the table wins. In the text, the rule matching earliest
wins (a document's title comes first; a lawsuit mentions «претензия» only
later). An archive is «архив» by its extension, whatever its name; a file in
`Сформировано/` is what kezdocs titled it (`GENERATED_KINDS`); the card's
«файлы» overrides them all (`filekinds.with_card`; `filekinds.card_kind` tells
intake before it reads, so a file the card calls a receipt is read for its ШПИ).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import PurePosixPath

from kezdocs.core import kinds as generated_kinds
from kezdocs.core.card import GENERATED_DIR
from kezdocs.core.delivery import NOTICE_KINDS, delivered_on
from kezdocs.core.eventrules import shpi_key, shpi_problem
from kezdocs.core.filekinds import KINDS, fold, kind_code, kind_hint  # KINDS: lists import it from here
from kezdocs.core.model import Problem
from kezdocs.core.names import nfc
from kezdocs.core.plaintext import Map, Seq, Text
from kezdocs.core.requirements import POSTAL_KINDS
from kezdocs.core.settings import SETTINGS_NAME, Settings

SECTION = "классификация"
MAX_TEXT = 20_000  # characters of a document's text kept (its ШПИ are looked for there)
HEAD = 3_000  # text rules look at the start of a document, where its title is

# Name keywords, most specific first (the first matching rule wins).
DEFAULT_NAME_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("order_cancellation", ("отмен*+приказ*",)),  # before the court order, the ruling and the lawsuit
    ("withdrawal", ("отказ* от иск*", "отказ* от исков* требовани*", "otkaz* ot isk*")),  # not a lawsuit
    ("lawsuit_sent_proof", ("квитанци*+иск*", "чек*+иск*", "опис*+иск*", "уведомлени*+иск*", "отслеживани*+иск*",
                            "трек*+иск*", "отправк*+иск*", "направлени*+иск*", "почт*+иск*",
                            "квитанци*+приказ*", "опис*+приказ*", "направлени*+приказ*", "отправк*+приказ*")),
    ("bank_response", ("ответ*+банк*", "письм*+банк*", "уведомлени*+банк*", "возврат*+банк*")),
    ("debtor_reply", ("ответ* должник*", "ответ*+претензи*", "ответ*+требовани*", "возражени*+претензи*",
                      "otvet*+pretenzi*")),  # the debtor's letter, not our claim
    ("post_inventory", ("опис*", "ф.107", "форма 107")),
    ("delivery_notice", ("уведомлени*", "увед.", "ф.119", "вручени*")),
    ("tracking_report", ("отслеживани*", "трек*")),
    ("postal_receipt", ("квитанци*", "чек", "чеки", "чека")),
    ("egrn", ("егрн", "egrn")),  # real estate: not the register of legal entities
    ("bank_statement", ("выписк* по счет*", "выписк* со счет*", "выписк* по расчетн* счет*", "выписк* с расчетн* счет*",
                        "выписк*+банк*", "банковск* выписк*", "vypisk*+bank*")),
    ("registry_extract", ("егрюл", "егрип", "выписк*", "egrul", "egrip", "vypisk*")),
    ("power_of_attorney", ("доверенност*", "дов-ть", "doverennost*")),
    ("diploma", ("диплом*", "diplom*")),
    ("lawsuit", ("заявлени* о выдач* судебн* приказ*", "заявлени* о вынесени* судебн* приказ*")),
    ("judgment", ("решени* суд*", "решени*+суд*")),
    ("admin_decision", ("решени* глав*", "решени*+администраци*", "решени* о взыскани*", "решени* о признани*",
                        "распоряжени*", "постановлени* администраци*", "постановлени* глав*")),  # not a court's
    ("court_ruling", ("определени*", "opredeleni*")),
    ("court_order", ("судебн* приказ*", "sudebn* prikaz*")),
    ("judgment", ("решени*", "reshenie*")),
    ("writ", ("исполнительн* лист*", "исп. лист*", "исполнительн* документ*", "ил", "фс", "ispolnitel* list*")),
    ("bailiff_decision", ("постановлени*", "фссп", "осп", "postanovleni*")),
    ("payment_order", ("платежн* поручени*", "платежн*", "платежк*", "п/п", "platezhk*", "platezhn*")),
    ("reconciliation", ("акт* сверки", "сверк*", "akt* sverki", "sverk*")),
    ("calculation", ("расчет*", "расч.", "raschet*", "rasschet*")),
    ("claim_copy", ("претензи*", "требовани*", "pretenzi*", "trebovani*")),
    ("lawsuit", ("иск*", "isk", "iskov*")),
    ("amendment", ("доп. соглашени*", "дополнительн* соглашени*", "допсоглашени*", "дс", "допник*", "dopnik*",
                   "dop soglasheni*", "dopsoglasheni*")),
    ("act_invoice", ("акт", "акты", "акта", "актов", "счет", "счета", "счет-фактур*", "упд", "накладн*", "akt", "akty",
                     "schet", "invoice")),
    ("contract", ("договор*", "дог.", "контракт*", "соглашени*", "dogovor*", "contract*", "kontrakt*")),
)
# A packed archive is not read (its files would be documents of their own): the clerk unpacks it.
ARCHIVE_SUFFIXES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz")
# What kezdocs writes into `Сформировано/` (`core.kinds`, its name «<date> <title> …») -> the kind of file it is.
GENERATED_KINDS = {"claim": "claim_copy", "calculation": "calculation", "memo": "other", "lawsuit": "lawsuit",
                   "court-order": "lawsuit", "withdrawal": "withdrawal", "reduction": "other", "bank": "other",
                   "bailiffs": "other", "enforcement-query": "other", "write-off": "admin_decision",
                   "post-inventory": "post_inventory"}

# Title phrases in a document's text (the earliest match wins).
DEFAULT_TEXT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("order_cancellation", ("об отмене судебного приказа",)),
    ("withdrawal", ("об отказе от иска", "отказ от иска", "об отказе от исковых требований")),
    ("debtor_reply", ("ответ на претензию", "ответ на требование")),
    ("post_inventory", ("опись вложени*", "ф. 107", "форма 107")),
    ("delivery_notice", ("уведомление о вручении", "ф. 119")),
    ("tracking_report", ("отчет об отслеживании*", "отслеживани* почтов* отправлени*")),
    ("postal_receipt", ("кассов* чек*", "квитанци*")),
    ("egrn", ("выписка из единого государственного реестра недвижимости", "выписка из егрн")),
    ("bank_statement", ("выписка по счету", "выписка по расчетному счету", "выписка операций по счету",
                        "выписка по операциям")),
    ("registry_extract", ("выписка из единого государственного реестра*", "выписка из егрюл", "выписка из егрип")),
    ("power_of_attorney", ("доверенность",)),
    ("diploma", ("диплом",)),
    ("lawsuit", ("исковое заявление", "цена иска", "заявление о выдаче судебного приказа",
                 "заявление о вынесении судебного приказа")),
    ("admin_decision", ("решение главы", "распоряжение", "постановление администрации", "постановление главы")),
    ("court_ruling", ("определение",)),
    ("court_order", ("судебный приказ",)),
    ("judgment", ("решение", "именем российской федерации")),
    ("writ", ("исполнительный лист", "серия фс")),
    ("bailiff_decision", ("постановление",)),
    ("payment_order", ("платежное поручение",)),
    ("reconciliation", ("акт сверки*",)),
    ("calculation", ("расчет задолженности", "расчет пен*", "расчет неустойки", "расчет процентов",
                     "расчет исковых требований", "расчет суммы")),
    ("claim_copy", ("претензия", "требование (претензия)", "требование об уплате*", "требование о погашении*")),
    ("amendment", ("дополнительное соглашение",)),
    ("act_invoice", ("акт №", "акт оказан*", "акт выполнен*", "акт приема-передачи", "счет на оплату",
                     "счет-фактура", "счет №", "универсальный передаточный документ")),
    ("contract", ("договор", "муниципальный контракт", "контракт")),
)

# Kinds whose ШПИ matters (claim proofs are matched to addresses by it).
TRACKED_KINDS = (*POSTAL_KINDS, "lawsuit_sent_proof")

_LETTER = r"[^\W_]"  # a letter or digit: what a word is made of
_SEP = r"[\s_\-/]*"  # names write spaces as «_» or «-»; «п/п» may be «пп» or «п-п»
_DATES = (
    re.compile(r"(?<!\d)(?P<y>\d{4})[-._](?P<m>\d{1,2})[-._](?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})[-._](?P<m>\d{1,2})[-._](?P<y>\d{4}|\d{2})(?!\d)"),
)
_TRACKING = re.compile(r"(?<!\d)\d{14}(?!\d)|(?<!\d)(?<!\d )\d{6} \d{2} \d{5} \d(?! ?\d)"
                       r"|(?<![A-Z])[A-Z]{2}\d{9}[A-Z]{2}(?![A-Z])")


@dataclass(frozen=True)
class Rule:
    """One keyword of the table: the kind it gives and the compiled parts that must all match."""

    kind: str
    keyword: str
    parts: tuple[re.Pattern, ...]

    @property
    def compound(self) -> bool:
        return len(self.parts) > 1

    def position(self, text: str) -> int | None:
        """Where the rule matches in folded `text` (the last of its parts), or None."""
        found = [p.search(text) for p in self.parts]
        return None if not all(found) else max(m.start() for m in found)


@dataclass(frozen=True, eq=False)  # compared by identity: a cheap key for `classify_by_name`'s cache
class Rules:
    names: tuple[Rule, ...]
    texts: tuple[Rule, ...]


@dataclass(frozen=True)
class Document:
    """A classified file: `relpath` as in `FileEntry`; `tracking` holds every valid ШПИ found (name first),
    `rejected_tracking` the numbers written like a ШПИ whose check digit fails (a misread, a typo): never a
    letter's number, but the reason a receipt proves nothing (`requirements`)."""

    relpath: str
    kind: str
    label: str
    date: date | None
    tracking: tuple[str, ...]
    source_of_kind: str  # "name" | "folder" | "text" | "card" (its «файлы») | "none"
    delivered: date | None = None  # the day a delivery notice says the letter was handed over (`delivery`)
    rejected_tracking: tuple[str, ...] = ()
    awaiting_ocr: bool = False  # a scan whose text OCR has not read yet: «распознаётся», not «не распознан»

    @property
    def generated(self) -> bool:
        """Written by kezdocs into `Сформировано/`: counts as present for what it is."""
        return self.relpath.startswith(GENERATED_DIR + "/")

    @property
    def recognised(self) -> bool:
        """False for a clerk's file whose name, folders and text said nothing: listed as «не распознан: укажите
        вид» — unless its text is still awaited (`awaiting_ocr`)."""
        return self.source_of_kind != "none" or self.generated

    @property
    def tentative(self) -> bool:
        """Whether the kind is only a guess from the file's folder (or nothing): its text and barcodes may
        still tell what it is — a scan in «Претензия/» may be the receipt."""
        return self.source_of_kind in ("folder", "none")

    @property
    def stem(self) -> str:
        return PurePosixPath(self.relpath).stem


def compile_keyword(keyword: str) -> re.Pattern:
    """A keyword as a regex over folded text; ValueError when it has no letters or digits."""
    text = fold(keyword.strip())
    if not re.search(_LETTER, text):
        raise ValueError(keyword)
    out = [f"(?<!{_LETTER})"] if re.match(_LETTER, text) else []
    for i, ch in enumerate(text):
        last = i == len(text) - 1
        if ch == "*":
            out.append(f"{_LETTER}*")
        elif ch in " _-/":
            if not out or out[-1] != _SEP:
                out.append(_SEP)
        elif ch == "." and last:
            out.append(f"(?:\\.|(?!{_LETTER}))")
        elif ch == ".":
            out += [r"\.?", _SEP]
        else:
            out.append(re.escape(ch))
    if re.match(_LETTER, text[-1]):
        out.append(f"(?!{_LETTER})")
    return re.compile("".join(out))


def make_rule(kind: str, keyword: str) -> Rule:
    return Rule(kind, keyword, tuple(compile_keyword(part) for part in keyword.split("+")))


def _table(words: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[Rule, ...]:
    return tuple(make_rule(kind, w) for kind, keywords in words for w in keywords)


DEFAULT_RULES = Rules(_table(DEFAULT_NAME_WORDS), _table(DEFAULT_TEXT_WORDS))


# --- the pure classifier ------------------------------------------------------------------

@lru_cache(maxsize=8192)
def classify_by_name(relpath: str, rules: Rules) -> tuple[str, str] | None:
    """(kind, "name" or "folder") when the file's name or one of its folders says what it is.

    Cached: a scan asks twice per file (does it need its text? what is it?),
    and a root of thousands repeats the same names.
    """
    parts = nfc(relpath).split("/")
    if PurePosixPath(parts[-1]).suffix.lower() in ARCHIVE_SUFFIXES:
        return "archive", "name"
    if parts[0] == GENERATED_DIR:
        own = _generated_kind(parts[-1])
        if own:
            return own, "name"
        parts = parts[1:]
    stem = fold(PurePosixPath(parts[-1]).stem)
    whole = fold(" / ".join([*parts[:-1], PurePosixPath(parts[-1]).stem]))
    for rule in rules.names:
        if rule.position(whole if rule.compound else stem) is not None:
            return rule.kind, "name"
    for folder in reversed(parts[:-1]):
        folded = fold(folder)
        for rule in rules.names:
            if rule.position(folded) is not None:
                return rule.kind, "folder"
    return None


def _generated_kind(name: str) -> str | None:
    """The kind of a file kezdocs wrote, from the title `paperwork.generated.file_name` gave it (codes, not words)."""
    title = fold(re.sub(r"^\d{4}-\d{2}-\d{2} ", "", PurePosixPath(name).stem))
    found = [(len(k.title), code) for code, k in generated_kinds.KINDS.items() if title.startswith(fold(k.title))]
    return GENERATED_KINDS.get(max(found)[1]) if found else None


def classify(relpath: str, text: str, rules: Rules, given: str | None = None) -> tuple[str, str]:
    """(kind, source of the kind) for a file: the card's word (`given`), its name, its text, then its folders."""
    if given:
        return given, "card"
    by_name = classify_by_name(relpath, rules)
    if by_name and by_name[1] == "name":
        return by_name
    head = fold(text[:HEAD])
    found = [(pos, i, r.kind) for i, r in enumerate(rules.texts) if (pos := r.position(head)) is not None]
    if found:
        return min(found)[2], "text"
    return by_name or ("other", "none")


def needs_text(relpath: str, rules: Rules, given: str | None = None) -> bool:
    """Reading text is slow: only when neither the card (`given`) nor the name says what the file is (a kind
    from its folder is a guess), a postal document's ШПИ is not in its name, or the file is a delivery notice
    (its text says the day of delivery)."""
    by_name = (given, "card") if given else classify_by_name(relpath, rules)
    if by_name is None or by_name[1] == "folder":
        return True
    kind = by_name[0]
    return kind in NOTICE_KINDS or (kind in TRACKED_KINDS and not tracking_numbers(PurePosixPath(relpath).name))


def date_in_name(name: str) -> date | None:
    """The first valid date written in a file name («2024-04-15 …», «… от 15.04.2024»)."""
    found = []
    for pattern in _DATES:
        for m in pattern.finditer(name):
            year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
            try:
                found.append((m.start(), date(year, int(m["m"]), int(m["d"]))))
            except ValueError:
                continue
    return min(found)[1] if found else None


def _written_numbers(text: str) -> tuple[str, ...]:
    """Everything written like a ШПИ (14 digits, maybe grouped 6-2-5-1, or an international RA123456785RU),
    in order, once each, as `eventrules.shpi_key` writes it."""
    return tuple(dict.fromkeys(shpi_key(m.group()) for m in _TRACKING.finditer(text)))


def tracking_numbers(text: str) -> tuple[str, ...]:
    """Russian Post tracking numbers (ШПИ) in `text`: only those with a right check digit
    (`eventrules.shpi_problem`), so a digit misread by OCR or mistyped in a name is refused rather than taken
    for another letter."""
    return tuple(number for number in _written_numbers(text) if shpi_problem(number) is None)


def refused_numbers(text: str) -> tuple[str, ...]:
    """The numbers in `text` written like a ШПИ whose check digit fails: what `tracking_numbers` refuses."""
    return tuple(number for number in _written_numbers(text) if shpi_problem(number) is not None)


def document(relpath: str, text: str, rules: Rules, given: str | None = None, awaiting_ocr: bool = False) -> Document:
    """A classified file from its path and text (pure); `given`: the kind the card's «файлы» gives it
    (`filekinds.card_kind`); `awaiting_ocr`: its text is a scan's that OCR has not read yet."""
    kind, source = classify(relpath, text, rules, given)
    name = PurePosixPath(nfc(relpath)).name
    written = name + "\n" + text[:MAX_TEXT]
    return Document(nfc(relpath), kind, KINDS[kind], date_in_name(name), tracking_numbers(written), source,
                    delivered_on(text[:MAX_TEXT]) if kind in NOTICE_KINDS else None, refused_numbers(written),
                    awaiting_ocr)


# --- rules from the settings ----------------------------------------------------------------

def rules_from_settings(settings: Settings) -> tuple[Rules, list[Problem]]:
    """The user's rules (section «классификация») ahead of the defaults, and problems in them.

    The section maps a kind to keywords for names, or to «слова» (names) and
    «текст» (phrases in the text):

        классификация:
          договор: [контракт*, соглашение*]
          платёжное поручение: {слова: [платёжка], текст: [платёжное поручение]}
          прочее: [черновик*]
    """
    data = settings.extra.get(SECTION)
    if data is None:
        return DEFAULT_RULES, []
    problems: list[Problem] = []
    if not isinstance(data, Map):
        line = getattr(data, "line", None)
        return DEFAULT_RULES, [Problem(SETTINGS_NAME, line, f"«{SECTION}»: ожидается «вид документа: [слова, …]»", SECTION)]
    names: list[Rule] = []
    texts: list[Rule] = []
    for key, value in data.items():
        line = data.line_of(key)
        code = kind_code(key)
        if code is None:
            problems.append(Problem(SETTINGS_NAME, line, f"«{SECTION}»: неизвестный вид документа «{key}»"
                                    + kind_hint(key), SECTION))
            continue
        if isinstance(value, Map):
            for sub in value:
                if sub not in ("слова", "текст"):
                    problems.append(Problem(SETTINGS_NAME, value.line_of(sub),
                                            f"«{SECTION}.{key}»: неизвестное поле «{sub}» (допустимы «слова» и «текст»)",
                                            SECTION))
            groups = ((names, value.get("слова")), (texts, value.get("текст")))
        else:
            groups = ((names, value),)
        for target, words in groups:
            for word, word_line in _words(words, line):
                try:
                    target.append(make_rule(code, word))
                except ValueError:
                    problems.append(Problem(SETTINGS_NAME, word_line,
                                            f"«{SECTION}.{key}»: «{word}» — не слово (нужны буквы или цифры)", SECTION))
    return Rules((*names, *DEFAULT_RULES.names), (*texts, *DEFAULT_RULES.texts)), problems


def _words(value, line: int) -> list[tuple[str, int]]:
    if isinstance(value, Text):
        items = [value]
    elif isinstance(value, Seq):
        items = [v for v in value if isinstance(v, Text)]
    else:
        return []
    return [(t.value.strip(), t.line or line) for t in items if t.value.strip()]

