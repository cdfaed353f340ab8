"""An upload is a file dropped into the case folder: a safe name, never over another file, whole or not at all."""
from __future__ import annotations

import io
import os
import threading
import unicodedata

import pytest

from kezdocs.core.card import CARD_NAME
from kezdocs.core.errors import KezdocsError
from kezdocs.folders.files import drop_file
from kezdocs.service.watch_events import target_of

LIMIT = 1 << 20


@pytest.fixture()
def folder(tmp_path):
    path = tmp_path / "дела" / "2026-001 ООО Ромашка"
    path.mkdir(parents=True)
    return path


@pytest.mark.parametrize("sent, kept", [
    ("квитанция 42755012345675.pdf", "квитанция 42755012345675.pdf"),
    ("..\\..\\x.pdf", "x.pdf"),
    ("a/b.pdf", "b.pdf"),
    ("../../../etc/passwd", "passwd"),
    ("C:\\Users\\Мария\\Desktop\\чек.jpg", "чек.jpg"),
    ("", "файл"),
    ("..", "файл"),
    ("/", "файл"),
    (".скрытый.pdf", "скрытый.pdf"),
    ("чек: <1>?.pdf", "чек 1.pdf"),
    ("CON.pdf", "CON_.pdf"),
    ("чек\nподдельный.pdf", "чекподдельный.pdf"),
    ("чек\udcff.pd\ud800f", "чек.pdf"),
    ("решение.pdf.", "решение.pdf"),
    (unicodedata.normalize("NFD", "отчёт.pdf"), "отчёт.pdf"),
])
def test_the_name_is_made_safe(folder, sent, kept):
    path = drop_file(folder, sent, io.BytesIO(b"%PDF-1.4"), limit=LIMIT)
    assert path.parent == folder
    assert path.name == kept
    assert path.read_bytes() == b"%PDF-1.4"
    assert sorted(os.listdir(folder)) == [kept]


def test_a_long_name_is_cut_keeping_its_extension(folder):
    path = drop_file(folder, "я" * 300 + ".pdf", io.BytesIO(b"x"), limit=LIMIT)
    assert path.name.endswith("я.pdf")
    assert len(path.name.encode("utf-8")) <= 200


def test_an_existing_file_is_never_replaced(folder):
    (folder / "чек.pdf").write_bytes(b"first")
    (folder / "чек (2).pdf").write_bytes(b"second")
    third = drop_file(folder, "чек.pdf", io.BytesIO(b"third"), limit=LIMIT)
    fourth = drop_file(folder, "чек.pdf", io.BytesIO(b"fourth"), limit=LIMIT)
    assert [third.name, fourth.name] == ["чек (3).pdf", "чек (4).pdf"]
    assert [(folder / n).read_bytes() for n in ("чек.pdf", "чек (2).pdf", "чек (3).pdf", "чек (4).pdf")] == \
        [b"first", b"second", b"third", b"fourth"]


def test_kezdocs_own_names_are_never_taken_even_before_they_exist(folder):
    path = drop_file(folder, CARD_NAME, io.BytesIO(b"not a card"), limit=LIMIT)
    assert path.name == "дело (2).yaml"
    assert not (folder / CARD_NAME).exists()
    assert drop_file(folder, "СТАТУС.txt", io.BytesIO(b"x"), limit=LIMIT).name == "СТАТУС (2).txt"


def test_a_name_without_an_extension_gets_its_number_at_the_end(folder):
    (folder / "скан").write_bytes(b"1")
    assert drop_file(folder, "скан", io.BytesIO(b"2"), limit=LIMIT).name == "скан (2)"


@pytest.mark.parametrize("size, limit, message", [(LIMIT + 1, LIMIT, "файл больше 1 МБ"),
                                                  (3 * LIMIT, 5 * LIMIT // 2, "файл больше 2,5 МБ")])
def test_a_file_over_the_limit_is_refused_and_nothing_is_left(folder, size, limit, message):
    with pytest.raises(KezdocsError, match=message):
        drop_file(folder, "большой.pdf", io.BytesIO(b"\0" * size), limit=limit)
    assert os.listdir(folder) == []


def test_a_file_of_exactly_the_limit_is_taken(folder):
    assert drop_file(folder, "ровно.pdf", io.BytesIO(b"\1" * LIMIT), limit=LIMIT).stat().st_size == LIMIT


class SlowSource(io.RawIOBase):
    """An upload arriving block by block, noting what the folder holds while it arrives."""

    def __init__(self, folder, data: bytes):
        self.folder, self.blocks, self.seen = folder, [data[:4], data[4:]], []

    def read(self, size=-1):
        self.seen.append(sorted(os.listdir(self.folder)))
        return self.blocks.pop(0) if self.blocks else b""


def test_while_it_arrives_only_a_temporary_name_the_watcher_ignores_is_there(folder):
    source = SlowSource(folder, b"%PDF-1.4 body")
    path = drop_file(folder, "чек.pdf", source, limit=LIMIT)
    during = [name for names in source.seen[1:] for name in names]
    assert during and all(target_of(folder.parent, str(folder / name)) is None for name in during)
    assert target_of(folder.parent, str(path)) is not None
    assert os.listdir(folder) == ["чек.pdf"]


def test_a_failing_source_leaves_nothing(folder):
    class Broken(io.RawIOBase):
        def read(self, size=-1):
            raise OSError(5, "Input/output error")

    with pytest.raises(KezdocsError, match="файл «чек.pdf» не загружен: ошибка ввода-вывода"):
        drop_file(folder, "чек.pdf", Broken(), limit=LIMIT)
    assert os.listdir(folder) == []


def test_the_file_is_readable_by_others_as_a_dropped_one_would_be(folder):
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    path = drop_file(folder, "чек.pdf", io.BytesIO(b"x"), limit=LIMIT)
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_missing_folder_is_a_russian_error(tmp_path):
    with pytest.raises(KezdocsError, match="не загружен: файла или папки больше нет"):
        drop_file(tmp_path / "нет такой", "чек.pdf", io.BytesIO(b"x"), limit=LIMIT)


def test_racing_uploads_of_one_name_each_get_their_own_file(folder):
    barrier = threading.Barrier(8)
    results = {}

    def upload(n):
        barrier.wait()
        results[n] = drop_file(folder, "чек.pdf", io.BytesIO(f"upload {n}".encode() * 1000), limit=LIMIT)

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(p.name for p in results.values()) == sorted(["чек.pdf"] + [f"чек ({n}).pdf" for n in range(2, 9)])
    assert all(path.read_bytes() == f"upload {n}".encode() * 1000 for n, path in results.items())
    assert len(os.listdir(folder)) == 8
