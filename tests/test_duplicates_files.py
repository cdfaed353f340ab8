"""Duplicates: the same content twice in a case or in two cases is a problem naming the other copy; hashes are
cached by (path, size, mtime) under .kezdocs; a large file is hashed by its size and edges."""
import hashlib
import json
import os
from datetime import date

from test_classification_real import make_root
from test_package import CARD

from kezdocs.folders import duplicates, scan
from kezdocs.folders.casefolder import open_root
from kezdocs.paperwork.pdftext import text_pdf

TODAY = date(2024, 9, 16)
FIRST, SECOND = "2024-017 ООО Ромашка", "2024-018 ООО Лютик"


def two_cases(tmp_path):
    root, folder = make_root(tmp_path)
    other = root / SECOND
    other.mkdir()
    (other / "дело.yaml").write_text(CARD.replace("номер: 2024-017", "номер: 2024-018"), encoding="utf-8")
    return root, folder, other


def problems_of(records):
    return {r.folder: sorted((p.file, p.message) for p in r.problems if "то же содержимое" in p.message)
            for r in records}


def test_the_same_content_twice_in_a_case_and_in_two_cases(tmp_path):
    root, folder, other = two_cases(tmp_path)
    contract = (folder / "Договор/Договор аренды № 12-2023.pdf").read_bytes()
    (folder / "Сканы").mkdir()
    (folder / "Сканы/скан 001.pdf").write_bytes(contract)
    (other / "Договор Лютик.pdf").write_bytes(contract)
    (other / "пусто.pdf").write_bytes(b"")
    (folder / "пусто.pdf").write_bytes(b"")  # empty files are intake's problem, not copies of each other
    records = scan.scan(open_root(root), TODAY).records
    found = problems_of(records)
    assert found[FIRST] == [
        (f"{FIRST}/Договор/Договор аренды № 12-2023.pdf",
         f"то же содержимое, что у файла «Сканы/скан 001.pdf» этого дела, файла «Договор Лютик.pdf» дела 2024-018 "
         f"(папка «{SECOND}») — один документ в двух делах: проверьте, к какому делу он относится"),
        (f"{FIRST}/Сканы/скан 001.pdf",
         f"то же содержимое, что у файла «Договор/Договор аренды № 12-2023.pdf» этого дела, файла «Договор Лютик.pdf» "
         f"дела 2024-018 (папка «{SECOND}») — один документ в двух делах: проверьте, к какому делу он относится")]
    assert found[SECOND] == [
        (f"{SECOND}/Договор Лютик.pdf",
         f"то же содержимое, что у файла «Договор/Договор аренды № 12-2023.pdf» дела 2024-017 (папка «{FIRST}»), "
         f"файла «Сканы/скан 001.pdf» дела 2024-017 (папка «{FIRST}») — один документ в двух делах: проверьте, "
         "к какому делу он относится")]


def test_a_copy_within_one_case_only(tmp_path):
    root, folder, _ = two_cases(tmp_path)
    receipt = folder / "Почта/квитанция 42755012345675.pdf"
    (folder / "Почта/чек.pdf").write_bytes(receipt.read_bytes())
    found = problems_of(scan.scan(open_root(root), TODAY).records)
    assert found[SECOND] == []
    assert found[FIRST] == [
        (f"{FIRST}/Почта/квитанция 42755012345675.pdf",
         "то же содержимое, что у файла «Почта/чек.pdf» этого дела — одна из копий лишняя"),
        (f"{FIRST}/Почта/чек.pdf",
         "то же содержимое, что у файла «Почта/квитанция 42755012345675.pdf» этого дела — одна из копий лишняя")]


def test_a_rescan_reads_hashes_from_the_cache_keyed_by_path_size_and_mtime(tmp_path):
    root, folder, other = two_cases(tmp_path)
    (other / "акт.pdf").write_bytes(text_pdf([["Акт № 5"]]))
    first = scan.scan(open_root(root), TODAY).records[0]
    caches = list((root / ".kezdocs" / duplicates.CACHE_DIR).glob("*.json"))
    assert len(caches) == 2  # one per case, so worker processes never write one file
    cache = next(c for c in caches if len(json.loads(c.read_text(encoding="utf-8"))) == 7)
    digest = {d.path: d.digest for d in first.documents}["доверенность.pdf"]
    assert digest == duplicates.content_digest(folder / "доверенность.pdf")
    poisoned = {k: ("f" * 64 if k.startswith("доверенность.pdf\0") else v)
                for k, v in json.loads(cache.read_text(encoding="utf-8")).items()}
    cache.write_text(json.dumps(poisoned), encoding="utf-8")
    again = scan.scan(open_root(root), TODAY, full=True).records[0]
    assert {d.path: d.digest for d in again.documents}["доверенность.pdf"] == "f" * 64  # not read again
    stat = (folder / "доверенность.pdf").stat()
    os.utime(folder / "доверенность.pdf", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    touched = scan.scan(open_root(root), TODAY, full=True).records[0]
    assert {d.path: d.digest for d in touched.documents}["доверенность.pdf"] == digest  # changed mtime: hashed again
    assert all(d.digest is None for d in touched.documents if d.path.startswith("Сформировано/"))


def test_a_large_file_is_hashed_by_its_size_and_edges(tmp_path):
    size = duplicates.FULL_HASH_LIMIT + 3 * duplicates.EDGE

    def sparse(name, middle=b"", last=b"E"):
        path = tmp_path / name
        with open(path, "wb") as file:
            file.write(b"%PDF-1.7 head")
            file.truncate(size)  # sparse: no 64 MB written
            if middle:
                file.seek(size // 2)
                file.write(middle)
            file.seek(size - 1)
            file.write(last)
        return path

    plain = duplicates.content_digest(sparse("a.pdf"))
    assert duplicates.content_digest(sparse("b.pdf", middle=b"differs in the middle only")) == plain
    assert duplicates.content_digest(sparse("c.pdf", last=b"F")) != plain
    small = tmp_path / "small.pdf"
    small.write_bytes(text_pdf([["Договор"]]))
    assert duplicates.content_digest(small) == hashlib.sha256(small.read_bytes()).hexdigest()
