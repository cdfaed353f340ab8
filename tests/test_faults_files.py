"""Hostile files in case folders: one bad file or name never hides a case, and reading stays bounded.

Real files in tmp_path, the real command line in a child process (its time and
peak memory measured from outside), the real watcher with a real observer.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest

from kezdocs.core.card import CARD_NAME, STATUS_FILE
from kezdocs.core.names import name_problem, shown_name
from kezdocs.folders.archives import archive_refusal
from kezdocs.folders.casefiles import fingerprint, list_files, list_folder
from kezdocs.folders.casefolder import read_text
from kezdocs.folders.index import Index
from kezdocs.folders.intake import PDF_PARSE_LIMIT, TEXT_PREFIX, read_file
from kezdocs.paperwork.dashboard import SUMMARY_FILE
from kezdocs.paperwork.pdftext import text_pdf
from kezdocs.service.watch_log import LOG_NAME
from kezdocs.service.watcher import Watcher

TODAY = date(2026, 11, 24)
DAY = TODAY.isoformat()
PETROV = "2026-002 ИП Петров"
ROMASHKA = "2026-001 ООО Ромашка"
FAKE_LINE = "Стадия:              исполнено, долг погашен"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
                 'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                 '</Types>')
RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>')


@pytest.fixture()
def root(demo_copy):
    return demo_copy


def kezdocs(*args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kezdocs", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def case_folders(root: Path) -> list[str]:
    """The case folders as the user sees them: every folder of the root holding a card."""
    return sorted(p.name for p in root.iterdir() if (p / CARD_NAME).is_file())


def summary_folders(root: Path) -> list[str]:
    page = (root / SUMMARY_FILE).read_text(encoding="utf-8")
    return sorted(part.split('"', 1)[0] for part in page.split('data-folder="')[1:])


def docx_with(document_xml: bytes | str) -> bytes:
    """A DOCX package (content types, relations) around the given `word/document.xml`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def write_bomb(path: Path, inflated: int) -> None:
    """A DOCX of a few MB whose document.xml inflates to `inflated` bytes of paragraphs, written in chunks."""
    paragraphs = b"<w:p><w:r><w:t>bomb</w:t></w:r></w:p>" * 1000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode())
            for _ in range(inflated // len(paragraphs)):
                member.write(paragraphs)
            member.write(b"</w:body></w:document>")


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    write_bomb(path, 1 << 30)
    return path


# The hostile names of one case folder, as bytes on disk -> as kezdocs must show them.
HOSTILE = {
    b"\xff\xfe.pdf": "\\xff\\xfe.pdf",
    f"справка\n{FAKE_LINE}.pdf".encode(): f"справка\\n{FAKE_LINE}.pdf",
    "чек\r.pdf".encode(): "чек\\r.pdf",
    "акт\tсверки.pdf".encode(): "акт\\tсверки.pdf",
    "счёт\u202efdp.exe.pdf".encode(): "счёт\\u202efdp.exe.pdf",
}
# Broken files (clean names) -> a word their problem must hold.
BROKEN = {"без названия.docx": "DOCX", "пустой.pdf": "пустой", "скан 7.pdf": "PDF"}


def drop_hostile(case: Path) -> None:
    """Every hostile name and broken file of the brief, in one case folder (file contents are real)."""
    pdf = text_pdf([["Договор аренды", "г. Кез"]])
    folder = os.fsencode(case)
    for name in HOSTILE:
        with open(os.path.join(folder, name), "wb") as out:
            out.write(pdf)
    (case / "без названия.docx").write_bytes(docx_with(f'<w:document xmlns:w="{W}"><w:body><w:p><broken'))
    (case / "пустой.pdf").write_bytes(b"")
    (case / "скан 7.pdf").write_bytes(text_pdf([["Доверенность"]] * 3)[: len(pdf) // 2])


def problems_of(record: dict) -> list[tuple[str, str]]:
    return [(p["file"], p["message"]) for p in record["problems"]]


# --- every case is still listed --------------------------------------------------------------------------

def test_hostile_names_and_broken_files_never_hide_a_case(root):
    drop_hostile(root / PETROV)
    folders = case_folders(root)
    assert len(folders) == 11

    status = kezdocs("status", "--root", root, "--today", DAY, "--json")
    assert status.returncode == 1, status.stderr  # problems found; 3 would be a crash
    assert "Traceback" not in status.stderr and "--debug" not in status.stderr
    records = {r["folder"]: r for r in json.loads(status.stdout)}
    assert sorted(records) == folders
    problems = problems_of(records[PETROV])
    for shown in HOSTILE.values():
        assert any(file == f"{PETROV}/{shown}" and "переименуйте" in message for file, message in problems), shown
    for name, word in BROKEN.items():
        assert any(file == f"{PETROV}/{name}" and word in message for file, message in problems), name
    listed = {d["path"] for d in records[PETROV]["documents"]}
    assert set(HOSTILE.values()) <= listed  # still classified, under their safe names

    table = kezdocs("status", "--root", root, "--today", DAY)
    assert table.returncode == 1 and "Traceback" not in table.stderr
    assert "\\xff\\xfe.pdf" in table.stdout  # the CLI names the file, escaped

    dashboard = kezdocs("dashboard", "--root", root, "--today", DAY)
    assert dashboard.returncode == 0, dashboard.stderr
    assert summary_folders(root) == folders
    text = (root / PETROV / STATUS_FILE).read_bytes().decode("utf-8")  # strict: no surrogate got through
    lines = text.lstrip("\ufeff").split("\r\n")
    assert not any(line.startswith(FAKE_LINE) for line in lines)
    assert sum(line.startswith("Стадия:") for line in lines) == 1
    assert f"справка\\n{FAKE_LINE}.pdf" in text
    assert text.count("\r") == text.count("\r\n") and "\n" not in text.replace("\r\n", "")
    assert "\t" not in text and "\u202e" not in text and "\\u202e" in text

    reindex = kezdocs("reindex", "--root", root, "--today", DAY)
    assert reindex.returncode == 0, reindex.stderr
    assert f"дел — {len(folders)}" in reindex.stdout
    assert sorted(Index(root).records()) == folders


def test_hostile_case_folder_names_are_listed_and_reported(root):
    source = os.fsencode(root / "2026-003 Черных Ольга")
    for number, name in ((b"2026-098", "2026-098 Иванов\nИван".encode()), (b"2026-099", b"2026-099 \xff\xfe")):
        target = os.path.join(os.fsencode(root), name)
        shutil.copytree(source, target)
        card = os.path.join(target, CARD_NAME.encode())
        with open(card, "rb") as file:
            text = file.read().replace(b"2026-003", number)
        with open(card, "wb") as file:
            file.write(text)
    status = kezdocs("status", "--root", root, "--today", DAY, "--json")
    assert status.returncode == 1 and "Traceback" not in status.stderr
    records = {r["folder"]: r for r in json.loads(status.stdout)}
    assert len(records) == len(case_folders(root)) == 13
    for shown in ("2026-098 Иванов\\nИван", "2026-099 \\xff\\xfe"):
        files = [p["file"] for p in records[shown]["problems"]]
        assert files[0] == shown  # the folder's own name, shown safely
        assert files[1:] and all(f.startswith(shown + "/") for f in files[1:])  # copies of 2026-003's files (issue 16)
    dashboard = kezdocs("dashboard", "--root", root, "--today", DAY)
    assert dashboard.returncode == 0, dashboard.stderr
    assert len(summary_folders(root)) == len(records)
    written = os.path.join(os.fsencode(root), b"2026-099 \xff\xfe", STATUS_FILE.encode())
    with open(written, "rb") as file:
        assert file.read().decode("utf-8").count("\\xff\\xfe") == 1  # its own name, shown safely


def test_zip_bomb_docx_is_refused_within_five_seconds_and_300_mb(root, bomb):
    target = root / PETROV / "документ.docx"  # a name that says nothing: its text would be read
    target.write_bytes(bomb.read_bytes())
    assert target.stat().st_size < 4_000_000
    with zipfile.ZipFile(target) as z:
        assert z.getinfo("word/document.xml").file_size > 1_000_000_000
    # Measured from a process of its own, whose only child is `kezdocs status`: its peak RSS is that child's.
    probe = ("import json, resource, subprocess, sys, time\n"
             "start = time.monotonic()\n"
             "run = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
             "print(json.dumps({'seconds': time.monotonic() - start, 'code': run.returncode, 'out': run.stdout,\n"
             "                  'err': run.stderr, 'rss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n")
    measured = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "kezdocs", "status", "--root",
                               str(root), "--today", DAY, "--json"], capture_output=True, text=True, timeout=120)
    result = json.loads(measured.stdout)
    assert result["code"] == 1, result["err"]
    assert result["seconds"] < 5
    assert result["rss_kb"] < 300 * 1024
    records = {r["folder"]: r for r in json.loads(result["out"])}
    assert sorted(records) == case_folders(root)
    messages = [m for f, m in problems_of(records[PETROV]) if f == f"{PETROV}/документ.docx"]
    assert len(messages) == 1 and "не открыт" in messages[0] and "word/document.xml" in messages[0]


def test_watch_start_up_and_rescan_list_every_case_despite_bad_files(root, bomb):
    drop_hostile(root / PETROV)
    (root / ROMASHKA / "документ.docx").write_bytes(bomb.read_bytes())
    folders = case_folders(root)
    (root / SUMMARY_FILE).unlink(missing_ok=True)  # written by the start-up scan, or not at all
    shutil.rmtree(root / ".kezdocs", ignore_errors=True)
    with Watcher(root, lambda: TODAY, delay=0.3, rescan=0.5, console=False):
        assert summary_folders(root) == folders
        assert sorted(Index(root).records()) == folders
        # A bad file dropped while it runs: reported by the next look, every case still listed.
        (root / ROMASHKA / "ещё\nодин.docx").write_bytes(b"PK\x03\x04 broken")
        wanted = f"{ROMASHKA}/ещё\\nодин.docx"
        end = time.monotonic() + 30
        while time.monotonic() < end:
            record = Index(root).records().get(ROMASHKA)
            if record and any(p.file == wanted for p in record.problems):
                break
            time.sleep(0.05)
        else:
            pytest.fail("the new bad file was never reported")
        assert summary_folders(root) == folders
    log = (root / ".kezdocs" / LOG_NAME).read_text(encoding="utf-8").splitlines()
    assert any(f"начальная проверка: дел — {len(folders)}" in line for line in log)
    assert not any(" ошибка: " in line for line in log), [line for line in log if " ошибка: " in line]
    status = (root / ROMASHKA / STATUS_FILE).read_text(encoding="utf-8-sig")
    assert "документ.docx: файл DOCX не открыт" in status


# --- paths beyond the system's limits ----------------------------------------------------------------------

def test_a_path_longer_than_path_max_is_a_problem_of_its_case(root):
    case = root / PETROV
    limit = os.pathconf(case, "PC_PATH_MAX")
    name = "папка-" + "д" * 100  # 211 bytes, under NAME_MAX
    fd = os.open(case, os.O_RDONLY | os.O_DIRECTORY)
    depth = 0
    try:
        while len(os.fsencode(case)) + depth * (len(os.fsencode(name)) + 1) < limit + 600:
            try:
                os.mkdir(name, dir_fd=fd)
                inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            except OSError as exc:
                pytest.skip(f"this file system cannot hold a path deeper than PATH_MAX: {exc}")
            os.close(fd)
            fd, depth = inner, depth + 1
            if len(os.fsencode(case)) + depth * (len(name.encode()) + 1) > limit - 100:
                os.close(os.open("Договор.pdf", os.O_WRONLY | os.O_CREAT, dir_fd=fd))  # a file at the edge
    finally:
        os.close(fd)

    files, problems = list_folder(case)
    too_long = [p for p in problems if "путь длиннее предела системы" in p.message]
    assert too_long and all(p.file.startswith(f"{PETROV}/папка-") for p in too_long)
    assert all(len(f.relpath.encode()) + len(os.fsencode(case)) < limit for f in files)

    status = kezdocs("status", "--root", root, "--today", DAY, "--json")
    assert status.returncode == 1, status.stderr
    records = {r["folder"]: r for r in json.loads(status.stdout)}
    assert sorted(records) == case_folders(root)
    assert any("путь длиннее предела системы" in m for _, m in problems_of(records[PETROV]))


def test_a_name_longer_than_name_max_is_reported_not_skipped(tmp_path):
    (tmp_path / "короткое.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (tmp_path / "очень-длинное-имя.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    files, problems = list_folder(tmp_path, limits=(4096, 30))  # as a share with NAME_MAX 30 would say
    assert [f.relpath for f in files] == ["короткое.pdf"]
    assert [(p.file, "имя длиннее 30 байт" in p.message) for p in problems] == [
        (f"{tmp_path.name}/очень-длинное-имя.pdf", True)]


# --- names ------------------------------------------------------------------------------------------------

def test_names_are_shown_escaped_and_fingerprinted_by_their_bytes(tmp_path):
    for raw in (b"\xff.pdf", b"\xfe.pdf", "акт\n1.pdf".encode(), "ок.pdf".encode()):
        with open(os.path.join(os.fsencode(tmp_path), raw), "wb") as out:
            out.write(b"x")
    files = list_files(tmp_path)
    assert [f.relpath for f in files] == sorted(["\\xff.pdf", "\\xfe.pdf", "акт\\n1.pdf", "ок.pdf"])
    assert {f.relpath: os.fsencode(f.disk) for f in files}["\\xff.pdf"] == b"\xff.pdf"
    before = fingerprint(files)
    os.rename(os.path.join(os.fsencode(tmp_path), b"\xff.pdf"), os.path.join(os.fsencode(tmp_path), b"\xfd.pdf"))
    assert fingerprint(list_files(tmp_path)) != before  # the same size and name length: only the byte differs
    assert shown_name("ок.pdf") == "ок.pdf" and name_problem("ок.pdf") is None
    assert shown_name("a\u2066b\u202ac\x1b") == "a\\u2066b\\u202ac\\x1b"


# --- budgets ------------------------------------------------------------------------------------------------

def sparse(path: Path, size: int, head: bytes, tail: bytes = b"") -> Path:
    """A file of `size` bytes that takes no room on disk: `head`, a hole, `tail`."""
    with open(path, "wb") as out:
        out.write(head)
        out.seek(size - len(tail) - 1)
        out.write(tail or b"\0")
    return path


def peak_memory(action) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_large_files_are_never_read_whole(tmp_path):
    big_pdf = sparse(tmp_path / "скан.pdf", PDF_PARSE_LIMIT + 10_000_000, b"%PDF-1.7\n", b"\n%%EOF\n")
    (text, problem), peak = peak_memory(lambda: read_file(big_pdf, want_text=True))
    assert text == "" and "больше 50 МБ" in problem and peak < 1_000_000
    (text, problem), _ = peak_memory(lambda: read_file(big_pdf, want_text=False))
    assert (text, problem) == (None, None)  # checked by its header and tail: a whole PDF

    big_txt = sparse(tmp_path / "записка.txt", 500_000_000, "Договор аренды\n".encode())
    (text, problem), peak = peak_memory(lambda: read_file(big_txt))
    assert text.startswith("Договор аренды") and len(text) <= TEXT_PREFIX and problem is None
    assert peak < 5 * TEXT_PREFIX

    big_card = sparse(tmp_path / CARD_NAME, 500_000_000, "номер: 1\n".encode())
    (text, problem), peak = peak_memory(lambda: read_text(big_card, CARD_NAME))
    assert text == "" and "больше 1 МБ" in problem.message and peak < 5_000_000


def heavy_pdf(operators: int) -> bytes:
    """A 10 KB one-page PDF whose content stream holds `operators` text operations (minutes for a parser)."""
    import zlib

    stream = zlib.compress(b"BT /F1 12 Tf 10 10 Td " + b"(ab) Tj 1 0 Td " * operators + b"ET", 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
               b"/Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_pdf_page_too_heavy_to_parse_is_given_up_quickly(tmp_path):
    path = tmp_path / "скан.pdf"
    path.write_bytes(heavy_pdf(400_000))
    assert path.stat().st_size < 20_000
    start = time.monotonic()
    text, problem = read_file(path, want_text=True)
    assert time.monotonic() - start < 3  # unbounded, pypdf takes some 8 s on this page
    assert text == "" and "слишком сложен" in problem


def test_archives_are_judged_by_declared_sizes_before_parsing(tmp_path):
    squeezed = tmp_path / "сжатый.docx"
    squeezed.write_bytes(docx_with(f'<w:document xmlns:w="{W}"><w:body>'
                                   + "<w:p><w:r><w:t>а</w:t></w:r></w:p>" * 60_000 + "</w:body></w:document>"))
    with zipfile.ZipFile(squeezed) as z:
        assert "сжата в" in archive_refusal(z)
    text, problem = read_file(squeezed, want_text=False)
    assert text is None and "архивные бомбы" in problem

    real = tmp_path / "письмо.docx"
    document = docx.Document()
    document.add_paragraph("Доверенность № 15")
    document.save(real)
    with zipfile.ZipFile(real) as z:
        assert archive_refusal(z) is None
    assert read_file(real) == ("Доверенность № 15", None)

    broken = tmp_path / "таблица.xlsx"
    broken.write_bytes(b"not a zip at all")
    assert "XLSX повреждён" in read_file(broken)[1]


def test_a_pipe_named_like_a_document_is_reported_and_never_opened(tmp_path):
    os.mkfifo(tmp_path / "договор.pdf")  # opening it for reading would wait for a writer forever
    (tmp_path / "акт.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    files, problems = list_folder(tmp_path)
    assert [f.relpath for f in files] == ["акт.pdf"]
    assert [(p.file, "не обычный файл" in p.message) for p in problems] == [(f"{tmp_path.name}/договор.pdf", True)]


def test_an_archive_with_a_huge_table_of_contents_is_refused_before_zipfile_reads_it(tmp_path):
    path = tmp_path / "опись.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for number in range(70_000):  # past 65 535 entries: the zip64 end record says the size
            z.writestr(f"xl/{number:0200d}", b"")
    (text, problem), peak = peak_memory(lambda: read_file(path))
    assert "оглавление архива занимает 17 МБ" in problem
    assert peak < 1_000_000  # zipfile would have built 70 000 entries in memory
