"""Intake: what each file a clerk drops into a case folder is.

A pure classifier (`classify`, `document`) over a file's path and its text,
driven by a rule table (`DEFAULT_RULES`, extended from `настройки.yaml`,
section «классификация»), and a thin shell (`classify_folder`,
`read_file`) that opens PDF and DOCX files and reads their text when the
name does not tell. The clerk's files are only read, never renamed, moved or
changed.

Order of evidence: the file name, then its folders (innermost first), then
its text. A keyword matches whole words, case- and ё-insensitively, in
Unicode NFC; a trailing `*` allows any ending («квитанци*»); a trailing dot
marks an abbreviation («дог.»); «а+б» needs both parts, anywhere in the
file's path («Иск/квитанция.pdf» is proof the lawsuit was sent). The first
matching rule of the table wins. In the text, the rule matching earliest
wins (a document's title comes first; a lawsuit mentions «претензия» only
later).
"""
from __future__ import annotations

import difflib
import io
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path, PurePosixPath

from .card import CARD_NAME
from .casefolder import GENERATED_DIR, FileEntry, nfc
from .model import Problem
from .plaintext import Map, Seq, Text
from .settings import SETTINGS_NAME, Settings

SECTION = "классификация"
PACKAGE_PREFIX = "Пакет "  # `package` writes Сформировано/Пакет <date>/: copies, not documents of their own
MAX_PAGES = 3  # a title, a tracking number, a stamp: all on the first pages
MAX_TEXT = 20_000
HEAD = 3_000  # text rules look at the start of a document, where its title is

# Stable code -> Russian label, in the order lists show them.
KINDS: dict[str, str] = {
    "contract": "договор",
    "amendment": "дополнительное соглашение",
    "act_invoice": "акт / счёт",
    "reconciliation": "акт сверки",
    "calculation": "расчёт",
    "claim_copy": "претензия (копия)",
    "postal_receipt": "почтовая квитанция",
    "post_inventory": "опись вложения",
    "delivery_notice": "уведомление о вручении",
    "tracking_report": "отчёт об отслеживании",
    "registry_extract": "выписка ЕГРЮЛ/ЕГРИП",
    "power_of_attorney": "доверенность",
    "diploma": "диплом представителя",
    "lawsuit": "исковое заявление",
    "lawsuit_sent_proof": "подтверждение направления иска",
    "court_ruling": "определение суда",
    "judgment": "решение суда",
    "court_order": "судебный приказ",
    "writ": "исполнительный лист",
    "bank_response": "ответ банка",
    "bailiff_decision": "постановление ФССП",
    "payment_order": "платёжное поручение",
    "other": "прочее",
}
# Other names a user may give a kind in the settings (besides its label and code).
KIND_ALIASES = {"акт": "act_invoice", "счёт": "act_invoice", "счет": "act_invoice", "претензия": "claim_copy",
                "квитанция": "postal_receipt", "выписка": "registry_extract", "диплом": "diploma",
                "иск": "lawsuit", "определение": "court_ruling", "решение": "judgment",
                "постановление": "bailiff_decision", "другое": "other"}

