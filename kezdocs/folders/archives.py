"""Archives a clerk drops (a DOCX, an XLSX are zips too), opened within budgets: a zip bomb or a table of contents
of gigabytes is refused before it is read; a DOCX's text is read as a stream, never as a whole tree."""
from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

from kezdocs.core.classification import MAX_TEXT
from kezdocs.core.names import nfc, shown_name

ZIP_MEMBER_LIMIT = 50_000_000  # declared uncompressed size of one member of a DOCX/XLSX
ZIP_TOTAL_LIMIT = 200_000_000  # all members together
ZIP_RATIO_LIMIT = 100  # uncompressed : compressed, for members larger than ZIP_RATIO_FLOOR
ZIP_RATIO_FLOOR = 1_000_000
ZIP_MEMBERS_LIMIT = 10_000
ZIP_DIRECTORY_LIMIT = 4_000_000  # bytes of an archive's table of contents, read before zipfile parses it
DOCX_TIME_BUDGET = 2.0  # seconds of reading a DOCX's text; what was read by then is kept


class ArchiveRefused(zipfile.BadZipFile):
    """An archive whose table of contents is too large to read (`open_archive`)."""


def open_archive(path: Path) -> zipfile.ZipFile:
    """A zip opened for `archive_refusal`; its table of contents, which zipfile reads whole into
    memory, is measured first from the archive's end record (`ArchiveRefused` when too large)."""
    with open(path, "rb") as file:
        size = _directory_size(file)
    if size is not None and size > ZIP_DIRECTORY_LIMIT:
        raise ArchiveRefused(f"оглавление архива занимает {size // 1_000_000} МБ — это не обычный документ")
    return zipfile.ZipFile(path)


def _directory_size(file) -> int | None:
    """The size of a zip's central directory, from its end record (zip64 too); None when there is none."""
    import struct

    end = file.seek(0, os.SEEK_END)
    file.seek(max(0, end - 65_557))  # the end record (22 bytes) and at most a 64 KB comment
    tail = file.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    size = struct.unpack_from("<L", tail, at + 12)[0]
    if size != 0xFFFFFFFF or at < 20 or tail[at - 20:at - 16] != b"PK\x06\x07":
        return size
    file.seek(struct.unpack_from("<Q", tail, at - 12)[0])  # the zip64 end record named by its locator
    record = file.read(56)
    return struct.unpack_from("<Q", record, 40)[0] if len(record) == 56 and record[:4] == b"PK\x06\x06" else None


def archive_refusal(archive: zipfile.ZipFile) -> str | None:
    """Why an Office file (a zip: DOCX, XLSX) must not be unpacked, in Russian; None when it may.

    Checked on the sizes the archive declares, before a byte is inflated: too
    many members, a member or all of them too large, or a ratio no real
    document has (a «zip bomb»: 3 MB that inflate to 1 GB). zipfile never
    inflates a member past its declared size, so the declared sizes are a bound.
    """
    members = archive.infolist()
    if len(members) > ZIP_MEMBERS_LIMIT:
        return f"в архиве больше {ZIP_MEMBERS_LIMIT} частей — это не обычный документ"
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > ZIP_MEMBER_LIMIT:
            return (f"часть «{shown_name(member.filename)}» занимает в распакованном виде "
                    f"{member.file_size // 1_000_000} МБ (предел {ZIP_MEMBER_LIMIT // 1_000_000} МБ)")
        if member.file_size > ZIP_RATIO_FLOOR and member.file_size > ZIP_RATIO_LIMIT * max(member.compress_size, 1):
            return (f"часть «{shown_name(member.filename)}» сжата в {member.file_size // max(member.compress_size, 1)} раз "
                    f"(предел {ZIP_RATIO_LIMIT}) — так сжимают «архивные бомбы», а не документы")
    if total > ZIP_TOTAL_LIMIT:
        return f"в распакованном виде архив занимает {total // 1_000_000} МБ (предел {ZIP_TOTAL_LIMIT // 1_000_000} МБ)"
    return None


def docx_text(path: Path, want_text: bool) -> tuple[str | None, str | None]:
    """A DOCX's text, read as a stream from its `word/document.xml` after `archive_refusal` allowed it:
    at most `MAX_TEXT` characters and `DOCX_TIME_BUDGET` seconds, however large the document."""
    damaged = "файл DOCX повреждён или защищён паролем ({}); откройте и пересохраните его"
    with open_archive(path) as archive:
        refusal = archive_refusal(archive)
        if refusal:
            return ("" if want_text else None), f"файл DOCX не открыт: {refusal}"
        if DOCX_MAIN not in archive.namelist():
            return "", damaged.format("нет текста")
        if not want_text:
            return None, None
        try:
            with archive.open(DOCX_MAIN) as stream:
                return nfc(_docx_stream_text(stream)), None
        except Exception as exc:  # noqa: BLE001 - broken XML, a bad CRC, a truncated member: all «damaged»
            return "", damaged.format(type(exc).__name__)


DOCX_MAIN = "word/document.xml"
RUN_TEXT = {"t": "", "tab": "\t", "br": "\n", "cr": "\n"}  # what python-docx's `Paragraph.text` makes of them


def _docx_stream_text(stream) -> str:
    """The body's paragraphs, then the tables' rows (cells joined by spaces), as python-docx gives them,
    from a streaming parse that keeps no more of the tree than the current paragraph."""
    from lxml import etree

    body: list[str] = []
    rows: list[str] = []
    runs: list[str] = []
    cell: list[str] = []
    row: list[str] = []
    tables = 0
    size = [0, 0, 0]  # characters in the body, in the tables, in the current paragraph
    started = time.monotonic()
    events = etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=False)
    for count, (event, element) in enumerate(events):
        tag = element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""
        if event == "start":
            tables += tag == "tbl"
            continue
        if tag in RUN_TEXT:
            text = (element.text or "") if tag == "t" else RUN_TEXT[tag]
            runs.append(text)
            size[2] += len(text)
        elif tag == "p":
            text, runs = "".join(runs), []
            (cell if tables else body).append(text)
            size[1 if tables else 0] += len(text) + 1
            size[2] = 0
        elif tag == "tc":
            row.append("\n".join(cell))
            cell = []
        elif tag == "tr":
            rows.append(" ".join(row))
            row = []
        elif tag == "tbl":
            tables -= 1
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
        if size[0] + size[2] >= MAX_TEXT or sum(size) >= 2 * MAX_TEXT:
            break
        if count % 10_000 == 0 and time.monotonic() - started > DOCX_TIME_BUDGET:
            break
    return "\n".join([*body, "".join(runs), *rows] if runs else [*body, *rows])[:MAX_TEXT]
