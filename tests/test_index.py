"""The index: atomic under a killed writer, no lost update with two writers, rebuilt when lost."""
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date

from kezdocs.core.status import CaseStatus
from kezdocs.folders.casefolder import open_root
from kezdocs.folders.index import Index
from kezdocs.folders.scan import scan

TODAY = date(2026, 11, 24)

WRITER = """
import sys
from kezdocs.core.status import CaseStatus
from kezdocs.folders.index import Index
index = Index(sys.argv[1])
tag, count = sys.argv[2], int(sys.argv[3])
for i in range(count):
    with index.writing() as records:
        records[f"{tag}-{i}"] = CaseStatus(f"{tag}-{i}", f"{tag}-{i}", next_action="ж" * 2000)
"""


def run_writer(root, tag, count):
    return subprocess.Popen([sys.executable, "-c", WRITER, str(root), tag, str(count)])


def test_two_processes_writing_lose_nothing(tmp_path):
    writers = [run_writer(tmp_path, tag, 40) for tag in ("a", "b")]
    for w in writers:
        assert w.wait(timeout=120) == 0
    records = Index(tmp_path).records()
    assert len(records) == 80
    assert {f"a-{i}" for i in range(40)} | {f"b-{i}" for i in range(40)} == set(records)


def test_killed_writer_leaves_a_whole_index(tmp_path):
    with Index(tmp_path).writing() as records:
        records["base"] = CaseStatus("base", "base", next_action="x")
    for attempt in range(5):
        writer = run_writer(tmp_path, f"k{attempt}", 100_000)
        time.sleep(0.3 + 0.1 * attempt)
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        text = (tmp_path / ".kezdocs" / "index.json").read_text(encoding="utf-8")
        data = json.loads(text)  # never half-written
        folders = {doc["folder"] for doc in data["cases"].values()}
        assert "base" in folders
        # every record is a whole one: the k-records form a prefix 0..n-1
        done = sorted(int(f.split("-")[1]) for f in folders if f.startswith(f"k{attempt}-"))
        assert done == list(range(len(done)))
    leftovers = [p.name for p in (tmp_path / ".kezdocs").iterdir() if p.name.startswith(".kezdocs-tmp-")]
    # temp files of a killed writer may remain, but they are never taken for the index
    assert all(name.endswith(".tmp") for name in leftovers)


def test_index_is_readable_utf8(demo_copy):
    scan(open_root(demo_copy), TODAY)
    text = (demo_copy / ".kezdocs" / "index.json").read_text(encoding="utf-8")
    assert "ООО «Ромашка»" in text and "\\u" not in text


def test_deleted_index_is_rebuilt_with_the_same_records(demo_copy):
    root = open_root(demo_copy)
    first = scan(root, TODAY).records
    (demo_copy / ".kezdocs" / "index.json").unlink()
    second = scan(open_root(demo_copy), TODAY).records
    assert second == first
    assert len(first) == 11


def test_corrupt_index_is_set_aside_and_rebuilt(demo_copy):
    scan(open_root(demo_copy), TODAY)
    (demo_copy / ".kezdocs" / "index.json").write_text('{"cases": {"1": {"folder": ', encoding="utf-8")
    result = scan(open_root(demo_copy), TODAY)
    assert len(result.records) == 11
    assert any("повреждён" in w for w in result.warnings)
    assert any(p.name.startswith("index.json.повреждён-") for p in (demo_copy / ".kezdocs").iterdir())


def test_unchanged_case_is_not_parsed_again(demo_copy):
    scan(open_root(demo_copy), TODAY)
    card = demo_copy / "2026-002 ИП Петров" / "дело.yaml"
    # Change the card's content behind the index's back but keep size and mtime: the record must stay.
    stat = card.stat()
    text = card.read_text(encoding="utf-8").replace("8 400,00", "9 400,00")
    card.write_text(text, encoding="utf-8")
    os.utime(card, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    records = {r.folder: r for r in scan(open_root(demo_copy), TODAY).records}
    assert str(records["2026-002 ИП Петров"].debt) == "8400.00"
    # A real edit (new mtime) is seen.
    os.utime(card, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    records = {r.folder: r for r in scan(open_root(demo_copy), TODAY).records}
    assert str(records["2026-002 ИП Петров"].debt) == "9400.00"


def test_vanished_case_leaves_the_index(demo_copy):
    scan(open_root(demo_copy), TODAY)
    (demo_copy / "2026-007 Кузьмин Олег" / "дело.yaml").unlink()
    records = scan(open_root(demo_copy), TODAY).records
    assert "2026-007 Кузьмин Олег" not in {r.folder for r in records}
    assert len(Index(demo_copy).records()) == 10
