"""File names as kezdocs compares and shows them: the litter that is never a document, Unicode NFC, and names made
safe to show (a newline, a bidi mark or a byte that is not UTF-8 in a name never rewrites a line people read).

Pure: strings in, strings out; the folders and the reports call these on the names the file system gives.
"""
from __future__ import annotations

import re
import unicodedata

# Files that are never a clerk's document: editors' lock files, OS litter, temporary files.
IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


def is_ignored(name: str) -> bool:
    """Lock files (`~$x.docx`, `.~lock.x#`), temp files, OS litter and hidden files."""
    lower = name.lower()
    return (
        lower in IGNORED_NAMES
        or name.startswith(("~$", ".~lock.", "."))
        or lower.endswith((".tmp", ".part", ".crdownload", "~"))
    )


def nfc(text: str) -> str:
    """Names are compared in Unicode NFC (macOS writes NFD)."""
    return unicodedata.normalize("NFC", text)


# --- names as people see them --------------------------------------------------------------------

# What a file name may hold that changes how a line reads: C0/C1 control characters (a newline in a
# name writes a fake line into СТАТУС.txt), bidi controls (U+202E shows «отчёт\u202efdp.exe» as
# «отчётexe.pdf»), and the lone surrogates by which Python keeps the bytes of a name that is not UTF-8.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    if char in _ESCAPES:
        return _ESCAPES[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as os.fsdecode keeps it (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def shown_name(name: str) -> str:
    r"""A name (or a line) safe to show anywhere: controls, bidi marks and non-UTF-8 bytes written visibly.

    A newline becomes the two characters «\n», U+202E becomes «\u202e», the byte 0xFF of a name that
    is not UTF-8 becomes «\xff» (as `backslashreplace` writes it). A clean name is returned as it is
    (the common case costs one regex search). The result always encodes as UTF-8, so it can go into
    JSON, the index, HTML and СТАТУС.txt.
    """
    return _UNSAFE.sub(_escape, name) if _UNSAFE.search(name) else name


def name_problem(name: str) -> str | None:
    """Why a file or folder name is hostile to the people reading it, in Russian; None for a clean name."""
    if not _UNSAFE.search(name):
        return None
    reasons = []
    if _SURROGATE.search(name):
        reasons.append("байты не в кодировке UTF-8")
    if _CONTROL.search(name):
        reasons.append("управляющие символы (перевод строки, табуляция и т. п.)")
    if _BIDI.search(name):
        reasons.append("знаки смены направления текста (имя может выглядеть не тем, что оно есть)")
    return f"в имени есть {', '.join(reasons)}; здесь они показаны кодами вида «\\n», «\\xff» — переименуйте файл или папку"