# Name keywords, most specific first (the first matching rule wins).
DEFAULT_NAME_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("lawsuit_sent_proof", ("квитанци*+иск*", "чек*+иск*", "опис*+иск*", "уведомлени*+иск*", "отслеживани*+иск*",
                            "трек*+иск*", "отправк*+иск*", "направлени*+иск*", "почт*+иск*",
                            "квитанци*+приказ*", "опис*+приказ*", "направлени*+приказ*", "отправк*+приказ*")),
    ("bank_response", ("ответ*+банк*", "письм*+банк*", "уведомлени*+банк*", "возврат*+банк*")),
    ("post_inventory", ("опис*", "ф.107", "форма 107")),
    ("delivery_notice", ("уведомлени*", "увед.", "ф.119", "вручени*")),
    ("tracking_report", ("отслеживани*", "трек*")),
    ("postal_receipt", ("квитанци*", "чек", "чеки", "чека")),
    ("registry_extract", ("егрюл", "егрип", "выписк*")),
    ("power_of_attorney", ("доверенност*", "дов-ть")),
    ("diploma", ("диплом*",)),
    ("lawsuit", ("заявлени* о выдач* судебн* приказ*", "заявлени* о вынесени* судебн* приказ*")),
    ("court_ruling", ("определени*",)),
    ("court_order", ("судебн* приказ*",)),
    ("judgment", ("решени*",)),
    ("writ", ("исполнительн* лист*", "исп. лист*", "исполнительн* документ*", "ил", "фс")),
    ("bailiff_decision", ("постановлени*", "фссп", "осп")),
    ("payment_order", ("платежн* поручени*", "платежн*", "платежк*", "п/п")),
    ("reconciliation", ("акт* сверки", "сверк*")),
    ("calculation", ("расчет*", "расч.")),
    ("claim_copy", ("претензи*", "требовани*")),
    ("lawsuit", ("иск*",)),
    ("amendment", ("доп. соглашени*", "дополнительн* соглашени*", "допсоглашени*", "дс")),
    ("act_invoice", ("акт", "акты", "акта", "актов", "счет", "счета", "счет-фактур*", "упд", "накладн*")),
    ("contract", ("договор*", "дог.", "контракт*", "соглашени*")),
)

# Title phrases in a document's text (the earliest match wins).
DEFAULT_TEXT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("post_inventory", ("опись вложени*", "ф. 107", "форма 107")),
    ("delivery_notice", ("уведомление о вручении", "ф. 119")),
    ("tracking_report", ("отчет об отслеживании*", "отслеживани* почтов* отправлени*")),
    ("postal_receipt", ("кассов* чек*", "квитанци*")),
    ("registry_extract", ("выписка из единого государственного реестра*", "выписка из егрюл", "выписка из егрип")),
    ("power_of_attorney", ("доверенность",)),
    ("diploma", ("диплом",)),
    ("lawsuit", ("исковое заявление", "цена иска", "заявление о выдаче судебного приказа",
                 "заявление о вынесении судебного приказа")),
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
POSTAL_KINDS = ("postal_receipt", "post_inventory", "delivery_notice", "tracking_report")
TRACKED_KINDS = (*POSTAL_KINDS, "lawsuit_sent_proof")

_LETTER = r"[^\W_]"  # a letter or digit: what a word is made of
_SEP = r"[\s_\-/]*"  # names write spaces as «_» or «-»; «п/п» may be «пп» or «п-п»
_DATES = (
    re.compile(r"(?<!\d)(?P<y>\d{4})[-._](?P<m>\d{1,2})[-._](?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})[-._](?P<m>\d{1,2})[-._](?P<y>\d{4}|\d{2})(?!\d)"),
)
_TRACKING = re.compile(r"(?<!\d)\d{14}(?!\d)|(?<!\d)(?<!\d )\d{6} \d{2} \d{5} \d(?! ?\d)")


def fold(text: str) -> str:
    """How names and keywords are compared: NFC, case-folded, ё as е, spaces collapsed."""
    return re.sub(r"\s+", " ", nfc(text).casefold().replace("ё", "е"))


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
    """A classified file: `relpath` as in `FileEntry`; `tracking` holds every ШПИ found (name first)."""

    relpath: str
    kind: str
    label: str
    date: date | None
    tracking: tuple[str, ...]
    source_of_kind: str  # "name" | "folder" | "text" | "none"

    @property
    def generated(self) -> bool:
        """Written by kezdocs into `Сформировано/`: counts as present for what it is."""
        return self.relpath.startswith(GENERATED_DIR + "/")

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
    if parts[0] == GENERATED_DIR:
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


def classify(relpath: str, text: str, rules: Rules) -> tuple[str, str]:
    """(kind, source of the kind) for a file: by its name, its folders, then its text."""
    by_name = classify_by_name(relpath, rules)
    if by_name:
        return by_name
    head = fold(text[:HEAD])
    found = [(pos, i, r.kind) for i, r in enumerate(rules.texts) if (pos := r.position(head)) is not None]
    if found:
        return min(found)[2], "text"
    return "other", "none"


def needs_text(relpath: str, rules: Rules) -> bool:
    """Reading text is slow: only when the name says nothing, or a postal document's ШПИ is not in its name."""
    by_name = classify_by_name(relpath, rules)
    if by_name is None:
        return True
    return by_name[0] in TRACKED_KINDS and not tracking_numbers(PurePosixPath(relpath).name)


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


def tracking_numbers(text: str) -> tuple[str, ...]:
    """Russian Post tracking numbers (ШПИ: 14 digits, maybe grouped 6-2-5-1), in order, once each."""
    return tuple(dict.fromkeys(m.group().replace(" ", "") for m in _TRACKING.finditer(text)))


def document(relpath: str, text: str, rules: Rules) -> Document:
    """A classified file from its path and text (pure)."""
    kind, source = classify(relpath, text, rules)
    name = PurePosixPath(nfc(relpath)).name
    return Document(nfc(relpath), kind, KINDS[kind], date_in_name(name),
                    tracking_numbers(name + "\n" + text[:MAX_TEXT]), source)


# --- rules from the settings ----------------------------------------------------------------

def kind_code(name: str) -> str | None:
    """A kind's code from its code, Russian label or alias, as a user writes it in the settings."""
    key = fold(name).strip()
    for code, label in KINDS.items():
        if key in (code, fold(label)):
            return code
    return KIND_ALIASES.get(key)


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
            hint = difflib.get_close_matches(fold(key), [fold(label) for label in KINDS.values()], n=1, cutoff=0.5)
            problems.append(Problem(SETTINGS_NAME, line, f"«{SECTION}»: неизвестный вид документа «{key}»"
                                    + (f"; может быть, «{hint[0]}»?" if hint else ""), SECTION))
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


# --- the shell: reading files ---------------------------------------------------------------

def classify_folder(folder_path: Path, files: list[FileEntry], rules: Rules,
                    text_cache: dict | None = None) -> tuple[list[Document], list[Problem]]:
    """Classify every file of a case folder; an unreadable file is a problem, never an exception.

    `files` come from `casefolder.list_files` (ignored names already left out).
    The card and the package copies are skipped; documents in `Сформировано/`
    are classified by name only. Every PDF and DOCX is opened (a damaged or
    locked one is reported), but its text is read only when `needs_text`.
    `text_cache` (key `text_key(entry)`, value {"text", "problem"}) lets a
    caller skip re-reading unchanged files.
    """
    shown_folder = nfc(Path(folder_path).name)
    documents: list[Document] = []
    problems: list[Problem] = []
    for entry in files:
        if not _is_document(entry.relpath):
            continue
        text = ""
        if not entry.relpath.startswith(GENERATED_DIR + "/"):
            read = _cached_read(Path(folder_path), entry, needs_text(entry.relpath, rules), text_cache)
            text = read["text"] or ""
            if read["problem"]:
                problems.append(Problem(f"{shown_folder}/{entry.relpath}", None, read["problem"]))
        documents.append(document(entry.relpath, text, rules))
    return documents, problems


def _is_document(relpath: str) -> bool:
    parts = relpath.split("/")
    if relpath == CARD_NAME:
        return False
    return not (len(parts) > 2 and parts[0] == GENERATED_DIR and parts[1].startswith(PACKAGE_PREFIX))


def text_key(entry: FileEntry) -> str:
    """The cache key of a file's text: a file with the same path, size and mtime has the same text."""
    return f"{entry.relpath}\0{entry.size}\0{entry.mtime_ns}"


def _cached_read(folder: Path, entry: FileEntry, want_text: bool, cache: dict | None) -> dict:
    """{"text": text or None when not read, "problem": message or None}, from the cache when it has enough."""
    key = text_key(entry)
    cached = cache.get(key) if cache is not None else None
    if cached is not None and (cached["text"] is not None or not want_text):
        return cached
    if entry.size == 0:
        result = {"text": "", "problem": "файл пустой (0 байт)"}
    else:
        text, problem = read_file(real_path(folder, entry.relpath), want_text)
        result = {"text": None if text is None else text[:MAX_TEXT], "problem": problem}
    if cache is not None:
        cache[key] = result
    return result


def real_path(folder: Path, relpath: str) -> Path:
    """The file on disk for an NFC `relpath`: names written in NFD (macOS) are found by comparing in NFC."""
    path = Path(folder) / relpath
    if path.exists():
        return path
    current = Path(folder)
    for part in relpath.split("/"):
        try:
            current = next((c for c in current.iterdir() if nfc(c.name) == part), current / part)
        except OSError:
            return path
    return current


def read_file(path: Path, want_text: bool = True) -> tuple[str | None, str | None]:
    """Open a PDF or DOCX to see that it is readable; with `want_text`, also its first pages' text.

    Returns (text, or None when not read; a Russian problem, or None). Other
    formats (scans as images, .doc) give no text and no problem: their names
    have to say what they are.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            return _pdf_text(path, want_text)
        if suffix == ".docx":
            return _docx_text(path, want_text)
        if suffix == ".txt":
            return path.read_bytes()[: MAX_TEXT * 4].decode("utf-8", errors="replace"), None
    except OSError as exc:
        return "", f"не удаётся прочитать файл: {exc.strerror or exc}"
    return "", None


@contextmanager
def _quiet(logger_name: str):
    """pypdf logs every oddity of a damaged file; the problem list says it once, in Russian."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _pdf_text(path: Path, want_text: bool) -> tuple[str | None, str | None]:
    from pypdf import PdfReader

    data = path.read_bytes()
    if not want_text:
        verdict = _pdf_shape(data)
        if verdict != "encrypted":
            return None, verdict
    with _quiet("pypdf"):
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not _decrypt(reader):
                return "", "PDF защищён паролем — kezdocs не может его прочитать; сохраните копию без пароля"
            pages = reader.pages
            if len(pages) == 0:
                return "", "в PDF нет ни одной страницы — файл повреждён"
            if not want_text:
                return None, None
            text = _first_pages_text(pages)
        except Exception as exc:  # noqa: BLE001 - a damaged file raises anything; it must not stop the scan
            return "", f"PDF повреждён и не читается ({type(exc).__name__}); откройте и пересохраните его"
    return nfc(text), None


def _first_pages_text(pages) -> str:
    """The text of the first pages, stopping once there is enough to classify by (extraction is slow)."""
    parts: list[str] = []
    for page in list(pages)[:MAX_PAGES]:
        parts.append(page.extract_text() or "")
        if sum(map(len, parts)) >= HEAD:
            break
    return "\n".join(parts)


def _pdf_shape(data: bytes) -> str | None:
    """A cheap look at a PDF whose text is not needed: its header, its end, its encryption.

    Opening every PDF with pypdf costs milliseconds a file; a half-copied or
    truncated file lacks «%%EOF» at its end, a non-PDF lacks the header. An
    encrypted one is left to pypdf (many open with an empty password).
    """
    if b"%PDF-" not in data[:1024]:
        return "файл не является PDF (нет заголовка %PDF) — откройте и пересохраните его"
    tail = data[-2048:]
    if b"%%EOF" not in tail:
        return "PDF обрезан (нет конца файла) — файл повреждён или ещё не докопирован"
    if b"/Encrypt" in data[-8192:]:
        return "encrypted"
    return None


def _decrypt(reader) -> bool:
    """Many PDFs are «encrypted» with an empty password only to forbid editing: those open."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 - a missing crypto backend or a broken header: both mean «cannot open»
        return False


def _docx_text(path: Path, want_text: bool) -> tuple[str | None, str | None]:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    damaged = "файл DOCX повреждён или защищён паролем ({}); откройте и пересохраните его"
    try:
        if not want_text:
            with zipfile.ZipFile(path) as z:
                return (None, None) if "word/document.xml" in z.namelist() else ("", damaged.format("нет текста"))
        doc = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        return "", damaged.format(type(exc).__name__)
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return nfc("\n".join(lines)), None
